"""Limits written as short strings in type files: 30min, 24h, 5wd, 20cd, 3mo.

Day-based limits end at 23:59:59 local time on the due date (deadlines.md); hour- and
minute-based limits run on wall-clock time. Seconds (`5400s`) exist for what is left of a
suspended hour- or minute-based clock, which must be kept exactly.

Months follow 民法典 第二百零二条: the period ends on the corresponding day of the last
month, or on that month's last day when it has none (2023-01-31 + 1mo → 2023-02-28); like
every day-based limit it rolls forward past a last day that is not a working day (第二百零三条).
"""

from __future__ import annotations

import calendar as _stdcal
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from fazhi.domain.calendar import WorkCalendar

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
Unit = Literal["s", "min", "h", "wd", "cd", "mo"]
# With an amount: "5个工作日", "3个月".
UNIT_LABELS: dict[str, str] = {
    "s": "秒",
    "min": "分钟",
    "h": "小时",
    "wd": "个工作日",
    "cd": "日",
    "mo": "个月",
}
# The unit alone, as a countdown names what it counts in.
UNIT_NAMES: dict[str, str] = {
    "s": "秒",
    "min": "分钟",
    "h": "小时",
    "wd": "工作日",
    "cd": "日",
    "mo": "月",
}
DAY_UNITS = frozenset({"wd", "cd", "mo"})
_PATTERN = re.compile(r"^\s*(\d+)\s*(min|h|wd|cd|mo|s)\s*$")
# The Chinese a person types for each unit (UNIT_LABELS and common variants).
_CHINESE_UNITS: dict[str, Unit] = {
    "个工作日": "wd",
    "工作日": "wd",
    "分钟": "min",
    "小时": "h",
    "个小时": "h",
    "个自然日": "cd",
    "自然日": "cd",
    "日": "cd",
    "天": "cd",
    "个月": "mo",
    "月": "mo",
    "秒": "s",
}
_CHINESE = re.compile(
    r"^\s*(\d+)\s*(" + "|".join(sorted(_CHINESE_UNITS, key=len, reverse=True)) + r")\s*$"
)


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

    @classmethod
    def from_text(cls, text: str) -> Duration:
        """A limit as a person types it: the short form (5wd) or its Chinese label
        (5个工作日, 30分钟, 24小时, 20日 / 20天, 3个月); ValueError in Chinese otherwise."""
        match = _CHINESE.match(text)
        if match:
            return cls(int(match.group(1)), _CHINESE_UNITS[match.group(2)])
        try:
            return cls.parse(text)
        except ValueError:
            raise ValueError(
                f"时限格式无法识别：{text.strip()!r}"
                "（应写作 30分钟、24小时、5个工作日、20日 或 3个月）"
            ) from None

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def label(self) -> str:
        return f"{self.amount}{UNIT_LABELS[self.unit]}"

    @property
    def unit_label(self) -> str:
        """What the limit counts in: 工作日, 日, 月, 小时, 分钟 (秒 for a suspended rest)."""
        return UNIT_NAMES[self.unit]

    @property
    def day_based(self) -> bool:
        return self.unit in DAY_UNITS

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
    return datetime.combine(day, time(23, 59, 59), LOCAL_TZ).astimezone(UTC)


def start_of_local_day(day: date) -> datetime:
    """00:00 Asia/Shanghai on `day`, as an aware UTC datetime."""
    return datetime.combine(day, time(0, 0), LOCAL_TZ).astimezone(UTC)


def shift_months(day: date, n: int) -> date:
    """The corresponding day n months later, or that month's last day (no rolling forward)."""
    months = day.month - 1 + n
    year, month = day.year + months // 12, months % 12 + 1
    return date(year, month, min(day.day, _stdcal.monthrange(year, month)[1]))


def due_at(start: datetime, limit: Duration, calendar: WorkCalendar) -> datetime:
    """When a limit that starts at `start` (aware) runs out."""
    if limit.unit == "s":
        return start + timedelta(seconds=limit.amount)
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


def extension_label(limit: str, extended: int) -> str:
    """What an extended clock was granted beyond `limit`: 延期3个工作日 ("" when nothing).

    Extensions count in the limit's own days (`clocks.extend_clock`); an hour-based limit
    is extended by working days."""
    if not extended:
        return ""
    try:
        base = Duration.parse(limit)
    except ValueError:
        return f"延期{extended}个工作日"
    unit = base.unit if base.day_based else "wd"
    return f"延期{Duration(extended, unit).label}"
