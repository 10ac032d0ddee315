"""劳动人事争议仲裁 and 根治欠薪 walked in the console from intake to closing, over real HTTP, by
the forms of the console's own pages (tests/web/walk.py) and by the roles that own them: the
arbitration court (rsj_arbitrator) registers, accepts with the generated 受理通知书, mediates,
hears and awards; the labour inspection brigade (rsj_inspector) registers a complaint, files
it, orders payment by the generated 限期整改指令书 (its due day moved past the National Day
holiday), follows it up and closes with the amount recovered. After each step the page's state
badge is read; at the end the outcome and the stopped clocks as the page shows them. A form
posted without a required input comes back with the Chinese message beside the field. Every
party is synthetic (测试合成)."""

from __future__ import annotations

from tests.labour.support import ARBITRATOR, EMPLOYER_CODE, INSPECTOR, at
from tests.support import FakeClock
from tests.web.conftest import Console
from tests.web.html import error_of
from tests.web.walk import ConsoleWalk


def test_an_arbitration_walks_from_application_to_award(console: Console, clock: FakeClock) -> None:
    # Applied on 27 September 2023: the 5 working days of review run past the holiday.
    at(clock, "2023-09-27")
    court = ConsoleWalk(console(ARBITRATOR))
    # An applicant's record without the name is shown again with the message beside it.
    nameless = court.refused_create(
        "labour_arbitration",
        "apply",
        **{"applicants[0][name]": "", "applicants[0][phone]": "17000007101"},
        employer_name="株洲某劳务有限公司（网页测试）",
        employer_credit_code=EMPLOYER_CODE,
        dispute_kind="wages",
        claims="请求支付拖欠工资（测试合成）",
    )
    assert error_of(nameless, "applicants-0-name") == "申请人（劳动者）第1项：请填写姓名"
    case_id = court.create(
        "labour_arbitration",
        "apply",
        **{
            "applicants[0][name]": "测试劳动者（网页合成）",
            "applicants[0][phone]": "17000007101",
        },
        employer_name="株洲某劳务有限公司（网页测试）",
        employer_credit_code=EMPLOYER_CODE,
        dispute_kind="wages",
        claims="请求支付拖欠工资9000元（测试合成）",
        amount_claimed="9000",
    )
    assert court.state(case_id) == "已申请"
    court.upload(case_id, "application")
    at(clock, "2023-10-07")
    court = ConsoleWalk(console(ARBITRATOR))
    court.generate(
        case_id, "acceptance_notice", number="石劳人仲案字〔2023〕W1号", issued_on="2023-10-07"
    )
    court.act(case_id, "accept")
    assert court.state(case_id) == "已受理"
    assert court.clocks(case_id)["acceptance"] == "已停止 · 按期"
    court.act(case_id, "start_mediation")
    assert court.state(case_id) == "庭前调解"
    court.act(case_id, "schedule_hearing", note="调解不成（测试）")
    assert court.state(case_id) == "审理中"
    # The award's form is not offered before a hearing is on record.
    court.generate(
        case_id,
        "award",
        number="石劳人仲裁字〔2023〕W1号",
        issued_on="2023-10-20",
        result="被申请人支付工资6000元（测试合成）",
        amount="6000",
    )
    assert "make_award" not in court.offered(case_id)
    court.act(case_id, "record_hearing", held_on="2023-10-19", record="双方到庭（测试）")
    assert court.state(case_id) == "审理中"
    court.act(case_id, "make_award", award_result="partly_upheld")
    assert court.state(case_id) == "已裁决"
    assert court.offered(case_id) == []
    shown = court.fields(case_id)
    assert (shown["结案方式"], shown["裁决结果"]) == ("裁决", "支持部分请求")
    assert shown["裁决或调解金额（元）"] == "6,000.00 元"
    assert court.clocks(case_id) == {"acceptance": "已停止 · 按期", "award": "已停止 · 按期"}


def test_a_wage_complaint_walks_from_registration_to_closing(
    console: Console, clock: FakeClock
) -> None:
    at(clock, "2023-09-27")
    brigade = ConsoleWalk(console(INSPECTOR))
    case_id = brigade.create(
        "wage_arrears",
        "register",
        source="complaint",
        complainant_name="测试劳动者（网页合成）",
        employer_name="株洲某建设工程有限公司（网页测试）",
        employer_credit_code=EMPLOYER_CODE,
        project_name="石峰区某安置小区项目（测试合成）",
        workers="8",
        amount_claimed="48000",
        summary="8名工人反映被拖欠工资（测试合成）",
    )
    assert brigade.state(case_id) == "已登记"
    brigade.act(case_id, "file")
    assert brigade.state(case_id) == "调查中"
    brigade.upload(case_id, "evidence")
    brigade.act(case_id, "record_finding", held_on="2023-09-27", finding="核实工资表（测试）")
    # 7 days from 27 September end on 4 October, a holiday: due on the make-up Saturday.
    brigade.generate(
        case_id,
        "rectification_notice",
        number="石人社监令〔2023〕W1号",
        issued_on="2023-09-27",
        due_on="2023-10-07",
        requirement="限期足额支付拖欠的工资（测试合成）",
    )
    brigade.act(case_id, "issue_rectification", rectify_period="d7")
    assert brigade.state(case_id) == "限期整改中"
    assert brigade.fields(case_id)["整改期限届满日"] == "2023-10-07"

    at(clock, "2023-10-07")
    brigade = ConsoleWalk(console(INSPECTOR))
    brigade.act(case_id, "follow_up", rectified="done", note="已足额支付（测试）")
    assert brigade.state(case_id) == "调查中"
    assert brigade.clocks(case_id)["rectification"] == "已停止 · 按期"
    brigade.upload(case_id, "closing_report", summary="督促支付到位（测试合成）")
    brigade.act(case_id, "close", result="paid", amount_recovered="48000", workers_paid="8")
    assert brigade.state(case_id) == "已结案"
    assert brigade.offered(case_id) == []
    shown = brigade.fields(case_id)
    assert shown["处理结果"] == "督促支付到位" and shown["结案日期"] == "2023-10-07"
    assert brigade.clocks(case_id) == {
        "investigation": "已停止 · 按期",
        "rectification": "已停止 · 按期",
    }


def test_a_payment_closed_without_the_amount_is_refused_beside_the_field(
    console: Console, clock: FakeClock
) -> None:
    at(clock, "2023-09-28")
    brigade = ConsoleWalk(console(INSPECTOR))
    case_id = brigade.create(
        "wage_arrears",
        "register",
        source="report",
        employer_name="株洲某劳务公司（网页测试）",
        workers="3",
        amount_claimed="9000",
        summary="3名工人被拖欠工资（测试合成）",
    )
    refused = brigade.refused(
        case_id, "close", result="paid", amount_recovered="", workers_paid="3"
    )
    assert error_of(refused, "close-amount_recovered") == "请填写追回金额（元）"
    assert brigade.state(case_id) == "已登记"
