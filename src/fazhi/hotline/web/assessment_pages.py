"""考核: the monthly assessment of the units handling 12345 orders — a ranking page with a
month picker, sortable by score or any component, with dispatch objections per unit, and
its Excel export (read/sheets.py keeps formula-like text inert)."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from openpyxl import Workbook

from fazhi.domain.durations import local_date
from fazhi.hotline.read import assessment as ha
from fazhi.hotline.read import objections as ho
from fazhi.http.deps import Work
from fazhi.read.sheets import xlsx_row
from fazhi.web.console import forbidden, page_work, render
from fazhi.web.svg_charts import percent

router = APIRouter(include_in_schema=False)

ASSESSMENT_ROLES = frozenset(
    {"district_leader", "supervisor", "dispatcher", "admin", "unit_leader"}
)
SORTS = ("score", "response", "on_time", "satisfaction", "objections_rejected", "reopened")


def _month(raw: str, today: date) -> tuple[str, list[str]]:
    """The month asked (YYYY-MM), else the last full month."""
    last = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    if not raw:
        return last, []
    try:
        period = ha.month_period(raw[:7])
    except ValueError:
        return last, ["月份无法识别（应为 YYYY-MM），已按上月考核"]
    if not 2000 <= period.start.year <= 2100:
        return last, ["月份超出范围，已按上月考核"]
    return period.start.strftime("%Y-%m"), []


def _rows(w: Work, month: str) -> tuple[list[ha.UnitAssessment], dict[int, ho.ObjectionRow]]:
    period = ha.month_period(month)
    rows = ha.assess(w.session, w.actor, period, w.ctx.directory)
    objections = ho.objections_by_unit(w.session, w.actor, period)
    if not w.actor.sight.region_wide:  # a unit leader: its own subtree only
        own = set(w.ctx.directory.subtree_ids(w.actor.unit))
        rows = [r for r in rows if r.unit_id in own]
    return rows, objections


def _sorted(rows: list[ha.UnitAssessment], sort: str, asc: bool) -> list[ha.UnitAssessment]:
    def value(r: ha.UnitAssessment) -> float:
        v = r.score if sort == "score" else r.rates.get(sort)
        return -1.0 if v is None else float(v)

    return sorted(rows, key=value, reverse=not asc)


def _context(w: Work, request: Request) -> dict[str, Any]:
    params = request.query_params
    month, notes = _month(params.get("month", ""), local_date(w.ctx.now))
    sort = params.get("sort", "score")
    sort = sort if sort in SORTS else "score"
    asc = params.get("order") == "asc"
    rows, objections = _rows(w, month)
    links = {
        key: urlencode(
            {"month": month, "sort": key, **({"order": "asc"} if key == sort and not asc else {})}
        )
        for key in SORTS
    }
    return {
        "month": month,
        "notes": notes,
        "rows": _sorted(rows, sort, asc),
        "objections": objections,
        "components": ha.components(),
        "sort": sort,
        "asc": asc,
        "links": links,
        "percent": percent,
    }


@router.get("/assessment")
def assessment_page(request: Request) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*ASSESSMENT_ROLES):
            return forbidden(request, w, "考核")
        return render(request, "assessment.html", _context(w, request), w)


HEADER = [
    "名次",
    "单位",
    "综合得分",
    "签收次数",
    "按时签收",
    "按时签收率",
    "答复次数",
    "按时答复",
    "按时答复率",
    "回访评价",
    "满意（含基本满意）",
    "满意率",
    "派单量",
    "退单异议不成立",
    "退单异议不成立率",
    "重办次数",
    "重办率",
    "退单（异议）提出",
    "异议成立",
    "异议不成立",
    "不计入考核的事件（诉求不合理）",
]


def export_rows(
    rows: list[ha.UnitAssessment], objections: dict[int, ho.ObjectionRow]
) -> list[list[Any]]:
    """The sheet's rows after the header: one per unit, rates as fractions (0–1)."""

    def rate(v: float | None) -> float | None:
        return None if v is None else round(v, 4)

    out = []
    for r in rows:
        o = objections.get(r.unit_id, ho.ObjectionRow(r.unit_id))
        out.append(
            [
                r.rank,
                r.name,
                r.score,
                r.acknowledged,
                r.acknowledged_on_time,
                rate(r.rates["response"]),
                r.replied,
                r.replied_on_time,
                rate(r.rates["on_time"]),
                r.rated,
                r.satisfied,
                rate(r.rates["satisfaction"]),
                r.given,
                r.objections_rejected,
                rate(r.rates["objections_rejected"]),
                r.reopened,
                rate(r.rates["reopened"]),
                o.raised,
                o.upheld,
                o.rejected,
                r.excluded,
            ]
        )
    return out


@router.get("/assessment/export.xlsx")
def assessment_export(request: Request) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*ASSESSMENT_ROLES):
            return forbidden(request, w, "考核")
        context = _context(w, request)
        workbook = Workbook(write_only=True)
        ws = workbook.create_sheet(f"{context['month']}考核")
        ws.append(xlsx_row(ws, HEADER))
        for row in export_rows(context["rows"], context["objections"]):
            ws.append(xlsx_row(ws, row))
        about = workbook.create_sheet("说明")
        for c in context["components"]:
            about.append(xlsx_row(about, [c.label, f"权重 {c.weight:g}", c.formula]))
        about.append(["说明", "经督办认定诉求不合理的工单不计入考核；演示数据均为合成数据"])
    buffer = BytesIO()
    workbook.save(buffer)
    name = quote(f"12345考核_{context['month']}.xlsx")
    return Response(
        buffer.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": (
                f'attachment; filename="assessment-{context["month"]}.xlsx"; '
                f"filename*=UTF-8''{name}"
            ),
            "Cache-Control": "no-store",
        },
    )
