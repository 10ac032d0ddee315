"""行政处罚案件 over the API: a general-procedure case walks from case source to closing with
the legal-review gate (art.58), collective discussion (art.57), the 90-day and 7-working-day
clocks and publicity; the summary procedure holds to art.51's limits; goods held are decided
on within 7 working days across a holiday; a hearing is asked for within 5 working days.
All names and numbers are synthetic."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.document_type import PDF
from tests.support import ApiClient, FakeClock

CASES = "/api/v1/cases"
PERSON = {"kind": "person", "name": "张某某", "id_number": "11010519491231002X"}
COMPANY = {
    "kind": "organisation",
    "name": "株洲某商贸有限公司（合成）",
    "credit_code": "91430204MA4L12346C",
    "legal_representative": "钱某",
}
OFFICERS = [
    {"name": "刘建军", "certificate_number": "43020400101"},
    {"name": "陈晓东", "certificate_number": "43020400102"},
]


def register(officer: ApiClient, **fields: Any) -> int:
    body = {
        "procedure": "general",
        "source": "complaint",
        "cause": "未经批准擅自占道经营（测试）",
        "party_kind": "person",
        "parties": [PERSON],
        "officers": OFFICERS,
        **fields,
    }
    response = officer.post(CASES, json={"type": "penalty_case", "fields": body})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def add(client: ApiClient, case_id: int, kind: str, **data: Any) -> None:
    """File a document: its data, or (a paper with no data of its own) a scanned PDF."""
    if data:
        response = client.post(f"{CASES}/{case_id}/documents", json={"kind": kind, "data": data})
    else:
        response = client.post(
            f"{CASES}/{case_id}/documents",
            data={"kind": kind},
            files={"file": (f"{kind}.pdf", PDF, "application/pdf")},
        )
    assert response.status_code == 201, response.text


def act(client: ApiClient, case_id: int, action: str, **inputs: Any) -> dict[str, Any]:
    return client.act(case_id, action, **inputs)


def refused(client: ApiClient, case_id: int, action: str, **inputs: Any) -> str:
    response = client.post(f"{CASES}/{case_id}/actions/{action}", json={"inputs": inputs})
    return str(assert_error(response, 422)["message"])


def clock(body: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in body["clocks"] if c["name"] == name and c["running"])


def test_a_general_case_walks_through_the_gate_to_closing(login: Login) -> None:
    officer, reviewer = login("cgj_enforcer"), login("cgj_legal")
    case_id = register(officer, major=True)
    filed = act(officer, case_id, "file")
    # 90 calendar days from Thu 2023-06-01.
    assert clock(filed, "decide")["due_at"] == "2023-08-30T23:59:59+08:00"
    assert "调查终结报告" in refused(officer, case_id, "end_investigation")
    add(officer, case_id, "onsite_record", made_on="2023-06-01")
    add(officer, case_id, "identity_proof", proof_kind="id_card_copy", party_name="张某某")
    add(officer, case_id, "investigation_report")
    act(officer, case_id, "end_investigation")
    act(officer, case_id, "notify_rights", notice_number="石城管告〔2023〕1号")

    add(officer, case_id, "decision_approval")
    decision = {
        "penalty_kind": "fine",
        "fine_amount": "2000",
        "legal_basis": "《城市市容和环境卫生管理条例》",
        "decision_number": "石城管罚决〔2023〕1号",
    }
    gate = refused(officer, case_id, "decide", **decision)
    assert "法制审核" in gate and "第五十八条" in gate
    act(officer, case_id, "request_review")
    # Only the legal reviewer gives the opinion, with the document on file.
    denied = officer.post(
        f"{CASES}/{case_id}/documents",
        json={"kind": "legal_review", "data": {"opinion": "x", "conclusion": "approve"}},
    )
    assert denied.status_code == 403, denied.text
    add(
        reviewer,
        case_id,
        "legal_review",
        opinion="主体合法，事实清楚，程序合法（测试）",
        conclusion="approve",
    )
    act(reviewer, case_id, "give_opinion")
    # A major case is decided by the heads of the agency together (第五十七条).
    assert "集体讨论" in refused(officer, case_id, "decide", **decision)
    add(
        officer, case_id, "collective_discussion", held_on="2023-06-01", conclusion="同意罚款2000元"
    )

    decided = act(officer, case_id, "decide", **decision)
    assert decided["state"] == "decided" and decided["fields"]["fine_amount"] == "2000.00"
    assert clock(decided, "serve")["due_at"] == "2023-06-12T23:59:59+08:00"  # 7 WD
    assert "送达回证" in refused(officer, case_id, "serve")
    add(
        officer,
        case_id,
        "service_proof",
        served_on="2023-06-02",
        served_document="石城管罚决〔2023〕1号",
        method="direct",
    )
    act(officer, case_id, "serve")
    assert "缴纳或执行" in refused(officer, case_id, "close")
    add(officer, case_id, "payment_receipt", paid_on="2023-06-05", amount="2000")
    act(officer, case_id, "record_payment")
    assert "结案报告" in refused(officer, case_id, "close")
    add(officer, case_id, "closing_report")
    closed = act(officer, case_id, "close")
    assert closed["state"] == "closed"
    published = act(officer, case_id, "publish")
    assert published["fields"]["published"] is True


def test_a_complex_case_needs_the_collective_discussion(login: Login) -> None:
    officer = login("cgj_enforcer")
    case_id = register(officer, complex=True)
    act(officer, case_id, "file")
    add(officer, case_id, "investigation_report")
    act(officer, case_id, "end_investigation")
    act(officer, case_id, "notify_rights", notice_number="石城管告〔2023〕2号")
    act(officer, case_id, "request_review")
    login("cgj_legal").post(
        f"{CASES}/{case_id}/documents",
        json={"kind": "legal_review", "data": {"opinion": "同意（测试）", "conclusion": "approve"}},
    )
    act(login("cgj_legal"), case_id, "give_opinion")
    add(officer, case_id, "decision_approval")
    inputs = {"penalty_kind": "warning", "legal_basis": "依据（测试）", "decision_number": "决2"}
    assert "第五十七条" in refused(officer, case_id, "decide", **inputs)
    add(officer, case_id, "collective_discussion", held_on="2023-06-01", conclusion="同意警告")
    assert act(officer, case_id, "decide", **inputs)["state"] == "decided"


def test_the_summary_procedure_holds_to_the_limits_of_article_51(login: Login) -> None:
    officer = login("cgj_enforcer")
    person = register(officer, procedure="summary")
    assert "简易程序" in refused(officer, person, "file")
    inputs = {"legal_basis": "依据（测试）", "decision_number": "4302040000001"}
    limit = refused(
        officer, person, "summary_decide", penalty_kind="fine", fine_amount="201", **inputs
    )
    assert "第五十一条" in limit
    served = act(
        officer, person, "summary_decide", penalty_kind="fine", fine_amount="200", **inputs
    )
    assert served["state"] == "served"
    company = register(officer, procedure="summary", party_kind="organisation", parties=[COMPANY])
    act(officer, company, "summary_decide", penalty_kind="fine", fine_amount="3000", **inputs)
    warned = register(officer, procedure="summary")
    closed_ready = act(officer, warned, "summary_decide", penalty_kind="warning", **inputs)
    assert closed_ready["state"] == "served"
    assert act(officer, warned, "close")["state"] == "closed"
    general = register(officer)
    assert "一般程序" in refused(
        officer, general, "summary_decide", penalty_kind="warning", **inputs
    )


def test_two_officers_are_needed_to_open_a_case(login: Login) -> None:
    response = login("cgj_enforcer").post(
        CASES,
        json={
            "type": "penalty_case",
            "fields": {
                "procedure": "general",
                "source": "inspection",
                "cause": "测试",
                "party_kind": "person",
                "parties": [PERSON],
                "officers": OFFICERS[:1],
            },
        },
    )
    assert assert_error(response, 422)["field"].startswith("officers")


def test_goods_held_are_decided_on_within_7_working_days_across_national_day(
    login: Login, clock: FakeClock
) -> None:
    clock.set("2023-09-27T10:00:00+08:00")
    officer = login("cgj_enforcer")
    case_id = register(officer)
    act(officer, case_id, "file")
    held = act(officer, case_id, "preserve_goods", items="三轮车一辆（测试）")
    # 9/28, then 10/7 and 10/8 (make-up working days), 10/9 … 10/12.
    assert clock_due(held, "preservation") == "2023-10-12T23:59:59+08:00"
    add(officer, case_id, "investigation_report")
    assert "处理决定" in refused(officer, case_id, "end_investigation")
    add(officer, case_id, "preservation_decision", decided_on="2023-09-28")
    act(officer, case_id, "decide_preserved")
    assert act(officer, case_id, "end_investigation")["state"] == "investigated"


def clock_due(body: dict[str, Any], name: str) -> str:
    return str(clock(body, name)["due_at"])


def test_a_hearing_is_asked_for_within_5_working_days_of_the_notice(
    login: Login, clock: FakeClock
) -> None:
    officer = login("cgj_enforcer")
    case_id = register(officer, hearing_applies=True)
    act(officer, case_id, "file")
    add(officer, case_id, "investigation_report")
    act(officer, case_id, "end_investigation")
    act(officer, case_id, "notify_rights", notice_number="石城管告〔2023〕3号")
    noticed = act(officer, case_id, "notify_hearing")
    assert clock_due(noticed, "hearing_request") == "2023-06-08T23:59:59+08:00"
    clock.set("2023-06-09T09:00:00+08:00")
    assert "五个工作日" in refused(officer, case_id, "request_hearing")
    clock.set("2023-06-08T09:00:00+08:00")
    asked = act(officer, case_id, "request_hearing")
    assert asked["fields"]["hearing_requested"] is True
    # A hearing asked for makes the legal review mandatory, after the hearing.
    assert "听证" in refused(officer, case_id, "request_review")


def walk_to_closing(login: Login, clock: FakeClock, identity: bool = True, **decision: Any) -> int:
    """A fine of 2,000 yuan from filing (Thu 06-01) to closing (06-09), every paper on file;
    `decision`: more inputs of the decision (its penalty item and circumstance …)."""
    officer, reviewer = login("cgj_enforcer"), login("cgj_legal")
    case_id = register(officer, major=True, facts="在人行道摆摊经营（测试）")
    act(officer, case_id, "file")
    add(officer, case_id, "onsite_record", made_on="2023-06-01")
    if identity:
        add(officer, case_id, "identity_proof", proof_kind="id_card_copy", party_name="张某某")
    add(officer, case_id, "evidence")
    clock.set("2023-06-02T10:00:00+08:00")
    add(officer, case_id, "investigation_report")
    act(officer, case_id, "end_investigation")
    act(officer, case_id, "notify_rights", notice_number="石城管告〔2023〕9号")
    clock.set("2023-06-06T10:00:00+08:00")
    act(officer, case_id, "request_review")
    add(reviewer, case_id, "legal_review", opinion="同意（测试）", conclusion="approve")
    act(reviewer, case_id, "give_opinion")
    add(officer, case_id, "collective_discussion", held_on="2023-06-06", conclusion="同意（测试）")
    add(officer, case_id, "decision_approval")
    act(
        officer,
        case_id,
        "decide",
        penalty_kind="fine",
        fine_amount="2000",
        legal_basis="《城市市容和环境卫生管理条例》（测试）",
        decision_number="石城管罚决〔2023〕9号",
        **decision,
    )
    clock.set("2023-06-07T10:00:00+08:00")
    add(
        officer,
        case_id,
        "service_proof",
        served_on="2023-06-07",
        served_document="石城管罚决〔2023〕9号",
        method="direct",
    )
    act(officer, case_id, "serve")
    clock.set("2023-06-09T10:00:00+08:00")
    add(officer, case_id, "payment_receipt", paid_on="2023-06-08", amount="2000")
    act(officer, case_id, "record_payment")
    add(officer, case_id, "closing_report")
    act(officer, case_id, "close")
    return case_id


def test_the_platforms_own_file_reviews_clean(login: Login, clock: FakeClock) -> None:
    case_id = walk_to_closing(login, clock)
    manifest = login("cgj_enforcer").get(f"{CASES}/{case_id}/case-file").json()
    kinds = [d["kind"] for d in manifest["documents"]]
    assert kinds[:2] == ["cover", "index"] and kinds[-1] == "reference_sheet"
    assert manifest["triggers"]["major"] is True and manifest["penalty"]["amount"] == 2000
    result = login("cgj_enforcer").get(f"{CASES}/{case_id}/case-file/review").json()
    assert result["findings"] == [] and result["score"] == 100, result


def test_a_paper_missing_from_the_platforms_file_is_found(login: Login, clock: FakeClock) -> None:
    case_id = walk_to_closing(login, clock, identity=False)
    result = login("case_reviewer").get(f"{CASES}/{case_id}/case-file/review").json()
    assert [f["defect"] for f in result["findings"]] == ["identity_proof_missing"]
    assert result["score"] == 97
    assert_error(login("operator1").get(f"{CASES}/{case_id}/case-file"), 404, "not_found")
