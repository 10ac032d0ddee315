"""Publicity of penalty decisions (行政执法公示, 行政处罚法 art.48): a published decision is on
the public page and its JSON without signing in, with a person reduced to the surname and no
ID number, an organisation shown whole; a revoked decision comes down at once. Synthetic."""

from __future__ import annotations

import httpx

from tests.api.conftest import Login
from tests.api.test_penalty_case import COMPANY, act, refused, register
from tests.support import TLS, ServerThread

DECISION = {"legal_basis": "《城市道路管理条例》第四十二条（测试）"}


def _public(server: ServerThread) -> tuple[list[dict[str, object]], str]:
    with httpx.Client(base_url=server.url, verify=TLS) as anonymous:
        data = anonymous.get("/api/v1/public/penalty-decisions")
        page = anonymous.get("/public/penalty-decisions")
    assert data.status_code == 200 and page.status_code == 200
    return data.json()["items"], page.text


def test_a_published_decision_is_public_without_personal_data_until_revoked(
    login: Login, server: ServerThread
) -> None:
    officer = login("cgj_enforcer")
    person = register(officer, procedure="summary")
    act(
        officer,
        person,
        "summary_decide",
        penalty_kind="fine",
        fine_amount="100",
        decision_number="石城管当罚〔2023〕71号",
        **DECISION,
    )
    company = register(officer, procedure="summary", party_kind="organisation", parties=[COMPANY])
    act(
        officer,
        company,
        "summary_decide",
        penalty_kind="fine",
        fine_amount="3000",
        decision_number="石城管当罚〔2023〕72号",
        **DECISION,
    )
    unpublished = register(officer, procedure="summary")
    act(
        officer,
        unpublished,
        "summary_decide",
        penalty_kind="warning",
        decision_number="石城管当罚〔2023〕73号",
        **DECISION,
    )
    act(officer, person, "publish")
    act(officer, company, "publish")

    notices, page = _public(server)
    by_number = {n["decision_number"]: n for n in notices}
    assert "石城管当罚〔2023〕73号" not in by_number
    assert by_number["石城管当罚〔2023〕71号"]["parties"] == [{"kind": "person", "name": "张某"}]
    organisation = by_number["石城管当罚〔2023〕72号"]["parties"][0]
    assert organisation["name"] == COMPANY["name"]
    assert organisation["credit_code"] == COMPANY["credit_code"]
    assert "石城管当罚〔2023〕71号" in page and COMPANY["credit_code"] in page
    assert "张某某" not in page and "11010519491231002X" not in page

    revoked = act(login("cgj_leader"), person, "revoke_decision", revoked="复议决定撤销（测试）")
    assert not revoked["fields"].get("published")
    notices, page = _public(server)
    assert "石城管当罚〔2023〕71号" not in {n["decision_number"] for n in notices}
    assert "石城管当罚〔2023〕71号" not in page
    assert "已撤销" in refused(officer, person, "publish")
