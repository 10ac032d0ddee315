"""The case page: fields (masked unless permitted), documents, the timeline of events, and
a form for each action this user may take now — all through the same actions as the API."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from fazhi.actions.cases import (
    case_type_or_error,
    do_record_access_event,
    load_visible_case,
    perform_action,
    snapshot,
)
from fazhi.actions.visibility import record_read
from fazhi.domain.case_type import ActionSpec, CaseType
from fazhi.domain.errors import DomainError
from fazhi.domain.workflow import CaseSnapshot, available_actions, refusals, unmark_choices
from fazhi.http.case_links import hidden_links, present_links
from fazhi.http.deps import Work
from fazhi.http.params import CaseId
from fazhi.http.reveal import reveal_fields, revealable_fields
from fazhi.read.cases import full_case
from fazhi.read.presenters import case_number, mark_labels, present_event, sees_whole
from fazhi.read.watermark import watermark_line
from fazhi.store.models import Case, Clock, Event
from fazhi.web.console import (
    CasePageExtension,
    console_of,
    page_work,
    redirect,
    render,
)
from fazhi.web.document_panel import DOCUMENT_FLASH, document_note, document_panel
from fazhi.web.forms import (
    display_value,
    error_status,
    form_values,
    inputs_from_form,
    split_errors,
    unit_groups,
)
from fazhi.web.list_inputs import record_table

router = APIRouter(include_in_schema=False)


def case_ref(w: Work, value: Any) -> Markup | str:
    """Another case's id as its number linking to it (RX2024…, not the internal id)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "" if value is None else str(value)
    other = w.session.get(Case, value)
    if other is None:
        return str(value)
    number = case_number(w.platform.types.get(other.type), other)
    return Markup('<a href="/cases/{}">{}</a>').format(other.id, number)


def _timeline(w: Work, case: Case, extension: CasePageExtension) -> list[dict[str, Any]]:
    case_type = w.platform.types.get(case.type)
    directory = w.ctx.directory
    items = []
    rows = w.session.scalars(
        select(Event)
        .where(Event.region_code == case.region_code, Event.case_id == case.id)
        .order_by(Event.seq)
    )
    for event in rows:
        shown = present_event(event, case_type, w.actor)
        changes = []
        for name, (before, after) in shown["payload"].get("changes", {}).items():
            spec = case_type.field(name) if case_type else None
            label = (
                spec.label
                if spec
                else {"lead_unit": "主办单位", "assisting_units": "协办单位"}.get(name, name)
            )
            if name in extension.case_ref_fields:
                changes.append((label, case_ref(w, before), case_ref(w, after)))
                continue
            changes.append(
                (
                    label,
                    display_value(spec, before, directory) if spec else _unit_text(before),
                    display_value(spec, after, directory) if spec else _unit_text(after),
                )
            )
        notes = []
        action = case_type.action(event.action) if case_type else None
        for name, value in shown["payload"].get("inputs", {}).items():
            spec = action.input(name) if action else None
            if (
                spec
                and spec.type in ("text",)
                and name not in (case_type.fields_names() if case_type else ())
            ):
                notes.append((spec.label, value))
        describe = extension.event_notes.get(event.action)
        if describe is not None:
            notes.extend(describe(w, shown["payload"]))
        document = document_note(case_type, event.action, shown["payload"])
        if document:
            notes.append(("材料", document))
        items.append(
            {
                "seq": event.seq,
                "label": shown["action_label"],
                "at": event.at,
                "actor": event.actor,
                "from": case_type.state_label(event.from_state)
                if case_type and event.from_state
                else "",
                "to": case_type.state_label(event.to_state) if case_type else event.to_state,
                "changes": changes,
                "notes": notes,
            }
        )
    return items


def _action_label(case_type: CaseType, name: str) -> str:
    spec = case_type.action(name) if name else None
    return spec.label if spec else ""


