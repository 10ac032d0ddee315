"""法律援助 over the API by the roles that own it: 田心街道司法所 takes in an application, the
区法律援助中心 (sfj_aid) accepts it — the case gets its number (2023)湘援0204民N号, the next of
its year and kind — assigns a lawyer of the register (an unknown or no longer practising one
refused at the input), records the handling, closes with the outcome, and evaluates it;
the decision and assignment notices are generated as .docx. A refusal carries its reason and
the applicant's objection; a hotline order becomes a linked case pre-filled from the order.
The hotline operator and a street's handler neither see the cases nor take their actions.
All people are synthetic."""

from __future__ import annotations

import io
from typing import Any

import docx

from fazhi.legal_aid.numbers import parse_aid_number
from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.legal_aid.conftest import CASES, OFFICER, STREET_OFFICE, apply
from tests.support import ApiClient, FakeClock


def refused(client: ApiClient, case_id: int, action: str, status: int = 422, **inputs: Any) -> dict:
    response = client.post(f"{CASES}/{case_id}/actions/{action}", json={"inputs": inputs})
    return assert_error(response, status)


def paper_text(client: ApiClient, case_id: int, kind: str, **data: Any) -> str:
    response = client.post(
        f"{CASES}/{case_id}/documents/generate", json={"kind": kind, "data": data}
    )
    assert response.status_code == 201, response.text
    content = client.get(response.json()["file_url"]).content
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def test_an_application_walks_from_the_street_office_to_its_evaluation(
    login: Login, clock: FakeClock, lawyer_register: list[dict[str, str]]
) -> None:
    clock.set("2023-06-05T09:00:00+08:00")
    street, centre = login(STREET_OFFICE), login(OFFICER)
    created = apply(street, matter_kind="civil")
    case_id = created["id"]
    assert created["state"] == "applied"
    # The street office may take it in but not decide on it.
    assert refused(street, case_id, "accept", 403)["code"]
    # Financial hardship needs its evidence before the aid is granted.
    bare = apply(street, hardship_evidence="")
    assert "经济困难" in refused(centre, bare["id"], "accept")["message"]

    clock.set("2023-06-06T10:00:00+08:00")
    accepted = centre.act(case_id, "accept")
    number = accepted["fields"]["aid_number"]
    parsed = parse_aid_number(number)
    assert parsed is not None and parsed[:4] == (2023, "湘", "0204", "civil"), number
    # The next civil case of 2023 takes the next sequence; a criminal one counts on its own.
    second = apply(street, matter_kind="civil")
    following = centre.act(second["id"], "accept")["fields"]["aid_number"]
    assert parse_aid_number(following)[4] == parsed[4] + 1  # type: ignore[index]
    criminal = apply(street, matter_kind="criminal", charge="盗窃罪（测试）")
    criminal_number = centre.act(criminal["id"], "accept")["fields"]["aid_number"]
    assert "刑" in criminal_number and criminal_number.startswith("(2023)湘援0204")
    # The number was recorded by the platform's own account, through the door.
    trail = centre.get(f"{CASES}/{case_id}/events").json()["items"]
    assert [e["action"] for e in trail[-2:]] == ["accept", "assign_number"]
    assert trail[-1]["payload"]["inputs"]["aid_number"] == number
    assert trail[-1]["actor"] != trail[-2]["actor"]  # the platform's account, not the officer
    # The answer holds the current version: the next action may name it.
    assert accepted["version"] == centre.case(case_id).json()["version"]

    decision = paper_text(centre, case_id, "decision_notice", issued_on="2023-06-06")
    assert number in decision and "给予法律援助" in decision

    # The lawyer must be in the register, practising, under their own name and firm.
    good, other, retired = lawyer_register
    assign = {"lawyer_name": good["name"], "law_firm": good["law_firm"]}
    unknown = refused(centre, case_id, "assign", lawyer_licence="X000", **assign)
    assert unknown["field"] == "lawyer_licence" and "名册" in unknown["message"]
    gone = refused(
        centre,
        case_id,
        "assign",
        lawyer_licence=retired["licence_number"],
        lawyer_name=retired["name"],
        law_firm=retired["law_firm"],
    )
    assert gone["code"] == "inactive_lawyer" and gone["field"] == "lawyer_licence"
    wrong = refused(centre, case_id, "assign", lawyer_licence=other["licence_number"], **assign)
    assert wrong["field"] == "lawyer_name"
    handling = centre.act(case_id, "assign", lawyer_licence=good["licence_number"], **assign)
    assert handling["state"] == "handling"
    notice = paper_text(centre, case_id, "assignment_notice", issued_on="2023-06-06")
    assert good["law_firm"] in notice and good["name"] in notice and number in notice

    assert (
        "办理情况"
        in refused(centre, case_id, "close", outcome="settled", outcome_note="x")["message"]
    )
    centre.act(
        case_id, "record_handling", held_on="2023-06-20", activity="meeting", note="会见（测试）"
    )
    closed = centre.act(case_id, "close", outcome="settled", outcome_note="调解结案（测试）")
    assert closed["state"] == "closed"
    refused(centre, case_id, "mark_provincial_excellent", 409, provincial_note="x")
    evaluated = centre.act(case_id, "evaluate", grade="qualified")
    assert evaluated["state"] == "evaluated"
    assert (
        "优秀"
        in refused(centre, case_id, "mark_provincial_excellent", provincial_note="x")["message"]
    )


