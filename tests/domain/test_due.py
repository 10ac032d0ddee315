"""The countdown a handler reads, in the clock's own unit."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fazhi.domain.due import due_status, remaining_label
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
    assert remaining_label(clock("30cd", end_of(D(2023, 6, 11))), THU, CAL) == "剩余10天"
    assert remaining_label(clock("1mo", end_of(D(2023, 7, 3))), THU, CAL) == "剩余32天"
    assert remaining_label(clock("1mo", end_of(D(2023, 5, 30))), THU, CAL) == "超期2天"


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


# ---------------------------------------------------------------------------------------------
# Due soon: by the running clock when it is known


def started(limit: str, start: datetime, due: datetime) -> ClockRecord:
    return ClockRecord("acknowledge", "签收时限", "b", limit, start, due, "dispatch")


def test_a_freshly_started_short_clock_is_on_track() -> None:
    # 签收 within 30 minutes, or by the end of the next working day: just dispatched, neither
    # is due soon, though both deadlines lie inside the deadline-only windows.
    thirty = started("30min", THU, at(D(2023, 6, 1), 9, 30))
    assert due_status(thirty.due_at, THU, CAL) == "due_soon"  # the deadline alone
    assert due_status(thirty.due_at, THU, CAL, thirty) == "on_track"
    one_day = started("1wd", THU, end_of(D(2023, 6, 2)))
    assert due_status(one_day.due_at, THU, CAL) == "due_soon"
    assert due_status(one_day.due_at, THU, CAL, one_day) == "on_track"


def test_a_short_clock_is_due_soon_in_the_last_half_of_its_span() -> None:
    thirty = started("30min", THU, at(D(2023, 6, 1), 9, 30))
    assert due_status(thirty.due_at, at(D(2023, 6, 1), 9, 14), CAL, thirty) == "on_track"
    assert due_status(thirty.due_at, at(D(2023, 6, 1), 9, 16), CAL, thirty) == "due_soon"
    assert due_status(thirty.due_at, at(D(2023, 6, 1), 9, 31), CAL, thirty) == "overdue"
    # Thursday 09:00 → Friday 23:59:59: due soon from Friday morning, the day it is due.
    one_day = started("1wd", THU, end_of(D(2023, 6, 2)))
    assert due_status(one_day.due_at, at(D(2023, 6, 1), 18), CAL, one_day) == "on_track"
    assert due_status(one_day.due_at, at(D(2023, 6, 2), 8), CAL, one_day) == "due_soon"


def test_hour_clocks_are_due_soon_in_their_last_hours_not_by_working_days() -> None:
    # 24 hours from Thursday 09:00: Friday 09:00 is the next working day, which the deadline-
    # only rule calls due soon at once; by the clock, only the last four hours are.
    urgent = started("24h", THU, at(D(2023, 6, 2), 9))
    assert due_status(urgent.due_at, THU, CAL) == "due_soon"
    assert due_status(urgent.due_at, at(D(2023, 6, 2), 4), CAL, urgent) == "on_track"
    assert due_status(urgent.due_at, at(D(2023, 6, 2), 5, 30), CAL, urgent) == "due_soon"


def test_long_clocks_keep_the_working_day_window() -> None:
    # 5 working days to Thursday 6/8: due soon from Wednesday 6/7 (one working day left).
    handle = started("5wd", THU, end_of(D(2023, 6, 8)))
    assert due_status(handle.due_at, at(D(2023, 6, 6), 17), CAL, handle) == "on_track"
    assert due_status(handle.due_at, at(D(2023, 6, 7), 9), CAL, handle) == "due_soon"


def test_a_suspended_clock_or_a_window_not_begun_is_not_due_soon() -> None:
    held = started("1wd", THU, end_of(D(2023, 6, 1)))
    held = ClockRecord(**{**vars(held), "suspended_at": THU, "remaining": "1wd"})
    assert due_status(held.due_at, at(D(2023, 6, 1), 20), CAL, held) == "on_track"
    later = started("1wd", at(D(2023, 6, 2)), end_of(D(2023, 6, 2)))
    assert due_status(later.due_at, at(D(2023, 6, 1), 20), CAL, later) == "on_track"


def test_the_extension_granted_reads_in_the_limits_days() -> None:
    from fazhi.domain.durations import extension_label

    assert extension_label("5wd", 3) == "延期3个工作日"
    assert extension_label("30cd", 10) == "延期10日"
    assert extension_label("24h", 2) == "延期2个工作日"  # hour limits grow by working days
    assert extension_label("5wd", 0) == ""
