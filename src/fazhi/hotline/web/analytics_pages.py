"""The 难点 view of the analytics pages: the hotline's open orders that need attention,
in the engine's analytics frame (`fazhi.web.analytics_pages.analytics_page`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.actions.context import Work
from fazhi.analytics.figures import Filters
from fazhi.hotline.read.hard_cases import HOTLINE, hard_cases_body
from fazhi.web.analytics_pages import analytics_page

router = APIRouter(include_in_schema=False)


@router.get("/analytics/hard-cases")
def hard_cases_page(request: Request) -> Response:
    def build(w: Work, f: Filters) -> dict[str, Any]:
        return {
            "data": hard_cases_body(w, f, request.query_params),
            "states": {st.name: st.label for st in f.case_type.states},
            "reason": request.query_params.get("reason", ""),
            "types": [f.case_type],
            "with_period": False,
            "view_template": "_analytics_hard_cases.html",
            "filters_template": "_analytics_hard_cases_filters.html",
        }

    return analytics_page(request, "hard-cases", build, preferred_type=HOTLINE)
