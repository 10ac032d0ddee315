"""系统管理 · 节假日: the State Council's notice, and single days off or on."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from fazhi.actions.admin import calendar_days as admin_calendar
from fazhi.http.deps import Work
from fazhi.store.models import (
    CalendarDay,
    CalendarYear,
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
# Holiday calendar


def _calendar_page(
    request: Request,
    w: Work,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    preview: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    calendar = w.platform.calendar()
    imported = {
        row.year: row for row in w.session.scalars(select(CalendarYear).order_by(CalendarYear.year))
    }
    known = sorted(calendar.known_years())
    builtin = [y for y in known if y not in imported]
    days = list(w.session.scalars(select(CalendarDay).order_by(CalendarDay.day.desc())))
    return admin_page(
        request,
        w,
        "admin/calendar.html",
        {
            "builtin": (builtin[0], builtin[-1]) if builtin else None,
            "imported": list(imported.values()),
            "known": known,
            "days": days,
            "day_kinds": admin_calendar.DAY_KINDS,
            "errors": errors or {},
            "values": values or {},
            "preview": preview,
        },
        status_code=status_code,
    )


@router.get("/admin/calendar")
def calendar_page(request: Request) -> Response:
    with admin_work(request) as w:
        return _calendar_page(request, w)


@router.post("/admin/calendar/notice")
async def notice_page(request: Request) -> Response:
    form = await request.form()
    text = form_text(form, "text")
    save = form_text(form, "confirm") == "1"
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), admin_work(request) as w:
            change = (
                admin_calendar.check_import_notice
                if save
                else lambda _s, _c, t: (admin_calendar.read_notice(t), 0)
            )
            result, exc = attempt(w, lambda: change(w.session, w.ctx, text))
            if exc is not None:
                return _calendar_page(
                    request, w, {"text": exc.message}, {"text": text}, status_code=error_status(exc)
                )
            if not save:
                arrangement = result[0]
                year = arrangement.year
                replaced = w.session.scalar(
                    select(func.count()).where(
                        CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
                    )
                )
                preview = {
                    "year": year,
                    "lines": arrangement.summary_lines(),
                    "days": len(arrangement.overrides()),
                    "replaced": replaced,
                    "already": w.session.get(CalendarYear, year) is not None,
                }
                return _calendar_page(request, w, {}, {"text": text}, preview)
        return redirect(request, "/admin/calendar?done=notice_saved")

    return await run_in_threadpool(locked)


@router.post("/admin/calendar/days")
async def add_day_page(request: Request) -> Response:
    form = await request.form()
    values = {k: form_text(form, k) for k in ("day", "kind", "name")}
    problem = ""
    day: date | None = None
    if values["day"]:
        try:
            day = date.fromisoformat(values["day"])
        except ValueError:
            problem = "日期格式应为 2027-10-01"
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), admin_work(request) as w:
            if problem:
                return _calendar_page(request, w, {"day": problem}, values, status_code=422)
            _, exc = attempt(
                w,
                lambda: admin_calendar.check_set_calendar_day(
                    w.session, w.ctx, day, values["kind"], values["name"]
                ),
            )
            if exc is not None:
                errors, general = field_errors(exc)
                if general:
                    errors.setdefault("day", general)
                return _calendar_page(request, w, errors, values, status_code=error_status(exc))
        return redirect(request, "/admin/calendar?done=day_saved")

    return await run_in_threadpool(locked)


@router.post("/admin/calendar/days/{day}/delete")
def remove_day_page(request: Request, day: str) -> Response:
    platform = request.app.state.platform
    with platform.writing(), admin_work(request) as w:
        try:
            when = date.fromisoformat(day)
        except ValueError:
            return render(request, "admin/not_found.html", {"what": "调整日"}, w, 404)
        _, exc = attempt(
            w, lambda: admin_calendar.check_remove_calendar_day(w.session, w.ctx, when)
        )
        if exc is not None:
            return render(request, "admin/not_found.html", {"what": "调整日"}, w, 404)
    return redirect(request, "/admin/calendar?done=day_removed")
