"""行政复议 over the API: the reconsideration office registers an application against a unit's
act (a penalty decision, linked), accepts it with a generated 受理通知书 — or the law accepts
it when the 5-working-day review runs out in silence (《行政复议法》第三十条) — sends the reply
notice, the respondent unit files its reply within 10 working days (5 simplified), the hearing
is suspended and resumed and extended, and the 行政复议决定书 carries the outcome. Each
statutory clock is checked across a holiday. Every person is synthetic."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import delete

from fazhi.actions.platform import Platform
from fazhi.actions.schedule import run_schedules
from fazhi.actions.system_account import system_actor
from fazhi.domain.durations import LOCAL_TZ
from fazhi.store.db import transaction
from fazhi.store.models import ScheduleRun
from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.api.test_penalty_case import register as register_penalty_case
from tests.support import ApiClient, FakeClock
from tests.support import generated_text as generate

CASES = "/api/v1/cases"
OFFICER = "sfj_fuyi"
RESPONDENT = "cgj_handler"  # 区城管局, the respondent unit's staff


def at(clock: FakeClock, day: str, hour: int = 10, minute: int = 0) -> None:
    clock.set(datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=LOCAL_TZ))


def apply(officer: ApiClient, **fields: Any) -> dict[str, Any]:
    body = {
        "applicant_name": "复议申请人甲（测试合成）",
        "applicant_phone": "13900003333",
        "applicant_id_number": "430204199001011236",
        "respondent": "SF-CGJ",
        "challenged_act": "责令限期拆除违法搭建的雨棚（测试）",
        "request": "请求撤销该行政行为",
        **fields,
    }
    response = officer.post(CASES, json={"type": "reconsideration", "fields": body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def clock_of(body: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in body["clocks"] if c["name"] == name and c["running"])


def due(client: ApiClient, case_id: int, name: str) -> str:
    return str(clock_of(client.case(case_id).json(), name)["due_at"])


def add(client: ApiClient, case_id: int, kind: str, **data: Any) -> None:
    response = client.post(f"{CASES}/{case_id}/documents", json={"kind": kind, "data": data})
    assert response.status_code == 201, response.text


def refused(client: ApiClient, case_id: int, action: str, status: int = 422, **inputs: Any) -> str:
    response = client.post(f"{CASES}/{case_id}/actions/{action}", json={"inputs": inputs})
    return str(assert_error(response, status)["message"])


def accept(officer: ApiClient, case_id: int, number: str = "石政复受〔2023〕T1号") -> None:
    generate(officer, case_id, "acceptance_notice", number=number, issued_on="2023-06-01")
    officer.act(case_id, "accept")


def send_reply_notice(officer: ApiClient, case_id: int) -> str:
    """Send the reply notice (generated); its text."""
    text = generate(
        officer, case_id, "reply_notice", number="石政复答〔2023〕T1号", issued_on="2023-06-01"
    )
    officer.act(case_id, "send_reply_notice")
    return text


def test_an_application_walks_from_registration_to_closing(login: Login, clock: FakeClock) -> None:
    at(clock, "2023-06-01")
    officer, respondent = login(OFFICER), login(RESPONDENT)
    case = apply(officer)
    case_id = case["id"]
    assert case["state"] == "applied"
    assert case["fields"]["applicant_name"] == "复议申请人甲（测试合成）"  # the office sees it
    # The respondent unit sees the case, but the applicant's personal data masked.
    seen = respondent.case(case_id).json()
    assert seen["fields"]["applicant_phone"] != "13900003333"
    assert seen["fields"]["applicant_id_number"] != "430204199001011236"
    # Acceptance needs the notice, which is generated as a .docx from the case.
    assert "受理通知书" in refused(officer, case_id, "accept")
    text = generate(
        officer, case_id, "acceptance_notice", number="石政复受〔2023〕T2号", issued_on="2023-06-02"
    )
    assert "行政复议受理通知书" in text and "石政复受〔2023〕T2号" in text
    assert "区城管局" in text or "城市管理" in text
    accepted = officer.act(case_id, "accept")
    assert (accepted["state"], accepted["fields"]["accepted_on"]) == ("accepted", "2023-06-01")

    # The respondent cannot reply before the office sends the application and the notice.
    add(respondent, case_id, "reply", submitted_on="2023-06-05")
    assert "答复通知书" in refused(respondent, case_id, "file_reply")
    letter = generate(
        officer, case_id, "reply_notice", number="石政复答〔2023〕T2号", issued_on="2023-06-02"
    )
    assert "十日内提出书面答复" in letter
    officer.act(case_id, "send_reply_notice")
    # Only the respondent unit files the reply; the office may not file it for it.
    assert_error(officer.post(f"{CASES}/{case_id}/actions/file_reply", json={"inputs": {}}), 403)
    replied = respondent.act(case_id, "file_reply")
    assert replied["fields"]["reply_filed_on"] == "2023-06-01"
    reply_clock = next(c for c in replied["clocks"] if c["name"] == "reply")
    assert reply_clock["status"] == "met" and "第四十八条" in reply_clock["basis"]

    # The decision's paper and the chosen outcome must agree.
    paper = generate(
        officer,
        case_id,
        "decision",
        number="石政复决〔2023〕T2号",
        decided_on="2023-07-10",
        outcome="revoke",
        reasoning="被申请人未提供作出行政行为的证据（测试）。",
    )
    assert "行政复议决定书" in paper and "撤销" in paper and "十五日内" in paper
    assert "不一致" in refused(officer, case_id, "decide", outcome="maintain")
    decided = officer.act(case_id, "decide", outcome="revoke")
    assert (decided["state"], decided["fields"]["outcome"]) == ("decided", "revoke")
    closed = officer.act(case_id, "close", note="决定书已送达（测试）")
    assert closed["state"] == "closed"


def test_only_the_office_and_the_respondent_unit_see_an_application(
    login: Login, clock: FakeClock
) -> None:
    at(clock, "2023-06-01")
    case_id = apply(login(OFFICER))["id"]
    # A street's handler (not the respondent) and a hotline operator: as if it did not exist.
    assert_error(login("tx_handler").case(case_id), 404)
    assert_error(login("operator1").case(case_id), 404)
    # Neither may register one.
    response = login("operator1").post(
        CASES, json={"type": "reconsideration", "fields": {"applicant_name": "x"}}
    )
    assert response.status_code in (403, 422), response.text
    assert_error(response, response.status_code)
    # The respondent may not take the office's steps.
    assert_error(
        login(RESPONDENT).post(f"{CASES}/{case_id}/actions/reject", json={"inputs": {}}), 403
    )


def test_a_penalty_decision_challenged_is_linked_and_prefills_the_application(
    login: Login, clock: FakeClock
) -> None:
    at(clock, "2023-06-01")
    penalty_id = register_penalty_case(login("cgj_enforcer"))
    officer = login(OFFICER)
    prefill = officer.get(
        f"{CASES}/{penalty_id}/prefill/reconsideration", params={"link": "penalty_case"}
    )
    assert prefill.status_code == 200, prefill.text
    fields = prefill.json()["fields"]
    assert "占道经营" in fields["challenged_act"]
    case = apply(
        officer, penalty_case=fields["penalty_case"], challenged_act=fields["challenged_act"]
    )
    assert case["fields"]["penalty_case"] == penalty_id
    back = officer.get(f"{CASES}/{penalty_id}/links").json()
    assert case["id"] in [c["case"]["id"] for c in back["incoming"]]
    # A case that is not a penalty case cannot be linked as one.
    other = apply(officer)["id"]
    response = officer.post(
        CASES,
        json={
            "type": "reconsideration",
            "fields": {**_minimal(), "penalty_case": other},
        },
    )
    assert assert_error(response, 422)["field"] == "penalty_case"


def _minimal() -> dict[str, Any]:
    return {
        "applicant_name": "复议申请人乙（测试合成）",
        "respondent": "SF-CGJ",
        "challenged_act": "行政处罚决定（测试）",
        "request": "请求撤销",
    }


def test_the_acceptance_review_counts_five_working_days_across_national_day(
    login: Login, clock: FakeClock
) -> None:
    # Thursday 28 September 2023: 29 Sep – 6 Oct are holidays, 7 and 8 Oct (a weekend) are
    # working days, so the 5th working day is Wednesday 11 October.
    at(clock, "2023-09-28")
    officer = login(OFFICER)
    case_id = apply(officer)["id"]
    assert due(officer, case_id, "acceptance") == "2023-10-11T23:59:59+08:00"
    # Within the review the office may refuse; past it, the law has accepted the application.
    at(clock, "2023-10-12", 9)
    add(officer, case_id, "rejection_decision", number="石政复不受〔2023〕T1号")
    assert "视为受理" in refused(officer, case_id, "reject", rejection_reason="超过申请期限")


@pytest.fixture
def fresh_schedule(platform: Platform) -> None:
    """The silent-acceptance rule runs at the test's instant whatever earlier runs recorded."""
    with transaction(platform.sessions) as session:
        session.execute(delete(ScheduleRun).where(ScheduleRun.case_type == "reconsideration"))


