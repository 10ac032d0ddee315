"""The synthetic 2023 legality work (`fazhi demo`) reproduces the seed report's figures — 5
normative documents with 5 opinion letters and 11 opinions, 8 contracts with 19 opinions, the
2023 catalogue published on the portal, two inspection visits rectified — read back through
the statistics and the opinions list; the console overview and the public catalogue page
render, and the overview is refused to roles outside the legality work."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fazhi.actions.platform import Platform
from fazhi.legality import plugin
from tests.api.conftest import Login
from tests.web.conftest import Console

# The synthetic demo year's content and pages: the same on either database.
pytestmark = pytest.mark.dialect_neutral

REVIEWER = "sfj_legality"


def figures(body: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
    return {
        s["subject_kind"]: (s["reviewed"], s["opinion_letters"], s["opinions"])
        for s in body["subjects"]
    }


def test_the_demo_reproduces_the_seed_figures(
    platform: Platform, login: Login, console: Console, anonymous: httpx.Client
) -> None:
    reviewer = login(REVIEWER)
    before = reviewer.get("/api/v1/legality/statistics", params={"year": 2023}).json()
    opinions_before = reviewer.get("/api/v1/legality/opinions", params={"year": 2023}).json()
    message = plugin.generate_demo(platform, 0, 0, 1, lambda n: None)
    assert "规范性文件5件" in message
    assert "跳过" in plugin.generate_demo(platform, 0, 0, 1, lambda n: None)  # once only

    after = reviewer.get("/api/v1/legality/statistics", params={"year": 2023}).json()
    old, new = figures(before), figures(after)
    delta = {k: tuple(b - a for a, b in zip(old[k], new[k], strict=True)) for k in new}
    assert delta == {"normative_document": (5, 5, 11), "contract": (8, 8, 19)}
    # Two of the demo's 30 opinions were not adopted, each with its reason.
    rows = reviewer.get("/api/v1/legality/opinions", params={"year": 2023}).json()
    assert rows["count"] - opinions_before["count"] == 30
    refused = [r for r in rows["items"] if r["adopted"] == "not_adopted" and "合成" in r["reason"]]
    assert len(refused) == 2 and all(r["letter_number"].startswith("石司审") for r in refused)
    documents = reviewer.get(
        "/api/v1/legality/opinions", params={"year": 2023, "subject": "normative_document"}
    ).json()
    assert all(r["subject_kind"] == "normative_document" for r in documents["items"])
    assert after["inspections"]["visits"] - before["inspections"]["visits"] == 2

    public = anonymous.get("/api/v1/public/major-decision-catalogues", params={"year": 2023})
    (catalogue,) = public.json()["items"]
    assert catalogue["title"] == "2023年石峰区政府重大行政决策目录"
    assert catalogue["url"].startswith("http://www.shifeng.gov.cn/")
    assert len(catalogue["items"]) == 3

    page = console(REVIEWER).get("/legality", params={"year": "2023"})
    assert page.status_code == 200
    assert "石峰区城市管理领域轻微违法行为免罚清单（合成）" in page.text
    assert "2023年石峰区政府重大行政决策目录" in page.text
    public_page = anonymous.get("/public/major-decisions")
    assert (
        public_page.status_code == 200
        and "石峰区生活垃圾分类工作实施方案（合成）" in public_page.text
    )


def test_the_reads_are_refused_outside_the_legality_work(login: Login, console: Console) -> None:
    operator = login("operator1")
    for path in ("/api/v1/legality/opinions", "/api/v1/legality/statistics?year=2023"):
        response = operator.get(path)
        assert response.status_code == 403 and response.json()["code"] == "forbidden_role"
    bad = login(REVIEWER).get("/api/v1/legality/opinions", params={"subject": "law"})
    assert bad.status_code == 422 and bad.json()["field"] == "subject"
    no_year = login(REVIEWER).get("/api/v1/legality/statistics")
    assert no_year.status_code == 422 and no_year.json()["code"]
    assert console("operator1").get("/legality").status_code == 403
    # The reviewer lands on the overview, and leaders find it in their menu.
    landing = console(REVIEWER).get("/", follow_redirects=False)
    assert landing.headers.get("location", "").endswith("/legality")
    assert 'href="/legality"' in console("leader1").get("/cases").text


def test_the_reviewed_demo_decisions_are_linked_to_their_catalogue(
    platform: Platform, login: Login
) -> None:
    plugin.generate_demo(platform, 0, 0, 1, lambda n: None)  # once only: written or skipped
    reviewer = login(REVIEWER)
    found = reviewer.get("/api/v1/cases", params={"type": "major_decision", "limit": 50}).json()
    reviewed = [
        c
        for c in (reviewer.get(f"/api/v1/cases/{c['id']}").json() for c in found["items"])
        if c["fields"].get("legality_on") and "（合成）" in c["title"]
    ]
    assert len(reviewed) >= 2
    for decision in reviewed:
        links = reviewer.get(f"/api/v1/cases/{decision['id']}/links").json()
        outgoing = {(link["field"], link["case"]["type"]) for link in links["outgoing"]}
        assert ("catalogue", "major_decision_catalogue") in outgoing, links
