"""What the enforcement registers' CSV imports share (certificates, penalty items, inspection
targets and supervision items): headers in English or Chinese, and the all-or-nothing refusal
that lists every bad row at `rows[N].column` (N counts rows after the header, as a
spreadsheet's line number minus one)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from fazhi.domain.errors import DomainError, Problem

Columns = Mapping[str, tuple[str, str]]  # key → (English header, Chinese header)


def parse_csv(
    text: str, columns: Columns, required: Iterable[str] | None = None
) -> list[dict[str, str]]:
    """The rows by column key, values stripped; DomainError for an unknown header or a
    missing required column (every column when `required` is None)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip() for h in reader.fieldnames or []]
    names = {alias: key for key, aliases in columns.items() for alias in aliases}
    unknown = [h for h in headers if h not in names]
    if unknown:
        raise DomainError("unknown_columns", f"不认识的列：{'、'.join(unknown)}", 422, "file")
    have = {names[h] for h in headers}
    wanted = list(columns) if required is None else list(required)
    missing = [columns[key][1] for key in wanted if key not in have]
    if missing:
        raise DomainError("missing_columns", f"缺少列：{'、'.join(missing)}", 422, "file")
    return [
        {names[k.strip()]: (v or "").strip() for k, v in row.items() if k is not None}
        for row in reader
    ]


def row_problem(row: int, column: str, message: str) -> Problem:
    return Problem("invalid_row", f"第{row}行：{message}", f"rows[{row}].{column}")


def refuse_bad_rows(problems: list[Problem]) -> None:
    """Raise `invalid_rows` naming every bad row when there are any: nothing is written."""
    if not problems:
        return
    bad = len({p.field.split(".")[0] for p in problems if p.field})
    raise DomainError(
        "invalid_rows",
        f"{bad}行有误，未导入任何记录：" + "；".join(p.message for p in problems[:5]),
        422,
        problems[0].field,
        problems,
    )
