"""Import work orders from CSV or XLSX through the same register action as the API.

A batch is all or nothing: every row is tried inside a savepoint so each bad row is found
and reported, and if any row is bad the whole transaction is rolled back. Rows whose
external id is already stored are skipped, so re-importing a file creates no duplicates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.cases import ActionContext, case_type_or_error, create_case
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.store.models import Case

HOTLINE = "hotline"
# Column keys of the template, with the Chinese headers also accepted.
COLUMNS: dict[str, str] = {
    "external_id": "外部编号",
    "received_at": "受理时间",
    "channel": "来源渠道",
    "request_kind": "诉求类型",
    "category": "诉求分类",
    "urgency": "紧急程度",
    "content": "诉求内容",
    "caller_name": "来电人",
    "caller_phone": "联系电话",
    "address": "事发地址",
    "longitude": "经度",
    "latitude": "纬度",
}
REQUIRED_COLUMNS = ("external_id", "request_kind", "category", "content")
_HEADER_ALIASES = {**{k: k for k in COLUMNS}, **{v: k for k, v in COLUMNS.items()}}


@dataclass
class RowError:
    line: int
    external_id: str | None
    field: str | None
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    skipped_existing: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(
    path: Path, aliases: dict[str, str], required: dict[str, str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number as the user sees it, {column key: value}) for each data row of a CSV
    (UTF-8, BOM allowed) or the first sheet of an XLSX.

    `aliases` maps every accepted header (key, Chinese header, other spellings) to its column
    key; `required` maps the keys that must be present to the header named when missing.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        table: list[list[Any]] = list(csv.reader(io.StringIO(text)))
    elif suffix in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        table = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    else:
        raise DomainError("unsupported_file", "只支持 .csv 和 .xlsx 文件", 422, "file")
    return table_rows(table, aliases, required)


def table_rows(
    table: list[list[Any]], aliases: dict[str, str], required: dict[str, str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of a read table (header first), keyed as `read_table` describes."""
    if not table:
        raise DomainError("empty_file", "文件为空", 422, "file")
    header = [aliases.get(str(h).strip() if h is not None else "") for h in table[0]]
    unknown = [str(h) for h, key in zip(table[0], header, strict=True) if key is None and h]
    if unknown:
        raise DomainError("unknown_columns", "不认识的列：" + "、".join(unknown), 422, "file")
    missing = [label for key, label in required.items() if key not in header]
    if missing:
        raise DomainError("missing_columns", "缺少必需的列：" + "、".join(missing), 422, "file")
    for index, raw in enumerate(table[1:], start=2):
        if all(v in (None, "") for v in raw):
            continue
        row = {key: raw[i] for i, key in enumerate(header) if key and i < len(raw)}
        yield index, row


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number as the user sees it, {column key: value}) for each work-order row."""
    return read_table(path, _HEADER_ALIASES, {c: COLUMNS[c] for c in REQUIRED_COLUMNS})


def _label_lookup(platform_types: Any) -> dict[str, dict[str, str]]:
    """Chinese labels accepted for enum columns: 电话 → phone, 市容秩序 → CITY_APPEARANCE."""
    case_type = platform_types.get(HOTLINE)
    out: dict[str, dict[str, str]] = {}
    for spec in case_type.fields:
        if spec.choices:
            out[spec.name] = {label: code for code, label in spec.choices}
    return out


def _received_at(value: Any, now: datetime) -> datetime:
    if value in (None, ""):
        return now
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("/", "-"))
        except ValueError:
            raise DomainError(
                "invalid_value", "受理时间格式应为 2023-06-01 09:30", 422, "received_at"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    if moment > now:
        raise DomainError("invalid_value", "受理时间不能晚于现在", 422, "received_at")
    return moment


def check_work_order(
    row: dict[str, Any], labels: dict[str, dict[str, str]], now: datetime
) -> tuple[dict[str, Any], datetime]:
    """One row's fields (blank cells left out, Chinese labels of enum columns read as their
    codes) and its reception time (not in the future; now when the cell is blank). The
    fields themselves are checked by the register action."""
    fields: dict[str, Any] = {}
    for key, value in row.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        value = value.strip() if isinstance(value, str) else value
        fields[key] = labels.get(key, {}).get(value, value) if isinstance(value, str) else value
    at = _received_at(fields.pop("received_at", None), now)
    return fields, at


def do_register_work_order(
    session: Session,
    ctx: ActionContext,
    fields: dict[str, Any],
    at: datetime,
    source: str,
    external_id: str,
) -> Case:
    """Register the order as received at `at` by the type's `register` action.

    Preconditions: the row passed `check_work_order`; `external_id` is not yet stored for
    `source` (the unique index refuses a duplicate)."""
    row_ctx = ActionContext(ctx.platform, ctx.actor, at)
    return create_case(session, row_ctx, HOTLINE, fields, "register", source, external_id)


def do_import_work_orders(
    session: Session,
    ctx: ActionContext,
    path: Path,
    source: str,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a file of work orders, each row through `check_work_order` and
    `do_register_work_order` in a savepoint; rows whose external id is stored are skipped.
    All or nothing: with any bad row, nothing is written and the report lists every one.

    Preconditions: ctx.actor may register hotline orders (an operator); the caller commits
    the transaction only when `report.ok`."""
    case_type_or_error(ctx.platform, HOTLINE)
    labels = _label_lookup(ctx.platform.types)
    report = ImportReport()
    rows = list(read_rows(path))
    ids = [str(r.get("external_id") or "").strip() for _, r in rows]
    existing = set()
    for chunk in range(0, len(ids), 500):
        existing |= set(
            session.scalars(
                select(Case.external_id).where(
                    Case.region_code == ctx.actor.region_code,
                    Case.external_source == source,
                    Case.external_id.in_(ids[chunk : chunk + 500]),
                )
            )
        )
    seen: set[str] = set()
    # The batch is all or nothing whatever the caller then does with its transaction.
    batch = session.begin_nested()
    for line, row in rows:
        report.rows += 1
        external_id = str(row.pop("external_id") or "").strip()
        if progress:
            progress(1)
        if not external_id:
            report.errors.append(RowError(line, None, "external_id", "缺少外部编号"))
            continue
        if external_id in seen:
            report.errors.append(RowError(line, external_id, "external_id", "文件中外部编号重复"))
            continue
        seen.add(external_id)
        if external_id in existing:
            report.skipped_existing += 1
            continue
        try:
            fields, at = check_work_order(row, labels, ctx.now)
            with session.begin_nested():
                do_register_work_order(session, ctx, fields, at, source, external_id)
            report.created += 1
        except DomainError as exc:
            problems = exc.problems or []
            if len(problems) > 1:
                for p in problems:
                    report.errors.append(RowError(line, external_id, p.field, p.message))
            else:
                report.errors.append(RowError(line, external_id, exc.field, exc.message))
    if report.errors:
        batch.rollback()
    else:
        batch.commit()
    return report
