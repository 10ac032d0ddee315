"""Figures from other systems: each source's Excel template (one row per figure, period and
unit), read row by row — every bad row is reported with its row number and the whole batch
is refused, so a failed file writes nothing — and written as one batch that records the
source, the file's name and SHA-256, the importer and the time.

`template_workbook` builds a source's template; `read_workbook` turns a filled one into
rows (file work: run it off the event loop); `check_import_figures` validates the rows
against the catalogue and the organisation; `do_import_figures` writes them.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from fazhi.actions.context import ActionContext
from fazhi.domain.bounds import in_sane_range
from fazhi.domain.errors import DomainError, Problem
from fazhi.domain.indicators.parse import number
from fazhi.domain.indicators.spec import Catalog, FigureSpec, Source
from fazhi.store.models import FigureImport, ImportedFigure

IMPORT_ROLES = frozenset({"rule_of_law_office", "admin"})
COLUMNS = ("项目代码", "项目名称", "期间起", "期间止", "单位编码", "数值", "计量单位", "备注")
DATA_SHEET = "数据"
MAX_ROWS = 5000


@dataclass(frozen=True)
class RawRow:
    number: int  # the row in the sheet (the header is row 1)
    cells: tuple[Any, ...]


@dataclass(frozen=True)
class FigureRow:
    number: int
    figure: FigureSpec
    start: date
    end: date
    unit_id: int
    value: Decimal
    note: str


@dataclass(frozen=True)
class ImportPlan:
    source: Source
    filename: str
    sha256: str
    rows: tuple[FigureRow, ...]
    skipped: int  # template rows left without a value


def template_workbook(source: Source, year: int, unit_code: str = "") -> bytes:
    """The source's template: the data sheet with one row per figure (period = the year),
    and a sheet that says how to fill it in."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for fig in source.figures:
        code = fig.code.split(".", 1)[1]
        sheet.append(
            [code, fig.name, f"{year}-01-01", f"{year}-12-31", unit_code, None, fig.unit, ""]
        )
    for column, width in zip("ABCDEFGH", (30, 40, 12, 12, 14, 14, 10, 30), strict=True):
        sheet.column_dimensions[column].width = width
    notes = book.create_sheet("填写说明")
    for line in (
        f"数据来源：{source.label}（{source.system}）",
        "每行一项数据：项目代码与名称已列出，填写“数值”一列即可；不填数值的行不导入。",
        "期间起、期间止：数据所属期间（YYYY-MM-DD，含两端），默认全年；同一项可按不同期间分行填写。",
        "单位编码：留空为全区；分单位报送时填写组织机构中的单位编码。",
        "百分比填写 99.98 或 99.98%；金额按“计量单位”列的单位填写（万元或元）。",
        "任一行有误时整批不导入，并列出每一行的问题；更正后重新导入同一期间的数据将取代旧值。",
    ):
        notes.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_workbook(data: bytes) -> list[RawRow]:
    """The data sheet's rows after the header (file work: call off the event loop)."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise DomainError(
            "bad_workbook", "无法读取文件：请上传按模板填写的 .xlsx 文件", 422, "file"
        ) from None
    sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    names = tuple(str(c).strip() if c is not None else "" for c in (header or ()))
    if names[: len(COLUMNS)] != COLUMNS:
        raise DomainError("bad_template", "表头与模板不符：应为 " + "、".join(COLUMNS), 422, "file")
    out = []
    for i, cells in enumerate(rows, start=2):
        if i - 1 > MAX_ROWS:
            raise DomainError("too_many_rows", f"一次最多导入 {MAX_ROWS} 行", 422, "file")
        cells = tuple(cells[: len(COLUMNS)]) + (None,) * (len(COLUMNS) - len(cells))
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        out.append(RawRow(i, cells))
    book.close()
    return out


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        day = date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None
    return day if in_sane_range(day.year) else None


def _value(figure: FigureSpec, raw: Any) -> tuple[Decimal | None, str]:
    text = str(raw).strip()
    amount = number(text)
    if amount is None:
        return None, f"数值“{text}”不是数字"
    if figure.kind == "percent":
        # Written 99.98 or 99.98%: kept as the fraction 0.9998.
        return (amount if text.endswith("%") else amount / 100), ""
    if figure.kind in ("integer", "money") and amount < 0:
        return None, "数值不能为负数"
    if figure.kind == "integer" and amount != amount.to_integral_value():
        return None, f"{figure.name}应为整数"
    return amount, ""


def check_import_figures(
    ctx: ActionContext,
    catalog: Catalog,
    source_name: str,
    filename: str,
    data: bytes,
    rows: list[RawRow],
) -> ImportPlan:
    """Every row checked; all problems refused at once (422 `import_rows`, each problem
    naming its row), so nothing of a bad file is written."""
    if not ctx.actor.has_role(*IMPORT_ROLES):
        raise DomainError("forbidden_role", "只有依法治区办和系统管理员可以导入其他系统数据", 403)
    source = catalog.source(source_name)
    if source is None:
        raise DomainError("unknown_source", f"没有数据来源 {source_name}", 404, "source")
    if not rows:
        raise DomainError("empty_import", "文件中没有数据行", 422, "file")
    directory = ctx.directory
    root = next((u for u in directory.by_id.values() if u.kind == "district"), None)
    problems: list[Problem] = []
    out: list[FigureRow] = []
    seen: dict[tuple[str, date, date, int], int] = {}
    skipped = 0
    for row in rows:
        code_cell, _, start_cell, end_cell, unit_cell, value_cell, unit_label, note = row.cells
        mine: list[str] = []
        code = str(code_cell or "").strip()
        code = code if code.startswith(f"{source.name}.") else f"{source.name}.{code}"
        figure = source.figure(code)
        if figure is None:
            mine.append(f"项目代码“{code_cell or ''}”不是{source.label}的数据项")
        if value_cell is None or str(value_cell).strip() == "":
            if figure is not None and not mine:
                skipped += 1
                continue
            mine.append("未填写数值")
        start, end = _day(start_cell), _day(end_cell)
        if start is None or end is None:
            mine.append("期间起、期间止应为日期（YYYY-MM-DD）")
        elif end < start:
            mine.append("期间止早于期间起")
        unit = directory.resolve(str(unit_cell).strip()) if unit_cell not in (None, "") else root
        if unit is None:
            mine.append(f"单位编码“{unit_cell}”不在组织机构中")
        value = None
        if figure is not None and value_cell not in (None, ""):
            value, why = _value(figure, value_cell)
            if why:
                mine.append(why)
            if unit_label not in (None, "") and str(unit_label).strip() != figure.unit:
                mine.append(f"计量单位应为“{figure.unit}”")
        if not mine and figure and start and end and unit and value is not None:
            key = (figure.code, start, end, unit.id)
            if key in seen:
                mine.append(f"与第{seen[key]}行重复（同一项目、期间和单位）")
            seen[key] = row.number
        if mine:
            problems.extend(
                Problem("bad_row", f"第{row.number}行：{m}", f"row{row.number}") for m in mine
            )
            continue
        assert figure and start and end and unit and value is not None
        out.append(FigureRow(row.number, figure, start, end, unit.id, value, str(note or "")[:200]))
    if problems:
        raise DomainError(
            "import_rows",
            f"{len({p.field for p in problems})}行有误，整批未导入："
            + "；".join(p.message for p in problems[:20]),
            422,
            "file",
            problems,
        )
    if not out:
        raise DomainError("empty_import", "没有填写数值的数据行", 422, "file")
    sha = hashlib.sha256(data).hexdigest()
    return ImportPlan(source, filename[:255] or "import.xlsx", sha, tuple(out), skipped)


def do_import_figures(session: Session, ctx: ActionContext, plan: ImportPlan) -> FigureImport:
    """Write the batch and its rows.

    Preconditions: `plan` came from `check_import_figures` for this actor, in this
    transaction's region; the caller commits (or rolls back) batch and rows together."""
    batch = FigureImport(
        region_code=ctx.actor.region_code,
        source=plan.source.name,
        filename=plan.filename,
        sha256=plan.sha256,
        rows=len(plan.rows),
        imported_by=ctx.actor.user_id,
        imported_at=ctx.now,
        note="",
    )
    session.add(batch)
    session.flush()
    session.add_all(
        ImportedFigure(
            region_code=ctx.actor.region_code,
            batch_id=batch.id,
            row_number=r.number,
            code=r.figure.code,
            period_start=r.start,
            period_end=r.end,
            unit_id=r.unit_id,
            value=str(r.value),
            note=r.note,
        )
        for r in plan.rows
    )
    session.flush()
    return batch


def batch_json(batch: FigureImport, plan: ImportPlan) -> dict[str, Any]:
    return {
        "batch": batch.id,
        "source": plan.source.name,
        "source_label": plan.source.label,
        "filename": batch.filename,
        "sha256": batch.sha256,
        "rows": batch.rows,
        "skipped": plan.skipped,
        "imported_at": batch.imported_at.isoformat(),
    }