def _clock_state(clock: dict[str, Any], suspended: bool) -> str:
    """计时中 / 已中止 / 已停止 · 按期 / 已停止 · 超期 (the countdown is shown beside); a period
    (not a deadline) 期间内 / 已届满 / 已结束."""
    if suspended and clock["running"]:
        return "已中止"
    if not clock.get("deadline", True):
        if clock["running"]:
            return "已届满" if clock["status"] == "lapsed" else "期间内"
        return "已结束"
    if clock["running"]:
        return "计时中"
    return "已停止 · 按期" if clock["status"] == "met" else "已停止 · 超期"


def _unit_text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("name", ""))
    if isinstance(value, list):
        return "、".join(_unit_text(v) for v in value)
    return "" if value is None else str(value)


# Refusals that leave the action the user's to take once the case allows it again.
_GUARD_CODES = frozenset({"guard_failed", "document_missing"})


def _with_refused_form(
    case_type: CaseType,
    actions: list[ActionSpec],
    open_action: str,
    snap: CaseSnapshot,
    w: Work,
) -> list[ActionSpec]:
    """The available actions, and the one just refused when only its guards refused it (the
    30-day window has passed): its form stays on the page with the message beside it."""
    if not open_action or any(a.name == open_action for a in actions):
        return actions
    spec = case_type.action(open_action)
    if spec is None or spec.create:
        return actions
    problems = refusals(case_type, spec, snap, w.actor, w.ctx.now)
    if not problems or any(p.code not in _GUARD_CODES for p in problems):
        return actions
    shown = {a.name for a in actions} | {open_action}
    return [a for a in case_type.actions if a.name in shown]


def _narrowed(case_type: CaseType, action: ActionSpec, snap: CaseSnapshot) -> ActionSpec:
    """The action as its form offers it: 解除督办 lists only the marks the case carries."""
    narrowed = unmark_choices(case_type, action, snap)
    if not narrowed:
        return action
    inputs = tuple(
        replace(spec, choices=narrowed[spec.name]) if spec.name in narrowed else spec
        for spec in action.inputs
    )
    return replace(action, inputs=inputs)


def _render_case(
    request: Request,
    w: Work,
    case: Case,
    reveal: bool = False,
    open_action: str = "",
    errors: dict[str, str] | None = None,
    form_error: str = "",
    values: dict[str, Any] | None = None,
    flash: str = "",
    status_code: int = 200,
) -> Response:
    case_type = case_type_or_error(w.platform, case.type)
    if not reveal:  # a reveal is its own event
        record_read(w.session, w.ctx, case, "case_page")
    data = full_case(w, case, reveal=reveal)
    directory = w.ctx.directory
    # A type package may take some actions on pages of its own (the hotline's 并单 checks
    # the lead order on its 相似工单 panel), give others a richer form, and describe fields
    # and events of its own.
    extension = console_of(request).case_page(case.type)
    fields = []
    record_tables = []
    for spec in case_type.fields:
        value = data["fields"].get(spec.name)
        if value in (None, "", []) or spec.name in ("longitude", "latitude"):
            continue
        if spec.type == "list":
            record_tables.append(
                record_table(spec, value, lambda s, v: display_value(s, v, directory))
            )
        elif spec.name in extension.case_ref_fields:
            fields.append((spec.label, case_ref(w, value)))
        elif spec.type != "case_link":  # links are shown with their case (关联案件)
            fields.append((spec.label, display_value(spec, value, directory)))
    links = present_links(w, case)
    snap = snapshot(w.session, case, directory)
    actions = available_actions(case_type, snap, w.actor, w.ctx.now)
    actions = _with_refused_form(case_type, actions, open_action, snap, w)
    actions = [_narrowed(case_type, a, snap) for a in actions if a.name not in extension.own_pages]
    # The clock records in the order full_case presents them (started, id).
    records = list(
        w.session.scalars(
            select(Clock)
            .where(Clock.region_code == case.region_code, Clock.case_id == case.id)
            .order_by(Clock.started_at, Clock.id)
        )
    )
    for clock, record in zip(data["clocks"], records, strict=False):
        clock["countdown"] = clock["remaining"]  # domain.due.remaining_label
        clock["start_label"] = _action_label(case_type, record.start_action)
        clock["state_label"] = _clock_state(clock, record.suspended_at is not None)
    # By due date: a reassignment's clocks after the first dispatch's, each row labelled.
    clocks_shown = sorted(data["clocks"], key=lambda c: (c["due_at"] or "", c["started_at"] or ""))
    can_reveal = not reveal and bool(revealable_fields(w, case_type, case))
    return render(
        request,
        "case.html",
        {
            "case": data,
            "clocks": clocks_shown,
            "case_type": case_type,
            "fields": fields,
            "record_tables": record_tables,
            "links": links,
            "hidden_links": hidden_links(case_type, case.fields, links),
            "actions": actions,
            "timeline": _timeline(w, case, extension),
            "documents": document_panel(w, case, case_type),
            "can_reveal": can_reveal,
            "units": unit_groups(directory),
            "open_action": open_action,
            "errors": errors or {},
            "form_error": form_error,
            "values": values or {},
            "flash": flash,
            "mark_labels": mark_labels(case_type),
            "extension": extension,
            # Printed from the browser, a case of such a type names who printed it and when.
            "watermark": watermark_line(w.actor, w.ctx.now) if case_type.watermarked else None,
            "sees_whole": reveal or sees_whole(case_type, w.actor),
        },
        w,
        status_code=status_code,
    )


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: CaseId, done: str = "") -> Response:
    with page_work(request) as w:
        try:
            case = load_visible_case(w.session, w.actor, case_id)
        except DomainError:
            return render(request, "not_found.html", {}, w, status_code=404)
        flash = ""
        if done:
            case_type = w.platform.types.get(case.type)
            spec = case_type.action(done) if case_type else None
            flash = f"已完成「{spec.label}」" if spec else DOCUMENT_FLASH.get(done, "")
        return _render_case(request, w, case, flash=flash)


