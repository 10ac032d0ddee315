"""Clocks on hotline orders, counted as shared/domain/deadlines.md says.

Counting: the day of the triggering action is not counted; working days (WD) are Mon–Fri minus
statutory holidays plus the make-up weekend days (调休); a day-based limit ends at 23:59:59
Beijing time; hour- and minute-based limits run on wall-clock time, holidays or not.

2023 facts used below: 端午 6/22–6/24 off, Sunday 6/25 worked; 中秋+国庆 9/29–10/6 off,
Saturday 10/7 and Sunday 10/8 worked.
"""

from __future__ import annotations

from typing import Any

from tests.api.flows import CASES, LEAD, Desk, assert_error
from tests.support import FakeClock


def clocks_by_name(case: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The running clocks of an order by name."""
    return {c["name"]: c for c in case["clocks"] if c["running"]}


def test_a_normal_order_dispatched_before_the_national_day_holiday_is_due_on_october_11(
    desk: Desk, clock: FakeClock
) -> None:
    clock.set("2023-09-28T10:00:00+08:00")  # Thursday before 中秋/国庆
    case_id = desk.dispatched()
    case = desk.case(case_id)
    clocks = clocks_by_name(case)
    # 5 WD after Thu 9/28: 9/29–10/6 are off; Sat 10/7 (1), Sun 10/8 (2), 10/9 (3),
    # 10/10 (4), Wed 10/11 (5).
    assert clocks["handle"]["due_at"] == "2023-10-11T23:59:59+08:00"
    assert clocks["handle"]["limit"] == "5wd"
    assert clocks["handle"]["started_at"] == "2023-09-28T10:00:00+08:00"
    # Acknowledge and return within 1 WD: the make-up Saturday 10/7.
    assert clocks["acknowledge"]["due_at"] == "2023-10-07T23:59:59+08:00"
    assert clocks["return_window"]["due_at"] == "2023-10-07T23:59:59+08:00"
    # The order is due at its nearest running clock.
    assert case["due_at"] == "2023-10-07T23:59:59+08:00"
    # The calendar endpoint agrees with the clock.
    day = desk.operator.get(
        "/api/v1/calendar/add-workdays", params={"date": "2023-09-28", "n": 5}
    ).json()
    assert day["due_date"] == "2023-10-11"


def test_an_urgent_order_must_be_acknowledged_in_30_minutes_and_handled_in_24_hours(
    desk: Desk, clock: FakeClock
) -> None:
    clock.set("2023-06-01T09:00:00+08:00")
    case_id = desk.dispatched(urgency="urgent")
    clocks = clocks_by_name(desk.case(case_id))
    assert clocks["acknowledge"]["due_at"] == "2023-06-01T09:30:00+08:00"
    assert clocks["acknowledge"]["limit"] == "30min"
    assert clocks["handle"]["due_at"] == "2023-06-02T09:00:00+08:00"
    assert clocks["handle"]["limit"] == "24h"
    # Return stays at 1 WD whatever the urgency.
    assert clocks["return_window"]["due_at"] == "2023-06-02T23:59:59+08:00"
    # Just dispatched it is not yet due soon (issue 10: badged 即将到期 at once); in the
    # last half of its 30 minutes it is.
    assert clocks["acknowledge"]["status"] == "on_track"
    assert clocks["acknowledge"]["remaining"] == "剩余30分钟"
    clock.set("2023-06-01T09:20:00+08:00")
    clocks = clocks_by_name(desk.case(case_id))
    assert (clocks["acknowledge"]["status"], clocks["acknowledge"]["remaining"]) == (
        "due_soon",
        "剩余10分钟",
    )


def test_hour_limits_run_through_holidays(desk: Desk, clock: FakeClock) -> None:
    clock.set("2023-09-28T20:00:00+08:00")
    case_id = desk.dispatched(urgency="urgent")
    clocks = clocks_by_name(desk.case(case_id))
    assert clocks["handle"]["due_at"] == "2023-09-29T20:00:00+08:00"  # 中秋, still due
    assert clocks["acknowledge"]["due_at"] == "2023-09-28T20:30:00+08:00"


def test_urgency_chosen_at_dispatch_sets_the_limits(desk: Desk) -> None:
    case_id = desk.registered()  # registered as normal
    body = desk.dispatcher.act(case_id, "dispatch", lead_unit=LEAD, urgency="urgent")
    assert body["fields"]["urgency"] == "urgent"
    assert clocks_by_name(body)["handle"]["due_at"] == "2023-06-02T09:00:00+08:00"


def test_a_complex_order_gets_15_working_days_which_may_end_on_a_make_up_sunday(desk: Desk) -> None:
    case_id = desk.dispatched(urgency="complex")  # Thu 2023-06-01
    handle = clocks_by_name(desk.case(case_id))["handle"]
    # 6/2 (1), 6/5–9 (2–6), 6/12–16 (7–11), 6/19–21 (12–14), 6/22–24 off, Sun 6/25 (15).
    assert handle["due_at"] == "2023-06-25T23:59:59+08:00"
    assert handle["limit"] == "15wd"


def test_reopening_starts_a_fresh_5_working_day_clock_even_for_an_urgent_order(
    desk: Desk, clock: FakeClock
) -> None:
    case_id = desk.revisited("dissatisfied", urgency="urgent")
    clock.set("2023-06-19T10:00:00+08:00")  # Monday
    body = desk.operator.act(case_id, "reopen", reason="回访不满意（测试）")
    handles = [c for c in body["clocks"] if c["name"] == "handle"]
    first, fresh = handles
    assert (first["running"], first["limit"], first["status"]) == (False, "24h", "met")
    assert fresh["running"] is True
    assert fresh["limit"] == "5wd"
    assert fresh["started_at"] == "2023-06-19T10:00:00+08:00"
    # 6/20 (1), 6/21 (2), 6/22–24 off, Sun 6/25 (3), 6/26 (4), 6/27 (5).
    assert fresh["due_at"] == "2023-06-27T23:59:59+08:00"
    assert body["due_at"] == fresh["due_at"]
    event = desk.events(case_id)[-1]
    assert event["payload"]["clocks"]["started"][0]["limit"] == "5wd"


def test_the_revisit_clock_gives_2_working_days_after_the_reply(
    desk: Desk, clock: FakeClock
) -> None:
    case_id = desk.handling()
    clock.set("2023-06-21T16:00:00+08:00")  # Wednesday before 端午
    body = desk.handler.act(case_id, "reply", reply="已处理（测试）", result="resolved")
    clocks = clocks_by_name(body)
    assert set(clocks) == {"revisit"}
    # 6/22–24 off: Sun 6/25 (1), Mon 6/26 (2).
    assert clocks["revisit"]["due_at"] == "2023-06-26T23:59:59+08:00"
    assert body["due_at"] == "2023-06-26T23:59:59+08:00"


def test_an_order_is_due_soon_on_its_last_day_and_overdue_once_its_clock_has_passed(
    desk: Desk, clock: FakeClock
) -> None:
    case_id = desk.handling()  # handle due Thu 2023-06-08 23:59:59
    case = desk.case(case_id)
    number = case["number"]
    assert case["due_status"] == "on_track"
    assert clocks_by_name(case)["handle"]["workdays_left"] == 5

    clock.set("2023-06-08T10:00:00+08:00")
    case = desk.case(case_id)
    assert case["due_status"] == "due_soon"
    assert clocks_by_name(case)["handle"]["workdays_left"] == 0

    clock.set("2023-06-09T00:00:01+08:00")
    case = desk.case(case_id)
    assert case["due_status"] == "overdue"
    assert clocks_by_name(case)["handle"]["status"] == "overdue"
    assert clocks_by_name(case)["handle"]["workdays_left"] == -1

    def listed(**params: Any) -> list[int]:
        response = desk.operator.get(CASES, params={"q": number, **params})
        assert response.status_code == 200, response.text
        return [c["id"] for c in response.json()["items"]]

    assert listed(overdue="true") == [case_id]
    assert listed(overdue="false") == []
    assert listed(due_before="2023-06-09T00:00:00+08:00") == [case_id]
    assert listed(due_before="2023-06-08T23:00:00+08:00") == []
    [brief] = desk.operator.get(CASES, params={"q": number}).json()["items"]
    assert brief["due_status"] == "overdue"


def test_an_order_not_yet_overdue_is_not_in_the_overdue_list(desk: Desk) -> None:
    case_id = desk.handling()
    number = desk.case(case_id)["number"]
    items = desk.operator.get(CASES, params={"q": number, "overdue": "true"}).json()["items"]
    assert items == []


def test_a_clock_stopped_after_its_due_time_is_shown_as_missed(
    desk: Desk, clock: FakeClock
) -> None:
    case_id = desk.dispatched(urgency="urgent")  # acknowledge within 30 min
    clock.advance(minutes=45)
    body = desk.handler.act(case_id, "acknowledge")
    ack = next(c for c in body["clocks"] if c["name"] == "acknowledge")
    assert (ack["running"], ack["status"]) == (False, "missed")
    assert ack["stopped_at"] == "2023-06-01T09:45:00+08:00"
    event = desk.events(case_id)[-1]
    assert {"name": "acknowledge", "met": False} in event["payload"]["clocks"]["stopped"]


def test_a_closed_order_has_no_due_date_and_is_never_overdue(desk: Desk, clock: FakeClock) -> None:
    case_id = desk.closed()
    clock.set("2023-12-01T09:00:00+08:00")
    case = desk.case(case_id)
    assert (case["due_at"], case["due_status"]) == (None, None)
    items = desk.operator.get(CASES, params={"q": case["number"], "overdue": "true"})
    assert items.json()["items"] == []


def test_a_clock_that_would_run_into_a_year_without_a_calendar_is_refused(
    desk: Desk, clock: FakeClock
) -> None:
    case_id = desk.registered()
    clock.set("2026-12-28T10:00:00+08:00")  # 5 WD would end in 2027, not yet published
    response = desk.dispatcher.post(
        f"{CASES}/{case_id}/actions/dispatch", json={"inputs": {"lead_unit": LEAD}}
    )
    body = assert_error(response, 422, "calendar_year_unknown")
    assert "2027" in body["message"]
    assert desk.case(case_id)["state"] == "registered"
