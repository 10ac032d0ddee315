"""Due-soon and overdue are derived from due dates at read time, never stored."""

from __future__ import annotations

from datetime import datetime, timedelta
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
