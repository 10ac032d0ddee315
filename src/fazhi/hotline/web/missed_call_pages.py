"""未接来电: the operators' call-back list (oldest open first), the outcome form of each
call, the import of the telephony system's CSV export, and the month's call-back figures."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.domain.numbers import parse_case_number
from fazhi.hotline.actions.imports import ImportReport
from fazhi.hotline.actions.missed_calls import (
    CALL_BACK_WITHIN,
    CALLER_ROLES,
    COLUMNS,
    MAX_ATTEMPTS,
    OUTCOMES,
    check_call_back,
    do_call_back,
    do_import_missed_calls,
)
from fazhi.hotline.read.missed_calls import call_list, figures
from fazhi.http.deps import Work
from fazhi.http.params import PathId
from fazhi.web.console import forbidden, page_work, redirect, render
from fazhi.web.forms import error_status

router = APIRouter(include_in_schema=False)

VIEW_ROLES = frozenset({*CALLER_ROLES, "supervisor"})
TABS = (("open", "待回拨"), ("done", "已完成"), ("abandoned", "多次未接通"))


def _month_bounds(now: datetime) -> tuple[datetime, datetime]:
    local = now.astimezone(LOCAL_TZ)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def _context(
    w: Work,
    status: str,
    errors: dict[int, str] | None = None,
    report: ImportReport | None = None,
    import_error: str = "",
) -> dict[str, Any]:
    start, end = _month_bounds(w.ctx.now)
    return {
        "tabs": TABS,
        "status": status,
        "calls": call_list(w.session, w.platform, w.actor, status, w.ctx.now),
        "outcomes": OUTCOMES,
        "may_call": w.actor.has_role(*CALLER_ROLES),
        "figures": figures(w.session, w.actor.region_code, start, end),
        "month": f"{start:%Y年%m月}",
        "within_hours": int(CALL_BACK_WITHIN.total_seconds() // 3600),
        "max_attempts": MAX_ATTEMPTS,
        "columns": COLUMNS,
        "errors": errors or {},
        "report": report,
        "import_error": import_error,
    }


@router.get("/missed-calls")
def missed_calls_page(request: Request, status: str = "open") -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*VIEW_ROLES):
            return forbidden(request, w, "未接来电")
        if status not in dict(TABS):
            status = "open"
        return render(request, "missed_calls.html", _context(w, status), w)


@router.post("/missed-calls/{call_id}/call-back")
async def call_back_page(request: Request, call_id: PathId) -> Response:
    form = await request.form()
    outcome = str(form.get("outcome") or "")
    note = str(form.get("note") or "")
    case_text = str(form.get("case") or "").strip()
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            if not w.actor.has_role(*CALLER_ROLES):
                return forbidden(request, w, "未接来电回拨")
            case_id = parse_case_number(case_text) or (
                int(case_text) if case_text.isascii() and case_text.isdigit() else None
            )
            try:
                with w.session.begin_nested():
                    back = check_call_back(w.session, w.ctx, call_id, outcome, note, case_id)
                    do_call_back(w.session, w.ctx, back)
            except DomainError as exc:
                context = _context(w, "open", errors={call_id: exc.message})
                return render(
                    request, "missed_calls.html", context, w, status_code=error_status(exc)
                )
        return redirect(request, "/missed-calls?done=call-back")

    return await run_in_threadpool(locked)


@router.post("/missed-calls/import")
async def import_page(request: Request) -> Response:
    form = await request.form()
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            if not w.actor.has_role(*CALLER_ROLES):
                return forbidden(request, w, "导入未接来电")
            if not data:
                context = _context(w, "open", import_error="请选择话务系统导出的 CSV 文件")
                return render(request, "missed_calls.html", context, w, status_code=422)
            try:
                with w.session.begin_nested() as nested:
                    report = do_import_missed_calls(w.session, w.ctx, data)
                    if not report.ok:
                        nested.rollback()
            except DomainError as exc:
                context = _context(w, "open", import_error=exc.message)
                return render(
                    request, "missed_calls.html", context, w, status_code=error_status(exc)
                )
            status_code = 200 if report.ok else 422
            return render(
                request, "missed_calls.html", _context(w, "open", report=report), w, status_code
            )

    return await run_in_threadpool(locked)
