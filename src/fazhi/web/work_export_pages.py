"""Any filtered list (工作台, 案件查询) to Excel: the rows the list shows, every page of them
(up to EXPORT_CAP), with the chosen type's summary fields and its personal fields masked as
this user sees them on screen (read/presenters.present_fields). Text cells stay text
(read/sheets.xlsx_row: no formula injection); a row of a restricted type is recorded as a
read of that case, as on its page; a file holding a case of a type that declares
`export_watermark` names the user and the time (read/watermark)."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.actions.context import ActionContext
from fazhi.actions.visibility import is_restricted, record_read
from fazhi.domain.case_type import CaseType, FieldSpec
from fazhi.domain.durations import LOCAL_TZ
from fazhi.http.deps import Work
from fazhi.read.case_queries import SORTS, filtered
from fazhi.read.presenters import present_fields
from fazhi.read.sheets import xlsx_row
from fazhi.read.watermark import mark_workbook, needs_watermark, watermark_line
from fazhi.store.db import transaction
from fazhi.store.models import Case
from fazhi.web.console import page_work
from fazhi.web.forms import display_value
from fazhi.web.work_pages import list_query, present_rows, read_form

router = APIRouter(include_in_schema=False)
EXPORT_CAP = 10_000
CHUNK = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BASE_HEADER = [
    "编号",
    "类型",
    "标题",
    "分类",
    "状态",
    "主办单位",
    "街道",
    "受理时间",
    "时限",
    "标记",
]


def _columns(case_types: list[CaseType]) -> list[tuple[CaseType, FieldSpec, str]]:
    """Each type's summary fields, then its personal fields, labelled by type when several."""
    columns = []
    for case_type in case_types:
        names = list(case_type.summary_fields) + [
            n for n in case_type.personal_fields if n not in case_type.summary_fields
        ]
        for name in names:
            spec = case_type.field(name)
            if spec is None or spec.type == "list" or name == case_type.category_field:
                continue
            label = spec.label if len(case_types) == 1 else f"{case_type.label}·{spec.label}"
            columns.append((case_type, spec, label))
    return columns


def _cases(w: Work, params: Any, queue: bool) -> tuple[list[Case], list[CaseType], str]:
    form, chosen = read_form(w, params)
    f, shape = list_query(w, form, queue)
    stmt = shape(filtered(w.actor, f, w.ctx.directory, w.ctx.now)).order_by(*SORTS[f.sort])
    cases = list(w.session.scalars(stmt.limit(EXPORT_CAP)))
    present = {c.type for c in cases}
    types = [chosen] if chosen else [t for t in w.platform.types if t.name in present]
    return cases, types, form.type


def _row(item: dict[str, Any], case: Case, columns: list[Any], w: Work) -> list[Any]:
    row: list[Any] = [
        item["number"],
        item["type_label"],
        item["title"],
        item["category_label"] or "",
        item["state_label"],
        item["lead_unit"]["name"] if item["lead_unit"] else "",
        item["street_name"],
        (item["created_at"] or "")[:16].replace("T", " "),
        item["countdown"],
        "、".join([*item["mark_names"], *item["flags"]]),
    ]
    shown: dict[str, Any] = {}
    for case_type, spec, _ in columns:
        if case_type.name != case.type:
            row.append("")
            continue
        if case_type.name not in shown:
            shown[case_type.name] = present_fields(case_type, case.fields, w.actor)
        row.append(display_value(spec, shown[case_type.name].get(spec.name), w.ctx.directory))
    return row


def _export(request: Request, queue: bool) -> Response:
    platform = request.app.state.platform
    with page_work(request) as w:
        cases, types, _ = _cases(w, request.query_params, queue)
        columns = _columns(types)
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("工作台" if queue else "案件查询")
        # Rows of a type that declares it (or a list of that type): the file names who took
        # it and when, on its first row, each printed page and in its properties.
        if needs_watermark([*types, *(w.platform.types.get(t) for t in {c.type for c in cases})]):
            mark = watermark_line(w.actor, w.ctx.now)
            mark_workbook(workbook, sheet, mark)
            sheet.append([mark])
        sheet.append([*BASE_HEADER, *(label for *_, label in columns)])
        for start in range(0, len(cases), CHUNK):
            chunk = cases[start : start + CHUNK]
            for item, case in zip(present_rows(w, request, chunk), chunk, strict=True):
                sheet.append(xlsx_row(sheet, _row(item, case, columns, w)))
        restricted = [c for c in cases if is_restricted(w.actor, c)]
        ctx = ActionContext(platform, w.actor, w.ctx.now)
        now: datetime = w.ctx.now
    if restricted:  # one read event per exported case of a restricted type, before the file
        with platform.writing(), transaction(platform.sessions) as session:
            for case in restricted:
                record_read(session, ctx, case, "export")
    body = BytesIO()
    workbook.save(body)
    name = f"{'工作台' if queue else '案件查询'}-{now.astimezone(LOCAL_TZ):%Y%m%d-%H%M}.xlsx"
    return Response(
        body.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


@router.get("/export/work.xlsx")
def work_export(request: Request) -> Response:
    return _export(request, queue=True)


@router.get("/export/cases.xlsx")
def cases_export(request: Request) -> Response:
    return _export(request, queue=False)
