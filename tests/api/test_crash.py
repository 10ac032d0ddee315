"""Nothing acknowledged is lost: the real server (`fazhi serve`, a process of its own) is
killed with SIGKILL at random moments while several clients register orders, and restarted
each time. Afterwards every order answered 201 is stored with its first event, every chain
verifies and the rollup counters agree with a rebuild from the events.

SQLite and PostgreSQL alike (the PostgreSQL run gives the server a database of its own)."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.platform import Platform
from fazhi.actions.rollups import do_rebuild_rollups
from fazhi.store.audit import verify_all
from fazhi.store.models import Case, Event, RollupDaily
from tests.support import TLS, free_port

KILLS = 4
CLIENTS = 4
ORDER = {
    "request_kind": "complaint",
    "category": "CITY_APPEARANCE",
    "content": "小区门口流动摊贩占道经营（崩溃测试合成数据）",
}


@pytest.fixture
def parent(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """server_zygote.py, started first so that it imports the platform while the database
    is being built."""
    log = tmp_path / "server.log"
    with log.open("ab") as errors:
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("server_zygote.py"))],
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    yield process, log
    process.kill()
    process.wait(timeout=10)


class Server:
    """`fazhi serve` on loopback, a child process of its own forked by server_zygote.py."""

    def __init__(self, url: str, parent: subprocess.Popen[str]) -> None:
        self.port = free_port()
        self.database_url = url
        self.zygote = parent
        self.pid = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        assert self.zygote.stdin is not None and self.zygote.stdout is not None
        self.zygote.stdin.write(f"{self.port} {self.database_url}\n")
        self.zygote.stdin.flush()
        self.pid = int(self.zygote.stdout.readline())
        deadline = time.monotonic() + 90  # the first start imports the platform
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1, verify=TLS).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise AssertionError("the server did not start (see server.log)")

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while _alive(self.pid) and time.monotonic() < deadline:
            time.sleep(0.01)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_every_acknowledged_order_survives_repeated_sigkills(
    parent: tuple[subprocess.Popen[str], Path], organised: Platform
) -> None:
    platform = organised
    server = Server(platform.settings.database_url, parent[0])
    server.start()
    token = httpx.post(
        f"{server.url}/api/v1/auth/token",
        json={"username": "operator1", "password": "fazhi2023"},
        timeout=30,
        verify=TLS,
    ).json()["access_token"]

    acknowledged: list[int] = []
    failures: list[str] = []
    stop = threading.Event()

    def intake() -> None:
        headers = {"authorization": f"Bearer {token}"}
        while not stop.is_set():
            try:
                answer = httpx.post(
                    f"{server.url}/api/v1/cases",
                    json={"type": "hotline", "fields": ORDER},
                    headers=headers,
                    timeout=10,
                    verify=TLS,
                )
            except httpx.TransportError:  # the server is down: try again shortly
                time.sleep(0.02)
                continue
            if answer.status_code == 201:
                acknowledged.append(answer.json()["id"])
            else:
                failures.append(f"{answer.status_code} {answer.text[:200]}")

    threads = [threading.Thread(target=intake) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    chance = random.Random(9)
    try:
        for _ in range(KILLS):
            seen = len(acknowledged)
            deadline = time.monotonic() + chance.uniform(0.4, 1.5)
            while time.monotonic() < deadline or len(acknowledged) < seen + 5:
                time.sleep(0.01)
            server.kill()
            server.start()
        time.sleep(0.3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        server.kill()

    assert failures == []
    assert len(acknowledged) > KILLS * 5
    with platform.sessions() as session:
        stored = set(session.scalars(select(Case.id).where(Case.id.in_(acknowledged))))
        registered = set(
            session.scalars(
                select(Event.case_id).where(
                    Event.case_id.in_(acknowledged), Event.seq == 1, Event.action == "register"
                )
            )
        )
        assert set(acknowledged) - stored == set(), "acknowledged orders lost"
        assert registered == stored
        audit = verify_all(session, platform.secret)
        assert audit.ok, audit.breaks[:5]

        counted = _rollups(session)
        do_rebuild_rollups(session, platform)  # in this transaction only: rolled back below
        assert _rollups(session) == counted
        session.rollback()


def _rollups(session: Session) -> list[tuple[object, ...]]:
    rows = session.execute(
        select(
            RollupDaily.region_code,
            RollupDaily.day,
            RollupDaily.case_type,
            RollupDaily.lead_unit_id,
            RollupDaily.category,
            RollupDaily.grid_id,
            RollupDaily.metric,
            RollupDaily.value,
        ).where(RollupDaily.value != 0)
    )
    return sorted(tuple(r) for r in rows)
