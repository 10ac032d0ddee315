"""A multi-district deployment keyed by region_code (issue 15, item 4).

Two districts share one database, each served by a platform of its own region. While users
of district A take the hotline loop and then open every page and API route of the console
and the API (every GET route of the app, with A's cases filled in), every SQL statement is
captured; each one that touches a tenant-scoped table must name its region for that table
(tests/region_scope.py says exactly how). And nothing of district B — its cases, their text,
their counts — reaches a user of A through lists, search, statistics, exports or the case
page."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy import func, select

from fazhi.actions.platform import Platform
from fazhi.hotline.demo.catalogue import seed_catalogue
from fazhi.store.models import Case
from tests.api.flows import Desk
from tests.conftest import DEFAULT_NOW
from tests.databases import drop, fresh_url
from tests.districts import (
    B_MARK,
    B_PREFIX,
    DISTRICT_A,
    DISTRICT_B,
    PASSWORD,
    api_login,
    district_platform,
    hotline_loop,
    load_both,
)
from tests.region_scope import Captured, capturing, tenant_tables, unscoped_tables
from tests.support import FakeClock, ServerThread, browser_client, serving

# The users of A who take the tour: region-wide sight, the 12345 centre, a department's
# handler, and the administrator (the 系统管理 pages).
TOURISTS = ("leader1", "dispatcher1", "cgj_handler", "admin")
# Routes the tour leaves out: documentation, and the annual report's rendered downloads
# (minutes of CPU for a whole year; their queries are the report page's).
SKIPPED = re.compile(r"^/(docs|openapi\.json|healthz|annual-report/download/)")


@dataclass
class Deployment:
    platform_a: Platform
    platform_b: Platform
    server_a: ServerThread
    server_b: ServerThread
    cases_a: list[int]
    cases_b: list[int]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    clock = FakeClock(DEFAULT_NOW)
    url = fresh_url(Path(tmp_path_factory.mktemp("regions")), "regions")
    platform_a = district_platform(url, DISTRICT_A, clock)
    platform_b = district_platform(url, DISTRICT_B, clock, migrate=False)
    try:
        load_both(platform_a)
        seed_catalogue(platform_a)
        seed_catalogue(platform_b)
        with serving(platform_a) as server_a, serving(platform_b) as server_b:
            # District B's year so far: orders whose text only B has.
            desk_b = Desk(api_login(server_b.url, B_PREFIX))
            cases_b = [
                hotline_loop(desk_b, content=f"{B_MARK}：占道经营（测试合成数据）"),
                desk_b.dispatched(content=f"{B_MARK}：噪音扰民（测试合成数据）"),
                desk_b.registered(content=f"{B_MARK}：路灯不亮（测试合成数据）"),
            ]
            yield Deployment(platform_a, platform_b, server_a, server_b, [], cases_b)
    finally:
        platform_a.engine.dispose()
        platform_b.engine.dispose()
        drop(url)


def _get_routes(app: Any) -> list[str]:
    """Every GET path of the app, the engine's and each type package's."""
    paths: list[str] = []
    for route in app.router.routes:
        included = getattr(route, "original_router", None)
        prefix = getattr(getattr(route, "include_context", None), "prefix", "") or ""
        for r in included.routes if included is not None else [route]:
            if "GET" in (getattr(r, "methods", None) or ()):
                paths.append(prefix + r.path)
    return paths


def _concrete(path: str, case_ids: list[int]) -> list[str]:
    """The path with A's cases and the hotline type filled in; [] when it needs an id the
    tour does not have (a document, a message)."""
    if path == "/open311/v2/{rest:path}":
        return [
            "/open311/v2/services.json",
            "/open311/v2/requests.json",
            "/open311/v2/requests.xml",
            *(f"/open311/v2/requests/{c}.json" for c in case_ids),
        ]
    out = path.replace("{type_name}", "hotline")
    if "{case_id}" in out:
        return [out.replace("{case_id}", str(c)) for c in case_ids]
    return [] if "{" in out else [out]


def _console(base_url: str, username: str) -> httpx.Client:
    http = browser_client(base_url)
    response = http.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 303, response.text
    return http


def _text(response: httpx.Response) -> str:
    """What a user reads in the response: the body, or every cell of a workbook."""
    kind = response.headers.get("content-type", "")
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if kind.startswith(("text/", "application/json", "application/xml", "application/geo")):
        return response.text
    return ""


@dataclass
class Tour:
    captured: Captured
    seen: dict[str, str]  # request → what the user read
    failures: list[str]


@pytest.fixture(scope="module")
def tour(deployment: Deployment) -> Tour:
    """District A's hotline loop and every GET route for each tourist, statements captured."""
    server = deployment.server_a
    seen: dict[str, str] = {}
    failures: list[str] = []
    with capturing(deployment.platform_a.engine) as captured:
        captured.step = "hotline loop"
        desk = Desk(api_login(server.url))
        deployment.cases_a[:] = [
            hotline_loop(desk, content="甲区：占道经营（测试合成数据）"),
            desk.handling(content="甲区：噪音扰民（测试合成数据）"),
            desk.registered(content="甲区：路灯不亮（测试合成数据）"),
        ]
        _papers_and_reveal(desk, deployment.cases_a[1], captured)
        routes = _get_routes(server.server.config.app)
        anonymous = httpx.Client(base_url=server.url, timeout=30)
        for username in TOURISTS:
            captured.step = f"{username}: sign-in"
            api = api_login(server.url)(username).http
            console = _console(server.url, username)
            for path in routes:
                for concrete in _concrete(path, deployment.cases_a[:2]):
                    if SKIPPED.match(concrete):
                        continue
                    captured.step = f"{username}: GET {concrete}"
                    if concrete.startswith("/open311/"):
                        client = anonymous
                    elif concrete.startswith("/api/"):
                        client = api
                    else:
                        client = console
                    response = client.get(concrete)
                    if response.status_code >= 500:
                        failures.append(f"{captured.step} → {response.status_code}")
                    seen[captured.step] = _text(response)
            api.close()
            console.close()
        anonymous.close()
    return Tour(captured, seen, failures)


