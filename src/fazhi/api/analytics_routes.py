"""指标、热点、难点、趋势、单位绩效: /api/v1/analytics/* over the rollups, one case type per
request (`type`, default the deployment's main type); the figures are built by
`fazhi.analytics.figures`, which the console's pages share."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.analytics import figures as fg
from fazhi.analytics import rollups as ru
from fazhi.http.deps import default_case_type, json_response, work

router = APIRouter(prefix="/api/v1/analytics", tags=["统计分析"])


@router.get("/metrics")
def metrics_route(request: Request) -> Response:
    with work(request) as w:
        f = fg.filters(w, request.query_params, 30, default_case_type(request))
        return json_response(fg.metrics_body(w, f))


@router.get("/hotspots")
def hotspots_route(request: Request) -> Response:
    with work(request) as w:
        f = fg.filters(w, request.query_params, preferred_type=default_case_type(request))
        weeks = fg.int_param(request.query_params, "weeks", ru.BASELINE_WEEKS, 1, 52)
        return json_response(fg.hotspots_body(w, f, weeks))


@router.get("/trends")
def trends_route(request: Request) -> Response:
    with work(request) as w:
        f = fg.filters(w, request.query_params, preferred_type=default_case_type(request))
        weeks = fg.int_param(request.query_params, "weeks", ru.BASELINE_WEEKS, 2, 52)
        return json_response(fg.trends_body(w, f, weeks))


@router.get("/units")
def units_route(request: Request) -> Response:
    with work(request) as w:
        f = fg.filters(w, request.query_params, 30, default_case_type(request))
        return json_response(fg.units_body(w, f))
