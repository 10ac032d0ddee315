"""待审批: the dispatchers' queue of extension requests and returned orders, and the
extension decision with what was asked beside it.

The approval form opens with the days the unit asked; approving more days than asked needs
a confirmation (a warning in Chinese; the page's script shows it as the days are typed).
The rule itself is the action's guard in hotline.yaml (`confirm_more`), so the API refuses an
unconfirmed excess too; this page only turns the refusal into the warning beside the days.
Decisions go through the one door (`perform_action`: approve_extension / reject_extension)
like everywhere else; the case page's panel (/cases/{id}/extension-request) shows the same
form to dispatchers.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from fazhi.actions.cases import perform_action
from fazhi.actions.visibility import load_visible_case
from fazhi.domain.errors import DomainError
from fazhi.domain.records import ClockRecord
from fazhi.hotline.read.approvals import (
    APPROVER_ROLES,
    PENDING_FIELD,
    REQUEST_ACTION,
    RETURN_ACTION,
    Asked,
    last_asked,
    pending_extensions,
    pending_returns,
)
from fazhi.http.deps import Work
from fazhi.http.params import CaseId
from fazhi.read.deadlines import deadline_clocks
from fazhi.read.presenters import case_number
from fazhi.store.models import Case
from fazhi.web.console import countdown, forbidden, page_work, redirect, render
from fazhi.web.forms import error_status, split_errors

router = APIRouter(include_in_schema=False)

APPROVE = "approve_extension"
REJECT = "reject_extension"
LIST_LIMIT = 200


def excess_warning(asked: int, days: int) -> str:
    return (
        f"批准的延期天数（{days}个工作日）多于申请的{asked}个工作日，"
        "请核实后勾选“确认批准多于申请的天数”再提交。"
    )


def _row(
    w: Work, case: Case, asked: Asked | None, clock: ClockRecord | None = None
) -> dict[str, Any]:
    directory = w.ctx.directory
    lead = directory.by_id.get(case.lead_unit_id) if case.lead_unit_id else None
    calendar = w.platform.calendar()
    return {
        "id": case.id,
        "number": case_number(w.platform.types.get(case.type), case),
        "title": case.title,
        "lead": lead.name if lead else "—",
        "asked": asked,
        "days": (case.fields or {}).get(PENDING_FIELD),
        "due_at": case.due_at,
        # The running clock behind the deadline (read/deadlines), in its own unit.
        "countdown": countdown(clock, w.ctx.now, calendar),
    }


def _request_of(w: Work, case: Case) -> dict[str, Any] | None:
    """The pending request of an order (None when none waits)."""
    days = (case.fields or {}).get(PENDING_FIELD)
    if days is None or case.state != "handling":
        return None
    asked = last_asked(w.session, [case.id], REQUEST_ACTION).get(case.id)
    return _row(w, case, asked, deadline_clocks(w.session, [case]).get(case.id))


def supervision_extensions(w: Work, limit: int = 100) -> dict[str, Any]:
    """督办's block of pending extension requests (what the page's viewer may see), with the
    days and reason asked; dispatchers get a link to decide."""
    cases = pending_extensions(w.session, w.actor, limit)
    asked = last_asked(w.session, [c.id for c in cases], REQUEST_ACTION)
    clocks = deadline_clocks(w.session, cases)
    return {
        "pending_extensions": [_row(w, c, asked.get(c.id), clocks.get(c.id)) for c in cases],
        "may_decide_extensions": w.actor.has_role(*APPROVER_ROLES),
    }


@router.get("/approvals")
def approvals_page(request: Request) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*APPROVER_ROLES):
            return forbidden(request, w, "待审批")
        extensions = pending_extensions(w.session, w.actor, LIST_LIMIT)
        returns = pending_returns(w.session, w.actor, LIST_LIMIT)
        asked = last_asked(w.session, [c.id for c in extensions], REQUEST_ACTION)
        returned = last_asked(w.session, [c.id for c in returns], RETURN_ACTION)
        clocks = deadline_clocks(w.session, [*extensions, *returns])
        return render(
            request,
            "approvals.html",
            {
                "extensions": [_row(w, c, asked.get(c.id), clocks.get(c.id)) for c in extensions],
                "returns": [_row(w, c, returned.get(c.id), clocks.get(c.id)) for c in returns],
                "limit": LIST_LIMIT,
            },
            w,
        )


def _decision(
    request: Request,
    w: Work,
    case: Case,
    template: str = "extension_decision.html",
    status_code: int = 200,
    **form: Any,
) -> Response:
    item = _request_of(w, case)
    context = {
        "item": item,
        "case_id": case.id,
        "version": case.version,
        "days": form.get("days", item["days"] if item else ""),
        "note": form.get("note", ""),
        "reason": form.get("reason", ""),
        "errors": form.get("errors", {}),
        "warning": form.get("warning", ""),
        "form_error": form.get("form_error", ""),
        "open": form.get("open", ""),
    }
    return render(request, template, context, w, status_code=status_code)


@router.get("/approvals/{case_id}/extension")
def decision_page(request: Request, case_id: CaseId) -> Response:
    with page_work(request) as w:
        # A case the user may not see is not found, whatever the role (as on every case page).
        try:
            case = load_visible_case(w.session, w.actor, case_id)
        except DomainError:
            return render(request, "not_found.html", {}, w, status_code=404)
        if not w.actor.has_role(*APPROVER_ROLES):
            return forbidden(request, w, "延期审批")
        return _decision(request, w, case)


@router.get("/cases/{case_id}/extension-request")
def decision_panel(request: Request, case_id: CaseId) -> Response:
    """The case page's panel: the pending request and its decision (empty when none)."""
    with page_work(request) as w:
        try:
            case = load_visible_case(w.session, w.actor, case_id)
        except DomainError:
            return render(request, "not_found.html", {}, w, status_code=404)
        if not w.actor.has_role(*APPROVER_ROLES) or _request_of(w, case) is None:
            return HTMLResponse("")  # nothing to decide: the panel stays empty (hidden)
        return _decision(request, w, case, template="_extension_decision.html")


