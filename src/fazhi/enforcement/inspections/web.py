"""Inspections in the console (Chinese): the plan with the visits it saves, the visits with
the result form, the registers (CSV import and one-record form), the draw form, and the
public results page of a draw (no login; no personal data)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from fazhi.domain.errors import DomainError
from fazhi.enforcement.inspections import draws, registers, visits
from fazhi.http.deps import Work
from fazhi.http.params import PathId
from fazhi.store.db import transaction
from fazhi.store.models import Unit
from fazhi.web.console import forbidden, page_work, redirect, render
from fazhi.web.forms import error_status, field_errors

router = APIRouter(include_in_schema=False)
ROUTERS = (router,)
NAV = ((("/inspections", "联合检查", frozenset(visits.READER_ROLES)), "/case-file-reviews"),)
T = "inspections/"


def _locked(request: Request, fn: Callable[[Work], Response]) -> Any:
    platform = request.app.state.platform

    def run() -> Response:
        with platform.writing(), page_work(request) as w:
            return fn(w)

    return run_in_threadpool(run)


def _plan_page(
    request: Request,
    w: Work,
    error: str = "",
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    capacity = visits.check_capacity(request.query_params.get("capacity") or "")
    proposal = visits.propose(w.session, w.ctx, capacity)
    region = w.actor.region_code
    may_plan = w.actor.has_role(*registers.EDIT_ROLES)
    context = {
        "plan": visits.present_plan(w.session, proposal, region),
        "capacity": capacity,
        "may_accept": w.actor.has_role(*visits.ACCEPT_ROLES),
        "error": error,
        "may_plan": may_plan,
        "errors": errors or {},
        "values": values or {},
        "added": request.query_params.get("added") == "1",
    }
    if may_plan:
        # A department plans its own supervision items on any target of the register.
        names = registers.unit_names(w.session, region)
        context["targets"] = [
            registers.present_target(t, names) for t in registers.targets(w.session, region)
        ]
        context["items"] = [
            registers.present_item(i, names)
            for i in registers.items(w.session, region)
            if (unit := w.session.get(Unit, i.department_id)) is not None
            and registers.may_edit_for(w.ctx, unit)
        ]
    return render(request, T + "plan.html", context, w, status_code)


@router.get("/inspections")
def plan_page(request: Request) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*visits.READER_ROLES):
            return forbidden(request, w, "联合检查")
        try:
            return _plan_page(request, w)
        except DomainError as exc:
            return render(request, "message.html", {"message": exc.message}, w, 422)


@router.post("/inspections/accept")
async def accept(request: Request) -> Response:
    form = await request.form()

    def run(w: Work) -> Response:
        try:
            with w.session.begin_nested():
                capacity = visits.check_capacity(str(form.get("capacity") or ""))
                made = visits.do_accept_plan(w.session, w.ctx, capacity)
        except DomainError as exc:
            if exc.status == 403:
                return forbidden(request, w, "确认检查计划")
            return _plan_page(request, w, exc.message, error_status(exc))
        return redirect(request, f"/inspections/visits?made={len(made)}")

    return await _locked(request, run)


@router.post("/inspections/plan-items")
async def add_plan_item(request: Request) -> Response:
    form = await request.form()
    typed = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}

    def run(w: Work) -> Response:
        try:
            with w.session.begin_nested():
                visits.do_add_plan_item(
                    w.session, w.ctx, visits.check_plan_item(w.session, w.ctx, typed)
                )
        except DomainError as exc:
            if exc.status == 403 and exc.code == "forbidden_role":
                return forbidden(request, w, "登记检查计划")
            by_field, general = field_errors(exc)
            return _plan_page(request, w, general, error_status(exc), by_field, typed)
        return redirect(request, "/inspections?added=1")

    return await _locked(request, run)


@router.get("/inspections/visits")
def visits_page(request: Request, unit_id: int | None = None) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*visits.READER_ROLES):
            return forbidden(request, w, "联合检查")
        names = registers.unit_names(w.session, w.actor.region_code)
        rows = [
            visits.present_visit(w.session, v, names)
            for v in visits.visits(w.session, w.ctx, unit_id)
        ]
        context = {"rows": rows, "unit_id": unit_id, "names": names, "own": w.actor.unit.id}
        return render(request, T + "visits.html", context, w)


def _visit_page(
    request: Request,
    w: Work,
    visit_id: int,
    errors: dict[str, str] | None = None,
    error: str = "",
    status_code: int = 200,
) -> Response:
    try:
        visit = visits.load_visit(w.session, w.ctx, visit_id)
    except DomainError as exc:
        if exc.status == 403:
            return forbidden(request, w, "联合检查")
        return render(request, "not_found.html", {}, w, status_code=404)
    context = {
        "visit": visits.present_visit(
            w.session, visit, registers.unit_names(w.session, visit.region_code)
        ),
        "may_record": visits.may_record(w.session, w.ctx, visit),
        "results": visits.RESULTS,
        "errors": errors or {},
        "error": error,
    }
    return render(request, T + "visit.html", context, w, status_code)


@router.get("/inspections/visits/{visit_id}")
def visit_page(request: Request, visit_id: PathId) -> Response:
    with page_work(request) as w:
        return _visit_page(request, w, visit_id)


@router.post("/inspections/visits/{visit_id}/results")
async def results(request: Request, visit_id: PathId) -> Response:
    form = await request.form()
    given: dict[str, Any] = {}
    for key, value in form.items():
        if key.startswith(("result_", "note_")):
            kind, rid = key.split("_", 1)
            given.setdefault(rid, {})[kind] = str(value)

    def run(w: Work) -> Response:
        try:
            with w.session.begin_nested():
                visit = visits.load_visit(w.session, w.ctx, visit_id)
                data = visits.check_results(w.session, w.ctx, visit, {"results": given})
                visits.do_record_results(w.session, w.ctx, visit, data)
        except DomainError as exc:
            if exc.status == 404:
                return render(request, "not_found.html", {}, w, status_code=404)
            by_field, general = field_errors(exc)
            return _visit_page(request, w, visit_id, by_field, general, error_status(exc))
        return redirect(request, f"/inspections/visits/{visit_id}?done=results")

    return await _locked(request, run)


def _registers_page(
    request: Request,
    w: Work,
    errors: dict[str, str] | None = None,
    error: str = "",
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    names = registers.unit_names(w.session, w.actor.region_code)
    context = {
        "targets": [
            registers.present_target(t, names)
            for t in registers.targets(w.session, w.actor.region_code)
        ],
        "items": [
            registers.present_item(i, names)
            for i in registers.items(w.session, w.actor.region_code)
        ],
        "may_edit": w.actor.has_role(*registers.EDIT_ROLES),
        "errors": errors or {},
        "error": error,
        "values": values or {},
        "kinds": registers.KINDS,
    }
    return render(request, T + "registers.html", context, w, status_code)


@router.get("/inspections/registers")
def registers_page(request: Request) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*visits.READER_ROLES):
            return forbidden(request, w, "检查对象名录")
        return _registers_page(request, w)


@router.post("/inspections/registers/{which}")
async def save_register(request: Request, which: str) -> Response:
    form = await request.form()
    typed = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    upload = form.get("file")
    text = typed.get("csv", "")
    if upload is not None and not isinstance(upload, str):
        text = (await upload.read()).decode("utf-8-sig", errors="replace") or text
    columns = registers.TARGET_COLUMNS if which == "targets" else registers.ITEM_COLUMNS
    check = registers.check_targets if which == "targets" else registers.check_items
    save = registers.do_import_targets if which == "targets" else registers.do_import_items

    def run(w: Work) -> Response:
        if which not in ("targets", "items"):
            return render(request, "not_found.html", {}, w, status_code=404)
        try:
            with w.session.begin_nested():
                if text.strip():
                    rows = registers.parse_csv(text, columns)
                else:
                    rows = [{k: typed.get(f"{which}-{k}", "") for k in columns}]
                added, updated = save(w.session, w.ctx, check(w.session, w.ctx, rows))
        except DomainError as exc:
            if exc.status == 403 and exc.code == "forbidden_role":
                return forbidden(request, w, "检查对象名录")
            by_field, general = field_errors(exc)
            prefixed = {f"{which}-{k}": v for k, v in by_field.items()}
            return _registers_page(request, w, prefixed, general, typed, error_status(exc))
        return redirect(request, f"/inspections/registers?added={added}&updated={updated}")

    return await _locked(request, run)


def _draws_page(
    request: Request,
    w: Work,
    errors: dict[str, str] | None = None,
    error: str = "",
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    region = w.actor.region_code
    names = registers.unit_names(w.session, region)
    context = {
        "draws": [draws.present_draw(w.session, d, True) for d in draws.draws(w.session, region)],
        "items": [registers.present_item(i, names) for i in registers.items(w.session, region)],
        "may_draw": w.actor.has_role(*registers.EDIT_ROLES),
        "errors": errors or {},
        "error": error,
        "values": values or {},
    }
    return render(request, T + "draws.html", context, w, status_code)


@router.get("/inspections/draws")
def draws_page(request: Request) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*visits.READER_ROLES):
            return forbidden(request, w, "双随机抽查")
        return _draws_page(request, w)


@router.post("/inspections/draws")
async def make_draw(request: Request) -> Response:
    form = await request.form()
    typed: dict[str, Any] = {k: str(v) for k, v in form.items() if k != "item_ids"}
    typed["item_ids"] = [str(v) for v in form.getlist("item_ids")]

    def run(w: Work) -> Response:
        try:
            with w.session.begin_nested():
                row = draws.do_draw(w.session, w.ctx, draws.check_draw(w.session, w.ctx, typed))
        except DomainError as exc:
            if exc.status == 403 and exc.code == "forbidden_role":
                return forbidden(request, w, "双随机抽查")
            by_field, general = field_errors(exc)
            return _draws_page(request, w, by_field, general, typed, error_status(exc))
        return redirect(request, f"/public/inspections/draws/{row.id}")

    return await _locked(request, run)


@router.get("/public/inspections/draws/{draw_id}")
def public_draw(request: Request, draw_id: PathId) -> Response:
    """双随机、一公开: the draw and its results for anyone, without signing in."""
    platform = request.app.state.platform
    with transaction(platform.sessions) as session:
        try:
            row = draws.load_draw(session, platform.region_code, draw_id)
        except DomainError:
            return render(request, "not_found.html", {}, status_code=404)
        return render(
            request, T + "public_draw.html", {"draw": draws.present_draw(session, row, False)}
        )
