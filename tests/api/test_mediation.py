"""人民调解 (mediation), a type written as data only: opened from a 12345 DISPUTE work
order through a link (pre-filled from it) or directly by a street's mediation committee;
parties and sessions as records; an agreement document with its data, rendered as .docx;
a 30-day mediation limit that a pause suspends; and the 30-day window, from the agreement,
to apply for court confirmation (《人民调解法》第三十三条). Synthetic people only."""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document as DocxDocument

from fazhi.domain.durations import LOCAL_TZ
from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.support import FakeClock

CASES = "/api/v1/cases"
COMMITTEE = "SF-TX-TJWH"  # 田心街道人民调解委员会 (demo)
PARTIES = [
    {
        "side": "applicant",
        "name": "甲某某",
        "phone": "13900001111",
        "address": "田心街道测试小区1栋",
    },
    {"side": "respondent", "name": "乙某某", "phone": "13900002222"},
]


def _at(clock: FakeClock, day: str, hour: int = 9) -> None:
    clock.set(datetime.fromisoformat(day).replace(hour=hour, tzinfo=LOCAL_TZ))


def _dispute_order(login: Login) -> tuple[int, str]:
    """A DISPUTE work order dispatched to the committee and acknowledged there."""
    order = login("operator1").register(
        request_kind="help",
        category="DISPUTE",
        content="楼上住户装修漏水，双方协商不成，请求调解（测试合成数据）",
        caller_phone="13900001111",
    )
    login("dispatcher1").act(order["id"], "dispatch", lead_unit=COMMITTEE)
    login("tx_mediator").act(order["id"], "acknowledge")
    return int(order["id"]), str(order["number"])


def _mediation(login: Login, **fields: object) -> dict:
    body = {"dispute_kind": "neighbourhood", "summary": "邻里漏水纠纷", "parties": PARTIES}
    response = login("tx_mediator").post(
        CASES, json={"type": "mediation", "fields": {**body, **fields}}
    )
    assert response.status_code == 201, response.text
    return response.json()


def _documents(client, case_id: int) -> list[dict]:  # type: ignore[no-untyped-def]
    return client.get(f"{CASES}/{case_id}/documents").json()["items"]


def test_a_mediation_opened_from_a_dispute_order_is_prefilled_and_linked_both_ways(
    login: Login, clock: FakeClock
) -> None:
    _at(clock, "2023-06-05")
    order_id, number = _dispute_order(login)
    mediator = login("tx_mediator")
    prefill = mediator.get(f"{CASES}/{order_id}/prefill/mediation", params={"link": "source_case"})
    assert prefill.status_code == 200, prefill.text
    fields = prefill.json()["fields"]
    assert fields["source_case"] == number and "漏水" in fields["summary"]

    case = _mediation(login, source_case=number, summary=fields["summary"])
    assert (case["state"], case["fields"]["source_case"]) == ("accepted", order_id)
    back = mediator.get(f"{CASES}/{order_id}/links").json()
    assert case["id"] in [c["case"]["id"] for c in back["incoming"]]
    assert "mediation" in [o["type"] for o in back["open"]]


def test_parties_are_records_checked_with_paths_and_masked_for_other_roles(
    login: Login, clock: FakeClock
) -> None:
    _at(clock, "2023-06-06")
    bad = login("tx_mediator").post(
        CASES,
        json={
            "type": "mediation",
            "fields": {
                "dispute_kind": "family",
                "summary": "家庭纠纷",
                "parties": [{"side": "applicant", "name": "丙某"}, {"side": "x", "name": "丁某"}],
            },
        },
    )
    body = assert_error(bad, 422)
    assert "parties[1].side" in [p["field"] for p in body.get("problems") or [body]]

    case = _mediation(login)
    # A mediator sees the parties whole; the district's supervisor sees them masked.
    whole = login("tx_mediator").case(case["id"]).json()["fields"]["parties"]
    masked = login("supervisor1").case(case["id"]).json()["fields"]["parties"]
    assert whole[0]["phone"] == "13900001111"
    assert masked[0]["phone"] == "139****1111" and masked[0]["name"] != "甲某某"
    # The 12345 centre is not named in the type's visibility: the case does not exist to it.
    assert_error(login("operator1").case(case["id"]), 404, "not_found")


