"""Limits written as short strings in type files: 30min, 24h, 5wd, 20cd, 3mo.

Day-based limits end at 23:59:59 local time on the due date (deadlines.md); hour- and
minute-based limits run on wall-clock time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from fazhi.domain.calendar import WorkCalendar

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
Unit = Literal["min", "h", "wd", "cd", "mo"]
UNIT_LABELS: dict[str, str] = {
    "min": "分钟",
    "h": "小时",
    "wd": "个工作日",
    "cd": "日",
    "mo": "个月",
}
_PATTERN = re.compile(r"^\s*(\d+)\s*(min|h|wd|cd|mo)\s*$")


@dataclass(frozen=True)
class Duration:
    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _PATTERN.match(text)
        if not match:
            raise ValueError(f"时限格式无法识别：{text!r}（应为 30min、24h、5wd、20cd 或 3mo）")
        return cls(int(match.group(1)), match.group(2))  # type: ignore[arg-type]

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def label(self) -> str:
        return f"{self.amount}{UNIT_LABELS[self.unit]}"

    def plus(self, extra: int) -> Duration:
        return Duration(self.amount + extra, self.unit)


def window_span(limit: Duration) -> timedelta:
    """A window that does not depend on the calendar (min, h, cd) as a fixed span: a repeat
    window of 30cd looks back exactly 30 × 24 hours."""
    spans = {"min": timedelta(minutes=1), "h": timedelta(hours=1), "cd": timedelta(days=1)}
    if limit.unit not in spans:
        raise ValueError(f"窗口应以 min、h 或 cd 计：{limit}")
    return spans[limit.unit] * limit.amount


def local_date(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def end_of_local_day(day: date) -> datetime:
    """23:59:59 Asia/Shanghai on `day`, as an aware UTC datetime."""
    from datetime import UTC

    return datetime.combine(day, time(23, 59, 59), LOCAL_TZ).astimezone(UTC)


def due_at(start: datetime, limit: Duration, calendar: WorkCalendar) -> datetime:
    """When a limit that starts at `start` (aware) runs out."""
    if limit.unit == "min":
        return start + timedelta(minutes=limit.amount)
    if limit.unit == "h":
        return start + timedelta(hours=limit.amount)
    day = local_date(start)
    if limit.unit == "wd":
        return end_of_local_day(calendar.add_workdays(day, limit.amount))
    if limit.unit == "cd":
        return end_of_local_day(calendar.add_calendar_days(day, limit.amount))
    return end_of_local_day(calendar.add_months(day, limit.amount))
