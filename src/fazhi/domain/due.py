"""Due-soon and overdue are derived from due dates at read time, never stored."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from fazhi.domain.calendar import CalendarYearUnknown, WorkCalendar
from fazhi.domain.durations import Duration, local_date
from fazhi.domain.records import ClockRecord

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


def _hours_minutes(seconds: float) -> str:
    minutes = max(1, int(seconds // 60))
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}分钟"
    return f"{hours}小时{rest}分钟" if rest else f"{hours}小时"


def _rest_label(rest: Duration) -> str:
    return _hours_minutes(rest.amount) if rest.unit == "s" else rest.label


def remaining_label(clock: ClockRecord, now: datetime, calendar: WorkCalendar) -> str:
    """The countdown in the clock's own unit: 剩余3个工作日 / 今日到期 / 超期2日 /
    剩余5小时30分钟 / 已中止（剩余7个工作日）; "" for a stopped clock.

    Working-day clocks count working days, calendar-day and month clocks calendar days,
    hour and minute clocks hours and minutes."""
    if not clock.running:
        return ""
    if clock.suspended:
        return f"已中止（剩余{_rest_label(Duration.parse(clock.remaining or '0s'))}）"
    if clock.started_at > now:
        return "本期已完成"  # a repeating clock's next window has not begun
    seconds = (clock.due_at - now).total_seconds()
    unit = clock.unit
    if unit in ("s", "min", "h"):
        span = _hours_minutes(abs(seconds))
        return f"剩余{span}" if seconds >= 0 else f"超期{span}"
    today, due_day = local_date(now), local_date(clock.due_at)
    if seconds >= 0 and today == due_day:
        return "今日到期"
    try:
        days = calendar.workdays_between(today, due_day) if unit == "wd" else (due_day - today).days
        label = "个工作日" if unit == "wd" else "日"
    except CalendarYearUnknown:
        days, label = (due_day - today).days, "日"
    if seconds >= 0:
        return f"剩余{days}{label}"
    return f"超期{max(1, -days)}{label}"
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
