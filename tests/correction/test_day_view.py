"""The officer's day view of a chosen date (default today): a past day's status of each subject
is that day's — its check-in (on time, late, out of the area, unverifiable) or none (missing),
the leave it was on, the anomalies raised for it — not today's fields; a future date is
refused with a Chinese message, in the API, its CSV and on the console page."""

from __future__ import annotations

from typing import Any

from fazhi.actions.platform import Platform
from fazhi.correction.demo.people import box
from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.correction.support import (
    OFFICER,
    OUTSIDE,
    at,
    check_in,
    local,
    schedule,
    supervised,
)
from tests.support import FakeClock, ServerThread
from tests.web.conftest import Console

DAY = "/api/v1/correction/day"


def _mine(day: dict[str, Any], ids: list[int]) -> dict[int, dict[str, Any]]:
    return {s["id"]: s for s in day["subjects"] if s["id"] in ids}


def test_a_past_day_is_told_from_that_days_check_ins_leave_and_anomalies(
    login: Login, clock: FakeClock, server: ServerThread, platform: Platform, fresh_schedule: None
) -> None:
    officer = login(OFFICER)
    subjects = [supervised(officer, clock, "2023-10-16") for _ in range(4)]
    ids = [s[0] for s in subjects]
    on_time, late, missed, away = subjects
    leave_id = ids[0]
    officer.act(
        leave_id,
        "request_leave",
        requested_from="2023-10-16",
        requested_until="2023-10-16",
        requested_destination="长沙市（测试）",
        requested_reason="就医（测试）",
        requested_area=box((112.98, 28.20), 0.05),
    )
    officer.act(leave_id, "approve_leave")
    at(clock, "2023-10-16", 9, 0)
    assert check_in(server, *on_time[1:], (112.98, 28.20)).status_code == 201  # on leave, inside
    at(clock, "2023-10-16", 11, 30)
    assert check_in(server, *late[1:]).json()["late"] is True
    assert check_in(server, *away[1:], OUTSIDE).json()["result"] == "outside"
    schedule(platform, local("2023-10-17", 0, 30))  # the night raises the day's anomalies
    at(clock, "2023-10-17", 9, 0)
    officer.act(leave_id, "end_leave")
    for _case_id, device, token in subjects:  # 10/17: all four check in on time, at home
        assert check_in(server, device, token).status_code == 201

    at(clock, "2023-10-18", 8, 0)  # before the deadline: today every one is pending
    today = _mine(officer.get(DAY).json(), ids)
    assert {s["status"] for s in today.values()} == {"pending"}
    past = officer.get(DAY, params={"date": "2023-10-16"}).json()
    assert past["day"] == "2023-10-16"
    mine = _mine(past, ids)
    assert [mine[i]["status"] for i in ids] == ["checked_in", "late", "missing", "out_of_area"]
    assert mine[leave_id]["on_leave"] is True
    assert mine[leave_id]["last_position"]["lon"] == 112.98  # that day's position, not today's
    assert mine[late[0]]["last_check_in_at"].startswith("2023-10-16T11:30")
    assert mine[missed[0]]["last_check_in_at"] is None and mine[missed[0]]["last_position"] is None
    kinds = {(a["subject_case"], a["kind"], a["day"]) for a in past["anomalies"]}
    assert {
        (late[0], "late", "2023-10-16"),
        (missed[0], "missed", "2023-10-16"),
        (away[0], "out_of_area", "2023-10-16"),
    } <= kinds
    assert [a["kind"] for a in mine[missed[0]]["anomalies"]] == ["missed"]
    assert mine[on_time[0]]["anomalies"] == []
    assert past["counts"]["missing"] >= 1 and past["counts"]["pending"] == 0
    # The day after: all on time, nobody on leave any more.
    after = _mine(officer.get(DAY, params={"date": "2023-10-17"}).json(), ids)
    assert {s["status"] for s in after.values()} == {"checked_in"}
    assert not any(s["on_leave"] for s in after.values())


def test_a_subject_not_yet_registered_or_reported_that_day_is_shown_as_it_was(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    case_id, _, _ = supervised(officer, clock, "2023-10-24")
    before = officer.get(DAY, params={"date": "2023-10-23"}).json()
    assert case_id not in _mine(before, [case_id])  # registered on 10/24
    at(clock, "2023-10-26", 9)
    day_of = _mine(officer.get(DAY, params={"date": "2023-10-24"}).json(), [case_id])
    assert day_of[case_id]["status"] == "missing"  # reported that day, never checked in


def test_a_future_or_malformed_date_is_refused_in_chinese(
    login: Login, clock: FakeClock, console: Console
) -> None:
    at(clock, "2023-10-18", 9)
    officer = login(OFFICER)
    body = assert_error(officer.get(DAY, params={"date": "2023-10-19"}), 422, "future_date")
    assert "2023-10-18" in body["message"] and body.get("field") in (None, "date")
    assert_error(officer.get(f"{DAY}.csv", params={"date": "2023-10-19"}), 422, "future_date")
    assert_error(officer.get(DAY, params={"date": "10/18"}), 422, "invalid_date")
    assert officer.get(DAY, params={"date": "2023-10-18"}).json()["day"] == "2023-10-18"
    page = console(OFFICER).get("/correction", params={"date": "2023-10-19"})
    assert page.status_code == 422 and "不能查看今天以后" in page.text


def test_the_csv_and_the_page_take_the_date(
    login: Login, clock: FakeClock, server: ServerThread, console: Console
) -> None:
    officer = login(OFFICER)
    case_id, device, token = supervised(officer, clock, "2023-10-30")
    at(clock, "2023-10-30", 11, 0)
    assert check_in(server, device, token).status_code == 201
    at(clock, "2023-11-01", 9)
    response = officer.get(f"{DAY}.csv", params={"date": "2023-10-30"})
    assert response.status_code == 200
    assert "correction-2023-10-30.csv" in response.headers["content-disposition"]
    lines = response.text.lstrip("\ufeff").splitlines()
    assert "导出人：" in lines[0] and "日期：2023-10-30" in lines[0]
    (row,) = [line for line in lines if line.startswith(officer.case(case_id).json()["number"])]
    assert "迟到" in row and "2023-10-30" in row
    page = console(OFFICER).get("/correction", params={"date": "2023-10-30"})
    assert page.status_code == 200 and "2023-10-30" in page.text
    assert f'data-subject="{case_id}" data-status="late"' in page.text
    assert 'href="/api/v1/correction/day.csv?date=2023-10-30"' in page.text
    assert 'name="date"' in page.text  # the date picker
