"""The countdown a handler reads (domain.due.countdown_text): time left or overdue in the unit
of the running clock's own limit — working days, calendar days, hours or months — and in
hours or minutes once less than a day remains."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.due import countdown_text
from fazhi.domain.durations import LOCAL_TZ, Duration, due_at

CAL = WorkCalendar()
# Thursday 2023-06-01 09:00 in 石峰区.
NOW = datetime(2023, 6, 1, 9, 0, tzinfo=LOCAL_TZ)


def left(limit: str, now: datetime = NOW, start: datetime = NOW) -> str:
    duration = Duration.parse(limit)
    return countdown_text(due_at(start, duration, CAL), now, duration.unit, CAL)


def test_working_day_limits_count_working_days() -> None:
    # 5 WD from Thu 06-01: 06-02, 06-05…06-08 → due Thu 06-08.
    assert left("5wd") == "剩余5个工作日"


def test_calendar_day_limits_count_days_on_the_calendar() -> None:
    # 30 calendar days end on Saturday 07-01 and roll to Monday 07-03.
    assert left("30cd") == "剩余32天"
    assert left("7cd") == "剩余7天"  # Thursday 06-08, a working day


def test_hour_limits_count_hours_even_beyond_a_day() -> None:
    assert left("24h") == "剩余24小时"
    assert left("72h") == "剩余72小时"


def test_minute_limits_count_minutes_then_hours() -> None:
    assert left("30min") == "剩余30分钟"
    assert left("90min") == "剩余1小时"


def test_month_limits_count_whole_months_then_days() -> None:
    # 3 months from 06-01: due 09-01 (a Friday).
    assert left("3mo") == "剩余3个月"
    assert left("3mo", now=datetime(2023, 8, 10, 9, 0, tzinfo=LOCAL_TZ)) == "剩余22天"


def test_under_a_day_left_every_clock_says_hours_or_minutes() -> None:
    late_on_due_day = datetime(2023, 6, 8, 20, 0, tzinfo=LOCAL_TZ)
    assert left("5wd", now=late_on_due_day) == "剩余3小时"
    assert left("5wd", now=late_on_due_day + timedelta(hours=3, minutes=30)) == "剩余29分钟"


@pytest.mark.parametrize(
    ("limit", "now", "expected"),
    [
        ("5wd", datetime(2023, 6, 12, 10, 0, tzinfo=LOCAL_TZ), "超期2个工作日"),  # Mon 06-12
        ("7cd", datetime(2023, 6, 11, 10, 0, tzinfo=LOCAL_TZ), "超期3天"),
        ("24h", datetime(2023, 6, 3, 10, 0, tzinfo=LOCAL_TZ), "超期25小时"),
        ("1mo", datetime(2023, 8, 5, 10, 0, tzinfo=LOCAL_TZ), "超期1个月"),
        ("5wd", datetime(2023, 6, 9, 1, 0, tzinfo=LOCAL_TZ), "超期1小时"),
    ],
)
def test_overdue_is_said_in_the_same_unit(limit: str, now: datetime, expected: str) -> None:
    assert left(limit, now=now) == expected


def test_an_unknown_unit_reads_as_working_days() -> None:
    due = due_at(NOW, Duration(5, "wd"), CAL)
    assert countdown_text(due, NOW, None, CAL) == "剩余5个工作日"
