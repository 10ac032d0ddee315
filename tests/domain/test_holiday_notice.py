"""Parsing the State Council's yearly holiday notice into calendar overrides."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.holiday_notice import (
    HolidayPeriod,
    NoticeArrangement,
    NoticeParseError,
    parse_notice,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "notices"
D = date


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def H(name: str, first: date, last: date | None = None) -> HolidayPeriod:
    return HolidayPeriod(name, first, last or first)


# The official arrangements; deadlines.md lists the multi-day breaks and every make-up day.
EXPECTED: dict[int, tuple[list[HolidayPeriod], list[tuple[date, str]]]] = {
    2023: (
        [
            H("元旦", D(2022, 12, 31), D(2023, 1, 2)),
            H("春节", D(2023, 1, 21), D(2023, 1, 27)),
            H("清明节", D(2023, 4, 5)),
            H("劳动节", D(2023, 4, 29), D(2023, 5, 3)),
            H("端午节", D(2023, 6, 22), D(2023, 6, 24)),
            H("中秋节、国庆节", D(2023, 9, 29), D(2023, 10, 6)),
        ],
        [
            (D(2023, 1, 28), "春节"),
            (D(2023, 1, 29), "春节"),
            (D(2023, 4, 23), "劳动节"),
            (D(2023, 5, 6), "劳动节"),
            (D(2023, 6, 25), "端午节"),
            (D(2023, 10, 7), "中秋节、国庆节"),
            (D(2023, 10, 8), "中秋节、国庆节"),
        ],
    ),
    2024: (
        [
            H("元旦", D(2024, 1, 1)),
            H("春节", D(2024, 2, 10), D(2024, 2, 17)),
            H("清明节", D(2024, 4, 4), D(2024, 4, 6)),
            H("劳动节", D(2024, 5, 1), D(2024, 5, 5)),
            H("端午节", D(2024, 6, 10)),
            H("中秋节", D(2024, 9, 15), D(2024, 9, 17)),
            H("国庆节", D(2024, 10, 1), D(2024, 10, 7)),
        ],
        [
            (D(2024, 2, 4), "春节"),
            (D(2024, 2, 18), "春节"),
            (D(2024, 4, 7), "清明节"),
            (D(2024, 4, 28), "劳动节"),
            (D(2024, 5, 11), "劳动节"),
            (D(2024, 9, 14), "中秋节"),
            (D(2024, 9, 29), "国庆节"),
            (D(2024, 10, 12), "国庆节"),
        ],
    ),
    2025: (
        [
            H("元旦", D(2025, 1, 1)),
            H("春节", D(2025, 1, 28), D(2025, 2, 4)),
            H("清明节", D(2025, 4, 4), D(2025, 4, 6)),
            H("劳动节", D(2025, 5, 1), D(2025, 5, 5)),
            H("端午节", D(2025, 5, 31), D(2025, 6, 2)),
            H("国庆节、中秋节", D(2025, 10, 1), D(2025, 10, 8)),
        ],
        [
            (D(2025, 1, 26), "春节"),
            (D(2025, 2, 8), "春节"),
            (D(2025, 4, 27), "劳动节"),
            (D(2025, 9, 28), "国庆节、中秋节"),
            (D(2025, 10, 11), "国庆节、中秋节"),
        ],
    ),
    2026: (
        [
            H("元旦", D(2026, 1, 1), D(2026, 1, 3)),
            H("春节", D(2026, 2, 15), D(2026, 2, 23)),
            H("清明节", D(2026, 4, 4), D(2026, 4, 6)),
            H("劳动节", D(2026, 5, 1), D(2026, 5, 5)),
            H("端午节", D(2026, 6, 19), D(2026, 6, 21)),
            H("中秋节", D(2026, 9, 25), D(2026, 9, 27)),
            H("国庆节", D(2026, 10, 1), D(2026, 10, 7)),
        ],
        [
            (D(2026, 1, 4), "元旦"),
            (D(2026, 2, 14), "春节"),
            (D(2026, 2, 28), "春节"),
            (D(2026, 5, 9), "劳动节"),
            (D(2026, 9, 20), "国庆节"),
            (D(2026, 10, 10), "国庆节"),
        ],
    ),
}

YEARS = sorted(EXPECTED)


@pytest.mark.parametrize("year", YEARS)
def test_fixture_parses_to_the_official_arrangement(year: int) -> None:
    arrangement = parse_notice(fixture(f"{year}.txt"))
    holidays, workdays = EXPECTED[year]
    assert arrangement.year == year
    assert list(arrangement.holidays) == holidays
    assert list(arrangement.workdays) == workdays


@pytest.mark.parametrize("year", YEARS)
def test_fixture_overrides_reproduce_chinesecalendar_for_the_whole_year(year: int) -> None:
    arrangement = parse_notice(fixture(f"{year}.txt"))
    cal = WorkCalendar(arrangement.overrides(), override_years=[year], use_builtin=False)
    d = D(year, 1, 1)
    while d.year == year:
        assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
        d += timedelta(days=1)


def test_overrides_list_every_holiday_day_and_every_make_up_day() -> None:
    rows = parse_notice(fixture("2023.txt")).overrides()
    holidays = [r for r in rows if r.kind == "holiday"]
    workdays = [r for r in rows if r.kind == "workday"]
    assert len(holidays) == 3 + 7 + 1 + 5 + 3 + 8
    assert holidays[0].day == D(2022, 12, 31) and holidays[0].name == "元旦"
    assert [r.day for r in workdays] == [d for d, _ in EXPECTED[2023][1]]


def test_summary_lines_show_what_was_understood() -> None:
    lines = parse_notice(fixture("2023.txt")).summary_lines()
    assert lines[1] == "春节：2023-01-21 至 2023-01-27 放假（7天）；调休上班 2023-01-28、2023-01-29"
    assert lines[2] == "清明节：2023-04-05 放假（1天）"
    assert lines[0] == "元旦：2022-12-31 至 2023-01-02 放假（3天）"


def test_eve_mentioned_as_encouraged_rest_is_not_a_holiday() -> None:
    # 2024: "鼓励……安排职工在除夕（2月9日）休息" is advice, not an arrangement.
    arrangement = parse_notice(fixture("2024.txt"))
    days = {r.day for r in arrangement.overrides()}
    assert D(2024, 2, 9) not in days


def test_fictional_2027_fixture_is_marked_and_parses() -> None:
    text = fixture("2027-fictional.txt")
    assert text.startswith("#") and "FICTIONAL" in text.splitlines()[0]
    arrangement = parse_notice(text)
    assert arrangement.year == 2027
    assert H("春节", D(2027, 2, 5), D(2027, 2, 13)) in arrangement.holidays
    assert (D(2027, 2, 20), "春节") in arrangement.workdays


def test_imported_2027_notice_lets_deadlines_run_into_2027() -> None:
    arrangement = parse_notice(fixture("2027-fictional.txt"))
    cal = WorkCalendar(arrangement.overrides(), override_years=[arrangement.year])
    # 12/29(1) 12/30(2) 12/31(3); fictional 1/1–3 off; 1/4(4) 1/5(5)
    assert cal.add_workdays(D(2026, 12, 28), 5) == D(2027, 1, 5)
    assert cal.is_workday(D(2027, 2, 20))
    assert not cal.is_workday(D(2027, 6, 9))


# --- tolerated variations ------------------------------------------------------------------

TITLE = "国务院办公厅关于2023年部分节假日安排的通知\n"


def test_half_width_punctuation() -> None:
    table = str.maketrans({"：": ":", "，": ",", "（": "(", "）": ")", "。": ";"})
    arrangement = parse_notice(fixture("2023.txt").translate(table))
    assert list(arrangement.holidays) == EXPECTED[2023][0]
    assert list(arrangement.workdays) == EXPECTED[2023][1]


def test_semicolon_separators_and_scattered_whitespace() -> None:
    text = TITLE + (
        "二、春节 ：1月21日\n至 27日放假调休，\n共 7 天；"
        "1月28日（星期六）、\n 1月29日（星期日）上班；"
    )
    arrangement = parse_notice(text)
    assert arrangement.holidays == (H("春节", D(2023, 1, 21), D(2023, 1, 27)),)
    assert arrangement.workdays == ((D(2023, 1, 28), "春节"), (D(2023, 1, 29), "春节"))


def test_full_width_digits() -> None:
    arrangement = parse_notice(TITLE + "三、清明节：４月５日放假，共１天。")
    assert arrangement.holidays == (H("清明节", D(2023, 4, 5)),)


def test_end_date_with_and_without_month() -> None:
    title = "关于2026年部分节假日安排的通知 "
    with_month = parse_notice(title + "二、春节：2月15日至2月23日放假调休，共9天。")
    without = parse_notice(title + "二、春节：2月15日至23日放假调休，共9天。")
    assert with_month.holidays == without.holidays == (H("春节", D(2026, 2, 15), D(2026, 2, 23)),)


def test_new_year_range_without_years_starts_in_the_previous_year() -> None:
    arrangement = parse_notice(TITLE + "一、元旦：12月31日至1月2日放假调休，共3天。")
    assert arrangement.holidays == (H("元旦", D(2022, 12, 31), D(2023, 1, 2)),)


def test_make_up_day_with_explicit_previous_year() -> None:
    text = (
        "关于2019年部分节假日安排的通知\n一、元旦：2018年12月30日至2019年1月1日放假调休，"
        "共3天。2018年12月29日（星期六）上班。"
    )
    arrangement = parse_notice(text)
    assert arrangement.workdays == ((D(2018, 12, 29), "元旦"),)


def test_make_up_list_with_month_omitted_and_each_day_marked() -> None:
    a = parse_notice(TITLE + "二、春节：1月21日至27日放假调休，共7天。1月28日、29日上班。")
    b = parse_notice(TITLE + "二、春节：1月21日至27日放假调休，共7天。1月28日上班、1月29日上班。")
    expected = ((D(2023, 1, 28), "春节"), (D(2023, 1, 29), "春节"))
    assert a.workdays == b.workdays == expected


def test_single_day_without_total() -> None:
    arrangement = parse_notice("关于2024年部分节假日安排的通知 一、元旦：1月1日放假，与周末连休。")
    assert arrangement.holidays == (H("元旦", D(2024, 1, 1)),)
    assert arrangement.workdays == ()


def test_year_from_preamble_when_title_is_missing() -> None:
    text = (
        "经国务院批准，现将2025年元旦放假调休日期的具体安排通知如下。"
        "一、元旦：1月1日（周三）放假1天，不调休。"
    )
    assert parse_notice(text).year == 2025


def test_comment_lines_are_ignored() -> None:
    text = "# 一、元旦：1月5日至9日放假，共5天。\n" + TITLE + "三、清明节：4月5日放假，共1天。"
    assert parse_notice(text).holidays == (H("清明节", D(2023, 4, 5)),)


def test_arrangement_is_a_plain_value() -> None:
    a = parse_notice(TITLE + "三、清明节：4月5日放假，共1天。")
    assert a == NoticeArrangement(2023, (H("清明节", D(2023, 4, 5)),), ())


# --- refusals --------------------------------------------------------------------------------


def _refused(text: str) -> NoticeParseError:
    with pytest.raises(NoticeParseError) as info:
        parse_notice(text)
    assert info.value.code == "notice_unreadable"
    return info.value


def test_garbage_text_is_refused_for_missing_year() -> None:
    err = _refused("今天天气很好，我们去公园散步吧。")
    assert "年份" in str(err)


def test_notice_without_items_is_refused() -> None:
    err = _refused(TITLE + "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：另行通知。")
    assert "放假条目" in str(err)


def test_wrong_total_is_refused() -> None:
    err = _refused(TITLE + "二、春节：1月21日至27日放假调休，共8天。")
    assert "共8天" in str(err) and "7天" in str(err) and "春节" in str(err)


def test_wrong_single_day_total_is_refused() -> None:
    _refused("关于2025年部分节假日安排的通知 一、元旦：1月1日（周三）放假2天，不调休。")


def test_make_up_day_inside_a_holiday_is_refused() -> None:
    err = _refused(TITLE + "二、春节：1月21日至27日放假调休，共7天。1月25日（星期三）上班。")
    assert "2023-01-25" in str(err) and "放假期间" in str(err)


def test_item_without_readable_dates_is_refused() -> None:
    err = _refused(TITLE + "三、清明节：具体日期另行通知。")
    assert "清明节" in str(err)


def test_impossible_date_is_refused() -> None:
    err = _refused(TITLE + "二、春节：2月30日放假，共1天。")
    assert "2月30日" in str(err)


def test_overlapping_holidays_are_refused() -> None:
    _refused(TITLE + "一、春节：1月21日至27日放假，共7天。二、元宵：1月27日放假，共1天。")
