"""WorkCalendar as a specification of the counting rules in docs/deadlines.md."""

from __future__ import annotations

import pickle
import time
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.domain.calendar import CalendarYearUnknown, DayOverride, WorkCalendar

CAL = WorkCalendar()
D = date


# --- counting rules -----------------------------------------------------------------------


def test_event_day_is_not_counted_counting_starts_next_day() -> None:
    # Monday 2024-03-04: one working day later is Tuesday, not Monday itself.
    assert CAL.add_workdays(D(2024, 3, 4), 1) == D(2024, 3, 5)


def test_weekends_are_not_working_days() -> None:
    # Friday + 1 WD skips Saturday and Sunday.
    assert CAL.add_workdays(D(2024, 3, 8), 1) == D(2024, 3, 11)


def test_event_on_a_holiday_counts_from_the_next_working_day() -> None:
    # 2023-10-01 is inside 中秋+国庆 (9/29–10/6); 10/7 is a make-up Saturday.
    assert CAL.add_workdays(D(2023, 10, 1), 1) == D(2023, 10, 7)


def test_add_workdays_across_national_day_2023() -> None:
    # 9/29–10/6 off; 10/7(1) 10/8(2) 10/9–13(3–7) 10/16–20(8–12) 10/23–27(13–17)
    # 10/30(18) 10/31(19) 11/1(20).
    assert CAL.add_workdays(D(2023, 9, 28), 20) == D(2023, 11, 1)


def test_make_up_saturday_counts_as_a_working_day() -> None:
    # 2024-05-11 is a Saturday worked for 劳动节.
    assert CAL.add_workdays(D(2024, 5, 10), 1) == D(2024, 5, 11)
    assert CAL.is_workday(D(2024, 5, 11))


def test_make_up_sunday_counts_as_a_working_day() -> None:
    assert CAL.is_workday(D(2023, 6, 25))  # 端午 2023
    assert CAL.add_workdays(D(2023, 6, 21), 1) == D(2023, 6, 25)


def test_spring_festival_2024_eve_is_a_working_day_and_make_up_sunday_follows() -> None:
    # 除夕 2/9 is only "encouraged" off; holiday 2/10–17; 2/18 (Sunday) is worked.
    assert CAL.add_workdays(D(2024, 2, 8), 1) == D(2024, 2, 9)
    assert CAL.add_workdays(D(2024, 2, 9), 1) == D(2024, 2, 18)
    # 2/9(1) 2/18(2) 2/19(3) 2/20(4) 2/21(5)
    assert CAL.add_workdays(D(2024, 2, 8), 5) == D(2024, 2, 21)
    # 2/4 (Sunday) before the festival is worked too.
    assert CAL.add_workdays(D(2024, 2, 2), 1) == D(2024, 2, 4)


def test_spring_festival_2025() -> None:
    # 1/26 (Sunday) worked; 1/28–2/4 off; 2/8 (Saturday) worked.
    assert CAL.add_workdays(D(2025, 1, 24), 1) == D(2025, 1, 26)
    # 1/26(1) 1/27(2) 2/5(3)
    assert CAL.add_workdays(D(2025, 1, 24), 3) == D(2025, 2, 5)
    # 2/5(1) 2/6(2) 2/7(3) 2/8 Sat(4) 2/10(5) 2/11(6) 2/12(7)
    assert CAL.add_workdays(D(2025, 1, 27), 7) == D(2025, 2, 12)


def test_spring_festival_2026() -> None:
    # 2/13(1) 2/14 Sat(2); 2/15–23 off; 2/24(3) 2/25(4) 2/26(5)
    assert CAL.add_workdays(D(2026, 2, 12), 5) == D(2026, 2, 26)
    # 2/14(1) 2/24–27(2–5) 2/28 Sat(6) 3/2–6(7–11) 3/9–13(12–16) 3/16–19(17–20)
    assert CAL.add_workdays(D(2026, 2, 13), 20) == D(2026, 3, 19)


def test_new_year_2026_make_up_sunday() -> None:
    # 1/1–3 off, 1/4 (Sunday) worked.
    assert CAL.add_workdays(D(2025, 12, 31), 1) == D(2026, 1, 4)


def test_add_workdays_across_year_end() -> None:
    # 12/31(1), 1/1 元旦, 1/2(2), 1/3(3)
    assert CAL.add_workdays(D(2024, 12, 30), 3) == D(2025, 1, 3)


@pytest.mark.parametrize("n", [0, -1])
def test_add_workdays_needs_a_positive_count(n: int) -> None:
    with pytest.raises(ValueError):
        CAL.add_workdays(D(2024, 3, 4), n)


def test_calendar_days_count_every_day_when_the_last_day_is_a_working_day() -> None:
    # Friday 3/1 + 18 days = Tuesday 3/19.
    assert CAL.add_calendar_days(D(2024, 3, 1), 18) == D(2024, 3, 19)


def test_calendar_days_roll_forward_from_a_weekend() -> None:
    # 3/1 + 15 = Saturday 3/16 → Monday 3/18.
    assert CAL.add_calendar_days(D(2024, 3, 1), 15) == D(2024, 3, 18)


