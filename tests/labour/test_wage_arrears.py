"""根治欠薪 over the API, by the labour inspector of 区人社局: a complaint with the employer's
credit code, the project, the workers and the amount is filed, investigated, ordered to pay by
a rectification notice (劳动保障监察限期整改指令书, generated as .docx) and followed up, and
closed with its result and the amount recovered; a 12345 WAGES order received by 区人社局 opens
a linked case pre-filled from it; the labour figures of a year are the type files' declared
metrics and rates. Synthetic people only."""

from __future__ import annotations

import io
from typing import Any

import docx

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.labour.support import (
    ARBITRATOR,
    CASES,
    INSPECTOR,
    accepted,
    at,
    file_paper,
    wage_case,
)
from tests.support import FakeClock
from tests.web.conftest import Console
from tests.web.html import page as html
from tests.web.html import text_of

STATISTICS = "/api/v1/labour/statistics"


def test_a_complaint_is_investigated_ordered_to_pay_and_closed_with_the_amount_recovered(
    login: Login, clock: FakeClock
) -> None:
    inspector = login(INSPECTOR)
    at(clock, "2023-06-05")
    case = wage_case(inspector)
    case_id = case["id"]
    assert (case["state"], case["number"][:2]) == ("received", "QX")
    inspector.act(case_id, "file")
    inspector.act(
        case_id, "record_finding", held_on="2023-06-06", finding="核实考勤与工资表（测试）"
    )
    paper = inspector.post(
        f"{CASES}/{case_id}/documents/generate",
        json={
            "kind": "rectification_notice",
            "data": {
                "number": "石人社监令〔2023〕T1号",
                "issued_on": "2023-06-05",
                "due_on": "2023-06-12",
                "requirement": "限期足额支付拖欠的工资（测试）",
            },
        },
    )
    assert paper.status_code == 201, paper.text
    document = docx.Document(io.BytesIO(inspector.get(paper.json()["file_url"]).content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "劳动保障监察限期整改指令书" in text and "2023-06-12前" in text
    assert "石峰区某安置小区项目（测试）" in text
    inspector.act(case_id, "issue_rectification", rectify_period="d7")
    at(clock, "2023-06-12")
    inspector.act(case_id, "follow_up", rectified="done", note="已足额支付（测试）")
    # Paid needs the amount recovered, named next to its input.
    missing = inspector.post(
        f"{CASES}/{case_id}/actions/close", json={"inputs": {"result": "paid"}}
    )
    assert assert_error(missing, 422)["field"] == "amount_recovered"
    zero = inspector.post(
        f"{CASES}/{case_id}/actions/close",
        json={"inputs": {"result": "paid", "amount_recovered": "0", "workers_paid": 12}},
    )
    assert "追回金额" in assert_error(zero, 422)["message"]
    body = inspector.act(case_id, "close", result="paid", amount_recovered="86000", workers_paid=12)
    assert body["state"] == "closed"
    assert (body["fields"]["amount_recovered"], body["fields"]["notice_count"]) == ("86000.00", 1)
    # The worker's phone is the inspector's to see, masked to a district leader.
    assert inspector.case(case_id).json()["fields"]["complainant_phone"] == "17000007002"
    assert "*" in login("leader1").case(case_id).json()["fields"]["complainant_phone"]


def test_a_clue_of_the_national_platform_needs_its_number(login: Login) -> None:
    inspector = login(INSPECTOR)
    response = inspector.post(
        CASES,
        json={
            "type": "wage_arrears",
            "fields": {
                "source": "national_clue",
                "employer_name": "株洲某公司（测试）",
                "workers": 3,
                "amount_claimed": "9000",
                "summary": "国家平台线索（测试）",
            },
        },
    )
    assert assert_error(response, 422)["field"] == "clue_number"


def test_a_wages_order_received_by_the_labour_bureau_opens_a_linked_wage_case(
    login: Login, clock: FakeClock
) -> None:
    at(clock, "2023-06-08")
    order = login("operator1").register(
        request_kind="complaint",
        category="WAGES",
        content="某工地拖欠8名工人工资共4万元（测试合成数据）",
        caller_name="测试丁",
        caller_phone="17000007003",
    )
    login("dispatcher1").act(order["id"], "dispatch", lead_unit="SF-RSJ")
    inspector = login(INSPECTOR)
    inspector.act(order["id"], "acknowledge")
    links = inspector.get(f"{CASES}/{order['id']}/links").json()
    assert "wage_arrears" in [o["type"] for o in links["open"]]
    prefill = inspector.get(
        f"{CASES}/{order['id']}/prefill/wage_arrears", params={"link": "source_case"}
    )
    assert prefill.status_code == 200, prefill.text
    fields = prefill.json()["fields"]
    assert fields["source_case"] == order["number"] and "拖欠8名工人" in fields["summary"]
    base = {
        **fields,
        "employer_name": "株洲某劳务公司（测试）",
        "workers": 8,
        "amount_claimed": "40000",
    }
    # From an order, the source is the hotline.
    wrong = inspector.post(
        CASES, json={"type": "wage_arrears", "fields": {**base, "source": "complaint"}}
    )
    assert "12345工单" in assert_error(wrong, 422)["message"]
    case = wage_case(inspector, **{**base, "source": "hotline"})
    assert case["fields"]["source_case"] == order["id"]
    back = inspector.get(f"{CASES}/{order['id']}/links").json()
    assert case["id"] in [c["case"]["id"] for c in back["incoming"]]
    # The street's handler who never had the order sees neither.
    assert_error(login("tx_handler").case(case["id"]), 404)


def received_by_the_labour_bureau(login: Login, category: str) -> dict[str, Any]:
    order = login("operator1").register(
        request_kind="complaint",
        category=category,
        content="来电反映劳动用工问题（测试合成数据）",
        caller_name="测试戊",
        caller_phone="17000007004",
    )
    login("dispatcher1").act(order["id"], "dispatch", lead_unit="SF-RSJ")
    login(INSPECTOR).act(order["id"], "acknowledge")
    return order


def test_a_wages_order_suggests_turning_it_into_a_wage_case_first(
    login: Login, console: Console, clock: FakeClock
) -> None:
    at(clock, "2023-06-12")
    inspector = login(INSPECTOR)
    wages = received_by_the_labour_bureau(login, "WAGES")
    offered = inspector.get(f"{CASES}/{wages['id']}/links").json()["open"]
    assert offered[0]["type"] == "wage_arrears" and offered[0]["suggested"] is True
    assert offered[0]["reason"] == "本件属“劳动欠薪”类，可转为关联案件办理"
    page = console(INSPECTOR).get(f"/cases/{wages['id']}")
    hint = text_of(html(page.text), "links-suggested")
    assert hint.startswith("本件属“劳动欠薪”类，可转为关联案件办理：") and "根治欠薪" in hint
    # A social-security order received by the same bureau suggests nothing.
    other = received_by_the_labour_bureau(login, "SOCIAL_SECURITY")
    offered = inspector.get(f"{CASES}/{other['id']}/links").json()["open"]
    assert offered and not any(o["suggested"] for o in offered)
    page = console(INSPECTOR).get(f"/cases/{other['id']}")
    assert 'id="links-suggested"' not in page.text


def test_the_year_figures_are_the_declared_metrics_and_rates(
    login: Login, clock: FakeClock
) -> None:
    # 2025 holds no other labour cases of the session: the figures are this test's own.
    arbitrator, inspector = login(ARBITRATOR), login(INSPECTOR)
    settled = accepted(arbitrator, clock, "2025-03-03")
    arbitrator.act(settled, "start_mediation")
    file_paper(
        arbitrator,
        settled,
        "mediation_statement",
        number="T",
        signed_on="2025-03-10",
        terms="支付（测试）",
        amount="5000",
    )
    arbitrator.act(settled, "settle")
    withdrawn = accepted(arbitrator, clock, "2025-03-04")
    arbitrator.act(withdrawn, "withdraw", withdraw_reason="和解（测试）")
    accepted(arbitrator, clock, "2025-03-05")  # still open
    at(clock, "2025-03-06")
    for amount in ("10000", "30000"):
        case_id = wage_case(inspector, amount_claimed=amount, workers=4)["id"]
        inspector.act(case_id, "file")
    inspector.act(case_id, "close", result="paid", amount_recovered="15000", workers_paid=2)

    body = arbitrator.get(STATISTICS, params={"year": 2025}).json()
    # The arbitrator sees its own type only.
    assert list(body["types"]) == ["labour_arbitration"]
    figures = body["types"]["labour_arbitration"]
    assert {k: figures["values"][k] for k in ("accepted", "closed", "mediated", "withdrawn")} == {
        "accepted": 3,
        "closed": 2,
        "mediated": 1,
        "withdrawn": 1,
    }
    rates = {r["name"]: r["value"] for r in figures["rates"]}
    assert abs(rates["closure_rate"] - 2 / 3) < 1e-3
    assert rates["mediation_rate"] == 0.5

    wages = inspector.get(STATISTICS, params={"year": 2025}).json()["types"]
    assert set(wages) == {"wage_arrears", "labour_inspection"}
    values = wages["wage_arrears"]["values"]
    # Money is summed in fen.
    assert (values["complaints"], values["complaint_amount"]) == (2, 4_000_000)
    assert (values["closed"], values["amount_recovered"], values["complaint_workers"]) == (
        1,
        1_500_000,
        8,
    )
    recovery = next(r for r in wages["wage_arrears"]["rates"] if r["name"] == "recovery_rate")
    assert recovery["value"] == 0.5
    # A hotline operator sees none of the labour types.
    assert_error(login("operator1").get(STATISTICS, params={"year": 2025}), 403)
