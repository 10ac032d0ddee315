"""The demo's figures from other systems (fazhi/demo/figures_2023.yaml, synthetic): for each
source, its template (`template_workbook`) filled with the file's values, then read, checked
and written by the one import path (`read_workbook`, `check_import_figures`,
`do_import_figures`) as the demo's 依法治区办 user, so the demo's batches are what a real
import leaves (source, file name and SHA-256, importer, time). Never used for real work."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from openpyxl import load_workbook
from sqlalchemy import select

from fazhi.actions.demo_desk import Desk
from fazhi.actions.figure_imports import (
    COLUMNS,
    DATA_SHEET,
    check_import_figures,
    do_import_figures,
    read_workbook,
    template_workbook,
)
from fazhi.actions.platform import Platform
from fazhi.catalog.indicator_catalog import load_indicator_catalog
from fazhi.domain.indicators.spec import Source
from fazhi.store.db import transaction
from fazhi.store.models import FigureImport, User

DATA = Path(__file__).resolve().parents[1] / "demo" / "figures_2023.yaml"
SUFFIX = "（合成演示数据）.xlsx"


def _rows(value: Any, year: int) -> list[tuple[str, str, Any]]:
    """(start, end, value) of a figure: the year's, or each row's own period."""
    whole = (f"{year}-01-01", f"{year}-12-31")
    if not isinstance(value, list):
        return [(*whole, value)]
    out = []
    for row in value:
        period = row.get("period", whole)
        start, end = (period, period) if isinstance(period, str) else tuple(period)
        out.append((str(start), str(end), row["value"]))
    return out


def filled_template(source: Source, year: int, values: dict[str, Any]) -> bytes:
    """The source's template with `values` (by code without the source) in the 数值 column;
    a figure's further periods as rows of their own below the template's."""
    book = load_workbook(io.BytesIO(template_workbook(source, year)))
    sheet = book[DATA_SHEET]
    value_column = COLUMNS.index("数值") + 1
    extra: list[list[Any]] = []
    for row in sheet.iter_rows(min_row=2):
        code = str(row[0].value)
        if code not in values:
            continue
        (start, end, first), *more = _rows(values[code], year)
        row[2].value, row[3].value = start, end
        row[value_column - 1].value = first
        extra += [[code, row[1].value, s, e, "", v, row[6].value, ""] for s, e, v in more]
    for cells in extra:
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def seed_figures(platform: Platform, data: Path = DATA) -> str:
    """Import the demo's figures once; '' when they are there already (or the importer is
    missing from the organisation)."""
    spec = yaml.safe_load(data.read_text(encoding="utf-8"))
    year, importer = int(spec["year"]), str(spec["importer"])
    when = datetime.fromisoformat(str(spec["imported_at"]))
    catalog = load_indicator_catalog(platform.types)
    with transaction(platform.sessions) as session:
        done = select(FigureImport.id).where(FigureImport.filename.like(f"%{SUFFIX}"))
        if session.scalars(done.limit(1)).first() is not None:
            return ""
        if session.scalars(select(User.id).where(User.username == importer)).first() is None:
            return ""
        ctx = Desk(session, platform).ctx(importer, when)
        figures = 0
        for name, values in spec["sources"].items():
            source = catalog.source(name)
            if source is None:
                raise ValueError(f"{data.name}: no source {name!r} in the catalogue")
            content = filled_template(source, year, {str(k): v for k, v in values.items()})
            filename = f"{source.label}{year}年数据{SUFFIX}"
            plan = check_import_figures(
                ctx, catalog, name, filename, content, read_workbook(content)
            )
            do_import_figures(session, ctx, plan)
            figures += len(plan.rows)
    return f"其他系统报送数据：{len(spec['sources'])}个来源、{figures}项（合成），已按模板导入。"