def test_from_sessions_to_agreement_to_the_court_confirmation_window(
    login: Login, clock: FakeClock
) -> None:
    _at(clock, "2023-09-11")
    mediator = login("tx_mediator")
    case_id = _mediation(login)["id"]
    mediator.act(case_id, "start", mediators=[{"name": "曹淑芬", "certificate_no": "TJ-0001"}])
    # No agreement without a session and the agreement document on file.
    refused = mediator.post(f"{CASES}/{case_id}/actions/reach_agreement", json={"inputs": {}})
    assert_error(refused, 422)
    mediator.act(
        case_id,
        "record_session",
        held_on="2023-09-12",
        place="田心街道调委会调解室",
        attendees="甲某某、乙某某、调解员曹淑芬",
        result="双方同意由乙方承担维修费用",
    )
    # A pause across the National Day holiday keeps the days already used.
    _at(clock, "2023-09-25")
    mediator.act(case_id, "pause", reason="乙方外出，暂缓调解")
    _at(clock, "2023-10-09")
    resumed = mediator.act(case_id, "resume")
    mediate = next(c for c in resumed["clocks"] if c["name"] == "mediate")
    # 30 calendar days from 11 Sep: 14 used by 25 Sep; the other 16 run from 9 Oct → 25 Oct.
    assert mediate["due_at"].startswith("2023-10-25")

    # The agreement is drawn up from its data with the committee's .docx template.
    generated = mediator.post(
        f"{CASES}/{case_id}/documents/generate",
        json={
            "kind": "agreement",
            "data": {
                "number": "田调协〔2023〕17号",
                "signed_on": "2023-10-10",
                "terms": "乙方于10日内支付维修费2000元",
                "performance": "一次性转账支付",
            },
        },
    )
    assert generated.status_code == 201, generated.text
    docx = mediator.get(f"{CASES}/{case_id}/documents/{generated.json()['id']}/file")
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(docx.content)).paragraphs)
    assert "田调协〔2023〕17号" in text

    _at(clock, "2023-10-10", 15)
    agreed = mediator.act(case_id, "reach_agreement")
    assert (agreed["state"], agreed["fields"]["outcome"]) == ("agreed", "success")
    window = next(c for c in agreed["clocks"] if c["name"] == "court_confirmation")
    assert window["due_at"].startswith("2023-11-09")  # 30 calendar days after 10 Oct

    _at(clock, "2023-11-10")
    late = mediator.post(
        f"{CASES}/{case_id}/actions/apply_confirmation",
        json={"inputs": {"court": "石峰区人民法院"}},
    )
    assert "30日" in assert_error(late, 422, "guard_failed")["message"]
    _at(clock, "2023-11-08")
    applied = mediator.act(case_id, "apply_confirmation", court="石峰区人民法院")
    assert applied["state"] == "confirmation_applied"


def test_a_failed_mediation_ends_the_case_and_counts_as_concluded(
    login: Login, clock: FakeClock
) -> None:
    _at(clock, "2023-07-03")
    mediator = login("tx_mediator")
    case_id = _mediation(login)["id"]
    mediator.act(case_id, "start", mediators=[{"name": "曹淑芬"}])
    failed = mediator.act(case_id, "record_failure", failure_reason="双方分歧过大")
    assert (failed["state"], failed["terminal"]) == ("failed", True)
    metrics = login("leader1").get(
        "/api/v1/analytics/metrics",
        params={"type": "mediation", "from": "2023-07-01", "to": "2023-07-31"},
    )
    assert metrics.status_code == 200, metrics.text
    counted = {m["name"]: m["value"] for m in metrics.json()["metrics"]}
    assert counted["failed"] >= 1 and counted["concluded"] >= 1
