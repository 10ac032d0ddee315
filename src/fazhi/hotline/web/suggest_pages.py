"""派单建议 in the console: the intake page's suggestion box (`GET /intake/suggest`, loaded by
htmx as the operator types the content) and the dispatch form's hint line (the template
global `dispatch_suggestion`). Both ask `fazhi.hotline.routing.suggestion`, as the API does."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from jinja2 import pass_context

from fazhi.hotline.routing.suggest import current_suggester
from fazhi.hotline.routing.suggestion import suggest_request
from fazhi.hotline.web.intake_pages import INTAKE_ROLES, MAX_QUERY, parse_point
from fazhi.web.console import page_work, render, templates

router = APIRouter(include_in_schema=False)
log = logging.getLogger("fazhi.web.suggest")

MAX_CONTENT = 4000
MIN_CONTENT = 4  # fewer characters say too little to suggest anything


@router.get("/intake/suggest")
def intake_suggest(
    request: Request,
    content: str = "",
    address: str = "",
    longitude: str = "",
    latitude: str = "",
) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*INTAKE_ROLES):
            return Response(status_code=204)
        platform = w.platform
    text = content.strip()[:MAX_CONTENT]
    context: dict[str, Any] = {"suggestion": None}
    if len(text) >= MIN_CONTENT:
        context["suggestion"] = suggest_request(
            platform,
            text,
            address=address[:MAX_QUERY] or None,
            point=parse_point(longitude, latitude),
            k=3,
        )
    return render(request, "_intake_suggest.html", context)


@pass_context
def dispatch_suggestion(context: Any, case: dict[str, Any]) -> dict[str, Any] | None:
    """For _dispatch_form.html: the model's top category for the case's content, with its
    lead unit and words; None when there is no content or the model cannot answer."""
    fields = case.get("fields") or {}
    text = str(fields.get("content") or "").strip()
    if not text:
        return None
    request = context.get("request")
    if request is None:
        return None
    try:
        platform = request.app.state.platform
        suggester = current_suggester()
        result = suggest_request(
            platform,
            text,
            address=str(fields.get("address") or "") or None,
            k=1,
            suggester=suggester,
            why=3,
        )
    except Exception:  # a hint must never break the case page
        log.exception("dispatch suggestion failed")
        return None
    top: dict[str, Any] | None = result["candidates"][0] if result["candidates"] else None
    if top is None:
        return None
    top["current"] = top["category"] == (case.get("category") or fields.get("category"))
    return top


templates.env.globals["dispatch_suggestion"] = dispatch_suggestion
