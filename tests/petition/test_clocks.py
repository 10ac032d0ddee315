"""The petition's and the disclosure request's statutory clocks across the 2023 National Day
holiday (9/29–10/6, with 10/7 and 10/8 made working days), each with its legal basis: the
15-day acceptance notice and the 60-day handling limit extended by at most 30 (信访工作条例
arts.23, 34), the petitioner's 30-day windows to ask for review and re-review and the 30 days
each is decided in (arts.35, 36); the third party's 15 working days to give its opinion on a
disclosure, during which the 20-working-day reply clock is suspended (政府信息公开条例
arts.32, 33)."""

from __future__ import annotations

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.petition.support import (
    CASES,
    DISCLOSURE_HANDLER,
    OFFICER,
    accepted,
    answered,
    at,
    clocks,
    disclosure,
    file_paper,
    register,
)
from tests.support import FakeClock


def test_the_petitioner_is_told_within_15_days_moved_past_the_national_day(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-09-20")
    case_id = register(officer)["id"]
    acceptance = clocks(officer, case_id)["acceptance"]
    # 9/20 + 15 days = 10/5, a holiday: the next working day is the make-up Saturday 10/7.
    assert acceptance["due_at"] == "2023-10-07T23:59:59+08:00"
    assert acceptance["limit"] == "15cd"
    assert "第二十三条" in acceptance["basis"] and "15日" in acceptance["basis"]
    # Accepting without the written notice is refused; with it, the clock stops and handling runs.
    assert (
        "受理告知书"
        in assert_error(
            officer.post(f"{CASES}/{case_id}/actions/accept", json={"inputs": {}}), 422
        )["message"]
    )
    at(clock, "2023-10-07")
    file_paper(
        officer, case_id, "acceptance_notice", number="石信〔T〕受2号", issued_on="2023-10-07"
    )
    officer.act(case_id, "accept")
    now = clocks(officer, case_id)
    assert now["acceptance"]["running"] is False and now["acceptance"]["status"] == "met"
    assert now["handling"]["running"] is True


def test_handling_takes_60_days_extended_once_by_at_most_30(login: Login, clock: FakeClock) -> None:
    officer = login(OFFICER)
    case_id = accepted(officer, clock, "2023-08-03")
    handling = clocks(officer, case_id)["handling"]
    # 8/3 + 60 days = 10/2, a holiday: moved to 10/7.
    assert handling["due_at"] == "2023-10-07T23:59:59+08:00"
    assert "第三十四条" in handling["basis"] and "30日" in handling["basis"]
    extend = {"approved_by": "区信访局局长（测试）", "reason": "涉及多个部门（测试）"}
    too_long = officer.post(
        f"{CASES}/{case_id}/actions/extend_handling", json={"inputs": {"days": 31, **extend}}
    )
    assert assert_error(too_long, 422)["field"] == "days"
    officer.act(case_id, "extend_handling", days=30, **extend)
    # 8/3 + 90 days = Wednesday 11/1.
    assert clocks(officer, case_id)["handling"]["due_at"] == "2023-11-01T23:59:59+08:00"
    again = officer.post(
        f"{CASES}/{case_id}/actions/extend_handling", json={"inputs": {"days": 1, **extend}}
    )
    assert "已延长过一次" in assert_error(again, 422)["message"]


def test_review_may_be_asked_only_within_30_days_of_the_opinion(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    case_id = answered(officer, clock, "2023-08-01", "2023-09-05")
    window = clocks(officer, case_id)["review_window"]
    # 9/5 + 30 days = 10/5, a holiday: the petitioner has until the make-up Saturday 10/7.
    assert window["due_at"] == "2023-10-07T23:59:59+08:00"
    assert "第三十五条" in window["basis"]
    # The window is the petitioner's, not a deadline of the bureau: the answered petition has
    # no due date, and a window that runs out has lapsed, not gone overdue.
    assert window["deadline"] is False and window["status"] == "on_track"
    assert officer.case(case_id).json()["due_at"] is None
    # While the window runs the case cannot be closed as lapsed …
    at(clock, "2023-10-06")
    early = officer.post(
        f"{CASES}/{case_id}/actions/close", json={"inputs": {"close_reason": "lapsed"}}
    )
    assert "尚未届满" in assert_error(early, 422)["message"]
    # … and once it has run out a review is refused and the case closes.
    at(clock, "2023-10-09")
    late = officer.post(
        f"{CASES}/{case_id}/actions/request_review", json={"inputs": {"note": "不服（测试）"}}
    )
    assert "已超过请求复查的期限" in assert_error(late, 422)["message"]
    lapsed = clocks(officer, case_id)["review_window"]
    assert (lapsed["status"], lapsed["remaining"]) == ("lapsed", "已届满")
    assert officer.case(case_id).json()["due_status"] != "overdue"
    closed = officer.act(case_id, "close", close_reason="lapsed")
    assert closed["state"] == "closed" and closed["fields"]["outcome"] == "opinion"


def test_review_and_re_review_are_each_decided_within_30_days(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    case_id = answered(officer, clock, "2023-07-10", "2023-08-20")
    at(clock, "2023-09-01")
    officer.act(case_id, "request_review", note="对处理意见不服（测试）")
    review = clocks(officer, case_id)["review"]
    # 9/1 + 30 days = 10/1, a holiday: moved to 10/7.
    assert review["due_at"] == "2023-10-07T23:59:59+08:00"
    at(clock, "2023-09-28")
    file_paper(
        officer,
        case_id,
        "review_opinion",
        number="石信〔T〕复查1号",
        issued_on="2023-09-28",
        opinion="维持原处理意见（测试）。",
    )
    officer.act(case_id, "decide_review", review_result="explained")
    now = clocks(officer, case_id)
    assert now["review"]["status"] == "met"
    # 9/28 + 30 days = Saturday 10/28: the window ends on Monday 10/30.
    assert now["re_review_window"]["due_at"] == "2023-10-30T23:59:59+08:00"
    assert "第三十六条" in now["re_review_window"]["basis"]
    at(clock, "2023-10-30")
    officer.act(case_id, "request_re_review", note="对复查意见不服（测试）")
    # 10/30 + 30 days = Wednesday 11/29.
    assert clocks(officer, case_id)["re_review"]["due_at"] == "2023-11-29T23:59:59+08:00"


def test_the_third_party_has_15_working_days_and_the_reply_clock_waits_meanwhile(
    login: Login, clock: FakeClock
) -> None:
    handler = login(DISCLOSURE_HANDLER)
    at(clock, "2023-09-20")
    case_id = disclosure(handler)["id"]
    # 20 working days from 9/20: six before the holiday, then 10/7 … 10/24.
    assert clocks(handler, case_id)["reply"]["due_at"] == "2023-10-24T23:59:59+08:00"
    at(clock, "2023-09-22")
    file_paper(
        handler, case_id, "third_party_letter", number="石政办征〔T〕1号", sent_on="2023-09-22"
    )
    handler.act(
        case_id,
        "consult_third_party",
        third_party="株洲某科技有限公司（测试）",
        matter="可能涉及商业秘密（测试）",
    )
    now = clocks(handler, case_id)
    # The third party's 15 working days: 9/25–9/28, then 10/7 … 10/19.
    assert now["third_party_opinion"]["due_at"] == "2023-10-19T23:59:59+08:00"
    assert "第三十二条" in now["third_party_opinion"]["basis"]
    # The reply clock is suspended with 18 working days left (9/21 and 9/22 used).
    assert now["reply"]["remaining"] == "已中止（剩余18个工作日）"
    # A silent third party is recorded only once its time has run out.
    at(clock, "2023-10-19")
    early = handler.post(
        f"{CASES}/{case_id}/actions/receive_third_party_opinion",
        json={"inputs": {"third_party_opinion": "no_answer"}},
    )
    assert "15个工作日期限尚未届满" in assert_error(early, 422)["message"]
    at(clock, "2023-10-20")
    handler.act(case_id, "receive_third_party_opinion", third_party_opinion="no_answer")
    now = clocks(handler, case_id)
    assert now["third_party_opinion"]["running"] is False
    # The 18 working days left run on from the day after 10/20: Wednesday 11/15.
    assert now["reply"]["due_at"] == "2023-11-15T23:59:59+08:00"
    # Without the suspension the reply would have been late since 10/24.
    at(clock, "2023-11-14")
    file_paper(
        handler, case_id, "reply_letter", number="石政办公开〔T〕1号", issued_on="2023-11-14"
    )
    replied = handler.act(
        case_id,
        "reply",
        reply_kind="partly_disclosed",
        refusal_ground="third_party_rights",
        reply_text="部分公开（测试）。",
    )
    assert replied["state"] == "replied" and replied["fields"]["conclusion"] == "partly_disclosed"
    assert clocks(handler, case_id)["reply"]["status"] == "met"


def test_a_petition_registered_from_an_order_names_its_channel(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-06-01")
    order = login("operator1").register(
        request_kind="complaint",
        category="HOUSING",
        content="反映征收补偿款未到位（测试合成数据）",
        caller_name="测试丙",
        caller_phone="17000008003",
    )
    login("dispatcher1").act(order["id"], "dispatch", lead_unit="SF-XFJ")
    officer.act(order["id"], "acknowledge")
    wrong = officer.post(
        CASES,
        json={
            "type": "petition",
            "fields": {
                "channel": "letter",
                "source_case": order["number"],
                "petitioner_name": "测试丙",
                "matter": "housing",
                "subject": "征收补偿（测试）",
                "content": "补偿款未到位（测试）",
            },
        },
    )
    assert "12345转来" in assert_error(wrong, 422)["message"]