# A small synthetic PNG (a 1×1 image), as a handler would photograph the scene.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _papers_and_reveal(desk: Desk, case_id: int, captured: Captured) -> None:
    """A paper added, replaced and withdrawn on an order being handled, and a reveal of the
    caller's number: the writes beside the actions."""
    handler = desk.handler
    docs = f"/api/v1/cases/{case_id}/documents"
    captured.step = "document added"
    added = handler.post(
        docs, data={"kind": "photo"}, files={"file": ("现场.png", PNG, "image/png")}
    )
    assert added.status_code == 201, added.text
    document_id = added.json()["id"]
    captured.step = "document replaced"
    replaced = handler.post(
        f"{docs}/{document_id}/replace",
        data={"version": str(desk.case(case_id)["version"])},
        files={"file": ("现场二.png", PNG + b"2", "image/png")},
    )
    assert replaced.status_code in (200, 201), replaced.text
    captured.step = "document withdrawn"
    new_id = replaced.json()["id"]
    withdrawn = handler.post(
        f"{docs}/{new_id}/withdraw",
        json={"reason": "拍错了（测试）", "version": desk.case(case_id)["version"]},
    )
    assert withdrawn.status_code == 200, withdrawn.text
    captured.step = "reveal"
    revealed = handler.post(f"/api/v1/cases/{case_id}/reveal")
    assert revealed.status_code in (200, 403), revealed.text


