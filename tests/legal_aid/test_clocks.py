"""The two clocks of 法律援助法 art.43, counted in working days as the demo deployment's
configuration says (the law leaves the day type open): 7 days to decide on an application,
3 days from the decision to assign a lawyer — across 2023's holidays and make-up working
days; the time the applicant takes to supply missing material is not counted (suspended). A
court's, procuratorate's or police notice (art.36) needs no review: it is granted on receipt
and a lawyer is assigned within 3 days of it."""

from __future__ import annotations

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.legal_aid.conftest import CASES, OFFICER, application, apply, clock_of
from tests.support import FakeClock


def test_the_review_runs_7_working_days_across_national_day(login: Login, clock: FakeClock) -> None:
    clock.set("2023-09-28T10:00:00+08:00")  # Thursday before 中秋+国庆 (9/29–10/6)
    body = apply(login(OFFICER))
    review = clock_of(body, "review")
    # 10/7 and 10/8 are make-up working days: 10/7, 10/8, 10/9 … 10/13.
    assert review["due_at"] == "2023-10-13T23:59:59+08:00"
    assert "第四十三条" in review["basis"] and "工作日" in review["basis"]


def test_the_assignment_runs_3_working_days_from_the_decision_across_may_day(
    login: Login, clock: FakeClock
) -> None:
    clock.set("2023-04-26T10:00:00+08:00")
    centre = login(OFFICER)
    case_id = apply(centre)["id"]
    clock.set("2023-04-27T15:00:00+08:00")  # Thursday; 4/29–5/3 is 劳动节
    accepted = centre.act(case_id, "accept")
    assert clock_of(accepted, "review")["running"] is False
    assign = clock_of(accepted, "assign")
    # 4/28, then 5/4 and 5/5.
    assert assign["due_at"] == "2023-05-05T23:59:59+08:00"
    assert "三日内指派" in assign["basis"]


def test_the_time_taken_to_supply_material_does_not_count(login: Login, clock: FakeClock) -> None:
    clock.set("2023-06-15T10:00:00+08:00")  # Thursday; 6/22–24 端午, 6/25 a make-up day
    centre = login(OFFICER)
    created = apply(centre, hardship_evidence="")
    assert clock_of(created, "review")["due_at"] == "2023-06-27T23:59:59+08:00"
    clock.set("2023-06-19T10:00:00+08:00")  # two working days used (6/16, 6/19)
    suspended = centre.act(created["id"], "request_materials", missing="低保证明")
    assert "中止" in clock_of(suspended, "review")["remaining"], clock_of(suspended, "review")
    clock.set("2023-07-03T10:00:00+08:00")  # supplied two weeks later
    resumed = centre.act(created["id"], "materials_supplied", hardship_evidence="低保证明（测试）")
    # Five working days remain from 7/3: 7/4 … 7/10.
    assert clock_of(resumed, "review")["due_at"] == "2023-07-10T23:59:59+08:00"
    assert resumed["fields"]["hardship_evidence"] == "低保证明（测试）"


NOTICE = {
    "channel": "court_notice",
    "notifying_body": "石峰区人民法院（测试）",
    "matter_kind": "criminal",
    "matter": "被告人系未成年人，通知指派辩护律师（测试合成）",
    "eligibility_basis": "statutory_notice",
    "statutory_ground": "minor",
    "charge": "盗窃罪（测试）",
}


def test_a_court_notice_is_granted_on_receipt_and_assigned_within_3_working_days(
    login: Login, clock: FakeClock
) -> None:
    clock.set("2023-09-28T10:00:00+08:00")  # Thursday before 中秋+国庆 (9/29–10/6)
    centre = login(OFFICER)
    response = centre.post(
        CASES,
        json={
            "type": "legal_aid",
            "action": "receive_notice",
            "fields": application(**NOTICE, hardship_evidence=""),
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    # No eligibility review (art.36): granted and numbered as received.
    assert body["state"] == "accepted"
    assert body["fields"]["aid_number"].startswith("(2023)湘援0204刑")
    assert "review" not in [c["name"] for c in body["clocks"]]
    assign = clock_of(body, "assign")
    # 10/7 and 10/8 are make-up working days, then 10/9.
    assert assign["due_at"] == "2023-10-09T23:59:59+08:00"
    assert "第三十六条" in assign["basis"]


def test_a_court_notice_is_not_taken_in_as_an_application_to_review(login: Login) -> None:
    centre = login(OFFICER)
    refused = centre.post(
        CASES, json={"type": "legal_aid", "fields": application(**NOTICE, hardship_evidence="")}
    )
    assert "接收通知辩护、代理" in assert_error(refused, 422)["message"]
    # Nor is an ordinary application received as a notice.
    wrong = centre.post(
        CASES,
        json={"type": "legal_aid", "action": "receive_notice", "fields": application()},
    )
    assert "法院、检察院、公安机关通知" in assert_error(wrong, 422)["message"]
    # A street's judicial office takes in applications, not notices.
    street = login("tx_sfs").post(
        CASES,
        json={
            "type": "legal_aid",
            "action": "receive_notice",
            "fields": application(**NOTICE, hardship_evidence=""),
        },
    )
    assert street.status_code == 403, street.text
