"""Limits as written in type files, and when they run out (month rules: 民法典 第二百零二、
二百零三条 — the corresponding day, or the month's last day; a holiday rolls forward)."""

from __future__ import annotations

from datetime import date

import pytest

from fazhi.domain.durations import Duration, due_at, local_date, shift_months
from tests.domain.typekit import CAL, at, end_of

D = date


def months(start: date, n: int) -> date:
    return local_date(due_at(at(start), Duration(n, "mo"), CAL))


def test_a_month_ends_on_the_corresponding_day() -> None:
    assert months(D(2023, 3, 15), 1) == D(2023, 4, 17)  # 4/15 is a Saturday: rolled to Monday
    assert months(D(2023, 6, 5), 1) == D(2023, 7, 5)
    assert months(D(2023, 4, 30), 1) == D(2023, 5, 30)  # not snapped to the month's end


def test_a_month_without_the_corresponding_day_ends_on_its_last_day() -> None:
    assert months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert months(D(2024, 1, 31), 1) == D(2024, 2, 29)  # a leap year
    assert months(D(2023, 8, 31), 3) == D(2023, 11, 30)


def test_months_across_a_year_end_and_from_a_leap_day() -> None:
    assert months(D(2023, 11, 30), 3) == D(2024, 2, 29)
    assert months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert shift_months(D(2024, 2, 29), 48) == D(2028, 2, 29)


def test_a_month_ending_in_a_holiday_ends_the_day_after_it() -> None:
    # 2023-10-01 lies in 9/29–10/6; 10/7 is the day after the holiday (a make-up Saturday).
    assert months(D(2023, 9, 1), 1) == D(2023, 10, 7)


def test_a_month_limit_runs_to_the_end_of_the_day() -> None:
    assert due_at(at(D(2023, 1, 31), 15), Duration(1, "mo"), CAL) == end_of(D(2023, 2, 28))


def test_seconds_are_a_unit_for_what_a_suspended_hour_clock_has_left() -> None:
    assert Duration.parse("5400s") == Duration(5400, "s")
    assert due_at(at(D(2023, 6, 1)), Duration(5400, "s"), CAL) == at(D(2023, 6, 1), 10, 30)
    assert Duration.parse("30min").unit == "min"  # still minutes, not "30mi" + "n"


@pytest.mark.parametrize(
    ("text", "unit_label", "label"),
    [
        ("5wd", "工作日", "5个工作日"),
        ("20cd", "日", "20日"),
        ("3mo", "月", "3个月"),
        ("24h", "小时", "24小时"),
        ("30min", "分钟", "30分钟"),
    ],
)
def test_every_limit_names_the_unit_it_counts_in(text: str, unit_label: str, label: str) -> None:
    duration = Duration.parse(text)
    assert (duration.unit_label, duration.label, str(duration)) == (unit_label, label, text)


def test_an_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="时限格式无法识别"):
        Duration.parse("3w")


@pytest.mark.parametrize(
    ("typed", "limit"),
    [
        ("5个工作日", "5wd"),
        ("5工作日", "5wd"),
        ("30分钟", "30min"),
        ("24小时", "24h"),
        ("20日", "20cd"),
        ("20天", "20cd"),
        ("3个月", "3mo"),
        (" 5wd ", "5wd"),
    ],
)
def test_a_limit_is_typed_in_chinese_or_in_the_short_form(typed: str, limit: str) -> None:
    duration = Duration.from_text(typed)
    assert str(duration) == limit
    assert Duration.from_text(duration.label) == duration  # the label reads back


def test_an_unreadable_limit_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="应写作 30分钟、24小时、5个工作日"):
        Duration.from_text("五天")
