"""系统管理 · 分类与职责, 地名库: each category's default lead unit, the area rules of the
duty list, and the place names of the gazetteer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from fazhi.actions.admin import duty as admin_duty
from fazhi.actions.admin import gazetteer as admin_gazetteer
from fazhi.actions.admin import units as admin_units
from fazhi.catalog.categories import load_categories
from fazhi.http.deps import Work
from fazhi.http.params import PathId
from fazhi.web.admin_support import (
    admin_page,
    admin_work,
    attempt,
    form_text,
    unit_options,
)
from fazhi.web.console import redirect, render
from fazhi.web.forms import error_status, field_errors

router = APIRouter(include_in_schema=False)


# ---------------------------------------------------------------------------------------------
# Duty mapping


def _duty_page(
    request: Request,
    w: Work,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    region = w.actor.region_code
    mapping = admin_duty.duty_mapping(w.session, region)
    history: dict[str, list[Any]] = {}
    for rule in admin_duty.rule_history(w.session, region):
        history.setdefault(rule.category, []).append(rule)
    rows = []
    for category in load_categories():
        unit = mapping.get(category.code)
        rules = history.get(category.code, [])
        rows.append(
            {
                "category": category,
                "unit": unit,
                "may_be_unassigned": category.code in admin_duty.MAY_BE_UNASSIGNED,
                "rules": [r for r in rules if r.active],
                "history": [r for r in rules if not r.active],
            }
        )
    units = {u.id: u for u in admin_units.region_units(w.session, region)}
    return admin_page(
        request,
        w,
        "admin/duty.html",
        {
            "rows": rows,
            "units": units,
            "unit_options": unit_options(w.session, region, admin_duty.DUTY_KINDS),
            "area_options": unit_options(w.session, region, ("street", "community")),
            "rule_unit_options": unit_options(w.session, region, admin_duty.RULE_UNIT_KINDS),
            "errors": errors or {},
            "values": values or {},
            "changed": request.query_params.get("category", ""),
        },
        status_code=status_code,
    )


@router.get("/admin/duty")
def duty_page(request: Request) -> Response:
    with admin_work(request) as w:
        return _duty_page(request, w)


@router.post("/admin/duty/{category}")
async def set_duty_page(request: Request, category: str) -> Response:
    form = await request.form()
    unit_code = form_text(form, "unit")
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), admin_work(request) as w:
            _, exc = attempt(
                w, lambda: admin_duty.check_set_duty(w.session, w.ctx, category, unit_code)
            )
            if exc is not None:
                if exc.status == 404:
                    return render(request, "admin/not_found.html", {"what": "分类"}, w, 404)
                return _duty_page(
                    request, w, {category: exc.message}, {category: unit_code}, error_status(exc)
                )
        return redirect(
            request, f"/admin/duty?done=duty_changed&category={category}#duty-{category}"
        )

    return await run_in_threadpool(locked)


@router.post("/admin/duty-rules/{category}")
async def add_duty_rule_page(request: Request, category: str) -> Response:
    form = await request.form()
    area, unit = form_text(form, "area"), form_text(form, "unit")
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), admin_work(request) as w:
            _, exc = attempt(
                w, lambda: admin_duty.check_add_duty_rule(w.session, w.ctx, category, area, unit)
            )
            if exc is not None:
                if exc.status == 404:
                    return render(request, "admin/not_found.html", {"what": "分类"}, w, 404)
                errors, general = field_errors(exc)
                return _duty_page(
                    request,
                    w,
                    {f"rule-{category}-{k}": v for k, v in errors.items()}
                    | ({f"rule-{category}": general} if general else {}),
                    {f"rule-{category}-area": area, f"rule-{category}-unit": unit},
                    error_status(exc),
                )
        return redirect(request, f"/admin/duty?done=rule_saved&category={category}#duty-{category}")

    return await run_in_threadpool(locked)


@router.post("/admin/duty-rules/{rule_id}/retire")
def retire_duty_rule_page(request: Request, rule_id: PathId) -> Response:
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        rule, exc = attempt(w, lambda: admin_duty.check_retire_duty_rule(w.session, w.ctx, rule_id))
        if exc is not None:
            if exc.status == 404:
                return render(request, "admin/not_found.html", {"what": "职责规则"}, w, 404)
            return _duty_page(request, w, status_code=error_status(exc))
        category = rule.category
    return redirect(request, f"/admin/duty?done=rule_retired&category={category}#duty-{category}")


# ---------------------------------------------------------------------------------------------
# Gazetteer (地名库)


def _gazetteer_page(
    request: Request,
    w: Work,
    errors: dict[str, str] | None = None,
    form_error: str = "",
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    region = w.actor.region_code
    units = {u.id: u for u in admin_units.region_units(w.session, region)}
    communities = sorted(
        (u for u in units.values() if u.active and u.kind == "community"), key=lambda u: u.path
    )
    grids = sorted(
        (u for u in units.values() if u.active and u.kind == "grid"), key=lambda u: u.path
    )
    return admin_page(
        request,
        w,
        "admin/gazetteer.html",
        {
            "entries": admin_gazetteer.gazetteer_entries(w.session, region),
            "units": units,
            "communities": communities,
            "grids": grids,
            "errors": errors or {},
            "form_error": form_error,
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/admin/gazetteer")
def gazetteer_page(request: Request) -> Response:
    with admin_work(request) as w:
        return _gazetteer_page(request, w)


@router.post("/admin/gazetteer")
async def add_gazetteer_page(request: Request) -> Response:
    form = await request.form()
    values = {k: form_text(form, k) for k in ("name", "community", "grid")}
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), admin_work(request) as w:
            entry_form = admin_gazetteer.EntryForm(
                values["name"], values["community"], values["grid"]
            )
            _, exc = attempt(
                w, lambda: admin_gazetteer.check_add_gazetteer_entry(w.session, w.ctx, entry_form)
            )
            if exc is not None:
                errors, general = field_errors(exc)
                return _gazetteer_page(request, w, errors, general, values, error_status(exc))
        return redirect(request, "/admin/gazetteer?done=entry_added")

    return await run_in_threadpool(locked)


@router.post("/admin/gazetteer/{entry_id}/deactivate")
def deactivate_gazetteer_page(request: Request, entry_id: PathId) -> Response:
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        _, exc = attempt(
            w, lambda: admin_gazetteer.check_deactivate_gazetteer_entry(w.session, w.ctx, entry_id)
        )
        if exc is not None:
            if exc.status == 404:
                return render(request, "admin/not_found.html", {"what": "地名"}, w, 404)
            return _gazetteer_page(request, w, {}, exc.message, {}, error_status(exc))
    return redirect(request, "/admin/gazetteer?done=entry_deactivated")
