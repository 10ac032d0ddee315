"""The synthetic 2023 labour work (`fazhi demo`) reproduces the seed report's figures through
the types' declared statistics — 135 arbitration cases accepted and 130 closed; 232 wage
complaints and reports worth 13,183,460 yuan (1318万余元); 412 clues of the national platform
handled; 118 warnings resolved; 2 special inspections with 35 notices and 28 employers checked
at random with 12 — read as the district's figures (/api/v1/analytics/metrics) before and
after, since other tests of the session add cases of 2023 too. The console's /labour page
renders for the labour roles, is refused to others, and a case-page action goes through."""

from __future__ import annotations

import re
from typing import Any

import pytest

from fazhi.actions.platform import Platform
from fazhi.labour import plugin
from tests.api.conftest import Login
from tests.labour.support import (
    ARBITRATOR,
    CASES,
    EMPLOYER_CODE,
    INSPECTOR,
    apply,
    at,
    file_paper,
)
from tests.support import ApiClient, FakeClock
from tests.web.conftest import Console

# The synthetic demo year's content and pages: the same on either database.
pytestmark = pytest.mark.dialect_neutral

YEAR = {"from": "2023-01-01", "to": "2023-12-31"}


def figures(leader: ApiClient, type_name: str) -> dict[str, Any]:
    response = leader.get("/api/v1/analytics/metrics", params={"type": type_name, **YEAR})
    assert response.status_code == 200, response.text
    body = response.json()
    out: dict[str, Any] = {m["name"]: m["value"] for m in body["metrics"]}
    for m in body["metrics"]:
        for b in m.get("by", []):
            out[f"{m['name']}:{b['value']}"] = b["count"]
    return out


def delta(before: dict[str, Any], after: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: after.get(n, 0) - before.get(n, 0) for n in names}


def test_the_demo_reproduces_the_seed_figures(platform: Platform, login: Login) -> None:
    leader = login("leader1")
    types = ("labour_arbitration", "wage_arrears", "labour_inspection")
    before = {t: figures(leader, t) for t in types}
    message = plugin.generate_demo(platform, 0, 0, 1, lambda n: None)
    assert "受理135件" in message
    assert "跳过" in plugin.generate_demo(platform, 0, 0, 1, lambda n: None)  # once only
    after = {t: figures(leader, t) for t in types}

    arbitration = delta(
        before["labour_arbitration"],
        after["labour_arbitration"],
        "applications",
        "accepted",
        "refused",
        "closed",
        "mediated",
        "awarded",
        "withdrawn",
        "closed_on_time",
    )
    assert arbitration == {
        "applications": 140,
        "accepted": 135,
        "refused": 5,
        "closed": 130,
        "mediated": 72,
        "awarded": 44,
        "withdrawn": 14,
        "closed_on_time": 130,
    }
    wages = delta(
        before["wage_arrears"],
        after["wage_arrears"],
        "complaints",
        "complaint_amount",
        "clues_received",
        "clues_handled",
        "warnings_resolved",
        "rectification_notices",
    )
    assert wages == {
        "complaints": 232,
        "complaint_amount": 1_318_346_000,  # fen: 13,183,460 yuan
        "clues_received": 412,
        "clues_handled": 412,
        "warnings_resolved": 118,
        "rectification_notices": 24,
    }
    recovered = delta(before["wage_arrears"], after["wage_arrears"], "amount_recovered")
    assert recovered["amount_recovered"] > 0
    visits = delta(
        before["labour_inspection"],
        after["labour_inspection"],
        "by_kind:project_special",
        "by_kind:random_employer",
        "notices_by_kind:project_special",
        "notices_by_kind:random_employer",
    )
    assert visits == {
        "by_kind:project_special": 2,
        "by_kind:random_employer": 28,
        "notices_by_kind:project_special": 35,
        "notices_by_kind:random_employer": 12,
    }


def test_the_labour_page_shows_the_year_figures_to_the_labour_roles_only(
    console: Console,
) -> None:
    page = console(ARBITRATOR).get("/labour", params={"year": "2023"})
    assert page.status_code == 200
    assert "劳动人事争议仲裁" in page.text and 'data-rate="closure_rate"' in page.text
    assert 'data-type="wage_arrears"' not in page.text  # not the arbitrator's type
    inspector = console("rsj_inspector").get("/labour", params={"year": "2023"})
    assert 'data-type="wage_arrears"' in inspector.text and "追回欠薪金额" in inspector.text
    for outsider in ("operator1", "tx_handler"):
        assert console(outsider).get("/labour").status_code == 403


def test_an_action_is_taken_on_the_console_case_page(
    console: Console, login: Login, clock: FakeClock
) -> None:
    arbitrator = login(ARBITRATOR)
    at(clock, "2023-06-09")
    case_id = apply(arbitrator)["id"]
    http = console(ARBITRATOR)
    page = http.get(f"/cases/{case_id}")
    assert page.status_code == 200 and "受理" in page.text
    # Without the acceptance notice the form is shown again with the refusal.
    refused = http.post(f"/cases/{case_id}/do/accept", data={})
    assert refused.status_code == 422 and "受理通知书" in refused.text
    file_paper(arbitrator, case_id, "acceptance_notice", number="T-网页", issued_on="2023-06-09")
    done = http.post(f"/cases/{case_id}/do/accept", data={})
    assert done.status_code == 303
    assert re.search(rf"/cases/{case_id}\?done=accept", done.headers["location"])
    assert arbitrator.get(f"{CASES}/{case_id}").json()["state"] == "accepted"


def test_a_wage_complaint_is_registered_on_the_console_form(console: Console) -> None:
    http = console(INSPECTOR)
    form = http.get("/cases/new/wage_arrears")
    assert form.status_code == 200 and "用人单位" in form.text
    fields = {
        "action": "register",
        "source": "complaint",
        "employer_name": "株洲某劳务公司（网页测试）",
        "employer_credit_code": EMPLOYER_CODE,
        "workers": "5",
        "amount_claimed": "25000",
        "summary": "5名工人被拖欠工资（测试）",
    }
    bad = http.post("/cases/new/wage_arrears", data={**fields, "employer_credit_code": "123"})
    assert bad.status_code == 422 and "统一社会信用代码" in bad.text
    created = http.post("/cases/new/wage_arrears", data=fields)
    assert created.status_code == 303
    assert re.fullmatch(r"/cases/\d+\?done=register", created.headers["location"])
    assert console("operator1").get("/cases/new/wage_arrears").status_code == 403