def test_a_refusal_gives_its_reason_and_the_applicant_may_object(
    login: Login, clock: FakeClock
) -> None:
    clock.set("2023-06-07T09:00:00+08:00")
    centre = login(OFFICER)
    case_id = apply(centre)["id"]
    assert refused(centre, case_id, "refuse")["field"] == "refusal_reason"
    reason = "家庭经济状况不符合经济困难标准（测试）"
    body = centre.act(case_id, "refuse", refusal_reason=reason)
    assert body["state"] == "refused" and "aid_number" not in body["fields"]
    text = paper_text(centre, case_id, "refusal_notice", issued_on="2023-06-07")
    assert reason in text and "异议" in text
    centre.act(case_id, "object", objection="收入计算有误（测试）")
    again = centre.act(case_id, "uphold_objection", objection_ruling="异议成立，重新审查（测试）")
    assert again["state"] == "applied"
    assert centre.act(case_id, "accept")["fields"]["aid_number"].startswith("(2023)湘援0204民")


def test_a_hotline_order_becomes_a_linked_application(login: Login, clock: FakeClock) -> None:
    clock.set("2023-06-08T09:00:00+08:00")
    order = login("operator1").register(
        request_kind="help",
        category="LEGAL_AID",
        content="被拖欠工资，想申请法律援助（测试合成）",
        caller_name="测试来电人",
        caller_phone="13900003333",
    )
    login("dispatcher1").act(order["id"], "dispatch", lead_unit="SF-SFJ")
    centre = login(OFFICER)
    centre.act(order["id"], "acknowledge")
    prefill = centre.get(
        f"{CASES}/{order['id']}/prefill/legal_aid", params={"link": "source_case"}
    ).json()["fields"]
    assert prefill["matter"].startswith("被拖欠工资")
    assert prefill["source_case"] == order["number"]
    # The caller's name and phone are masked to the receiving unit's handler: not copied.
    assert "applicant_phone" not in prefill and "applicant_name" not in prefill
    fields = {**prefill, "channel": "hotline"}
    created = apply(centre, **fields)
    assert created["fields"]["source_case"] == order["id"]
    links = centre.get(f"{CASES}/{order['id']}/links").json()
    assert created["id"] in [link["case"]["id"] for link in links["incoming"]], links
    assert "legal_aid" in [o["type"] for o in links["open"]]  # 发起法律援助 offered
    # The hotline channel needs its order.
    response = centre.post(
        CASES,
        json={"type": "legal_aid", "fields": {**fields, "source_case": None}},
    )
    assert assert_error(response, 422)["field"] == "source_case"


def test_other_roles_neither_see_nor_act(login: Login, clock: FakeClock) -> None:
    clock.set("2023-06-09T09:00:00+08:00")
    case_id = apply(login(OFFICER))["id"]
    for username in ("operator1", "tx_handler"):
        other = login(username)
        assert_error(other.case(case_id), 404)
        refused(other, case_id, "accept", 404)
        response = other.post(CASES, json={"type": "legal_aid", "fields": {}})
        assert response.status_code in (403, 422), response.text
        assert_error(response, response.status_code)
        assert_error(other.get("/api/v1/legal-aid/statistics", params={"year": 2023}), 403)
        assert_error(other.get("/api/v1/legal-aid/lawyers", params={"year": 2023}), 403)
        assert_error(
            other.post("/api/v1/legal-aid/lawyers/import", json={"csv": "执业证号\n1"}), 403
        )
    # The district leader reads the case, with the applicant's personal data masked.
    body = login("leader1").case(case_id).json()
    assert body["fields"]["applicant_phone"] != "13900002222"
    refused(login("leader1"), case_id, "accept", 403)
