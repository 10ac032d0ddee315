"""答复模板与常用语: units maintain their own templates, the hotline centre the shared ones
(`/reply-templates`); the case page offers the reader's templates, filled from the order,
to insert into a reply, return reason or handling note (a panel loaded by htmx)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from fazhi.catalog.categories import load_categories
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.reply_templates import (
    KINDS,
    PLACEHOLDERS,
    SHARED_ROLES,
    UNIT_ROLES,
    check_template,
    do_count_use,
    do_retire_template,
    do_save_template,
    load_template,
)
from fazhi.hotline.read.reply_templates import filled_for_case, managed_by
from fazhi.hotline.web.panels import panel_case
from fazhi.http.deps import Work
from fazhi.http.params import CaseId, PathId
from fazhi.store.models import Case
from fazhi.web.console import forbidden, page_work, redirect, render
from fazhi.web.forms import error_status, field_errors

router = APIRouter(include_in_schema=False)

MANAGE_ROLES = frozenset({*UNIT_ROLES, *SHARED_ROLES})
# Who inserts templates on the case page: those who write replies, reasons and notes.
USE_ROLES = frozenset({*UNIT_ROLES, "operator", "dispatcher"})
FIELDS = ("kind", "category", "title", "body", "shared")


def _refusal(request: Request, w: Work, exc: DomainError) -> Response:
    context = _context(w, error=exc.message)
    return render(request, "reply_templates.html", context, w, error_status(exc))


def _context(
    w: Work,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    error: str = "",
    editing: int | None = None,
) -> dict[str, Any]:
    centre = w.actor.has_role(*SHARED_ROLES)
    return {
        "own": managed_by(w.session, w.actor, shared=False),
        "shared": managed_by(w.session, w.actor, shared=True) if centre else [],
        "centre": centre,
        "unit_name": w.actor.unit.name,
        "kinds": KINDS,
        "placeholders": PLACEHOLDERS,
        "categories": load_categories(),
        "values": values
        or {"kind": "reply", "shared": centre and not w.actor.has_role(*UNIT_ROLES)},
        "errors": errors or {},
        "error": error,
        "editing": editing,
    }


@router.get("/reply-templates")
def templates_page(request: Request, edit: int | None = None) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*MANAGE_ROLES):
            return forbidden(request, w, "答复模板")
        values = None
        if edit is not None:
            try:
                template = load_template(w.session, w.ctx, edit)
            except DomainError as exc:
                return _refusal(request, w, exc)
            values = {
                "kind": template.kind,
                "category": template.category,
                "title": template.title,
                "body": template.body,
                "shared": template.owner_unit_id is None,
            }
        return render(request, "reply_templates.html", _context(w, values, editing=edit), w)


def _save(request: Request, form: dict[str, Any], template_id: int | None) -> Response:
    platform = request.app.state.platform
    with platform.writing(), page_work(request) as w:
        if not w.actor.has_role(*MANAGE_ROLES):
            return forbidden(request, w, "答复模板")
        try:
            with w.session.begin_nested():
                data = check_template(w.ctx, form)
                if template_id is not None:
                    load_template(w.session, w.ctx, template_id)
                do_save_template(w.session, w.ctx, data, template_id)
        except DomainError as exc:
            by_field, general = field_errors(exc, FIELDS)
            context = _context(w, form, by_field, general, template_id)
            return render(request, "reply_templates.html", context, w, error_status(exc))
    return redirect(request, "/reply-templates?done=saved")


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {k: str(form.get(k) or "") for k in FIELDS}
    values["shared"] = form.get("shared") == "1"
    return values


@router.post("/reply-templates")
async def create_template(request: Request) -> Response:
    values = await _form(request)
    return await run_in_threadpool(_save, request, values, None)


@router.post("/reply-templates/{template_id}")
async def update_template(request: Request, template_id: PathId) -> Response:
    values = await _form(request)
    return await run_in_threadpool(_save, request, values, template_id)


@router.post("/reply-templates/{template_id}/retire")
async def retire_template(request: Request, template_id: PathId) -> Response:
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            try:
                do_retire_template(w.session, w.ctx, load_template(w.session, w.ctx, template_id))
            except DomainError as exc:
                return _refusal(request, w, exc)
        return redirect(request, "/reply-templates?done=retired")

    return await run_in_threadpool(locked)


@router.post("/reply-templates/{template_id}/used")
async def template_used(request: Request, template_id: PathId) -> Response:
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            if not w.actor.has_role(*USE_ROLES):
                return HTMLResponse("", 403)
            do_count_use(w.session, template_id, w.actor.region_code)
        return HTMLResponse("", 204)

    return await run_in_threadpool(locked)


@router.get("/cases/{case_id}/reply-templates")
def case_templates_panel(request: Request, case_id: CaseId) -> Response:
    with page_work(request) as w:
        case = panel_case(w, case_id, "reply_templates", USE_ROLES, "当前角色无权使用答复模板")
        if not isinstance(case, Case):
            return case
        templates = filled_for_case(w.session, w.platform, w.actor, case, w.ctx.now)
        return render(
            request,
            "_reply_templates.html",
            {"templates": templates, "may_manage": w.actor.has_role(*MANAGE_ROLES)},
        )
