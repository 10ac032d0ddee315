"""信访事项 and 政府信息公开申请 walked in the console from intake to closing, over real HTTP, by
the forms of the console's own pages (tests/web/walk.py) and by the roles that own them: the
petition bureau (xfj_officer) registers a letter, accepts it with the generated 受理告知书,
records its handling, answers with the generated 处理意见书, and takes the petitioner's review
and re-review to the final 复核意见; the government office's disclosure staff (zfb_gk)
register a request, ask the third party for its opinion (the reply clock waits meanwhile,
across the National Day holiday), record the third party's silence once its 15 working days
have run out and reply in part. After each step the page's state badge is read; at the end the
outcome and the stopped clocks as the page shows them. A form posted without a required input
comes back with the Chinese message beside the field. Every party is synthetic (测试合成)."""

from __future__ import annotations

from tests.petition.support import DISCLOSURE_HANDLER, OFFICER, at
from tests.support import FakeClock
from tests.web.conftest import Console
from tests.web.html import error_of
from tests.web.walk import ConsoleWalk


def test_a_petition_walks_from_registration_through_review_to_the_final_opinion(
    console: Console, clock: FakeClock
) -> None:
    at(clock, "2023-08-21")
    bureau = ConsoleWalk(console(OFFICER))
    case_id = bureau.create(
        "petition",
        "register",
        channel="letter",
        petitioner_name="测试信访人（网页合成）",
        petitioner_phone="17000008101",
        petitioners="1",
        matter="housing",
        subject="反映房屋征收补偿问题（网页测试）",
        content="要求提高征收补偿标准（测试合成数据）",
    )
    assert bureau.state(case_id) == "已登记"
    bureau.upload(case_id, "petition_letter")
    bureau.generate(
        case_id, "acceptance_notice", number="石信〔2023〕受W1号", issued_on="2023-08-21"
    )
    bureau.act(case_id, "accept")
    assert bureau.state(case_id) == "办理中"
    bureau.act(case_id, "record_handling", held_on="2023-08-22", note="约谈征收办（测试）")

    at(clock, "2023-09-01")
    bureau = ConsoleWalk(console(OFFICER))
    bureau.generate(
        case_id,
        "handling_opinion",
        number="石信〔2023〕处W1号",
        issued_on="2023-09-01",
        opinion="经调查，补偿符合标准，解释说明如下（测试合成）。",
    )
    bureau.act(case_id, "answer", opinion_result="explained")
    assert bureau.state(case_id) == "已出具处理意见"
    # The petitioner may still ask for review: closing as lapsed is not yet possible.
    assert bureau.clocks(case_id)["review_window"].startswith("期间内")

    at(clock, "2023-09-15")
    bureau = ConsoleWalk(console(OFFICER))
    bureau.act(case_id, "request_review", note="对处理意见不服（测试）")
    assert bureau.state(case_id) == "复查中"
    bureau.generate(
        case_id,
        "review_opinion",
        number="石信〔2023〕复查W1号",
        issued_on="2023-09-15",
        opinion="维持原处理意见（测试合成）。",
    )
    bureau.act(case_id, "decide_review", review_result="explained")
    assert bureau.state(case_id) == "已出具复查意见"

    # The review opinion was received on 9/15; the petitioner asks after the holiday.
    at(clock, "2023-10-09")
    bureau = ConsoleWalk(console(OFFICER))
    bureau.act(case_id, "request_re_review", note="对复查意见不服（测试）")
    assert bureau.state(case_id) == "复核中"
    bureau.upload(
        case_id,
        "re_review_opinion",
        number="石信〔2023〕复核W1号",
        issued_on="2023-10-09",
        opinion="复核维持，终结（测试合成）。",
    )
    bureau.act(case_id, "decide_re_review", re_review_result="not_supported")
    assert bureau.state(case_id) == "已办结"
    assert bureau.offered(case_id) == []
    shown = bureau.fields(case_id)
    assert (shown["办结方式"], shown["复核意见"], shown["办结日期"]) == (
        "复核终结",
        "不予支持",
        "2023-10-09",
    )
    # The bureau's deadlines were met; the petitioner's windows (periods) ended.
    assert bureau.clocks(case_id) == {
        "acceptance": "已停止 · 按期",
        "handling": "已停止 · 按期",
        "review_window": "已结束",
        "review": "已停止 · 按期",
        "re_review_window": "已结束",
        "re_review": "已停止 · 按期",
    }