def test_silence_means_accepted_on_the_last_day_of_the_review(
    login: Login, clock: FakeClock, platform: Platform, fresh_schedule: None
) -> None:
    at(clock, "2023-09-28")
    officer = login(OFFICER)
    case_id = apply(officer, procedure="simplified")["id"]
    system = system_actor(platform)
    # On the review's last day nothing happens: the office may still decide.
    run_schedules(platform, system, datetime(2023, 10, 11, 22, 0, tzinfo=LOCAL_TZ))
    assert officer.case(case_id).json()["state"] == "applied"
    # Once it has run out, the scheduler's rule accepts it, dated the review's last day.
    report = run_schedules(platform, system, datetime(2023, 10, 12, 0, 30, tzinfo=LOCAL_TZ))
    assert not [r for r in report.refused if r[0] == case_id]
    body = officer.case(case_id).json()
    assert body["state"] == "accepted"
    assert body["fields"]["accepted_on"] == "2023-10-11"
    assert body["fields"]["deemed_accepted"] is True
    events = officer.get(f"{CASES}/{case_id}/events").json()["items"]
    assert events[-1]["action"] == "deem_accepted"
    # The simplified procedure's copy is due within 3 working days, the decision in 30 days.
    assert "send_copy" in [c["name"] for c in body["clocks"] if c["running"]]
    assert clock_of(body, "decision")["limit"] == "30cd"


