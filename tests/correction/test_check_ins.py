"""Check-ins from the mobile terminal, authenticated per device; missing, late and out-of-area
check-ins raised as anomaly cases by the scheduled rule — across the 2023 National Day
holiday, when the daily check-in is owed as on any day — and an officer handling one of
them to closing."""

from __future__ import annotations

from fazhi.actions.platform import Platform
from fazhi.correction.demo.people import box
from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.correction.support import (
    CASES,
    CENTRE,
    OFFICER,
    OUTSIDE,
    anomalies_of,
    at,
    bind,
    check_in,
    local,
    register,
    schedule,
    supervised,
)
from tests.support import FakeClock, ServerThread


def test_a_check_in_needs_the_bound_terminal_and_its_secret(
    login: Login, clock: FakeClock, server: ServerThread
) -> None:
    officer = login(OFFICER)
    case_id, device, token = supervised(officer, clock, "2023-06-05")
    assert_error(check_in(server, device, ""), 401, "device_unauthenticated")
    assert_error(check_in(server, device, token + "x"), 401, "device_unauthenticated")
    assert_error(check_in(server, "T-NOT-BOUND", token), 401, "device_unauthenticated")
    # A person's sign-in is no terminal: the officer's token does not check anyone in.
    assert (
        officer.post(
            "/api/v1/correction/check-ins", json={"lon": 1, "lat": 1, "accuracy_m": 1}
        ).status_code
        == 401
    )
    # A new terminal for the subject revokes the old one.
    new_device, new_token = bind(officer, case_id)
    assert_error(check_in(server, device, token), 401, "device_unauthenticated")
    at(clock, "2023-06-05", 9, 30)
    done = check_in(server, new_device, new_token)
    assert done.status_code == 201, done.text
    assert done.json()["result"] == "inside" and done.json()["late"] is False
    body = officer.case(case_id).json()
    assert body["fields"]["device_id"] == new_device
    assert body["fields"]["check_in_result"] == "inside"
    # Once a day: the day's window is met.
    assert_error(check_in(server, new_device, new_token), 409, "window_already_met")


