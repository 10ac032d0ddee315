"""派单目录: the published dispatch catalogue (`/catalogue`, every hotline role reads it), kept
by the hotline centre on the same page; the case page's panel that sets an order's category
against the catalogue (dispatch, and the ruling on a return); the items the dispatch form
offers (the template global `dispatch_catalogue`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from jinja2 import pass_context
from starlette.concurrency import run_in_threadpool

from fazhi.catalog.categories import load_categories
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.catalogue import (
    EDIT_ROLES,
    LEAD_KINDS,
    LEVELS,
    check_item,
    do_retire_item,
    do_save_item,
    load_item,
)
from fazhi.hotline.read.catalogue import CatalogueRow, catalogue_rows
from fazhi.hotline.web.panels import panel_case
from fazhi.http.deps import Work, platform_of
from fazhi.http.params import CaseId, PathId
from fazhi.store.models import Case
from fazhi.web.console import forbidden, page_work, redirect, render, templates
from fazhi.web.forms import error_status, field_errors, unit_groups

router = APIRouter(include_in_schema=False)

VIEW_ROLES = frozenset(
    {
        "operator",
        "dispatcher",
        "unit_handler",
        "unit_leader",
        "supervisor",
        "district_leader",
        "admin",
    }
)
# Who sees the catalogue beside an order: those who dispatch and rule on returns.
PANEL_ROLES = frozenset({"dispatcher", "supervisor"})
FIELDS = ("code", "name", "category", "level", "unit", "basis", "covers")


def _context(
    w: Work,
    category: str = "",
    words: str = "",
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    error: str = "",
    editing: int | None = None,
) -> dict[str, Any]:
    editor = w.actor.has_role(*EDIT_ROLES)
    rows = catalogue_rows(
        w.session, w.actor.region_code, w.ctx.directory, category, words, retired=editor
    )
    return {
        "rows": rows,
        "editor": editor,
        "categories": load_categories(),
        "levels": LEVELS,
        "category": category,
        "words": words,
        "values": values or {"level": "department"},
        "errors": errors or {},
        "error": error,
        "editing": editing,
        # Department items are led by a department, centre or company (the street's own
        # 执法中队 is a department too).
        "units": [
            (label, members)
            for label, members in unit_groups(w.ctx.directory)
            if all(u.kind in LEAD_KINDS for u in members)
        ],
        "counts": {
            level: sum(1 for r in rows if r.level == level and r.active) for level in LEVELS
        },
    }


@router.get("/catalogue")
def catalogue_page(
    request: Request, category: str = "", q: str = "", edit: int | None = None
) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*VIEW_ROLES):
            return forbidden(request, w, "派单目录")
        values = None
        if edit is not None and w.actor.has_role(*EDIT_ROLES):
            try:
                item = load_item(w.session, w.ctx, edit)
            except DomainError as exc:
                return render(request, "catalogue.html", _context(w, error=exc.message), w, 404)
            unit = w.ctx.directory.by_id.get(item.unit_id) if item.unit_id else None
            values = {
                "code": item.code,
                "name": item.name,
                "category": item.category,
                "level": item.level,
                "unit": unit.code if unit else "",
                "basis": item.basis,
                "covers": item.covers,
            }
        else:
            edit = None
        context = _context(w, category, q.strip()[:100], values, editing=edit)
        return render(request, "catalogue.html", context, w)


def _save(request: Request, form: dict[str, Any], item_id: int | None) -> Response:
    platform = request.app.state.platform
    with platform.writing(), page_work(request) as w:
        if not w.actor.has_role(*VIEW_ROLES):
            return forbidden(request, w, "派单目录")
        try:
            with w.session.begin_nested():
                if item_id is not None:
                    load_item(w.session, w.ctx, item_id)
                data = check_item(w.session, w.ctx, form, item_id)
                do_save_item(w.session, w.ctx, data, item_id)
        except DomainError as exc:
            by_field, general = field_errors(exc, FIELDS)
            context = _context(w, values=form, errors=by_field, error=general, editing=item_id)
            return render(request, "catalogue.html", context, w, error_status(exc))
    return redirect(request, "/catalogue?done=saved")


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {k: str(form.get(k) or "") for k in FIELDS}


@router.post("/catalogue")
async def create_item(request: Request) -> Response:
    return await run_in_threadpool(_save, request, await _form(request), None)


@router.post("/catalogue/{item_id}")
async def update_item(request: Request, item_id: PathId) -> Response:
    return await run_in_threadpool(_save, request, await _form(request), item_id)


@router.post("/catalogue/{item_id}/retire")
async def retire_item(request: Request, item_id: PathId) -> Response:
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            try:
                if not w.actor.has_role(*EDIT_ROLES):
                    raise DomainError("forbidden_role", "只有热线中心可以维护派单目录", 403)
                do_retire_item(w.session, w.ctx, load_item(w.session, w.ctx, item_id))
            except DomainError as exc:
                context = _context(w, error=exc.message)
                return render(request, "catalogue.html", context, w, error_status(exc))
        return redirect(request, "/catalogue?done=retired")

    return await run_in_threadpool(locked)


@router.get("/cases/{case_id}/catalogue")
def case_catalogue_panel(request: Request, case_id: CaseId) -> Response:
    """The catalogue's items for the order's category, the one recorded marked; on a
    returned order, the unit's reason beside them (the objection being ruled on)."""
    with page_work(request) as w:
        case = panel_case(w, case_id, "catalogue", PANEL_ROLES, "当前角色无权查看派单目录")
        if not isinstance(case, Case):
            return case
        rows = catalogue_rows(w.session, case.region_code, w.ctx.directory, case.category or "")
        fields = case.fields or {}
        return render(
            request,
            "_case_catalogue.html",
            {
                "rows": rows,
                "recorded": fields.get("catalogue_item") or "",
                "returned": case.state == "returned",
                "category_label": next(
                    (c.name for c in load_categories() if c.code == case.category), ""
                ),
            },
        )


@pass_context
def dispatch_catalogue(context: Any, case: dict[str, Any]) -> list[tuple[str, list[CatalogueRow]]]:
    """For _dispatch_form.html: the published items by category, the order's own first."""
    request: Request = context["request"]
    platform = platform_of(request)
    with platform.sessions() as session:
        rows = catalogue_rows(
            session, case.get("region_code") or platform.region_code, platform.directory()
        )
    own = case.get("category") or ""
    groups: dict[str, list[CatalogueRow]] = {}
    for row in rows:
        groups.setdefault(row.category_label, []).append(row)
    return sorted(groups.items(), key=lambda g: g[1][0].category != own)


templates.env.globals["dispatch_catalogue"] = dispatch_catalogue
