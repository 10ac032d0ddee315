"""难点: GET /api/v1/analytics/hard-cases, the hotline's open orders that need attention."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.analytics import figures as fg
from fazhi.hotline.read.hard_cases import HOTLINE, hard_cases_body
from fazhi.http.deps import json_response, work

router = APIRouter(prefix="/api/v1/analytics", tags=["统计分析"])


@router.get("/hard-cases")
def hard_cases_route(request: Request) -> Response:
    with work(request) as w:
        f = fg.filters(w, request.query_params, preferred_type=HOTLINE)
        return json_response(hard_cases_body(w, f, request.query_params))