def test_a_disclosure_request_waits_for_the_third_party_and_is_replied_in_part(
    console: Console, clock: FakeClock
) -> None:
    at(clock, "2023-09-20")
    office = ConsoleWalk(console(DISCLOSURE_HANDLER))
    case_id = office.create(
        "disclosure_request",
        "apply",
        applicant_kind="citizen",
        applicant_name="测试申请人（网页合成）",
        applicant_phone="17000008102",
        request_content="申请公开某项目的审批文件（网页测试）",
        channel="online",
        delivery="email",
    )
    assert office.state(case_id) == "办理中"
    office.upload(case_id, "application")

    at(clock, "2023-09-22")
    office = ConsoleWalk(console(DISCLOSURE_HANDLER))
    office.upload(
        case_id, "third_party_letter", number="石政办征〔2023〕W1号", sent_on="2023-09-22"
    )
    office.act(
        case_id,
        "consult_third_party",
        third_party="株洲某科技有限公司（测试合成）",
        matter="可能涉及商业秘密（测试）",
    )
    assert office.state(case_id) == "征求第三方意见中"
    clocks = office.clocks(case_id)
    assert clocks["reply"].startswith("已中止") and clocks["third_party_opinion"].startswith(
        "期间内"
    )

    # The third party's 15 working days end on 10/19 (past the holiday); silent, it is
    # recorded on the day after.
    at(clock, "2023-10-20")
    office = ConsoleWalk(console(DISCLOSURE_HANDLER))
    office.act(case_id, "receive_third_party_opinion", third_party_opinion="no_answer", note="")
    assert office.state(case_id) == "办理中"
    assert office.clocks(case_id)["reply"].startswith("计时中")

    at(clock, "2023-11-14")
    office = ConsoleWalk(console(DISCLOSURE_HANDLER))
    office.upload(case_id, "reply_letter", number="石政办公开〔2023〕W1号", issued_on="2023-11-14")
    office.upload(case_id, "disclosed_information")
    # A partial disclosure needs its ground, asked for beside its input.
    groundless = office.refused(
        case_id, "reply", reply_kind="partly_disclosed", refusal_ground="", reply_text="部分公开"
    )
    assert error_of(groundless, "reply-refusal_ground") == "请选择不予公开依据"
    office.act(
        case_id,
        "reply",
        reply_kind="partly_disclosed",
        not_handled_reason="",
        refusal_ground="third_party_rights",
        reply_text="部分公开，涉及商业秘密的部分不予公开（测试合成）。",
    )
    assert office.state(case_id) == "已答复"
    shown = office.fields(case_id)
    assert (shown["办理结果"], shown["第三方意见"], shown["第三方"]) == (
        "部分公开",
        "逾期未提出意见",
        "株洲某科技有限公司（测试合成）",
    )
    # Suspended for the third party's time, the reply came within its 20 working days; the
    # third party's own time ran out unanswered. (The 7-working-day window for asking for
    # completion stops only with the reply, so it shows as stopped late: what the type says.)
    clocks = office.clocks(case_id)
    # The third party's and the completion notice's periods ended; neither is a breach.
    assert (clocks["reply"], clocks["third_party_opinion"]) == ("已停止 · 按期", "已结束")
    assert clocks["completion_notice"] == "已结束"
    assert office.offered(case_id) == ["record_reconsideration", "record_lawsuit"]


def test_a_consultation_without_the_third_party_is_refused_beside_the_field(
    console: Console, clock: FakeClock
) -> None:
    at(clock, "2023-09-21")
    office = ConsoleWalk(console(DISCLOSURE_HANDLER))
    case_id = office.create(
        "disclosure_request",
        "apply",
        applicant_kind="legal_person",
        applicant_name="测试公司（网页合成）",
        request_content="申请公开某许可文件（网页测试）",
        channel="letter",
    )
    office.upload(
        case_id, "third_party_letter", number="石政办征〔2023〕W2号", sent_on="2023-09-21"
    )
    refused = office.refused(
        case_id, "consult_third_party", third_party="", matter="可能涉及个人隐私（测试）"
    )
    assert error_of(refused, "consult_third_party-third_party") == "请填写第三方"
    assert office.state(case_id) == "办理中"
