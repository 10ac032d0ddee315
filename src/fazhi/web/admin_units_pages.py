"""系统管理 · 组织机构: the unit tree, new units, names, deactivation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from fazhi.actions.admin import common as admin_common
from fazhi.actions.admin import units as admin_units
from fazhi.catalog.categories import load_categories
from fazhi.http.deps import Work
from fazhi.http.params import PathId
from fazhi.store.models import (
    Unit,
    User,
)
from fazhi.web.admin_support import (
    admin_page,
    admin_work,
    attempt,
    form_text,
)
from fazhi.web.console import redirect, render
from fazhi.web.forms import error_status, field_errors

router = APIRouter(include_in_schema=False)


# ---------------------------------------------------------------------------------------------
# Units


def _units_page(
    request: Request,
    w: Work,
    errors: dict[str, str] | None = None,
    form_error: str = "",
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    params = request.query_params
    show_grids = params.get("grids") == "1"
    q = params.get("q", "").strip()[:100]
    units = admin_units.unit_tree(admin_units.region_units(w.session, w.actor.region_code))
    by_id = {u.id: u for u in units}
    grids_under: dict[int, int] = {}
    for unit in units:
        if unit.kind == "grid" and unit.parent_id is not None:
            grids_under[unit.parent_id] = grids_under.get(unit.parent_id, 0) + 1
    if q:
        needle = q.lower()
        matched = {
            u.id
            for u in units
            if needle in u.name.lower()
            or needle in u.code.lower()
            or needle in (u.short_name or "").lower()
        }
        keep = set(matched)
        for unit_id in matched:  # keep their ancestors, so each match is shown in place
            keep.update(int(p) for p in by_id[unit_id].path.strip("/").split("/") if p)
        shown = [u for u in units if u.id in keep]
    else:
        matched = set()
        shown = [u for u in units if show_grids or u.kind != "grid"]
    users_in = dict(
        w.session.execute(
            select(User.unit_id, func.count())
            .where(User.region_code == w.actor.region_code, User.active.is_(True))
            .group_by(User.unit_id)
        ).all()
    )
    parents = [u for u in units if u.active and u.kind != "grid"]
    return admin_page(
        request,
        w,
        "admin/units.html",
        {
            "units": shown,
            "total": len(units),
            "grid_count": sum(grids_under.values()),
            "grids_under": grids_under,
            "users_in": users_in,
            "show_grids": show_grids,
            "q": q,
            "matched": matched,
            "parents": parents,
            "kinds": [(k, admin_common.KIND_LABELS[k]) for k in admin_units.PARENT_KINDS],
            "parent_kinds": admin_units.PARENT_KINDS,
            "errors": errors or {},
            "form_error": form_error,
            "values": values or {},
            "open_create": errors is not None,
        },
        status_code=status_code,
    )


@router.get("/admin/units")
def units_page(request: Request) -> Response:
    with admin_work(request) as w:
        return _units_page(request, w)


@router.post("/admin/units")
async def add_unit_page(request: Request) -> Response:
    form = await request.form()
    values = {k: form_text(form, k) for k in ("parent", "kind", "code", "name", "short_name")}
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), admin_work(request) as w:
            unit, exc = attempt(
                w,
                lambda: admin_units.check_add_unit(
                    w.session,
                    w.ctx,
                    values["parent"],
                    values["kind"],
                    values["code"],
                    values["name"],
                    values["short_name"],
                ),
            )
            if exc is not None:
                errors, general = field_errors(exc)
                return _units_page(request, w, errors, general, values, error_status(exc))
        return redirect(request, f"/admin/units/{unit.id}?done=unit_created")

    return await run_in_threadpool(locked)


def _unit_page(
    request: Request,
    w: Work,
    unit_id: int,
    errors: dict[str, str] | None = None,
    form_error: str = "",
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    unit = w.session.get(Unit, unit_id)
    if unit is None or unit.region_code != w.actor.region_code:
        return render(request, "admin/not_found.html", {"what": "单位"}, w, status_code=404)
    all_units = {u.id: u for u in admin_units.region_units(w.session, w.actor.region_code)}
    ancestors = [
        all_units[int(p)]
        for p in unit.path.strip("/").split("/")
        if p and int(p) in all_units and int(p) != unit.id
    ]
    children = sorted(
        (u for u in all_units.values() if u.parent_id == unit.id), key=lambda u: u.code
    )
    users = list(
        w.session.scalars(select(User).where(User.unit_id == unit.id).order_by(User.username))
    )
    names = {c.code: c.name for c in load_categories()}
    return admin_page(
        request,
        w,
        "admin/unit.html",
        {
            "unit": unit,
            "ancestors": ancestors,
            "children": children,
            "users": users,
            "categories": [(c, names.get(c, c)) for c in unit.categories or []],
            "blockers": admin_units.deactivation_blockers(w.session, unit) if unit.active else [],
            "parent": all_units.get(unit.parent_id) if unit.parent_id else None,
            "errors": errors or {},
            "form_error": form_error,
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/admin/units/{unit_id}")
def unit_page(request: Request, unit_id: PathId) -> Response:
    with admin_work(request) as w:
        return _unit_page(request, w, unit_id)


@router.post("/admin/units/{unit_id}")
async def rename_unit_page(request: Request, unit_id: PathId) -> Response:
    form = await request.form()
    values = {k: form_text(form, k) for k in ("name", "short_name")}
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), admin_work(request) as w:
            _, exc = attempt(
                w,
                lambda: admin_units.check_rename_unit(
                    w.session, w.ctx, unit_id, values["name"], values["short_name"]
                ),
            )
            if exc is not None:
                errors, general = field_errors(exc)
                return _unit_page(request, w, unit_id, errors, general, values, error_status(exc))
        return redirect(request, f"/admin/units/{unit_id}?done=unit_renamed")

    return await run_in_threadpool(locked)


@router.post("/admin/units/{unit_id}/active")
async def unit_active_page(request: Request, unit_id: PathId) -> Response:
    form = await request.form()
    active = form_text(form, "active") == "1"
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), admin_work(request) as w:
            _, exc = attempt(
                w, lambda: admin_units.check_set_unit_active(w.session, w.ctx, unit_id, active)
            )
            if exc is not None:
                general = "；".join(p.message for p in exc.problems) or exc.message
                return _unit_page(request, w, unit_id, {}, general, {}, error_status(exc))
        done = "unit_reactivated" if active else "unit_deactivated"
        return redirect(request, f"/admin/units/{unit_id}?done={done}")

    return await run_in_threadpool(locked)
