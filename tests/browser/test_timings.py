"""Console response times at a realistic size: the 石峰区 demo year (3000 synthetic orders plus
120 current ones, made through the real actions) in a SQLite database of its own, served by its
own uvicorn on loopback, measured over real HTTP with a signed-in cookie.

Target (the issue's): the median answer of each list and statistics page under 300 ms.
Generating the data takes about 40 s, so the module is marked `slow` (-m "not slow" skips it).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from fazhi.actions.org import load_org_into
from fazhi.actions.platform import Platform
from fazhi.bootstrap import create_app
from fazhi.catalog.org_file import load_demo_org
from fazhi.catalog.registry import default_case_types
from fazhi.domain.durations import LOCAL_TZ
from fazhi.hotline.demo.generate import generate
from fazhi.settings import Settings
from fazhi.store.db import make_engine, session_factory, transaction
from fazhi.store.migrate import upgrade
from tests.browser.support import PASSWORD, TIMINGS
from tests.support import FakeClock, ServerThread, browser_client

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ORDERS = 3000
CURRENT = 120
# A Tuesday after the demo year, so the current orders fall in ordinary working days.
NOW = datetime(2024, 3, 5, 10, 0, tzinfo=LOCAL_TZ)
WARM_UP = 2
RUNS = 5
TARGET_MS = 300.0

MEASURED = [
    ("dispatcher1", "/work"),
    ("cgj_handler", "/work"),
    ("dispatcher1", "/cases"),
    ("cgj_handler", "/cases"),
    ("leader1", "/stats"),
    ("dispatcher1", "/cases/{busy}"),
]


class Site:
    """The demo-sized platform behind its own server, with one signed-in client per user."""

    def __init__(self, server: ServerThread, busy_case: int) -> None:
        self.server = server
        self.busy_case = busy_case
        self.clients: dict[str, httpx.Client] = {}

    def client(self, username: str) -> httpx.Client:
        if username not in self.clients:
            http = browser_client(self.server.url, timeout=60)
            response = http.post("/login", data={"username": username, "password": PASSWORD})
            assert response.status_code == 303, response.text
            assert http.cookies, "login set no cookie"
            self.clients[username] = http
        return self.clients[username]


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    path: Path = tmp_path_factory.mktemp("demo-db") / "fazhi-demo.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    platform = Platform(
        settings=Settings(database_url=url),
        engine=engine,
        sessions=session_factory(engine),
        types=default_case_types(),
        clock=FakeClock(NOW),
    )
    with transaction(platform.sessions) as session:
        load_org_into(session, load_demo_org())
    started = time.perf_counter()
    made, recent = generate(platform.sessions, platform, ORDERS, current=CURRENT)
    took = time.perf_counter() - started
    print(f"\n[timings] generated {made} + {recent} demo orders in {took:.1f} s", flush=True)
    assert made == ORDERS and recent == CURRENT
    # The order with the longest history, for the case page.
    with platform.engine.connect() as conn:
        busy = conn.execute(
            text("SELECT case_id FROM events GROUP BY case_id ORDER BY count(*) DESC LIMIT 1")
        ).scalar_one()
    server = ServerThread(create_app(platform))
    server.start()
    site = Site(server, int(busy))
    yield site
    for http in site.clients.values():
        http.close()
    server.stop()
    engine.dispose()


@pytest.mark.parametrize(("username", "path"), MEASURED, ids=[f"{u}{p}" for u, p in MEASURED])
def test_console_pages_answer_within_target(demo_site: Site, username: str, path: str) -> None:
    http = demo_site.client(username)
    target = path.format(busy=demo_site.busy_case)
    first = http.get(target)
    assert first.status_code == 200, f"{target}: {first.status_code}"
    if path in ("/work", "/cases"):
        assert "data-case-id" in first.text, f"{target} listed no orders: nothing measured"
    for _ in range(WARM_UP - 1):
        http.get(target)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = http.get(target)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    median, worst = statistics.median(times), max(times)
    label = f"{target} as {username}"
    TIMINGS.append((label, median, worst))
    print(f"\n[timings] {label}: median {median:.1f} ms, max {worst:.1f} ms", flush=True)
    assert median < TARGET_MS, f"{label}: median {median:.1f} ms ≥ {TARGET_MS} ms ({times})"