def test_the_copy_and_the_reply_are_due_in_working_days_shorter_when_simplified(
    login: Login, clock: FakeClock
) -> None:
    # Monday 24 April 2023: 29 Apr – 3 May are holidays, Saturday 6 May is a working day.
    officer = login(OFFICER)
    at(clock, "2023-04-24")
    general = apply(officer)["id"]
    simplified = apply(officer, procedure="simplified")["id"]
    letters = []
    for case_id in (general, simplified):
        accept(officer, case_id)
        # The copy goes to the respondent within 7 working days (3 simplified).
        copy_due = due(officer, case_id, "send_copy")
        letters.append(send_reply_notice(officer, case_id))
        assert copy_due == (
            "2023-05-06T23:59:59+08:00" if case_id == general else "2023-04-27T23:59:59+08:00"
        )
    assert due(officer, general, "reply") == "2023-05-10T23:59:59+08:00"
    assert due(officer, simplified, "reply") == "2023-05-04T23:59:59+08:00"
    assert "十日内提出书面答复" in letters[0] and "第五十四条" not in letters[0]
    assert "五日内提出书面答复" in letters[1] and "第五十四条" in letters[1]
    # Filed late, the reply is recorded as missed.
    at(clock, "2023-05-11")
    add(login(RESPONDENT), general, "reply", submitted_on="2023-05-11")
    replied = login(RESPONDENT).act(general, "file_reply")
    assert next(c for c in replied["clocks"] if c["name"] == "reply")["status"] == "missed"


def test_the_decision_limit_of_sixty_days_suspends_and_extends_by_thirty(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-07-01")
    case_id = apply(officer)["id"]
    accept(officer, case_id)
    assert due(officer, case_id, "decision") == "2023-08-30T23:59:59+08:00"  # 60 days
    # Suspended on 11 July, 50 days remain; resumed on 16 July they run to 4 September.
    at(clock, "2023-07-11")
    suspended = officer.act(case_id, "suspend", reason="申请人因不可抗力不能参加复议（测试）")
    assert suspended["state"] == "suspended"
    assert clock_of(suspended, "decision")["remaining"]
    # Nothing is decided while the hearing is suspended.
    assert_error(
        officer.post(f"{CASES}/{case_id}/actions/decide", json={"inputs": {"outcome": "maintain"}}),
        409,
    )
    at(clock, "2023-07-16")
    officer.act(case_id, "resume")
    assert due(officer, case_id, "decision") == "2023-09-04T23:59:59+08:00"
    # The extension needs the approval on file, is at most 30 days, and is granted once.
    assert "延期审理审批表" in refused(officer, case_id, "extend", days=30, reason="情况复杂")
    add(officer, case_id, "extension_approval", approver="负责人（测试）", approved_on="2023-07-20")
    assert_error(
        officer.post(
            f"{CASES}/{case_id}/actions/extend", json={"inputs": {"days": 31, "reason": "x"}}
        ),
        422,
    )
    officer.act(case_id, "extend", days=30, reason="案情复杂，需要现场勘验（测试）")
    # 80 days from the resumption end on 4 October, in the National Day holiday: moved to the
    # make-up working Saturday, 7 October.
    assert due(officer, case_id, "decision") == "2023-10-07T23:59:59+08:00"
    assert "延长过" in refused(officer, case_id, "extend", days=1, reason="再次延长")


def test_a_simplified_case_is_decided_in_thirty_days_without_extension(
    login: Login, clock: FakeClock
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-09-01")
    case_id = apply(officer, procedure="simplified")["id"]
    accept(officer, case_id)
    # 30 calendar days end on Sunday 1 October, in the holiday: moved to Saturday 7 October.
    assert due(officer, case_id, "decision") == "2023-10-07T23:59:59+08:00"
    add(officer, case_id, "extension_approval", approver="负责人（测试）", approved_on="2023-09-05")
    assert "简易程序" in refused(officer, case_id, "extend", days=10, reason="情况复杂")
