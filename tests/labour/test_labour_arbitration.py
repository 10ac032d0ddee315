"""劳动人事争议仲裁 over the API, by the arbitration court's arbitrator: an application with its
workers (personal data masked for roles that may not see it) and the employer's credit code
(GB 32100 check digits), decided within 5 days (受理 with the acceptance notice generated as
.docx, or 不予受理 with the reason), mediated before the hearing and closed by the mediation
statement, or heard and closed by the award (.docx); withdrawn; and refused to the roles
outside the arbitration (the hotline's operator, a street's handler). Synthetic people only."""

from __future__ import annotations

import io

import docx

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.labour.support import (
    ARBITRATOR,
    CASES,
    EMPLOYER_CODE,
    accepted,
    apply,
    at,
    file_paper,
)
from tests.support import FakeClock


def paper_text(client, url: str) -> str:  # type: ignore[no-untyped-def]
    document = docx.Document(io.BytesIO(client.get(url).content))
    return "\n".join(p.text for p in document.paragraphs)


def test_an_application_is_accepted_with_its_notice_mediated_and_settled(
    login: Login, clock: FakeClock
) -> None:
    arbitrator = login(ARBITRATOR)
    at(clock, "2023-06-05")
    case = apply(arbitrator)
    case_id = case["id"]
    assert case["state"] == "applied" and case["number"].startswith("LZ20230605")
    # Acceptance needs the notice; it is generated from the case as .docx.
    assert (
        "受理通知书"
        in assert_error(
            arbitrator.post(f"{CASES}/{case_id}/actions/accept", json={"inputs": {}}), 422
        )["message"]
    )
    notice = arbitrator.post(
        f"{CASES}/{case_id}/documents/generate",
        json={
            "kind": "acceptance_notice",
            "data": {"number": "石劳人仲案字〔2023〕T01号", "issued_on": "2023-06-06"},
        },
    )
    assert notice.status_code == 201, notice.text
    text = paper_text(arbitrator, notice.json()["file_url"])
    assert "决定受理" in text and "株洲某建筑劳务有限公司（测试）" in text and EMPLOYER_CODE in text
    at(clock, "2023-06-06")
    body = arbitrator.act(case_id, "accept")
    assert (body["state"], body["fields"]["accepted_on"]) == ("accepted", "2023-06-06")

    arbitrator.act(case_id, "start_mediation")
    # Settling needs the mediation statement; its amount becomes the case's.
    assert_error(arbitrator.post(f"{CASES}/{case_id}/actions/settle", json={"inputs": {}}), 422)
    file_paper(
        arbitrator,
        case_id,
        "mediation_statement",
        number="石劳人仲调字〔2023〕T01号",
        signed_on="2023-06-20",
        terms="被申请人于十日内支付工资10000元（测试）",
        amount="10000",
    )
    body = arbitrator.act(case_id, "settle")
    assert body["state"] == "settled"
    assert (body["fields"]["outcome"], body["fields"]["amount_awarded"]) == ("mediated", "10000.00")


def test_a_heard_case_ends_with_the_award_and_others_are_withdrawn_or_refused(
    login: Login, clock: FakeClock
) -> None:
    arbitrator = login(ARBITRATOR)
    case_id = accepted(arbitrator, clock, "2023-07-03")
    arbitrator.act(case_id, "schedule_hearing", note="被申请人不同意调解")
    refused = arbitrator.post(f"{CASES}/{case_id}/actions/make_award", json={"inputs": {}})
    assert assert_error(refused, 422)["code"]
    arbitrator.act(case_id, "record_hearing", held_on="2023-07-20", record="双方到庭质证（测试）")
    award = arbitrator.post(
        f"{CASES}/{case_id}/documents/generate",
        json={
            "kind": "award",
            "data": {
                "number": "石劳人仲裁字〔2023〕T02号",
                "issued_on": "2023-08-01",
                "result": "被申请人支付申请人工资8000元",
                "amount": "8000",
            },
        },
    )
    assert award.status_code == 201, award.text
    assert "十五日内向人民法院提起诉讼" in paper_text(arbitrator, award.json()["file_url"])
    body = arbitrator.act(case_id, "make_award", award_result="partly_upheld")
    assert body["state"] == "awarded"
    assert (body["fields"]["outcome"], body["fields"]["amount_awarded"]) == ("award", "8000.00")

    withdrawn = accepted(arbitrator, clock, "2023-07-04")
    body = arbitrator.act(withdrawn, "withdraw", withdraw_reason="双方自行和解（测试）")
    assert (body["state"], body["fields"]["outcome"]) == ("withdrawn", "withdrawn")

    at(clock, "2023-07-05")
    refused_id = apply(arbitrator)["id"]
    no_notice = arbitrator.post(f"{CASES}/{refused_id}/actions/refuse", json={"inputs": {}})
    assert "不予受理通知书" in assert_error(no_notice, 422)["message"]
    file_paper(
        arbitrator,
        refused_id,
        "refusal_notice",
        number="石劳人仲不字〔T〕1号",
        reason="超过仲裁时效",
    )
    missing = arbitrator.post(f"{CASES}/{refused_id}/actions/refuse", json={"inputs": {}})
    assert assert_error(missing, 422)["field"] == "refusal_reason"
    body = arbitrator.act(refused_id, "refuse", refusal_reason="超过仲裁时效（测试）")
    assert (body["state"], body["fields"]["outcome"]) == ("refused", "refused")


def test_a_bad_credit_code_is_refused_next_to_its_field(login: Login) -> None:
    arbitrator = login(ARBITRATOR)
    wrong = EMPLOYER_CODE[:-1] + ("0" if EMPLOYER_CODE[-1] != "0" else "1")
    body = {
        "applicants": [{"name": "测试劳动者丙"}],
        "employer_name": "株洲某公司（测试）",
        "employer_credit_code": wrong,
        "dispute_kind": "wages",
        "claims": "支付工资（测试）",
    }
    response = arbitrator.post(CASES, json={"type": "labour_arbitration", "fields": body})
    assert assert_error(response, 422)["field"] == "employer_credit_code"
    bad_id = {**body, "employer_credit_code": EMPLOYER_CODE}
    bad_id["applicants"] = [{"name": "测试劳动者丙", "id_number": "430204199001011234"}]
    response = arbitrator.post(CASES, json={"type": "labour_arbitration", "fields": bad_id})
    assert assert_error(response, 422)["field"] == "applicants[0].id_number"


def test_only_the_arbitration_sees_and_works_the_cases(login: Login, clock: FakeClock) -> None:
    arbitrator = login(ARBITRATOR)
    at(clock, "2023-06-07")
    case_id = apply(arbitrator)["id"]
    for outsider in ("operator1", "tx_handler", "rsj_handler"):
        client = login(outsider)
        assert_error(client.case(case_id), 404)
        response = client.post(CASES, json={"type": "labour_arbitration", "fields": {}})
        assert response.status_code in (403, 422), response.text
        assert response.status_code == 403
    # A district leader sees the case, with the workers' personal data masked.
    seen = login("leader1").case(case_id).json()
    worker = seen["fields"]["applicants"][0]
    assert worker["phone"] != "17000007001" and "*" in worker["phone"]
    assert arbitrator.case(case_id).json()["fields"]["applicants"][0]["phone"] == "17000007001"