@router.post("/cases/{case_id}/do/{action}")
async def do_action(request: Request, case_id: CaseId, action: str) -> Response:
    form = await request.form()
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            try:
                case = load_visible_case(w.session, w.actor, case_id)
            except DomainError:
                return render(request, "not_found.html", {}, w, status_code=404)
            case_type = case_type_or_error(w.platform, case.type)
            spec = case_type.action(action)
            if spec is None:
                return render(request, "not_found.html", {}, w, status_code=404)
            inputs = inputs_from_form(spec.inputs, form)
            version = form.get("version")
            try:
                with w.session.begin_nested():
                    perform_action(
                        w.session,
                        w.ctx,
                        case_id,
                        action,
                        inputs,
                        int(version) if isinstance(version, str) and version.isdigit() else None,
                    )
            except DomainError as exc:
                errors, general = split_errors(exc, spec.inputs)
                case = load_visible_case(w.session, w.actor, case_id)
                return _render_case(
                    request,
                    w,
                    case,
                    open_action=action,
                    errors=errors,
                    form_error=general,
                    values=form_values(spec.inputs, form),
                    status_code=error_status(exc),
                )
        return redirect(request, f"/cases/{case_id}?done={action}")

    return await run_in_threadpool(locked)


@router.post("/cases/{case_id}/reveal")
def reveal_page(request: Request, case_id: CaseId) -> Response:
    platform = request.app.state.platform
    with platform.writing(), page_work(request) as w:
        try:
            case = load_visible_case(w.session, w.actor, case_id)
        except DomainError:
            return render(request, "not_found.html", {}, w, status_code=404)
        case_type = case_type_or_error(w.platform, case.type)
        try:
            shown = reveal_fields(w, case_type, case)
        except DomainError as exc:
            return _render_case(request, w, case, form_error=exc.message, status_code=403)
        if shown is None:  # nothing is masked for this user
            return _render_case(request, w, case)
        do_record_access_event(w.session, w.ctx, case, "reveal_personal_data", {"fields": shown})
        return _render_case(
            request, w, case, reveal=True, flash="已显示完整个人信息（本次查看已记录）"
        )


# Document forms (add, generate, replace, withdraw) post to fazhi.web.document_pages.
