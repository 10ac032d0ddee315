"""知识库 over HTTP: a unit proposes, the centre approves, search ranks it in Chinese; every
refusal is JSON with a code and a Chinese message, and the console shows errors by the field."""

from __future__ import annotations

import uuid

from tests.analytics.scenario import api_client, console_client
from tests.support import FakeClock, ServerThread


def body(word: str, **extra: str) -> dict[str, str]:
    return {
        "category": "PROPERTY_MGMT",
        "question": f"{word}物业公司停水停电催缴物业费合法吗",
        "answer": f"{word}物业服务人不得采取停止供电、供水等方式催交物业费。",
        "legal_basis": "《民法典》第九百四十四条",
        "tags": "物业费 停水",
        **extra,
    }


def test_propose_approve_and_search(server: ServerThread, clock: FakeClock) -> None:
    word = "庚" + uuid.uuid4().hex[:6]
    unit, centre = (
        api_client(server, clock, "zjj_handler"),
        api_client(server, clock, "dispatcher1"),
    )
    made = unit.http.post("/api/v1/knowledge", json=body(word))
    assert made.status_code == 201, made.text
    article = made.json()
    assert article["status"] == "pending" and article["versions"][0]["event"] == "propose"
    refused = unit.http.post(f"/api/v1/knowledge/{article['id']}/approve", json={})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden_role"
    approved = centre.http.post(f"/api/v1/knowledge/{article['id']}/approve", json={})
    assert approved.status_code == 200 and approved.json()["status"] == "published"
    operator = api_client(server, clock, "operator1")
    found = operator.http.get("/api/v1/knowledge", params={"q": f"{word} 物业停水催费"})
    assert found.status_code == 200
    assert found.json()["articles"][0]["id"] == article["id"]
    one = operator.http.get(f"/api/v1/knowledge/{article['id']}")
    assert [v["event"] for v in one.json()["versions"]] == ["approve", "propose"]


def test_refusals_are_json(server: ServerThread, clock: FakeClock) -> None:
    unit = api_client(server, clock, "zjj_handler")
    bad = unit.http.post("/api/v1/knowledge", json={"question": "", "category": "NOPE"})
    assert bad.status_code == 422
    assert bad.json()["code"] and "请填写" in bad.json()["message"]
    operator = api_client(server, clock, "operator1")
    assert operator.http.post("/api/v1/knowledge", json=body("辛")).status_code == 403
    missing = operator.http.get("/api/v1/knowledge/99999999")
    assert missing.status_code == 404 and missing.json()["message"] == "没有该知识库条目"
    status = operator.http.get("/api/v1/knowledge", params={"status": "bogus"})
    assert status.status_code == 422 and status.json()["field"] == "status"


def test_console_pages_and_errors_by_field(server: ServerThread, clock: FakeClock) -> None:
    word = "壬" + uuid.uuid4().hex[:6]
    unit = console_client(server, clock, "zjj_handler")
    bad = unit.post("/knowledge", data={"question": "", "answer": "x", "valid_from": "nope"})
    assert bad.status_code == 422
    assert 'id="k-question-error"' in bad.text and 'id="k-valid_from-error"' in bad.text
    made = unit.post("/knowledge", data=body(word))
    assert made.status_code == 303
    article_id = int(made.headers["location"].split("/knowledge/")[1].split("?")[0])
    page = unit.get(f"/knowledge/{article_id}")
    assert page.status_code == 200 and "待审核" in page.text and 'id="versions"' in page.text
    assert f'action="/knowledge/{article_id}/approve"' not in page.text
    assert unit.post(f"/knowledge/{article_id}/approve").status_code == 403
    centre = console_client(server, clock, "dispatcher1")
    no_reason = centre.post(f"/knowledge/{article_id}/reject", data={"note": ""})
    assert no_reason.status_code == 422 and 'id="decision-note-error"' in no_reason.text
    assert centre.post(f"/knowledge/{article_id}/approve").status_code == 303
    listing = centre.get("/knowledge", params={"q": f"{word}停水"})
    assert f'data-article="{article_id}"' in listing.text
    panel = console_client(server, clock, "operator1").get(
        "/intake/knowledge", params={"content": f"{word} 物业说不交物业费就停水"}
    )
    assert panel.status_code == 200 and 'class="insert-knowledge"' in panel.text
    supervisor = console_client(server, clock, "supervisor1")
    assert supervisor.get("/knowledge").status_code == 200
    assert supervisor.post("/knowledge", data=body(word)).status_code == 403
