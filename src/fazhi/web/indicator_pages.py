"""法治指标 in the console: the dashboard of every indicator for a district-year with targets
and completion (`/indicators`), an indicator's ledger (`/indicators/ledger/{id}`), an
evaluation scheme with each item's completion and evidence status and the upload of
evidence (`/indicators/schemes/{id}`), and the import of figures from other systems
(`/indicators/import`). Readers: district leaders, the rule-of-law office and admin; the
office and admin upload and import. The same reads and actions as /api/v1/indicators."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from fazhi.actions.figure_imports import (
    IMPORT_ROLES,
    check_import_figures,
    do_import_figures,
    read_workbook,
)
from fazhi.actions.indicator_evidence import EVIDENCE_ROLES, check_add_evidence, do_add_evidence
from fazhi.analytics import indicators as ix
from fazhi.analytics import ledgers as lg
from fazhi.analytics import schemes as sc
from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work
from fazhi.http.indicator_params import scope_from
from fazhi.http.uploads import read_upload
from fazhi.store.models import FigureImport, User
from fazhi.web.console import forbidden, page_work, redirect, render
from fazhi.web.forms import error_status

router = APIRouter(include_in_schema=False)
WHAT = "法治指标"


def _scope_or_default(w: Work, request: Request) -> tuple[ix.Scope, str]:
    """The asked period and unit; a malformed one falls back to this year, with a note."""
    try:
        return scope_from(w, dict(request.query_params)), ""
    except DomainError as exc:
        return scope_from(w, {}), exc.message


def _query(scope: ix.Scope) -> str:
    unit = f"&unit={scope.unit.code}" if scope.unit else ""
    return f"year={scope.period.start.year}{unit}"


def _streets(w: Work) -> list[dict[str, Any]]:
    units = [u for u in w.ctx.directory.by_id.values() if u.kind in ("street", "department")]
    return [{"code": u.code, "name": u.name} for u in sorted(units, key=lambda u: u.path)]


@router.get("/indicators")
def dashboard(request: Request) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*ix.INDICATOR_ROLES):
            return forbidden(request, w, WHAT)
        scope, note = _scope_or_default(w, request)
        started = time.perf_counter()
        body = ix.dashboard_body(w, scope)
        took = (time.perf_counter() - started) * 1000
        catalog = ix.catalog_of(w.platform)
        demonstration = (
            sc.scheme_body(w, "demonstration_2021", scope)
            if catalog.scheme("demonstration_2021")
            else None
        )
        context = {
            **body,
            "year": scope.period.start.year,
            "unit_code": scope.unit.code if scope.unit else "",
            "query": _query(scope),
            "note": note,
            "took_ms": round(took),
            "units": _streets(w),
            "schemes": catalog.schemes,
            "demonstration": demonstration,
            "may_import": w.actor.has_role(*IMPORT_ROLES),
        }
        return render(request, "indicators.html", context, w)


@router.get("/indicators/ledger/{indicator_id}")
def ledger_page(request: Request, indicator_id: str, q: str = "") -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*ix.INDICATOR_ROLES):
            return forbidden(request, w, WHAT)
        scope, note = _scope_or_default(w, request)
        try:
            found = lg.ledger(w, scope, indicator_id)
        except DomainError as exc:
            return render(
                request, "error.html", {"message": exc.message}, w, status_code=exc.status
            )
        body = lg.ledger_json(found, q[:100], limit=500)
        context = {**body, "q": q[:100], "note": note, "query": _query(scope)}
        return render(request, "indicator_ledger.html", context, w)


def _scheme_context(w: Work, scheme_id: str, scope: ix.Scope) -> dict[str, Any]:
    body = sc.scheme_body(w, scheme_id, scope)
    return {**body, "query": _query(scope), "may_upload": w.actor.has_role(*EVIDENCE_ROLES)}


@router.get("/indicators/schemes/{scheme_id}")
def scheme_page(request: Request, scheme_id: str) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*ix.INDICATOR_ROLES):
            return forbidden(request, w, WHAT)
        scope, note = _scope_or_default(w, request)
        try:
            context = _scheme_context(w, scheme_id, scope)
        except DomainError as exc:
            return render(request, "error.html", {"message": exc.message}, w, status_code=404)
        return render(request, "indicator_scheme.html", {**context, "note": note}, w)


@router.post("/indicators/schemes/{scheme_id}/items/{item}/evidence")
async def evidence_upload(request: Request, scheme_id: str, item: str) -> Response:
    form = await request.form()
    upload = form.get("file")
    platform = request.app.state.platform
    file = (
        await read_upload(upload, platform.settings.max_upload_bytes)
        if isinstance(upload, UploadFile) and upload.filename
        else None
    )
    year = str(form.get("year") or "")
    note = str(form.get("note") or "")

    def change() -> Response:
        with platform.writing(), page_work(request) as w:
            if not w.actor.has_role(*ix.INDICATOR_ROLES):
                return forbidden(request, w, WHAT)
            try:
                with w.session.begin_nested():
                    if file is None:
                        raise DomainError(
                            "document_file_required", "请选择要上传的文件", 422, "file"
                        )
                    if not year.isdigit():
                        raise DomainError("bad_year", "年度应为四位数字", 422, "year")
                    plan = check_add_evidence(
                        w.ctx, ix.catalog_of(w.platform), scheme_id, item, int(year), file, note
                    )
                    do_add_evidence(w.session, w.ctx, plan)
            except DomainError as exc:
                scope = ix.scope_for(w, *_year_bounds(year, w))
                context = _scheme_context(w, scheme_id, scope)
                context.update(open_item=item, item_error=exc.message, error_field=exc.field)
                return render(
                    request, "indicator_scheme.html", context, w, status_code=error_status(exc)
                )
        return redirect(
            request, f"/indicators/schemes/{scheme_id}?year={year}&done={item}#item-{item}"
        )

    return await run_in_threadpool(change)


def _year_bounds(year: str, w: Work) -> tuple[Any, Any]:
    from datetime import date

    chosen = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else w.ctx.now.year
    return date(chosen, 1, 1), date(chosen, 12, 31)


def _recent_imports(w: Work) -> list[dict[str, Any]]:
    rows = w.session.execute(
        select(FigureImport, User.display_name)
        .join(
            User,
            (User.region_code == FigureImport.region_code) & (User.id == FigureImport.imported_by),
        )
        .where(FigureImport.region_code == w.actor.region_code)
        .order_by(FigureImport.id.desc())
        .limit(20)
    ).all()
    return [{"batch": b, "by": name} for b, name in rows]


def _import_context(w: Work, **extra: Any) -> dict[str, Any]:
    catalog = ix.catalog_of(w.platform)
    return {
        "sources": catalog.sources,
        "recent": _recent_imports(w),
        "year": w.ctx.now.year,
        "chosen": "",
        "problems": [],
        "error": "",
        "done": None,
        **extra,
    }


@router.get("/indicators/import")
def import_page(request: Request) -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*IMPORT_ROLES):
            return forbidden(request, w, "导入其他系统数据")
        batch = request.query_params.get("done", "")
        return render(request, "indicator_import.html", _import_context(w, done=batch), w)


@router.post("/indicators/import")
async def import_post(request: Request) -> Response:
    form = await request.form()
    source = str(form.get("source") or "")
    upload = form.get("file")
    platform = request.app.state.platform
    file = (
        await read_upload(upload, platform.settings.max_upload_bytes)
        if isinstance(upload, UploadFile) and upload.filename
        else None
    )

    def parse() -> list[Any] | DomainError:
        # File work before the writer's turn: no lock is held while the workbook is read.
        if file is None or not file.data:
            return DomainError("document_file_required", "请选择要导入的文件", 422, "file")
        try:
            return list(read_workbook(file.data))
        except DomainError as exc:
            return exc

    parsed = await run_in_threadpool(parse)

    def change() -> Response:
        with platform.writing(), page_work(request) as w:
            if not w.actor.has_role(*IMPORT_ROLES):
                return forbidden(request, w, "导入其他系统数据")
            try:
                with w.session.begin_nested():
                    if isinstance(parsed, DomainError):
                        raise parsed
                    assert file is not None and file.data is not None
                    plan = check_import_figures(
                        w.ctx, ix.catalog_of(w.platform), source, file.filename, file.data, parsed
                    )
                    batch = do_import_figures(w.session, w.ctx, plan)
                    batch_id = batch.id
            except DomainError as exc:
                context = _import_context(
                    w,
                    chosen=source,
                    error=exc.message
                    if not exc.problems
                    else f"{len(exc.problems)}处问题，整批未导入",
                    error_field=exc.field,
                    problems=[p.message for p in exc.problems],
                )
                return render(
                    request, "indicator_import.html", context, w, status_code=error_status(exc)
                )
        return redirect(request, f"/indicators/import?done={batch_id}")

    return await run_in_threadpool(change)
