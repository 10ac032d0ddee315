"""When a type's scheduled rule is due again (`schedules:` in the type file)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.durations import Duration, local_date


def schedule_due(
    last_run: datetime | None, every: Duration, now: datetime, calendar: WorkCalendar
) -> bool:
    """Whether a rule that last ran at `last_run` runs again at `now`.

    Day-based periods count local dates, so a daily rule runs once per day whatever the
    hour the timer fires (`1cd`: the first run on each new date; `1wd`: on the next working
    day; `1mo`: the same day of the next month); `h`/`min`/`s` periods count elapsed time.
    """
    if last_run is None:
        return True
    if every.unit in ("min", "h", "s"):
        seconds = {"s": 1, "min": 60, "h": 3600}[every.unit] * every.amount
        return now - last_run >= timedelta(seconds=seconds)
    day = local_date(last_run)
    if every.unit == "wd":
        next_day = calendar.add_workdays(day, every.amount)
    elif every.unit == "cd":
        next_day = day + timedelta(days=every.amount)
    else:
        next_day = calendar.add_months(day, every.amount)
    return local_date(now) >= next_day