def test_calendar_days_roll_forward_from_a_holiday_onto_a_make_up_day() -> None:
    # 9/14 + 15 = 9/29 (holiday) → next working day is make-up Saturday 10/7.
    assert CAL.add_calendar_days(D(2023, 9, 14), 15) == D(2023, 10, 7)


def test_calendar_days_roll_forward_over_national_day_2025() -> None:
    # 9/16 + 15 = 10/1; 10/1–8 off → Thursday 10/9.
    assert CAL.add_calendar_days(D(2025, 9, 16), 15) == D(2025, 10, 9)


def test_sixty_calendar_days_ending_in_spring_festival_2025() -> None:
    # Reconsideration decision: 2024-12-02 + 60 = 2025-01-31 (holiday) → 2/5.
    assert CAL.add_calendar_days(D(2024, 12, 2), 60) == D(2025, 2, 5)


def test_add_calendar_days_rejects_negative() -> None:
    with pytest.raises(ValueError):
        CAL.add_calendar_days(D(2024, 3, 1), -1)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2024, 11, 10), 3, D(2025, 2, 10)),  # same day of month
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # clamped to month end, leap year
        (D(2023, 1, 31), 1, D(2023, 2, 28)),  # clamped, common year
        (D(2023, 12, 31), 2, D(2024, 2, 29)),  # across year end
        (D(2025, 7, 1), 3, D(2025, 10, 9)),  # lands on 国庆 → rolled forward
        (D(2024, 3, 16), 3, D(2024, 6, 17)),  # 6/16 Sunday → Monday
    ],
)
def test_add_months_same_day_clamped_then_rolled_forward(
    start: date, n: int, expected: date
) -> None:
    assert CAL.add_months(start, n) == expected


def test_workdays_between_counts_days_after_a_up_to_b() -> None:
    assert CAL.workdays_between(D(2023, 9, 28), D(2023, 11, 1)) == 20
    assert CAL.workdays_between(D(2023, 9, 28), D(2023, 10, 6)) == 0
    assert CAL.workdays_between(D(2024, 2, 9), D(2024, 2, 18)) == 1
    assert CAL.workdays_between(D(2024, 3, 4), D(2024, 3, 4)) == 0


def test_workdays_between_is_negative_when_overdue() -> None:
    assert CAL.workdays_between(D(2023, 11, 1), D(2023, 9, 28)) == -20


def test_workdays_between_across_years() -> None:
    # (2024-12-30, 2025-01-03]: 12/31, 1/2, 1/3
    assert CAL.workdays_between(D(2024, 12, 30), D(2025, 1, 3)) == 3


def test_next_workday_is_strictly_after() -> None:
    assert CAL.next_workday(D(2024, 3, 4)) == D(2024, 3, 5)
    assert CAL.next_workday(D(2023, 9, 28)) == D(2023, 10, 7)


def test_roll_forward_keeps_a_working_day_and_moves_a_day_off() -> None:
    assert CAL.roll_forward(D(2024, 3, 4)) == D(2024, 3, 4)
    assert CAL.roll_forward(D(2023, 10, 1)) == D(2023, 10, 7)
    assert CAL.roll_forward(D(2024, 3, 9)) == D(2024, 3, 11)


# --- unknown years: refuse, never guess -----------------------------------------------------

MSG_2027 = "没有2027年的节假日安排，无法计算期限；请先导入国务院办公厅2027年节假日安排通知"


def test_builtin_knows_2004_to_2026_and_not_2027() -> None:
    years = CAL.known_years()
    assert {2004, 2023, 2024, 2025, 2026} <= years
    assert 2027 not in years


def test_unknown_year_raises_with_chinese_message() -> None:
    with pytest.raises(CalendarYearUnknown) as info:
        CAL.is_workday(D(2027, 1, 4))
    assert info.value.year == 2027
    assert info.value.code == "calendar_year_unknown"
    assert str(info.value) == MSG_2027


def test_counting_into_an_unknown_year_raises() -> None:
    # 12/29(1) 12/30(2) 12/31(3), the 4th working day would be in 2027.
    assert CAL.add_workdays(D(2026, 12, 28), 3) == D(2026, 12, 31)
    with pytest.raises(CalendarYearUnknown) as info:
        CAL.add_workdays(D(2026, 12, 28), 5)
    assert info.value.year == 2027
    with pytest.raises(CalendarYearUnknown):
        CAL.add_calendar_days(D(2026, 12, 20), 15)
    with pytest.raises(CalendarYearUnknown):
        CAL.add_months(D(2026, 11, 1), 3)
    with pytest.raises(CalendarYearUnknown):
        CAL.workdays_between(D(2026, 12, 1), D(2027, 1, 5))
    with pytest.raises(CalendarYearUnknown):
        CAL.next_workday(D(2026, 12, 31))


def test_calendar_year_unknown_survives_pickling() -> None:
    err = pickle.loads(pickle.dumps(CalendarYearUnknown(2027)))
    assert err.year == 2027
    assert str(err) == MSG_2027