def test_a_terminal_of_a_subject_who_has_not_reported_cannot_check_in(
    login: Login, clock: FakeClock, server: ServerThread
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-06-06", 8)
    case_id = register(officer, judgment_effective_on="2023-06-06", term_start="2023-06-06")["id"]
    device, token = bind(officer, case_id)
    response = check_in(server, device, token)
    assert 400 <= response.status_code < 500 and response.status_code != 401
    assert response.json()["code"]


def test_missed_and_late_check_ins_over_the_national_day_holiday_become_anomalies(
    login: Login, clock: FakeClock, server: ServerThread, platform: Platform, fresh_schedule: None
) -> None:
    officer = login(OFFICER)
    case_id, device, token = supervised(officer, clock, "2023-09-28")
    at(clock, "2023-09-28", 8, 30)
    assert check_in(server, device, token).status_code == 201
    # 9/29 (中秋) and 9/30 are holidays: no check-in. The scheduler closes each day's window
    # that very night — a daily window is not moved to the next working day.
    schedule(platform, local("2023-09-30", 0, 30))
    schedule(platform, local("2023-10-01", 0, 30))
    # 10/1 (国庆): checked in at 11:20, after the 10:00 deadline.
    at(clock, "2023-10-01", 11, 20)
    late = check_in(server, device, token)
    assert late.status_code == 201 and late.json()["late"] is True
    schedule(platform, local("2023-10-01", 12, 0))
    schedule(platform, local("2023-10-01", 13, 30))  # again: nothing new to raise
    found = [(a["kind_label"], a["day"]) for a in anomalies_of(officer, case_id)]
    assert found == [("漏打卡", "2023-09-29"), ("漏打卡", "2023-09-30"), ("迟到打卡", "2023-10-01")]
    fields = officer.case(case_id).json()["fields"]
    assert fields["missed_days"] == 2 and fields["anomalies"] == 3
    # The day view lists them in the office's anomaly queue.
    day = officer.get("/api/v1/correction/day").json()
    mine = [a for a in day["anomalies"] if a["subject_case"] == case_id]
    assert {a["kind"] for a in mine} == {"missed", "late"}
    assert all(a["state"] == "found" for a in mine)


def test_out_of_area_and_unverifiable_positions_are_raised_but_the_boundary_is_not(
    login: Login, clock: FakeClock, server: ServerThread, platform: Platform, fresh_schedule: None
) -> None:
    officer = login(OFFICER)
    outside_id, d1, t1 = supervised(officer, clock, "2023-07-10")
    coarse_id, d2, t2 = supervised(officer, clock, "2023-07-10")
    edge_id, d3, t3 = supervised(officer, clock, "2023-07-10")
    at(clock, "2023-07-10", 9)
    assert check_in(server, d1, t1, OUTSIDE).json()["result"] == "outside"
    assert check_in(server, d2, t2, CENTRE, accuracy=800).json()["result"] == "poor_accuracy"
    edge = (CENTRE[0] + 0.02, CENTRE[1])  # on the area's east edge, 15 m accuracy
    assert check_in(server, d3, t3, edge).json()["result"] == "boundary"
    schedule(platform, local("2023-07-10", 10, 30))
    assert [a["kind_label"] for a in anomalies_of(officer, outside_id)] == ["越界"]
    assert [a["kind_label"] for a in anomalies_of(officer, coarse_id)] == ["定位无法核实"]
    assert anomalies_of(officer, edge_id) == []


def test_a_leave_is_requested_then_approved_and_its_temporary_area_is_the_geofence(
    login: Login, clock: FakeClock, server: ServerThread
) -> None:
    officer = login(OFFICER)
    case_id, device, token = supervised(officer, clock, "2023-08-01")
    away = (112.98, 28.20)  # 长沙 (synthetic)
    leave_area = box(away, 0.05)
    officer.act(
        case_id,
        "request_leave",
        requested_from="2023-08-02",
        requested_until="2023-08-03",
        requested_destination="长沙市（测试）",
        requested_reason="就医（测试）",
        requested_area=leave_area,
    )
    # Requested, not yet approved: no leave, the permitted area still applies.
    assert officer.case(case_id).json()["fields"].get("leave_from") is None
    officer.act(case_id, "approve_leave")
    fields = officer.case(case_id).json()["fields"]
    assert (fields["leave_from"], fields["leave_until"]) == ("2023-08-02", "2023-08-03")
    assert fields.get("requested_from") is None
    assert_error(officer.post(f"{CASES}/{case_id}/actions/approve_leave", json={"inputs": {}}), 422)
    officer.act(
        case_id,
        "record_report",
        report_date="2023-07-30",
        report_way="written",
        content="外出前书面报告（测试）",
    )
    assert (
        officer.case(case_id).json()["fields"]["reported_on"] == "2023-08-01"
    )  # the report-in kept
    at(clock, "2023-08-02", 9)
    assert check_in(server, device, token, away).json()["result"] == "inside"
    at(clock, "2023-08-04", 9)  # the leave is over: back to the permitted area
    assert check_in(server, device, token, away).json()["result"] == "outside"


def test_an_officer_handles_an_anomaly_to_closing(
    login: Login, clock: FakeClock, server: ServerThread, platform: Platform, fresh_schedule: None
) -> None:
    officer = login(OFFICER)
    case_id, device, token = supervised(officer, clock, "2023-09-26")
    at(clock, "2023-09-26", 9)
    check_in(server, device, token)
    schedule(platform, local("2023-09-28", 0, 20))  # 9/27 missed
    anomaly = anomalies_of(officer, case_id)[0]
    anomaly_id = anomaly["id"]
    body = officer.case(anomaly_id).json()
    assert body["state"] == "found" and body["fields"]["anomaly_day"] == "2023-09-27"
    by_name = {c["name"]: c for c in body["clocks"]}
    # Contact within 24 hours; handle within 5 working days: 9/28 + 5 WD across the holiday
    # (10/7 and 10/8 are make-up working days) ends on 10/11.
    assert by_name["contact"]["due_at"].startswith("2023-09-29T00:20")
    assert by_name["handle"]["due_at"].startswith("2023-10-11")
    at(clock, "2023-09-28", 9)
    officer.act(
        anomaly_id,
        "contact",
        contact_way="phone",
        contact_note="电话联系本人，称手机没电（测试）",
        justified=False,
    )
    refused = officer.post(
        f"{CASES}/{anomaly_id}/actions/handle",
        json={"inputs": {"measure": "none", "handling_record": "不处理（测试）"}},
    )
    assert_error(refused, 422)
    officer.act(
        anomaly_id, "handle", measure="talk", handling_record="到所谈话教育，告知按时打卡（测试）"
    )
    closed = officer.act(anomaly_id, "close", closing_note="已整改（测试）")
    assert closed["state"] == "closed"
    queue = officer.get("/api/v1/correction/day").json()["anomalies"]
    assert anomaly_id not in [a["id"] for a in queue]
    assert anomalies_of(officer, case_id)[0]["state_label"] == "已结案"


def test_days_missed_before_a_late_check_in_are_each_raised_once_when_the_rule_runs_after(
    login: Login, clock: FakeClock, server: ServerThread, platform: Platform, fresh_schedule: None
) -> None:
    officer = login(OFFICER)
    case_id, device, token = supervised(officer, clock, "2023-10-09")
    at(clock, "2023-10-09", 8, 30)
    assert check_in(server, device, token).status_code == 201
    # 10/10, 10/11 and 10/12 (working days) pass with no check-in and no scheduler run;
    # on 10/13 the subject checks in late, before the scheduler has looked at the case.
    at(clock, "2023-10-13", 11, 5)
    late = check_in(server, device, token)
    assert late.status_code == 201 and late.json()["late"] is True
    fields = officer.case(case_id).json()["fields"]
    assert fields["missed_days"] == 3  # the check-in closed the three windows as missed
    schedule(platform, local("2023-10-13", 12, 0))
    schedule(platform, local("2023-10-13", 13, 30))  # again: nothing owed twice
    schedule(platform, local("2023-10-14", 0, 30))  # and the next night: 10/13 was met
    found = [(a["kind_label"], a["day"]) for a in anomalies_of(officer, case_id)]
    assert found == [
        ("漏打卡", "2023-10-10"),
        ("漏打卡", "2023-10-11"),
        ("漏打卡", "2023-10-12"),
        ("迟到打卡", "2023-10-13"),
    ]
    fields = officer.case(case_id).json()["fields"]
    assert fields["missed_days"] == 3 and fields["anomalies"] == 4


def test_missed_days_between_check_ins_the_rule_never_saw_are_raised_and_no_others(
    login: Login, clock: FakeClock, server: ServerThread, platform: Platform, fresh_schedule: None
) -> None:
    officer = login(OFFICER)
    case_id, device, token = supervised(officer, clock, "2023-11-06")
    # Checked in on 11/06, 11/08 and 11/10 only; the scheduler down the whole week.
    for day in ("2023-11-06", "2023-11-08", "2023-11-10"):
        at(clock, day, 9, 0)
        assert check_in(server, device, token).status_code == 201
    schedule(platform, local("2023-11-10", 12, 0))
    found = [(a["kind_label"], a["day"]) for a in anomalies_of(officer, case_id)]
    assert found == [("漏打卡", "2023-11-07"), ("漏打卡", "2023-11-09")]
    assert officer.case(case_id).json()["fields"]["missed_days"] == 2