def _int(text: Any) -> int | None:
    try:
        return int(str(text).strip())
    except ValueError:
        return None


@router.post("/approvals/{case_id}/extension/{decision}")
async def decide(request: Request, case_id: CaseId, decision: str) -> Response:
    form = await request.form()
    platform = request.app.state.platform
    action = {"approve": APPROVE, "reject": REJECT}.get(decision)

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            try:
                case = load_visible_case(w.session, w.actor, case_id)
            except DomainError:
                return render(request, "not_found.html", {}, w, status_code=404)
            if not w.actor.has_role(*APPROVER_ROLES):
                return forbidden(request, w, "延期审批")
            if action is None:
                return render(request, "not_found.html", {}, w, status_code=404)
            typed = {k: str(form.get(k, "")) for k in ("days", "note", "reason")}
            asked = (case.fields or {}).get(PENDING_FIELD)
            days = _int(typed["days"])
            if (
                action == APPROVE
                and isinstance(asked, int)
                and days is not None
                and days > asked
                and form.get("confirm_more") != "1"
            ):
                return _decision(
                    request,
                    w,
                    case,
                    status_code=422,
                    open=action,
                    warning=excess_warning(asked, days),
                    **typed,
                )
            if action == APPROVE:
                inputs: dict[str, Any] = {"days": days if days is not None else typed["days"]}
                if typed["note"].strip():
                    inputs["note"] = typed["note"]
                if form.get("confirm_more") == "1":
                    inputs["confirm_more"] = True
            else:
                inputs = {"reason": typed["reason"]} if typed["reason"].strip() else {}
            version = _int(form.get("version", ""))
            try:
                with w.session.begin_nested():
                    perform_action(w.session, w.ctx, case_id, action, inputs, version)
            except DomainError as exc:
                spec = w.platform.types.get(case.type)
                action_spec = spec.action(action) if spec else None
                errors, general = split_errors(exc, action_spec.inputs if action_spec else ())
                case = load_visible_case(w.session, w.actor, case_id)
                return _decision(
                    request,
                    w,
                    case,
                    status_code=error_status(exc),
                    open=action,
                    errors=errors,
                    form_error=general,
                    **typed,
                )
        return redirect(request, f"/cases/{case_id}?done={action}")

    return await run_in_threadpool(locked)
