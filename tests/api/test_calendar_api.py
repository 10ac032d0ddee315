"""The working-day calendar over HTTP: counting, and importing a year's holiday notice.

Importing a notice changes the calendar for the whole server, which every test of the session
shares; the test that imports the (fictional) 2027 notice removes it again in a `finally`, so
2027 is unknown to every other test, as it is in production until the real notice is out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete

from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import CalendarDay, CalendarYear
from tests.api.flows import Desk, assert_error

ADD_WORKDAYS = "/api/v1/calendar/add-workdays"
ADD_DAYS = "/api/v1/calendar/add-days"
NOTICES = "/api/v1/calendar/notices"
NOTICE_2027 = (
    Path(__file__).parent.parent / "fixtures" / "notices" / "2027-fictional.txt"
).read_text(encoding="utf-8")


def due(desk: Desk, path: str, day: str, n: int) -> str:
    response = desk.operator.get(path, params={"date": day, "n": n})
    assert response.status_code == 200, response.text
    return str(response.json()["due_date"])


def test_20_working_days_after_september_28_2023_is_november_1(desk: Desk) -> None:
    body = desk.operator.get(ADD_WORKDAYS, params={"date": "2023-09-28", "n": 20}).json()
    assert body == {"start": "2023-09-28", "n": 20, "unit": "wd", "due_date": "2023-11-01"}


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        ("2023-09-28", 1, "2023-10-07"),  # make-up Saturday
        ("2023-09-28", 2, "2023-10-08"),  # make-up Sunday
        ("2023-06-21", 1, "2023-06-25"),  # 端午 6/22–24, make-up Sunday 6/25
        ("2023-06-02", 1, "2023-06-05"),  # an ordinary weekend
        ("2024-12-31", 1, "2025-01-02"),  # across a year: 元旦 2025-01-01
    ],
)
def test_working_days_skip_holidays_and_count_make_up_days(
    desk: Desk, day: str, n: int, expected: str
) -> None:
    assert due(desk, ADD_WORKDAYS, day, n) == expected


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        ("2023-09-28", 3, "2023-10-07"),  # 10/1 is a holiday: rolls to the next working day
        ("2023-06-01", 7, "2023-06-08"),  # lands on a working day: stays
        ("2023-06-01", 0, "2023-06-01"),
        ("2023-06-01", 2, "2023-06-05"),  # Saturday rolls to Monday
    ],
)
def test_calendar_days_roll_forward_when_the_last_day_is_not_a_working_day(
    desk: Desk, day: str, n: int, expected: str
) -> None:
    body = desk.operator.get(ADD_DAYS, params={"date": day, "n": n}).json()
    assert (body["unit"], body["due_date"]) == ("cd", expected)


def test_a_year_without_a_published_notice_is_refused_not_guessed(desk: Desk) -> None:
    body = assert_error(
        desk.operator.get(ADD_WORKDAYS, params={"date": "2027-03-01", "n": 1}),
        422,
        "calendar_year_unknown",
    )
    assert "2027年" in body["message"]
    # Counting from the end of a known year into the unknown one is refused the same way.
    assert_error(
        desk.operator.get(ADD_WORKDAYS, params={"date": "2026-12-28", "n": 10}),
        422,
        "calendar_year_unknown",
    )
    assert_error(
        desk.operator.get(ADD_DAYS, params={"date": "2026-12-28", "n": 10}),
        422,
        "calendar_year_unknown",
    )
    assert 2027 not in desk.operator.get("/api/v1/calendar/days").json()["known_years"]


@pytest.mark.parametrize(
    "params",
    [
        {"date": "2023-13-01", "n": 1},
        {"date": "yesterday", "n": 1},
        {"date": "2023-06-01", "n": 0},
        {"date": "2023-06-01", "n": 1001},
        {"date": "2023-06-01"},
        {"date": "9999-12-31", "n": 1},
    ],
)
def test_bad_calendar_parameters_are_422(desk: Desk, params: dict[str, object]) -> None:
    assert_error(desk.operator.get(ADD_WORKDAYS, params=params), 422)


def test_calendar_days_past_the_end_of_time_are_422(desk: Desk) -> None:
    assert_error(desk.operator.get(ADD_DAYS, params={"date": "9999-12-30", "n": 5}), 422)


@pytest.fixture
def forget_2027(platform: Platform) -> Iterator[None]:
    """Whatever the test did, 2027 is unknown again afterwards (no API forgets a year)."""
    try:
        yield
    finally:
        with transaction(platform.sessions) as session:
            session.execute(
                delete(CalendarDay).where(
                    CalendarDay.day >= date(2027, 1, 1), CalendarDay.day <= date(2027, 12, 31)
                )
            )
            session.execute(delete(CalendarYear).where(CalendarYear.year == 2027))
        platform.forget_calendar()


def test_an_admin_previews_then_imports_a_notice_and_the_year_becomes_computable(
    desk: Desk, forget_2027: None
) -> None:
    admin = desk["admin"]
    preview = admin.post(NOTICES, json={"text": NOTICE_2027, "save": False})
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["year"], body["saved"], body["days_saved"]) == (2027, False, 0)
    assert {"name": "国庆节", "first": "2027-10-01", "last": "2027-10-07"} in body["holidays"]
    assert {"date": "2027-10-09", "name": "国庆节"} in body["workdays"]
    assert body["summary"]
    # A preview saves nothing.
    assert_error(
        desk.operator.get(ADD_WORKDAYS, params={"date": "2027-09-30", "n": 1}),
        422,
        "calendar_year_unknown",
    )

    saved = admin.post(NOTICES, json={"text": NOTICE_2027, "save": True})
    assert saved.status_code == 200, saved.text
    assert saved.json()["saved"] is True and saved.json()["days_saved"] > 0
    assert 2027 in desk.operator.get("/api/v1/calendar/days").json()["known_years"]
    # 10/1–7 off; Friday 10/8 works; Saturday 10/9 is a make-up working day.
    assert due(desk, ADD_WORKDAYS, "2027-09-30", 1) == "2027-10-08"
    assert due(desk, ADD_WORKDAYS, "2027-09-30", 2) == "2027-10-09"
    # Sunday 9/26 is a make-up working day too.
    assert due(desk, ADD_WORKDAYS, "2027-09-24", 1) == "2027-09-26"
    # And an order dispatched at the end of 2026 now gets its clock.
    assert due(desk, ADD_WORKDAYS, "2026-12-28", 10) == "2027-01-12"


def test_only_an_admin_may_import_a_notice(desk: Desk) -> None:
    for username in ("operator1", "supervisor1", "leader1", "cgj_leader"):
        response = desk[username].post(NOTICES, json={"text": NOTICE_2027, "save": True})
        assert_error(response, 403, "forbidden_role")
    assert_error(
        desk.operator.get(ADD_WORKDAYS, params={"date": "2027-03-01", "n": 1}),
        422,
        "calendar_year_unknown",
    )


def test_a_text_that_is_not_a_notice_is_422_on_text(desk: Desk) -> None:
    body = assert_error(
        desk["admin"].post(NOTICES, json={"text": "今天天气很好", "save": False}), 422
    )
    assert body["field"] == "text"


def test_an_admin_override_of_a_single_day_changes_counting_until_removed(
    desk: Desk, platform: Platform
) -> None:
    admin = desk["admin"]
    assert due(desk, ADD_WORKDAYS, "2025-06-05", 1) == "2025-06-06"
    try:
        response = admin.http.put(
            "/api/v1/calendar/days/2025-06-06", json={"kind": "holiday", "name": "测试调整"}
        )
        assert response.status_code == 200, response.text
        assert due(desk, ADD_WORKDAYS, "2025-06-05", 1) == "2025-06-09"
        assert_error(
            desk.operator.http.put("/api/v1/calendar/days/2025-06-06", json={"kind": "holiday"}),
            403,
            "forbidden_role",
        )
    finally:
        removed = admin.http.delete("/api/v1/calendar/days/2025-06-06")
        assert removed.status_code == 200, removed.text
    assert due(desk, ADD_WORKDAYS, "2025-06-05", 1) == "2025-06-06"
    assert_error(admin.http.delete("/api/v1/calendar/days/2025-06-06"), 404, "not_found")
