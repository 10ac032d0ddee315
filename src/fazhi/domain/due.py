"""Due-soon and overdue are derived from due dates at read time, never stored."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from fazhi.domain.calendar import CalendarYearUnknown, WorkCalendar
from fazhi.domain.durations import local_date

DueStatus = Literal["overdue", "due_soon", "on_track"]
# Hour-based limits (签收 within 30 minutes, urgent orders in 24 hours) are "due soon" when
# this little time is left; day-based ones when due today or on the next working day.
SOON_HOURS = timedelta(hours=4)


def due_status(due_at: datetime | None, now: datetime, calendar: WorkCalendar) -> DueStatus | None:
    if due_at is None:
        return None
    if now > due_at:
        return "overdue"
    if due_at - now <= SOON_HOURS:
        return "due_soon"
    try:
        left = calendar.workdays_between(local_date(now), local_date(due_at))
    except CalendarYearUnknown:
        left = (local_date(due_at) - local_date(now)).days
    return "due_soon" if left <= 1 else "on_track"


def workdays_left(due_at: datetime, now: datetime, calendar: WorkCalendar) -> int | None:
    """Working days from today to the due date (negative when late); None past the calendar."""
    try:
        return calendar.workdays_between(local_date(now), local_date(due_at))
    except CalendarYearUnknown:
        return None


def _months_between(start: date, end: date) -> int:
    """Whole calendar months from `start` to `end` (start ≤ end)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def countdown_text(
    due_at: datetime, now: datetime, unit: str | None, calendar: WorkCalendar
) -> str:
    """剩余3个工作日 / 剩余12天 / 剩余5小时 / 剩余2个月 / 超期…: the time left in the unit of
    the clock's own limit (`unit` of its Duration: min, h, wd, cd, mo; None reads as wd).

    Under a day left (or late by less), any clock says hours, or minutes under an hour, as a
    handler needs then; a month clock with less than a whole month left says days.
    """
    seconds = (due_at - now).total_seconds()
    prefix = "剩余" if seconds >= 0 else "超期"
    span = abs(seconds)
    if unit in ("min", "h") or span < 24 * 3600:
        if span < 3600:
            return f"{prefix}{max(1, int(span // 60))}分钟"
        return f"{prefix}{max(1, int(span // 3600))}小时"
    today, due_day = local_date(now), local_date(due_at)
    first, last = sorted((today, due_day))
    if unit == "mo":
        months = _months_between(first, last)
        if months >= 1:
            return f"{prefix}{months}个月"
        unit = "cd"
    if unit == "cd":
        return f"{prefix}{(last - first).days}天"
    try:
        days = calendar.workdays_between(today, due_day)
    except CalendarYearUnknown:
        return f"{prefix}{(last - first).days}天"
    return f"{prefix}{abs(days)}个工作日"
