"""网格员上报 (grid-worker reports) on a phone: the event found on patrol, its photos and the
device's coordinates, placed on the grid, in one submission; then the case number and the
worker's latest reports. The same checks and writes as `POST /api/v1/reports`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from fazhi.actions.cases import case_type_or_error
from fazhi.actions.visibility import read_visible_case
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.reports import (
    HOTLINE,
    MAX_PHOTOS,
    PHOTO_KIND,
    REPORT_FIELDS,
    check_submit_report,
    outside_own_area,
    parse_point,
    place_report,
    read_photos,
    refusal,
)
from fazhi.hotline.read.reports import recent_reports
from fazhi.http.deps import Work, platform_of
from fazhi.http.params import CaseId
from fazhi.read.presenters import case_number
from fazhi.store.models import Document
from fazhi.web.console import home, page_work, redirect, render
from fazhi.web.forms import error_status, field_errors

router = APIRouter(include_in_schema=False)
MAX_QUERY = 200
# Where a field's error is shown; errors on any other field go to the top of the form.
SHOWN_FIELDS = frozenset({*REPORT_FIELDS, "photos"})


def _forbidden(request: Request, w: Work, reason: str, fragment: bool = False) -> Response:
    if fragment:
        return HTMLResponse(f'<p class="error">{reason}</p>', status_code=403)
    return render(
        request,
        "report_forbidden.html",
        {"reason": reason, "landing": home(request, w)},
        w,
        status_code=403,
    )


def _recent(w: Work) -> list[dict[str, Any]]:
    case_type = w.platform.types.get(HOTLINE)
    return [
        {
            "id": case.id,
            "number": case_number(case_type, case),
            "title": case.title,
            "state_label": case_type.state_label(case.state) if case_type else case.state,
            "created_at": case.created_at,
        }
        for case in recent_reports(w)
    ]


def _place_context(w: Work, values: dict[str, str]) -> dict[str, Any]:
    place = place_report(w.platform, values)
    point = parse_point(values.get("longitude"), values.get("latitude"))
    return {
        "place": place,
        "has_point": point is not None,
        "place_wanted": point is not None or bool(values.get("address", "").strip()),
        "outside": outside_own_area(w.actor, place),
        "own_unit": w.actor.unit,
    }


def _render_form(
    request: Request,
    w: Work,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    form_error: str = "",
    status_code: int = 200,
) -> Response:
    case_type = case_type_or_error(w.platform, HOTLINE)
    context: dict[str, Any] = {
        "f": {name: case_type.field(name) for name in REPORT_FIELDS},
        "values": values,
        "errors": errors or {},
        "form_error": form_error,
        "max_photos": MAX_PHOTOS,
        "max_mb": w.platform.settings.max_upload_bytes // (1024 * 1024),
        "recent": _recent(w),
    }
    context.update(_place_context(w, values))
    return render(request, "report.html", context, w, status_code=status_code)


@router.get("/report")
def report_page(request: Request) -> Response:
    with page_work(request) as w:
        reason = refusal(w.platform, w.actor)
        if reason:
            return _forbidden(request, w, reason)
        return _render_form(request, w, {"urgency": "normal"})


@router.get("/report/locate")
def report_locate(
    request: Request, longitude: str = "", latitude: str = "", address: str = ""
) -> Response:
    with page_work(request) as w:
        reason = refusal(w.platform, w.actor)
        if reason:
            return _forbidden(request, w, reason, fragment=True)
        values = {"longitude": longitude, "latitude": latitude, "address": address[:MAX_QUERY]}
        return render(request, "_report_place.html", _place_context(w, values))


@router.post("/report")
async def report_submit(request: Request) -> Response:
    platform = platform_of(request)
    limit = platform.settings.max_upload_bytes
    form = await request.form(max_part_size=limit + 1024)
    values = {k: v for k, v in form.items() if isinstance(v, str) and k in REPORT_FIELDS}
    uploads = [u for u in form.getlist("photos") if isinstance(u, UploadFile)]
    photo_error = ""
    photos = []
    try:
        photos = await read_photos(uploads, limit)
    except DomainError as exc:
        photo_error = exc.message

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            reason = refusal(w.platform, w.actor)
            if reason:
                return _forbidden(request, w, reason)
            if photo_error:
                return _render_form(request, w, values, {"photos": photo_error}, status_code=422)
            try:
                with w.session.begin_nested():
                    written, _ = check_submit_report(w.session, w.ctx, values, photos)
            except DomainError as exc:
                errors, general = field_errors(exc, SHOWN_FIELDS)
                return _render_form(
                    request,
                    w,
                    values,
                    errors,
                    general,
                    status_code=error_status(exc),
                )
            case_id = written.case.id
        return redirect(request, f"/report/submitted/{case_id}")

    return await run_in_threadpool(locked)


@router.get("/report/submitted/{case_id}")
def report_submitted(request: Request, case_id: CaseId) -> Response:
    with page_work(request) as w:
        try:
            case = read_visible_case(w.session, w.ctx, case_id, "report")
        except DomainError:
            return render(request, "not_found.html", {}, w, status_code=404)
        case_type = case_type_or_error(w.platform, case.type)
        place = None
        if case.grid_id is not None:
            place = w.ctx.directory.by_id.get(case.grid_id)
        return render(
            request,
            "report_submitted.html",
            {
                "case": case,
                "number": case_number(case_type, case),
                "state_label": case_type.state_label(case.state),
                "grid": place,
                "photos": w.session.scalar(
                    select(func.count())
                    .select_from(Document)
                    .where(
                        Document.region_code == case.region_code,
                        Document.case_id == case.id,
                        Document.kind == PHOTO_KIND,
                    )
                ),
                "recent": _recent(w),
            },
            w,
        )