def test_the_rule_reads_sql_as_stated() -> None:
    tenant = frozenset({"cases", "events", "units"})
    assert unscoped_tables("SELECT cases.id FROM cases WHERE cases.id = ?", tenant) == ["cases"]
    assert (
        unscoped_tables(
            "SELECT cases.id FROM cases WHERE cases.region_code = ? AND cases.id = ?", tenant
        )
        == []
    )
    # A join names the region of each tenant table, by a value or by the join itself.
    assert unscoped_tables(
        "SELECT events.seq FROM events JOIN cases ON cases.id = events.case_id "
        "WHERE cases.region_code = ?",
        tenant,
    ) == ["events"]
    assert (
        unscoped_tables(
            "SELECT events.seq FROM events JOIN cases ON cases.id = events.case_id "
            "AND cases.region_code = events.region_code WHERE cases.region_code = ?",
            tenant,
        )
        == []
    )
    assert (
        unscoped_tables(
            "SELECT units_1.id FROM units AS units_1 WHERE units_1.region_code IN (?, ?)", tenant
        )
        == []
    )
    assert unscoped_tables("UPDATE cases SET state=? WHERE cases.id = ?", tenant) == ["cases"]
    assert unscoped_tables("INSERT INTO events (case_id, seq) VALUES (?, ?)", tenant) == ["events"]
    assert (
        unscoped_tables("INSERT INTO events (case_id, region_code, seq) VALUES (?, ?, ?)", tenant)
        == []
    )
    assert unscoped_tables("SELECT calendar_days.day FROM calendar_days", tenant) == []


def test_every_tenant_statement_names_its_region(tour: Tour) -> None:
    violations = tour.captured.violations(tenant_tables())
    listed = "\n\n".join(
        f"[{step}] {where} {', '.join(tables)}:\n{sql[:600]}"
        for sql, (step, where, tables) in violations.items()
    )
    assert not violations, f"{len(violations)} statements without region_code:\n\n{listed}"
    # The tour ran the loop and the pages: thousands of statements, not a handful.
    assert len(tour.captured.statements) > 1000


def test_the_tour_met_no_server_error(tour: Tour) -> None:
    assert tour.failures == []


def test_district_a_sees_nothing_of_district_b(deployment: Deployment, tour: Tour) -> None:
    # Not in any list, search, statistic, export, map or page the tour opened.
    leaks = [step for step, text in tour.seen.items() if B_MARK in text]
    assert leaks == []
    # Nor by asking for B's cases by id, through the API, the console or Open311.
    server = deployment.server_a
    api = api_login(server.url)("leader1").http
    console = _console(server.url, "leader1")
    for case_id in deployment.cases_b:
        for path in ("", "/events", "/documents", "/actions", "/links"):
            assert api.get(f"/api/v1/cases/{case_id}{path}").status_code == 404
        assert console.get(f"/cases/{case_id}").status_code == 404
        assert console.get(f"/cases/{case_id}/print").status_code == 404
        assert httpx.get(f"{server.url}/open311/v2/requests/{case_id}.json").status_code == 404
    # A search for B's text finds nothing; the whole list is A's cases exactly.
    listed = api.get("/api/v1/cases", params={"q": B_MARK, "page_size": 100}).json()
    assert listed["items"] == []
    everything = api.get("/api/v1/cases", params={"page_size": 100}).json()
    assert {c["id"] for c in everything["items"]} == set(deployment.cases_a)
    # Statistics count A's orders only: B registered as many, which would double them.
    with deployment.platform_a.sessions() as session:
        stored = session.scalar(
            select(func.count()).select_from(Case).where(Case.region_code == DISTRICT_A)
        )
    assert stored == len(deployment.cases_a)
    metrics = api.get(
        "/api/v1/analytics/metrics", params={"from": "2023-06-01", "to": "2023-06-01"}
    )
    assert metrics.status_code == 200, metrics.text
    assert _received(metrics.json()) == len(deployment.cases_a)
    api.close()
    console.close()


def _received(body: dict[str, Any]) -> int:
    """The number of orders received in the metrics body (its `received` metric)."""
    [received] = [m for m in body["metrics"] if m["name"] == "received"]
    return int(received["value"])
