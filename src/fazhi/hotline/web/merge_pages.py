"""相似工单 and 并单 on the case page (a partial loaded by htmx), and the 重复诉求率 page."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from fazhi.actions.visibility import load_visible_case, read_visible_case
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.merge import check_merge_cases
from fazhi.hotline.read.repeats import (
    MERGE_ROLES,
    RATE_ROLES,
    THRESHOLDS,
    local_bounds,
    present_similar,
    repeat_rates,
    similar_to_case,
)
from fazhi.hotline.routing.repeats import REPEAT_CALLER_DAYS
from fazhi.hotline.web.panels import refused
from fazhi.http.deps import Work
from fazhi.http.params import CaseId
from fazhi.read.presenters import case_number
from fazhi.store.models import Case
from fazhi.web.case_pages import case_ref
from fazhi.web.console import page_work, redirect, render
from fazhi.web.forms import error_status

router = APIRouter(include_in_schema=False)


def _similar_context(
    w: Work,
    case: Case,
    error: str = "",
    chosen: list[str] | None = None,
    reason: str = "",
    field: str = "",
) -> dict[str, Any]:
    items = [present_similar(w, s) for s in similar_to_case(w.session, w.platform, w.actor, case)]
    for item in items:
        item["merged_into"] = case_ref(w, item.get("merged_into"))
    open_lead = not case.terminal and not (case.fields or {}).get("merged_into")
    return {
        "lead_id": case.id,
        "lead_number": case_number(w.platform.types.get(case.type), case),
        "similar": items,
        "mergeable": any(i["mergeable"] for i in items),
        "can_merge": w.actor.has_role(*MERGE_ROLES) and open_lead and case.type == "hotline",
        "merged_into": case_ref(w, (case.fields or {}).get("merged_into")),
        "thresholds": THRESHOLDS,
        "merge_error": error,
        "merge_field": field,
        "chosen": chosen or [],
        "reason": reason,
    }


def merge_received_notes(w: Work, payload: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The lead order's 接收并单 entry: which orders were merged into it (by number, linked)
    and why."""
    ids = [i for i in payload.get("duplicates") or () if isinstance(i, int)]
    notes: list[tuple[str, Any]] = []
    if ids:
        notes.append(("并入的工单", Markup("、").join(case_ref(w, i) for i in ids)))
    if payload.get("reason"):
        notes.append(("并单理由", str(payload["reason"])))
    return notes


def _show(request: Request, w: Work, case: Case, status_code: int = 200, **extra: Any) -> Response:
    context = _similar_context(w, case, **extra)
    template = "_similar.html" if request.headers.get("hx-request") else "similar.html"
    return render(request, template, context, w, status_code=status_code)


@router.get("/cases/{case_id}/similar")
def similar_page(request: Request, case_id: CaseId) -> Response:
    with page_work(request) as w:
        try:
            case = read_visible_case(w.session, w.ctx, case_id, "similar")
        except DomainError:
            return refused("案件不存在或无权查看", 404)
        if not w.actor.has_role(*MERGE_ROLES):
            return refused("当前角色无权查看相似工单", 403)
        return _show(request, w, case)


@router.post("/cases/{case_id}/merge")
async def merge_page(request: Request, case_id: CaseId) -> Response:
    form = await request.form()
    chosen = [str(v) for v in form.getlist("duplicates") if isinstance(v, str)]
    reason = str(form.get("reason") or "")
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            try:
                case = load_visible_case(w.session, w.actor, case_id)
            except DomainError:
                return refused("案件不存在或无权查看", 404)
            if not w.actor.has_role(*MERGE_ROLES):
                return refused("当前角色无权并单", 403)
            try:
                ids = [int(v) for v in chosen]
            except ValueError:
                ids = []
            try:
                with w.session.begin_nested():
                    check_merge_cases(w.session, w.ctx, case_id, ids, reason)
            except DomainError as exc:
                case = load_visible_case(w.session, w.actor, case_id)
                return _show(
                    request,
                    w,
                    case,
                    error_status(exc),
                    error=exc.message,
                    chosen=chosen,
                    reason=reason,
                    field=exc.field or "",
                )
        return redirect(request, f"/cases/{case_id}?done=merge")

    return await run_in_threadpool(locked)


@router.get("/repeats")
def repeats_page(request: Request) -> Response:
    params = request.query_params
    with page_work(request) as w:
        if not w.actor.has_role(*RATE_ROLES):
            return render(request, "stats_denied.html", {"what": "重复诉求率"}, w, status_code=403)
        today = w.ctx.now.astimezone(LOCAL_TZ).date()
        error = ""
        rates = None
        try:
            start = date.fromisoformat(params["from"]) if params.get("from") else None
            end = date.fromisoformat(params["to"]) if params.get("to") else None
            since, until = local_bounds(start, end, today)
            rates = repeat_rates(w.session, w.actor, since, until, w.platform)
            shown = (since.date(), (until - timedelta(days=1)).date())
        except ValueError:
            error, shown = "日期格式应为 YYYY-MM-DD", (today, today)
        except DomainError as exc:
            error, shown = exc.message, (today, today)
        return render(
            request,
            "repeats.html",
            {
                "rates": rates,
                "start": shown[0].isoformat(),
                "end": shown[1].isoformat(),
                "window": REPEAT_CALLER_DAYS,
                "error": error,
            },
            w,
            status_code=200 if not error else 422,
        )
