"""合法性审查 over the API: a normative document and a contract are submitted by their
drafting units, the legality reviewer gives opinions one by one (numbered), issues the
opinion letter (generated as .docx), the submitting unit answers each opinion (adopted, or
not adopted with its reason), and the review closes only once every opinion is answered.
All names and numbers are synthetic."""

from __future__ import annotations

import io
from typing import Any

import docx

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.support import ApiClient

CASES = "/api/v1/cases"
REVIEWER = "sfj_legality"


def submit(unit: ApiClient, **fields: Any) -> int:
    body = {
        "subject_kind": "normative_document",
        "title": "石峰区某管理办法（测试合成）",
        "draft": "起草说明（测试）",
        **fields,
    }
    response = unit.post(CASES, json={"type": "legality_review", "fields": body})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def refused(client: ApiClient, case_id: int, action: str, status: int = 422, **inputs: Any) -> str:
    response = client.post(f"{CASES}/{case_id}/actions/{action}", json={"inputs": inputs})
    return str(assert_error(response, status)["message"])


def letter(client: ApiClient, case_id: int, conclusion: str, number: str) -> dict[str, Any]:
    data = {"number": number, "issued_on": "2023-06-01", "conclusion": conclusion}
    response = client.post(
        f"{CASES}/{case_id}/documents/generate", json={"kind": "opinion_letter", "data": data}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_normative_document_is_reviewed_opinion_by_opinion(login: Login) -> None:
    unit, reviewer = login("cgj_handler"), login(REVIEWER)
    case_id = submit(unit)
    reviewer.act(case_id, "accept")
    body = reviewer.case(case_id).json()
    review_clock = next(c for c in body["clocks"] if c["name"] == "review")
    assert "非法定" in review_clock["basis"]
    # The drafting unit may not give opinions; the reviewer gives them one by one.
    assert_error(
        unit.post(f"{CASES}/{case_id}/actions/give_opinion", json={"inputs": {"text": "x"}}), 403
    )
    for text in ("第三条超越上位法授权，建议删除", "第五条罚款数额缺乏依据", "第八条表述不清"):
        reviewer.act(case_id, "give_opinion", text=text, basis="《立法法》（测试）")
    reviewer.act(case_id, "withdraw_opinion", number=1)
    fields = reviewer.act(case_id, "give_opinion", text="第九条实施日期应明确")["fields"]
    # Withdrawing renumbers the rest: the letter counts 1, 2, 3.
    assert [(o["number"], o["text"][:3]) for o in fields["opinions"]] == [
        (1, "第五条"),
        (2, "第八条"),
        (3, "第九条"),
    ]
    assert fields["opinion_count"] == 3

    # The conclusion needs the letter, and agrees with it.
    assert "合法性审查意见书" in refused(
        reviewer, case_id, "conclude", conclusion="lawful_if_amended"
    )
    paper = letter(reviewer, case_id, "lawful_if_amended", "石司审〔2023〕T1号")
    text = "\n".join(
        p.text
        for p in docx.Document(io.BytesIO(reviewer.get(paper["file_url"]).content)).paragraphs
    )
    assert (
        "石司审〔2023〕T1号" in text and "第五条罚款数额缺乏依据" in text and "修改后合法" in text
    )
    assert "不一致" in refused(reviewer, case_id, "conclude", conclusion="unlawful")
    concluded = reviewer.act(case_id, "conclude", conclusion="lawful_if_amended")
    assert concluded["state"] == "concluded"
    assert concluded["fields"]["letter_number"] == "石司审〔2023〕T1号"
    assert concluded["fields"]["pending_adoption"] == 3

    # Each opinion answered by the submitting unit; a refusal needs its reason.
    assert "理由" in refused(unit, case_id, "record_adoption", number=2, adopted="not_adopted")
    assert "第4条" in refused(unit, case_id, "record_adoption", number=4, adopted="adopted")
    unit.act(case_id, "record_adoption", number=1, adopted="adopted")
    unit.act(
        case_id, "record_adoption", number=2, adopted="not_adopted", reason="地方性法规另有规定"
    )
    assert "逐条反馈" in refused(reviewer, case_id, "close")
    # Another unit's staff may not answer for the submitting unit.
    other = login("zjj_handler")
    response = other.post(
        f"{CASES}/{case_id}/actions/record_adoption",
        json={"inputs": {"number": 3, "adopted": "adopted"}},
    )
    assert response.status_code in (403, 404), response.text
    answered = unit.act(case_id, "record_adoption", number=3, adopted="adopted")
    assert answered["fields"]["adopted_count"] == 2
    closed = reviewer.act(case_id, "close")
    assert closed["state"] == "closed"


def test_a_contract_needs_its_counterparty_and_a_lawful_one_needs_no_opinion(
    login: Login,
) -> None:
    unit, reviewer = login("sfj_handler"), login(REVIEWER)
    response = unit.post(
        CASES,
        json={
            "type": "legality_review",
            "fields": {
                "subject_kind": "contract",
                "title": "某服务合同（测试）",
                "draft": "主要条款",
            },
        },
    )
    assert assert_error(response, 422)["field"] == "counterparty"
    case_id = submit(unit, subject_kind="contract", counterparty="某公司（合成）", amount="1200")
    reviewer.act(case_id, "accept")
    letter(reviewer, case_id, "unlawful", "石司审〔2023〕T2号")
    assert "逐条提出法律意见" in refused(reviewer, case_id, "conclude", conclusion="unlawful")
    # A lawful contract: the letter without opinions, nothing to answer.
    case_two = submit(unit, subject_kind="contract", counterparty="某公司（合成）")
    reviewer.act(case_two, "accept")
    letter(reviewer, case_two, "lawful", "石司审〔2023〕T3号")
    reviewer.act(case_two, "conclude", conclusion="lawful")
    assert reviewer.act(case_two, "close")["state"] == "closed"


def test_roles_that_may_not_review_are_refused(login: Login) -> None:
    unit = login("cgj_handler")
    case_id = submit(unit)
    refused(unit, case_id, "accept", status=403)
    # The hotline operator does not see the type at all.
    assert login("operator1").case(case_id).status_code == 404
    assert login("leader1").case(case_id).status_code == 200
