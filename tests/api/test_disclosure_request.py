"""A government-information disclosure request (政府信息公开申请), a type defined purely as data,
walked over the same generic endpoints as hotline orders.

Clocks (政府信息公开条例): notice to complete the application within 7 WD of receipt (art.30);
reply within 20 WD (art.33), counted again from the day the completed application arrives,
extendable once by the head of the unit by at most 20 WD.

The demo org has no leader in 区司法局, so the extension is tested on a request registered by
区城管局's handler, whose leader (cgj_leader) may then extend it.
"""

from __future__ import annotations

from typing import Any

from tests.api.flows import CASES, Desk, assert_error
from tests.support import FakeClock

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICATION = {
    "applicant_kind": "citizen",
    "applicant_name": "测试丙",
    "applicant_phone": "17000005678",
    "request_content": "2023年本区占道经营整治专项行动方案（测试）",
    "delivery": "email",
}


def apply(desk: Desk, username: str = "sfj_handler", **fields: Any) -> dict[str, Any]:
    response = desk[username].post(
        CASES,
        json={"type": "disclosure_request", "action": "apply", "fields": {**APPLICATION, **fields}},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def running(case: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in case["clocks"] if c["running"]}


def test_the_whole_walk_of_a_request_completed_then_refused_with_a_ground(
    desk: Desk, clock: FakeClock
) -> None:
    sfj = desk["sfj_handler"]
    case = apply(desk)  # Thu 2023-06-01 09:00
    case_id = case["id"]
    assert case["number"].startswith("GK20230601")
    assert (case["state"], case["lead_unit"]["code"]) == ("received", "SF-SFJ")
    clocks = running(case)
    # 7 WD: 6/2, 6/5–9, 6/12. 20 WD: … 6/21 is the 14th; 6/22–24 off; 6/25 (make-up), 6/26–30.
    assert clocks["completion_notice"]["due_at"] == "2023-06-12T23:59:59+08:00"
    assert clocks["reply"]["due_at"] == "2023-06-30T23:59:59+08:00"

    clock.set("2023-06-05T10:00:00+08:00")
    body = sfj.act(case_id, "request_completion", completion_items="请写明文件的发布年份（测试）")
    assert body["state"] == "awaiting_completion"
    assert running(body) == {}  # both clocks stop while the applicant completes

    clock.set("2023-06-12T10:00:00+08:00")
    body = sfj.act(case_id, "receive_completion", note="申请人已补正（测试）")
    assert body["state"] == "received"
    reply = running(body)["reply"]
    assert set(running(body)) == {"reply"}
    # A fresh 20 WD from 6/12: 6/13–21 (7), 6/25 (8), 6/26–30 (13), 7/3–7 (18), 7/10, 7/11.
    assert (reply["started_at"], reply["due_at"]) == (
        "2023-06-12T10:00:00+08:00",
        "2023-07-11T23:59:59+08:00",
    )
    assert body["due_at"] == "2023-07-11T23:59:59+08:00"

    clock.set("2023-07-03T15:00:00+08:00")
    refused = {"reply_kind": "refused", "reply_text": "申请公开的信息涉及第三方商业秘密（测试）"}
    response = sfj.post(f"{CASES}/{case_id}/actions/reply", json={"inputs": refused})
    body = assert_error(response, 422, "document_missing")
    assert body["message"] == "请先上传答复告知书"
    blocked = sfj.get(f"{CASES}/{case_id}/actions").json()["blocked"]
    assert {"name": "reply", "label": "答复", "reasons": ["请先上传答复告知书"]} in blocked
    # The notice to complete can be given only once: its clock stopped at the first one.
    assert "request_completion" in {b["name"] for b in blocked}

    uploaded = sfj.post(
        f"{CASES}/{case_id}/documents",
        data={"kind": "reply_letter"},
        files={"file": ("答复告知书.pdf", PDF, "application/pdf")},
    )
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["kind"] == "reply_letter"

    response = sfj.post(f"{CASES}/{case_id}/actions/reply", json={"inputs": refused})
    body = assert_error(response, 422, "required")
    assert body["field"] == "refusal_ground"
    assert "不予公开依据" in body["message"]

    body = sfj.act(case_id, "reply", refusal_ground="third_party_rights", **refused)
    assert (body["state"], body["terminal"]) == ("replied", True)
    assert body["closed_at"] == "2023-07-03T15:00:00+08:00"
    assert body["fields"]["refusal_ground"] == "third_party_rights"
    replied = next(c for c in body["clocks"] if c["name"] == "reply" and c["stopped_at"])
    assert replied["status"] == "met"

    events = desk.events(case_id, "sfj_handler")
    assert [(e["action"], e["from_state"], e["to_state"], e["at"]) for e in events] == [
        ("apply", None, "received", "2023-06-01T09:00:00+08:00"),
        ("request_completion", "received", "awaiting_completion", "2023-06-05T10:00:00+08:00"),
        ("receive_completion", "awaiting_completion", "received", "2023-06-12T10:00:00+08:00"),
        ("document_added", "received", "received", "2023-07-03T15:00:00+08:00"),
        ("reply", "received", "replied", "2023-07-03T15:00:00+08:00"),
    ]
    assert {e["actor"]["username"] for e in events} == {"sfj_handler"}
    assert events[3]["payload"]["document"]["kind"] == "reply_letter"
    assert [e["prev_hash"] for e in events[1:]] == [e["hash"] for e in events[:-1]]
    # The applicant's data is masked for units, in the request and its first event.
    assert body["fields"]["applicant_phone"] == "170****5678"
    assert events[0]["payload"]["inputs"]["applicant_name"] == "测*丙"


def test_a_disclosed_reply_needs_no_refusal_ground(desk: Desk) -> None:
    case_id = apply(desk)["id"]
    sfj = desk["sfj_handler"]
    sfj.post(
        f"{CASES}/{case_id}/documents",
        data={"kind": "reply_letter"},
        files={"file": ("答复.pdf", PDF, "application/pdf")},
    )
    body = sfj.act(case_id, "reply", reply_kind="disclosed", reply_text="予以公开（测试）")
    assert body["state"] == "replied"
    assert "refusal_ground" not in body["fields"]


def test_notice_to_complete_after_7_working_days_is_refused(desk: Desk, clock: FakeClock) -> None:
    case_id = apply(desk)["id"]
    clock.set("2023-06-13T09:00:00+08:00")  # the 7th working day was Monday 6/12
    response = desk["sfj_handler"].post(
        f"{CASES}/{case_id}/actions/request_completion",
        json={"inputs": {"completion_items": "（测试）"}},
    )
    body = assert_error(response, 422, "guard_failed")
    assert "7个工作日" in body["message"]


def test_the_unit_leader_extends_the_reply_clock_once_by_at_most_20_working_days(
    desk: Desk,
) -> None:
    case = apply(desk, "cgj_handler")
    case_id = case["id"]
    assert case["lead_unit"]["code"] == "SF-CGJ"
    assert running(case)["reply"]["due_at"] == "2023-06-30T23:59:59+08:00"

    response = desk.handler.post(
        f"{CASES}/{case_id}/actions/extend", json={"inputs": {"days": 5, "reason": "（测试）"}}
    )
    assert_error(response, 403, "forbidden_role")  # only the head of the unit
    leader = desk["cgj_leader"]
    response = leader.post(
        f"{CASES}/{case_id}/actions/extend", json={"inputs": {"days": 21, "reason": "（测试）"}}
    )
    assert assert_error(response, 422, "invalid_value")["field"] == "days"

    body = leader.act(case_id, "extend", days=20, reason="需征求第三方意见（测试）")
    reply = running(body)["reply"]
    # 20 WD after 6/30: 7/3–7, 7/10–14, 7/17–21, 7/24–28.
    assert (reply["due_at"], reply["extended"]) == ("2023-07-28T23:59:59+08:00", 20)
    assert body["state"] == "received"
    assert body["fields"]["extension_count"] == 1

    response = leader.post(
        f"{CASES}/{case_id}/actions/extend", json={"inputs": {"days": 1, "reason": "（测试）"}}
    )
    assert "延长过一次" in assert_error(response, 422, "guard_failed")["message"]


def test_a_request_is_seen_only_by_the_unit_that_registered_it(desk: Desk) -> None:
    case_id = apply(desk)["id"]
    assert_error(desk.handler.case(case_id), 404, "not_found")
    assert desk.case(case_id, "supervisor1")["type"] == "disclosure_request"
    # The 12345 centre is not named in the type's visibility: to it the request does not exist.
    assert_error(desk.operator.case(case_id), 404, "not_found")


def test_hotline_roles_cannot_register_a_disclosure_request(desk: Desk) -> None:
    response = desk.operator.post(CASES, json={"type": "disclosure_request", "fields": APPLICATION})
    assert_error(response, 403, "forbidden_role")


def test_a_withdrawn_request_is_closed_and_takes_no_more_documents(desk: Desk) -> None:
    case_id = apply(desk)["id"]
    sfj = desk["sfj_handler"]
    body = sfj.act(case_id, "withdraw", reason="申请人撤回（测试）")
    assert (body["state"], body["terminal"]) == ("withdrawn", True)
    response = sfj.post(
        f"{CASES}/{case_id}/documents",
        data={"kind": "reply_letter"},
        files={"file": ("答复.pdf", PDF, "application/pdf")},
    )
    assert_error(response, 409, "document_not_allowed_in_state")
