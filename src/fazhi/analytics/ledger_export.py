"""Ledgers as Excel (openpyxl): one workbook per indicator — its definition, formula, value,
target and provenance on the first sheet, then one sheet per input with every record — and
a scheme's whole bundle as one workbook (a contents sheet, then each indicator's sheets) or
as a zip of one workbook per indicator. Cells are written as text or numbers, never as
formulas (a value starting with = is a text cell)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from fazhi.analytics.ledgers import Ledger, Sheet

BOLD = Font(bold=True)
_BAD_TITLE = re.compile(r"[\[\]\*\?/\\:]")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never a formula in a file that leaves the platform
    return value


def _title(book: Workbook, text: str) -> str:
    base = _BAD_TITLE.sub("·", text)[:28] or "台账"
    name, n = base, 2
    while name in book.sheetnames:
        name = f"{base[:25]}({n})"
        n += 1
    return name


def _definition_rows(found: Ledger) -> list[tuple[str, Any]]:
    v = found.value
    return [
        ("指标编码", v["id"]),
        ("指标名称", v["name"]),
        ("所属领域", v["area"]),
        ("指标定义", v["definition"]),
        ("计算公式", v["formula"]),
        ("计量单位", v["unit"]),
        ("统计期间", f"{v_from(found)} 至 {found.scope.period.end.isoformat()}"),
        ("统计单位", found.scope.unit.name if found.scope.unit else "全区"),
        ("责任单位", v["owner"].get("name") or v["owner"].get("code")),
        ("指标值", v["display"]),
        ("目标值", v["target_display"] or "未设定"),
        ("完成情况", "" if v["met"] is None else ("达标" if v["met"] else "未达标")),
        ("数据来源", "平台业务记录" if v["computed"] else "其他系统导入"),
        ("说明", v["reason"] or v["note"] or ""),
    ]


def v_from(found: Ledger) -> str:
    return found.scope.period.start.isoformat()


def _write_definition(ws: Worksheet, found: Ledger) -> None:
    ws.append(["指标说明"])
    ws["A1"].font = BOLD
    for key, value in _definition_rows(found):
        ws.append([key, _cell(value)])
    ws.append([])
    ws.append(["明细表", "记录数", "合计"])
    for sheet in found.sheets:
        ws.append([_cell(sheet.title), len(sheet.rows), float(sheet.total)])
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 60


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    ws.append([_cell(sheet.title)])
    ws["A1"].font = BOLD
    ws.append(
        [_cell(f"数据项：{sheet.ref}；记录 {len(sheet.rows)} 条；合计 {sheet.total.normalize():f}")]
    )
    if sheet.note:
        ws.append([_cell(sheet.note)])
    ws.append([_cell(c) for c in sheet.columns])
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    for row in sheet.rows:
        ws.append([_cell(c) for c in row])


def ledger_workbook(found: Ledger) -> bytes:
    """One indicator's ledger: the definition first, then a sheet per input."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "指标说明"
    _write_definition(first, found)
    for sheet in found.sheets:
        _write_sheet(book.create_sheet(_title(book, sheet.title)), sheet)
    return _bytes(book)


def bundle_workbook(title: str, ledgers: Iterable[tuple[str, Ledger]]) -> bytes:
    """A scheme's ledgers in one workbook: a contents sheet (item, indicator, value, rows),
    then for each indicator its definition sheet and its record sheets."""
    book = Workbook()
    contents = book.active
    assert contents is not None
    contents.title = "目录"
    contents.append([_cell(title)])
    contents["A1"].font = BOLD
    contents.append(["评价事项", "指标编码", "指标名称", "指标值", "明细表", "记录数"])
    for item, found in ledgers:
        definition = book.create_sheet(_title(book, f"{found.indicator.id}"))
        _write_definition(definition, found)
        names = []
        for sheet in found.sheets:
            ws = book.create_sheet(_title(book, f"{found.indicator.id}·{sheet.title}"))
            _write_sheet(ws, sheet)
            names.append(ws.title)
        contents.append(
            [
                _cell(item),
                found.indicator.id,
                _cell(found.indicator.name),
                _cell(found.value["display"]),
                _cell("、".join(names)),
                sum(len(s.rows) for s in found.sheets),
            ]
        )
    return _bytes(book)


def bundle_zip(ledgers: Iterable[tuple[str, Ledger]]) -> bytes:
    """A scheme's ledgers as a zip of one workbook per indicator (item_indicator.xlsx)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        done: set[str] = set()
        for item, found in ledgers:
            name = f"{item}_{found.indicator.id}.xlsx"
            if name in done:
                continue
            done.add(name)
            archive.writestr(name, ledger_workbook(found))
    return buffer.getvalue()


def _bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
