"""行政复议 and 行政应诉 walked in the console from intake to closing, over real HTTP, by the
forms of the console's own pages (tests/web/walk.py) and by the roles that own each step: the
district's reconsideration office registers, accepts and decides; the respondent unit
(区城管局) files its reply on its own sign-in; in a suit the defendant unit (区住建局) files the
defence and the office records the hearing and the judgment. After each step the page's state
badge is read; at the end the outcome and the stopped clocks as the page shows them. A form
posted without a required input comes back with the Chinese message beside the field. Every
party is synthetic (测试合成)."""

from __future__ import annotations

from datetime import datetime

from fazhi.domain.durations import LOCAL_TZ
from tests.support import FakeClock
from tests.web.conftest import Console
from tests.web.html import error_of, page, text_of
from tests.web.walk import ConsoleWalk

OFFICER = "sfj_fuyi"  # 区司法局: reconsideration and litigation
RESPONDENT = "cgj_handler"  # 区城管局, the respondent unit
DEFENDER = "zjj_handler"  # 区住建局 answers for the district government


def at(clock: FakeClock, day: str, hour: int = 10) -> None:
    clock.set(datetime.fromisoformat(day).replace(hour=hour, tzinfo=LOCAL_TZ))


def test_a_reconsideration_walks_from_application_to_closing(
    console: Console, clock: FakeClock
) -> None:
    at(clock, "2023-09-25")
    office, respondent = ConsoleWalk(console(OFFICER)), ConsoleWalk(console(RESPONDENT))
    case_id = office.create(
        "reconsideration",
        "apply",
        applicant_kind="citizen",
        applicant_name="复议申请人（测试合成）",
        applicant_phone="13900003333",
        respondent="SF-CGJ",
        challenged_act="责令限期拆除雨棚（网页测试）",
        request="请求撤销该行政行为（测试）",
        procedure="general",
    )
    assert office.state(case_id) == "待审查受理"
    office.upload(case_id, "application")
    # A notice without its number is not generated: the message stands beside the input.
    missing = office.post_generate(case_id, "acceptance_notice", number="", issued_on="2023-09-25")
    assert missing.status_code == 422
    assert error_of(page(missing.text), "d-acceptance_notice-number") == "请填写文号"
    office.generate(
        case_id, "acceptance_notice", number="石政复受〔2023〕W1号", issued_on="2023-09-25"
    )
    office.act(case_id, "accept")
    assert office.state(case_id) == "审理中"
    # The respondent has no reply to file before the office sends the reply notice.
    assert "file_reply" not in office.offered(case_id)

    office.generate(case_id, "reply_notice", number="石政复答〔2023〕W1号", issued_on="2023-09-26")
    office.act(case_id, "send_reply_notice")
    # The respondent unit replies on its own sign-in; the office has no such form.
    assert "file_reply" not in office.offered(case_id)
    at(clock, "2023-10-09")  # after the National Day holiday, within 10 working days
    office, respondent = ConsoleWalk(console(OFFICER)), ConsoleWalk(console(RESPONDENT))
    respondent.upload(case_id, "reply", submitted_on="2023-10-09")
    respondent.act(case_id, "file_reply")
    assert respondent.state(case_id) == "审理中"
    assert office.clocks(case_id)["reply"] == "已停止 · 按期"

    at(clock, "2023-11-01")
    office = ConsoleWalk(console(OFFICER))
    office.generate(
        case_id,
        "decision",
        number="石政复决〔2023〕W1号",
        decided_on="2023-11-01",
        outcome="revoke",
        reasoning="被申请人未提供证据（测试合成）。",
    )
    # The outcome chosen must be the paper's: the refusal is shown in the decision's form.
    wrong = office.refused(case_id, "decide", outcome="maintain")
    assert "不一致" in text_of(wrong, "decide-form-error")
    office.act(case_id, "decide", outcome="revoke")
    assert office.state(case_id) == "已作出决定"
    office.act(case_id, "close", note="决定书已送达（测试）")
    assert office.state(case_id) == "已结案"
    assert office.offered(case_id) == []
    shown = office.fields(case_id)
    assert shown["复议结果"] == "撤销" and shown["决定日期"] == "2023-11-01"
    clocks = office.clocks(case_id)
    assert clocks == {
        "acceptance": "已停止 · 按期",
        "send_copy": "已停止 · 按期",
        "reply": "已停止 · 按期",
        "decision": "已停止 · 按期",
    }


def test_a_suit_walks_from_service_to_judgment(console: Console, clock: FakeClock) -> None:
    # Served on 20 September 2023: the 15 days end in the National Day holiday.
    at(clock, "2023-09-20")
    office, defender = ConsoleWalk(console(OFFICER)), ConsoleWalk(console(DEFENDER))
    case_id = office.create(
        "litigation",
        "receive",
        instance="first",
        defendant_kind="district_government",
        defendant_unit="SF-ZJJ",
        plaintiff="原告（测试合成）",
        court="株洲市中级人民法院",
        court_case_number="（2023）湘02行初W1号",
        cause="诉房屋征收补偿决定（网页测试）",
    )
    assert office.state(case_id) == "答辩举证中"
    office.upload(case_id, "complaint")
    # The defence is the defendant unit's step, not the office's.
    assert "file_defence" not in office.offered(case_id)
    at(clock, "2023-10-07", 16)
    defender = ConsoleWalk(console(DEFENDER))
    defender.upload(case_id, "defence", submitted_on="2023-10-07")
    defender.upload(case_id, "evidence")
    defender.act(case_id, "file_defence")
    assert defender.state(case_id) == "审理中"

    at(clock, "2023-11-10")
    office = ConsoleWalk(console(OFFICER))
    office.upload(case_id, "appearance_notice", hearing_on="2023-11-10", sent_on="2023-11-05")
    office.act(
        case_id,
        "record_hearing",
        hearing_on="2023-11-10",
        head_appearance="appeared",
        notice_sent_on="2023-11-05",
        head_name="区住建局局长（测试）",
    )
    assert office.state(case_id) == "审理中"
    at(clock, "2023-12-01")
    office = ConsoleWalk(console(OFFICER))
    office.upload(case_id, "judgment", number="（2023）湘02行初W1号判决书", judged_on="2023-12-01")
    office.act(case_id, "judge", judgment="win", judged_on="2023-12-01")
    assert office.state(case_id) == "已审结"
    assert office.offered(case_id) == []
    shown = office.fields(case_id)
    assert shown["裁判结果"] == "胜诉" and shown["最近一次庭审负责人出庭"] == "负责人出庭"
    assert office.clocks(case_id) == {"defence": "已停止 · 按期"}


def test_a_judgment_without_its_date_is_refused_beside_the_field(
    console: Console, clock: FakeClock
) -> None:
    at(clock, "2023-09-21")
    office = ConsoleWalk(console(OFFICER))
    case_id = office.create(
        "litigation",
        "receive",
        defendant_kind="department",
        defendant_unit="SF-ZJJ",
        plaintiff="原告（测试合成）",
        court="石峰区人民法院",
        cause="诉行政许可（网页测试）",
    )
    # The judgment's form is offered once its paper is on file.
    assert "judge" not in office.offered(case_id)
    office.upload(case_id, "judgment", number="（2023）石行初W2号", judged_on="2023-09-21")
    refused = office.refused(case_id, "judge", judgment="win", judged_on="")
    assert error_of(refused, "judge-judged_on") == "请填写裁判日期"
    assert office.state(case_id) == "答辩举证中"
