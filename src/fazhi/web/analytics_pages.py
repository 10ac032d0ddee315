"""指标 / 热点 / 趋势 / 单位绩效 console pages: the same figures as
/api/v1/analytics/*, read from the rollups for one case type (`type`), each page explaining
its formulas and the test it uses; metric names and labels are the type file's."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.analytics import figures as ar
from fazhi.analytics import rollups as ru
from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work, default_case_type
from fazhi.web.console import ANALYTICS_VIEWS, console_of, forbidden, page_work, render
from fazhi.web.forms import unit_groups
from fazhi.web.svg_charts import day_chart, percent

router = APIRouter(include_in_schema=False)


def analytics_page(
    request: Request, view: str, build: Any, preferred_type: str | None = None
) -> Response:
    """One analytics view in the common frame (type, period, unit; the views' tabs).

    `build(w, filters)` gives the view's context; it may set `view_template` (a template
    included for the view), `filters_template`, `with_period` or `types`. Type packages
    use it for their own views (ConsoleExtension.analytics_views)."""
    with page_work(request) as w:
        days = 30 if view in ("units", "metrics") else 7
        try:
            chosen = preferred_type or default_case_type(request)
            f = ar.filters(w, request.query_params, days, chosen)
        except DomainError as exc:
            if exc.status != 403:
                return render(request, "not_found.html", {}, w, status_code=404)
            return forbidden(request, w, "统计分析")
        context = {
            "view": view,
            "views": dict(console_of(request).analytics_views or ANALYTICS_VIEWS.items()),
            "with_period": True,
            "f": f,
            "types": ar.statistics_types(w.platform),
            "unit_code": f.unit.code if f.unit else "",
            "unit_options": _unit_options(w, f),
            "percent": percent,
            "category_names": ar.category_names(f.case_type),
            **build(w, f),
        }
        return render(request, "analytics.html", context, w)


def _unit_options(w: Work, f: ar.Filters) -> list[tuple[str, list[Any]]]:
    """The unit picker's groups: every unit that can lead work, or only the user's own
    subtree when it is held to it (a unit leader)."""
    groups = unit_groups(w.ctx.directory)
    if not f.locked:
        return groups
    own = w.actor.unit
    held = [(label, [u for u in members if own.contains(u)]) for label, members in groups]
    return [(label, members) for label, members in held if members]


def _weeks(request: Request) -> int:
    try:
        return min(max(int(request.query_params.get("weeks", ru.BASELINE_WEEKS)), 2), 52)
    except ValueError:
        return ru.BASELINE_WEEKS


@router.get("/analytics/metrics")
def metrics_page(request: Request) -> Response:
    return analytics_page(request, "metrics", lambda w, f: {"data": ar.metrics_body(w, f)})


@router.get("/analytics/hotspots")
def hotspots_page(request: Request) -> Response:
    weeks = _weeks(request)
    return analytics_page(
        request, "hotspots", lambda w, f: {"data": ar.hotspots_body(w, f, weeks), "weeks": weeks}
    )


def _trend_build(weeks: int) -> Any:
    def build(w: Work, f: ar.Filters) -> dict[str, Any]:
        data = ar.trends_body(w, f, weeks)
        starts = ru.week_starts(f.period.end, weeks + 1)
        total = [sum(s["weeks"][i] for s in data["categories"]) for i in range(len(starts))]
        mean = sum(total[:-1]) / max(len(total) - 1, 1)
        chart = day_chart(
            [(d, n, round(mean)) for d, n in zip(starts, total, strict=True)],
            width=720,
            height=220,
        )
        return {"data": data, "chart": chart, "weeks": weeks}

    return build


@router.get("/analytics/trends")
def trends_page(request: Request) -> Response:
    return analytics_page(request, "trends", _trend_build(_weeks(request)))


@router.get("/analytics/units")
def units_page(request: Request) -> Response:
    return analytics_page(request, "units", lambda w, f: {"data": ar.units_body(w, f)})
