"""Export cases to CSV or XLSX, with citizens' personal data masked.

An export is a read by a user: it holds the cases that user may see (the visibility
clause), and each row of a restricted type is recorded as a read of that case. The file
leaves the platform's control, so every personal field is masked whatever the user's
roles see on screen, and a type that declares `export_watermark` has the file name the user
and the time on its first line."""

from __future__ import annotations

import csv
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from fazhi.actions.cases import ActionContext, case_type_or_error
from fazhi.actions.platform import Platform
from fazhi.actions.visibility import is_restricted, record_read, visible_clause
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.domain.privacy import mask_fields
from fazhi.domain.units import Actor
from fazhi.read.presenters import case_number, local_iso
from fazhi.read.sheets import csv_row, xlsx_row
from fazhi.read.watermark import mark_workbook, needs_watermark, watermark_line
from fazhi.store.db import transaction
from fazhi.store.models import Case


def export_cases(
    platform: Platform,
    path: Path,
    type_name: str,
    since: date | None,
    until: date | None,
    actor: Actor,
) -> int:
    """Write the cases of `type_name` that `actor` may see (created in [since, until))."""
    case_type = case_type_or_error(platform, type_name)
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise DomainError("unsupported_file", "只支持导出为 .csv 或 .xlsx", 422, "file")
    # Internal fields are left out, except the outcomes the type's statistics count (the
    # hotline's reply result and rating): those are what an export is read for.
    counted = {n for m in case_type.metrics for n in (m.field, m.by, m.sum) if n}
    fields = [f for f in case_type.fields if not f.internal or f.name in counted]
    header = ["编号", "状态", "主办单位", "受理时间", "办结时间"] + [f.label for f in fields]
    directory = platform.directory()
    stmt = select(Case).where(visible_clause(actor), Case.type == type_name).order_by(Case.id)
    if since:
        stmt = stmt.where(Case.created_at >= datetime.combine(since, time(), LOCAL_TZ))
    if until:
        stmt = stmt.where(Case.created_at < datetime.combine(until, time(), LOCAL_TZ))
    rows: list[list[Any]] = []
    read: list[Case] = []
    with platform.sessions() as session:
        for case in session.scalars(stmt.execution_options(yield_per=2000)):
            if is_restricted(actor, case):
                read.append(case)
            values = mask_fields(case.fields, case_type.fields)
            lead = directory.by_id.get(case.lead_unit_id) if case.lead_unit_id else None
            row: list[Any] = [
                case_number(case_type, case),
                case_type.state_label(case.state),
                lead.name if lead else "",
                local_iso(case.created_at),
                local_iso(case.closed_at) or "",
            ]
            for spec in fields:
                value = values.get(spec.name)
                if spec.type == "unit" and value:
                    unit = directory.by_id.get(int(value))
                    value = unit.name if unit else value
                elif spec.choices and value is not None:
                    value = spec.choice_label(value)
                row.append("" if value is None else value)
            rows.append(row)
    if read:  # one read event per exported case of a restricted type, before the file
        ctx = ActionContext(platform, actor, platform.now())
        with platform.writing(), transaction(platform.sessions) as session:
            for case in read:
                record_read(session, ctx, case, "export")
    # A type that declares it: the file's first line names who took it and when.
    mark = watermark_line(actor, platform.now()) if needs_watermark([case_type]) else None
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            if mark:
                writer.writerow([mark])
            writer.writerow(header)
            writer.writerows(csv_row(row) for row in rows)
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(case_type.label[:30])
        if mark:
            mark_workbook(workbook, sheet, mark)
            sheet.append([mark])
        sheet.append(header)
        for row in rows:
            sheet.append(xlsx_row(sheet, row))
        workbook.save(path)
    return len(rows)
