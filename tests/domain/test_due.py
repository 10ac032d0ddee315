"""The countdown a handler reads, in the clock's own unit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fazhi.domain.due import remaining_label
from fazhi.domain.records import ClockRecord
from tests.domain.typekit import CAL, at, end_of

D = date
THU = at(D(2023, 6, 1))


def clock(limit: str, due: datetime, **kw: Any) -> ClockRecord:
    return ClockRecord("handle", "办理期限", "b", limit, THU, due, "apply", **kw)


def test_a_working_day_clock_counts_working_days() -> None:
    # Thursday 6/1 → Thursday 6/8: 6/2, 6/5, 6/6, 6/7, 6/8.
    assert remaining_label(clock("5wd", end_of(D(2023, 6, 8))), THU, CAL) == "剩余5个工作日"
    assert remaining_label(clock("5wd", end_of(D(2023, 6, 1))), THU, CAL) == "今日到期"
    late = at(D(2023, 6, 6))  # due Friday 6/2; Monday and Tuesday have passed
    assert remaining_label(clock("1wd", end_of(D(2023, 6, 2))), late, CAL) == "超期2个工作日"


def test_calendar_day_and_month_clocks_count_calendar_days() -> None:
    assert remaining_label(clock("30cd", end_of(D(2023, 6, 11))), THU, CAL) == "剩余10日"
    assert remaining_label(clock("1mo", end_of(D(2023, 7, 3))), THU, CAL) == "剩余32日"
    assert remaining_label(clock("1mo", end_of(D(2023, 5, 30))), THU, CAL) == "超期2日"


def test_hour_clocks_count_hours_and_minutes() -> None:
    assert remaining_label(clock("24h", at(D(2023, 6, 2), 9)), THU, CAL) == "剩余24小时"
    assert remaining_label(clock("24h", at(D(2023, 6, 1), 10, 30)), THU, CAL) == "剩余1小时30分钟"
    assert remaining_label(clock("30min", at(D(2023, 6, 1), 8, 40)), THU, CAL) == "超期20分钟"


def test_a_suspended_clock_shows_what_it_has_left() -> None:
    wd = clock("20wd", end_of(D(2023, 10, 13)), suspended_at=THU, remaining="10wd")
    assert remaining_label(wd, at(D(2024, 1, 1)), CAL) == "已中止（剩余10个工作日）"
    hours = clock("24h", THU, suspended_at=THU, remaining="63000s")
    assert remaining_label(hours, THU, CAL) == "已中止（剩余17小时30分钟）"


def test_a_stopped_clock_has_no_countdown() -> None:
    assert remaining_label(clock("5wd", end_of(D(2023, 6, 8)), stopped_at=THU), THU, CAL) == ""


def test_the_extension_granted_reads_in_the_limits_days() -> None:
    from fazhi.domain.durations import extension_label

    assert extension_label("5wd", 3) == "延期3个工作日"
    assert extension_label("30cd", 10) == "延期10日"
    assert extension_label("24h", 2) == "延期2个工作日"  # hour limits grow by working days
    assert extension_label("5wd", 0) == ""
