"""The consumer types' statutory clocks across the 2023 National Day holiday (9/29–10/6, with
10/7 and 10/8 made working days), each with its basis in 《市场监督管理投诉举报处理暂行办法》:
the acceptance decision within 7 working days of receipt (art.14), the mediation within 45
working days of acceptance with testing time left out (art.21: a suspension), and a report's
verification within 15 working days, extended by at most 15 with approval (art.23)."""

from __future__ import annotations

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.consumer.support import CASES, OFFICER, at, clocks, complaint, report
from tests.support import FakeClock


def test_acceptance_is_due_in_seven_working_days_across_the_national_day(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-09-28")  # Thursday before the holiday
    case_id = complaint(officer)["id"]
    acceptance = clocks(officer, case_id)["acceptance"]
    # 10/7 and 10/8 are make-up working days: 10/7, 10/8, 10/9 … 10/13.
    assert acceptance["due_at"] == "2023-10-13T23:59:59+08:00"
    assert acceptance["limit"] == "7wd"
    assert "第十四条" in acceptance["basis"] and "七个工作日" in acceptance["basis"]
    # Accepting stops it and starts the mediation.
    at(clock, "2023-10-09")
    officer.act(case_id, "accept")
    after = clocks(officer, case_id)
    assert after["acceptance"]["running"] is False
    assert after["mediation"]["running"] is True


def test_the_mediation_runs_45_working_days_and_testing_time_is_left_out(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-09-01")  # Friday
    case_id = complaint(officer)["id"]
    officer.act(case_id, "accept")
    mediation = clocks(officer, case_id)["mediation"]
    # 45 working days from 9/4, the National Day's eight days off, 10/7 and 10/8 worked.
    assert mediation["due_at"] == "2023-11-09T23:59:59+08:00"
    assert "第二十一条" in mediation["basis"] and "四十五个工作日" in mediation["basis"]
    at(clock, "2023-09-15")  # 10 working days used (9/4–9/15, the suspension day counted)
    officer.act(case_id, "suspend_mediation", reason="商品送检（测试）")
    assert clocks(officer, case_id)["mediation"]["remaining"] == "已中止（剩余35个工作日）"
    at(clock, "2023-10-09")
    officer.act(case_id, "resume_mediation")
    # The 35 working days left run on from the day after 10/9: Monday 11/27.
    assert clocks(officer, case_id)["mediation"]["due_at"] == "2023-11-27T23:59:59+08:00"
    body = officer.act(case_id, "terminate", termination_ground="no_agreement")
    assert body["state"] == "closed"
    assert clocks(officer, case_id)["mediation"]["running"] is False


def test_a_report_is_verified_in_15_working_days_extended_by_at_most_15(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-09-20")  # Wednesday
    case = report(officer)
    case_id = case["id"]
    assert (case["state"], case["number"][:2]) == ("verifying", "XJ")
    verification = clocks(officer, case_id)["verification"]
    # 9/21–9/28 (6), the holiday off, 10/7 and 10/8 worked, … 10/17 the fifteenth.
    assert verification["due_at"] == "2023-10-17T23:59:59+08:00"
    assert "第二十三条" in verification["basis"]
    extend = {"approved_by": "局长（测试）", "reason": "需调取平台交易数据（测试）"}
    too_long = officer.post(
        f"{CASES}/{case_id}/actions/extend_verification", json={"inputs": {"days": 16, **extend}}
    )
    assert assert_error(too_long, 422)["field"] == "days"
    officer.act(case_id, "extend_verification", days=10, **extend)
    # 10/17 + 10 working days = 10/31.
    assert clocks(officer, case_id)["verification"]["due_at"] == "2023-10-31T23:59:59+08:00"
    officer.act(case_id, "extend_verification", days=5, **extend)
    # + 5 more: 11/7, the rule's 15 in all.
    assert clocks(officer, case_id)["verification"]["due_at"] == "2023-11-07T23:59:59+08:00"
    over = officer.post(
        f"{CASES}/{case_id}/actions/extend_verification", json={"inputs": {"days": 1, **extend}}
    )
    assert_error(over, 422)
    # Deciding needs the verification report, then stops the clock.
    early = officer.post(
        f"{CASES}/{case_id}/actions/file_case", json={"inputs": {"penalty_reference": "T"}}
    )
    assert assert_error(early, 422)
    officer.post(
        f"{CASES}/{case_id}/documents",
        json={"kind": "verification_report", "data": {"summary": "核查属实（测试）"}},
    )
    body = officer.act(case_id, "file_case", penalty_reference="石市监立〔2023〕T1号")
    assert (body["state"], body["fields"]["result"]) == ("filed", "filed")
    assert clocks(officer, case_id)["verification"]["running"] is False
