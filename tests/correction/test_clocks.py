"""The statutory and local clocks of community correction, across the 2023 National Day
holiday (9/29–10/6 off; Saturday 10/7 and Sunday 10/8 make-up working days)."""

from __future__ import annotations

from datetime import datetime

from fazhi.correction.demo.people import id_number
from fazhi.domain.durations import LOCAL_TZ
from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.correction.support import CASES, OFFICER, at, register
from tests.support import FakeClock
from tests.support import clocks_by_name as clocks

SUBJECT = {
    "subject_name": "测试对象",
    "office": "SF-SFJ-TX",
    "sentence_kind": "control",
    "court": "测试法院",
    "judgment_number": "测试1号",
    "judgment_effective_on": "2023-06-01",
    "term_start": "2023-06-01",
    "term_end": "2023-12-01",
    "area_name": "测试",
}


def local_day(instant: str) -> str:
    return datetime.fromisoformat(instant).astimezone(LOCAL_TZ).date().isoformat()


def test_the_report_in_is_due_10_calendar_days_after_the_judgment_rolled_past_the_holiday(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-09-25")
    body = register(officer, judgment_effective_on="2023-09-25", term_start="2023-09-25")
    # 9/25 + 10 days is 10/5, a holiday: the deadline moves to the next working day, the
    # make-up Saturday 10/7 (not Monday 10/9).
    assert body["fields"]["report_due_on"] == "2023-10-07"
    report = clocks(officer, body["id"])["report_in"]
    assert local_day(report["due_at"]) == "2023-10-07" and report["limit"] == "10cd"
    assert "第二十一条" in report["basis"]
    at(clock, "2023-10-07", 16)
    officer.act(body["id"], "report_in", reported_on="2023-10-07")
    after = clocks(officer, body["id"])
    assert after["report_in"]["status"] == "met"
    # The daily check-in opens on the day of reporting and ends that very day.
    assert local_day(after["daily_check_in"]["due_at"]) == "2023-10-07"


def test_a_report_after_the_deadline_is_recorded_as_late(login: Login, clock: FakeClock) -> None:
    officer = login(OFFICER)
    at(clock, "2023-09-25")
    case_id = register(officer, judgment_effective_on="2023-09-25", term_start="2023-09-25")["id"]
    at(clock, "2023-10-09", 9)
    officer.act(case_id, "report_in", reported_on="2023-10-09")
    assert clocks(officer, case_id)["report_in"]["status"] == "missed"


def test_electronic_location_is_approved_for_at_most_three_months(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-06-15")
    case_id = register(officer, judgment_effective_on="2023-06-15", term_start="2023-06-15")["id"]
    officer.act(case_id, "report_in", reported_on="2023-06-15")
    too_long = officer.post(
        f"{CASES}/{case_id}/actions/approve_location",
        json={"inputs": {"location_reason": "严管对象（测试）", "approved_until": "2023-09-16"}},
    )
    assert_error(too_long, 422, "location_too_long")
    officer.act(
        case_id, "approve_location", location_reason="严管对象（测试）", approved_until="2023-09-15"
    )
    location = clocks(officer, case_id)["electronic_location"]
    assert location["limit"] == "3mo" and local_day(location["due_at"]) == "2023-09-15"
    # Renewed on 9/14 for another period of at most three months: the clock starts again.
    at(clock, "2023-09-14")
    officer.act(
        case_id, "renew_location", location_reason="续用（测试）", approved_until="2023-12-14"
    )
    renewed = clocks(officer, case_id)["electronic_location"]
    assert local_day(renewed["due_at"]) == "2023-12-14"


def test_an_area_that_is_not_a_polygon_is_refused_at_registration(login: Login) -> None:
    officer = login(OFFICER)
    fields = {**SUBJECT, "subject_id_number": id_number(1), "area": "[[113.1,27.8],[113.2,27.8]]"}
    response = officer.post(CASES, json={"type": "community_correction", "fields": fields})
    body = assert_error(response, 422, "invalid_area")
    assert body["field"] == "area" and "三个" in body["message"]