def test_without_builtin_every_year_is_unknown() -> None:
    cal = WorkCalendar(use_builtin=False)
    assert cal.known_years() == frozenset()
    with pytest.raises(CalendarYearUnknown):
        cal.is_workday(D(2024, 3, 4))


def test_imported_2027_overrides_make_the_year_known() -> None:
    overrides = [
        DayOverride(D(2027, 1, 1), "holiday", "元旦"),
        DayOverride(D(2027, 2, 20), "workday", "春节"),
    ]
    cal = WorkCalendar(overrides, override_years=[2027])
    assert 2027 in cal.known_years()
    assert not cal.is_workday(D(2027, 1, 1))  # Friday, holiday
    assert cal.is_workday(D(2027, 2, 20))  # Saturday, make-up
    assert cal.is_workday(D(2027, 1, 4))  # plain Monday
    assert not cal.is_workday(D(2027, 1, 9))  # plain Saturday
    # 12/29(1) 12/30(2) 12/31(3), 1/1 off, weekend, 1/4(4) 1/5(5)
    assert cal.add_workdays(D(2026, 12, 28), 5) == D(2027, 1, 5)


def test_override_rows_for_an_unknown_year_do_not_make_it_known() -> None:
    # Only an imported notice (override_years) vouches for the whole year.
    cal = WorkCalendar([DayOverride(D(2027, 1, 1), "holiday", "元旦")])
    with pytest.raises(CalendarYearUnknown):
        cal.is_workday(D(2027, 1, 4))


def test_overrides_beat_builtin() -> None:
    cal = WorkCalendar(
        [
            DayOverride(D(2025, 3, 3), "holiday", "台风停工"),  # a Monday
            DayOverride(D(2025, 3, 8), "workday", "补班"),  # a Saturday
            DayOverride(D(2025, 10, 8), "workday", "调整"),  # builtin holiday
        ]
    )
    assert not cal.is_workday(D(2025, 3, 3))
    assert cal.is_workday(D(2025, 3, 8))
    assert cal.is_workday(D(2025, 10, 8))
    assert cal.add_workdays(D(2025, 2, 28), 1) == D(2025, 3, 4)
    assert CAL.is_workday(D(2025, 3, 3))  # the default calendar is untouched


def test_conflicting_override_rows_are_refused() -> None:
    with pytest.raises(ValueError):
        WorkCalendar([DayOverride(D(2025, 3, 3), "holiday"), DayOverride(D(2025, 3, 3), "workday")])


def test_day_override_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError):
        DayOverride(D(2025, 3, 3), "vacation")  # type: ignore[arg-type]


def test_builtin_agrees_with_chinesecalendar_2023_to_2026() -> None:
    d = D(2023, 1, 1)
    while d <= D(2026, 12, 31):
        assert CAL.is_workday(d) == chinese_calendar.is_workday(d), d
        d += timedelta(days=1)


def test_fast_enough_for_thousands_of_deadlines_per_second() -> None:
    cal = WorkCalendar()
    starts = [D(2023, 1, 1) + timedelta(days=i % 1000) for i in range(10_000)]
    began = time.perf_counter()
    for i, start in enumerate(starts):
        cal.add_workdays(start, 1 + i % 60)
    # Generous bound so a slow CI box does not flake; typical runs are ~50x faster.
    assert time.perf_counter() - began < 2.0


# --- properties -----------------------------------------------------------------------------

starts = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 6, 1))
counts = st.integers(min_value=1, max_value=120)


def _naive_add_workdays(start: date, n: int) -> date:
    d = start
    while n:
        d += timedelta(days=1)
        n -= chinese_calendar.is_workday(d)
    return d


@given(starts, counts)
def test_add_workdays_lands_on_a_workday_strictly_after_start_n_workdays_away(
    start: date, n: int
) -> None:
    result = CAL.add_workdays(start, n)
    assert result > start
    assert CAL.is_workday(result)
    assert CAL.workdays_between(start, result) == n
    assert CAL.workdays_between(result, start) == -n


@given(starts, counts)
def test_add_workdays_matches_day_by_day_counting(start: date, n: int) -> None:
    assert CAL.add_workdays(start, n) == _naive_add_workdays(start, n)


@given(starts, counts)
def test_add_workdays_is_monotone_in_n(start: date, n: int) -> None:
    assert CAL.add_workdays(start, n) < CAL.add_workdays(start, n + 1)


@given(starts, st.integers(min_value=0, max_value=150))
def test_add_calendar_days_is_first_workday_on_or_after_start_plus_n(start: date, n: int) -> None:
    result = CAL.add_calendar_days(start, n)
    target = start + timedelta(days=n)
    assert result >= target
    assert CAL.is_workday(result)
    assert CAL.workdays_between(target - timedelta(days=1), result) == 1


@given(starts, starts, starts)
def test_workdays_between_is_additive(a: date, b: date, c: date) -> None:
    assert CAL.workdays_between(a, b) + CAL.workdays_between(b, c) == CAL.workdays_between(a, c)
