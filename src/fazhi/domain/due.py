"""Due-soon and overdue are derived from due dates at read time, never stored; and the one
countdown a handler reads (`remaining_label`), in the running clock's own unit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from fazhi.domain.calendar import CalendarYearUnknown, WorkCalendar
from fazhi.domain.durations import Duration, local_date
from fazhi.domain.records import ClockRecord

DueStatus = Literal["overdue", "due_soon", "on_track"]
# Hour-based limits (签收 within 30 minutes, urgent orders in 24 hours) are "due soon" when
# this little time is left; day-based ones when due today or on the next working day.
SOON_HOURS = timedelta(hours=4)
# …and, when the clock behind the deadline is known, only in the last half of its span: a
# 30-minute or 1-working-day 签收 clock lies wholly inside the windows above, and would be
# badged 即将到期 the moment an order is dispatched — when nothing is late or close to it.
SOON_SHARE = 0.5
HOUR_UNITS = frozenset({"s", "min", "h"})


def due_status(
    due_at: datetime | None,
    now: datetime,
    calendar: WorkCalendar,
    clock: ClockRecord | None = None,
) -> DueStatus | None:
    """Overdue, due soon or on track. `clock` is the running clock `due_at` comes from, when
    the caller knows it: then the window follows the clock's unit (hours for hour limits,
    working days for day limits) and is at most `SOON_SHARE` of the clock's span. Without it
    (the supervision board's SQL bound, the reminder scan) the deadline alone decides."""
    if due_at is None:
        return None
    if now > due_at:
        return "overdue"
    if clock is not None:
        if clock.suspended or clock.started_at > now:
            return "on_track"  # not counting down (中止), or a window not yet begun
        start = clock.resumed_at or clock.started_at
        if due_at - now > (due_at - start) * SOON_SHARE:
            return "on_track"
        if clock.unit in HOUR_UNITS:
            return "due_soon" if due_at - now <= SOON_HOURS else "on_track"
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
    """The countdown in the clock's own unit: 剩余3个工作日 / 今日到期 / 超期2天 /
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
    if unit in HOUR_UNITS:
        span = _hours_minutes(abs(seconds))
        return f"剩余{span}" if seconds >= 0 else f"超期{span}"
    today, due_day = local_date(now), local_date(clock.due_at)
    if seconds >= 0 and today == due_day:
        return "今日到期"
    try:
        days = calendar.workdays_between(today, due_day) if unit == "wd" else (due_day - today).days
        label = "个工作日" if unit == "wd" else "天"
    except CalendarYearUnknown:
        days, label = (due_day - today).days, "天"
    if seconds >= 0:
        return f"剩余{days}{label}"
    return f"超期{max(1, -days)}{label}"
