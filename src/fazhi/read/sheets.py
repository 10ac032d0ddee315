"""Spreadsheet cells that stay data: text a spreadsheet program would run as a formula.

Case content comes from citizens and other systems; a value such as `=HYPERLINK(...)` or
`@SUM(...)` opened in Excel or WPS would be evaluated (CSV/formula injection, OWASP). In
.xlsx such text is written as a text cell, its value exact; in CSV, which has no cell types,
it gets a leading single quote, which spreadsheet programs read as "text follows". Numbers
stay numbers, negative ones too: only text is neutralised.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is written
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_row(row: Iterable[Any]) -> list[Any]:
    """The row for csv.writer, each formula-like text prefixed with a single quote."""
    return ["'" + v if formula_like(v) else v for v in row]


def xlsx_row(ws: WriteOnlyWorksheet, row: Iterable[Any]) -> list[Any]:
    """The row for a write-only sheet's append, every text a text cell (openpyxl would
    otherwise store text beginning with `=` as a formula)."""
    return [_text_cell(ws, v) if isinstance(v, str) else v for v in row]


def _text_cell(ws: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell
