"""The labour types' statutory clocks across the 2023 holidays (国庆 9/29–10/6, with 10/7 and
10/8 made working days), each with its legal basis: arbitration acceptance 5 days (counted in
working days, 劳动争议调解仲裁法 art.29), the award 45 calendar days from acceptance with a
15-day extension and a suspension (art.43), the wage-arrears investigation 60 working days
with a 30-day extension (劳动保障监察条例 art.17), and a rectification notice's follow-up to
the due date it states."""

from __future__ import annotations

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.labour.support import (
    ARBITRATOR,
    CASES,
    INSPECTOR,
    accepted,
    apply,
    at,
    clocks,
    file_paper,
    wage_case,
)
from tests.support import FakeClock


def test_acceptance_is_due_in_five_working_days_across_the_national_day(
    login: Login, clock: FakeClock
) -> None:
    arbitrator = login(ARBITRATOR)
    at(clock, "2023-09-28")  # Thursday before the holiday
    case_id = apply(arbitrator)["id"]
    acceptance = clocks(arbitrator, case_id)["acceptance"]
    # 10/7 and 10/8 are make-up working days: 10/7, 10/8, 10/9, 10/10, 10/11.
    assert acceptance["due_at"] == "2023-10-11T23:59:59+08:00"
    assert acceptance["limit"] == "5wd"
    assert "第二十九条" in acceptance["basis"]


def test_the_award_is_due_45_days_after_acceptance_extended_by_15_and_suspended(
    login: Login, clock: FakeClock
) -> None:
    arbitrator = login(ARBITRATOR)
    case_id = accepted(arbitrator, clock, "2023-08-17")
    award = clocks(arbitrator, case_id)["award"]
    # 8/17 + 45 days = 10/1, a holiday: the next working day is the make-up Saturday 10/7.
    assert award["due_at"] == "2023-10-07T23:59:59+08:00"
    assert "第四十三条" in award["basis"]
    assert clocks(arbitrator, case_id)["acceptance"]["running"] is False

    extend = {"approved_by": "仲裁委员会主任（测试）", "reason": "案情复杂（测试）"}
    too_long = arbitrator.post(
        f"{CASES}/{case_id}/actions/extend_award", json={"inputs": {"days": 16, **extend}}
    )
    assert assert_error(too_long, 422)["field"] == "days"
    arbitrator.act(case_id, "extend_award", days=10, **extend)
    # 8/17 + 55 = 10/11.
    assert clocks(arbitrator, case_id)["award"]["due_at"] == "2023-10-11T23:59:59+08:00"
    arbitrator.act(case_id, "extend_award", days=5, **extend)
    assert clocks(arbitrator, case_id)["award"]["due_at"] == "2023-10-16T23:59:59+08:00"
    # The law allows 15 days in all.
    over = arbitrator.post(
        f"{CASES}/{case_id}/actions/extend_award", json={"inputs": {"days": 1, **extend}}
    )
    assert_error(over, 422)


def test_a_suspension_keeps_the_time_used_and_the_rest_runs_from_the_resumption(
    login: Login, clock: FakeClock
) -> None:
    arbitrator = login(ARBITRATOR)
    case_id = accepted(arbitrator, clock, "2023-08-17")
    at(clock, "2023-08-27")  # 10 days used; the due date was 10/7 (10/1 rolled forward)
    arbitrator.act(case_id, "suspend", reason="等待工伤认定结论（测试）")
    # Suspended, the clock holds the days left to its due date (in its own unit).
    assert clocks(arbitrator, case_id)["award"]["remaining"] == "已中止（剩余41日）"
    at(clock, "2023-09-16")
    arbitrator.act(case_id, "resume")
    award = clocks(arbitrator, case_id)["award"]
    # The 41 days left run on from 9/16: Friday 10/27.
    assert award["due_at"] == "2023-10-27T23:59:59+08:00"


def test_the_investigation_is_due_in_60_working_days_extended_by_30(
    login: Login, clock: FakeClock
) -> None:
    inspector = login(INSPECTOR)
    at(clock, "2023-08-01")
    case_id = wage_case(inspector)["id"]
    inspector.act(case_id, "file")
    investigation = clocks(inspector, case_id)["investigation"]
    # 22 working days left in August, 20 in September (9/29 on is the holiday), then 10/7,
    # 10/8 and the weekdays of October: the 60th is 10/30.
    assert investigation["due_at"] == "2023-10-30T23:59:59+08:00"
    assert "第十七条" in investigation["basis"]
    extend = {"approved_by": "区人社局负责人（测试）", "reason": "涉及人数多（测试）"}
    over = inspector.post(
        f"{CASES}/{case_id}/actions/extend_investigation", json={"inputs": {"days": 31, **extend}}
    )
    assert assert_error(over, 422)["field"] == "days"
    inspector.act(case_id, "extend_investigation", days=30, **extend)
    assert clocks(inspector, case_id)["investigation"]["due_at"] == "2023-12-11T23:59:59+08:00"


def test_a_rectification_notice_is_followed_up_by_the_due_date_it_states(
    login: Login, clock: FakeClock
) -> None:
    inspector = login(INSPECTOR)
    at(clock, "2023-09-20")
    case_id = wage_case(inspector)["id"]
    inspector.act(case_id, "file")
    notice = {
        "number": "石人社监令〔T〕1号",
        "issued_on": "2023-09-20",
        "requirement": "足额支付（测试）",
    }
    # 9/20 + 15 days = 10/5 (holiday) → 10/7. A notice stating another date is refused.
    file_paper(inspector, case_id, "rectification_notice", due_on="2023-10-05", **notice)
    wrong = inspector.post(
        f"{CASES}/{case_id}/actions/issue_rectification",
        json={"inputs": {"rectify_period": "d15"}},
    )
    body = assert_error(wrong, 422, "due_date_mismatch")
    assert body["field"] == "rectify_period" and "2023-10-07" in body["message"]
    file_paper(inspector, case_id, "rectification_notice", due_on="2023-10-07", **notice)
    fields = inspector.act(case_id, "issue_rectification", rectify_period="d15")["fields"]
    assert fields["rectify_due_on"] == "2023-10-07" and fields["notice_count"] == 1
    follow_up = clocks(inspector, case_id)["rectification"]
    assert follow_up["due_at"] == "2023-10-07T23:59:59+08:00"
    at(clock, "2023-10-08")
    inspector.act(case_id, "follow_up", rectified="done", note="已支付（测试）")
    assert clocks(inspector, case_id)["rectification"]["running"] is False
