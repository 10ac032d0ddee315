"""`fazhi serve` as real processes on the test database: a setting changed through one
server process counts in another at its next request, and `--workers 2` answers keep-alive
requests without the delayed-ACK stall, sums /metrics over its workers, replaces a worker that
dies and stops cleanly."""

from __future__ import annotations

import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from fazhi.actions.calendar import remove_override
from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from tests.support import free_port

PASSWORD = "fazhi2023"
START_SECONDS = 180  # importing the platform on a loaded two-core machine
DAY = "2023-06-06"  # a Tuesday: the next working day after Monday 2023-06-05
FAZHI = [sys.executable, "-c", "from fazhi.cli import app; app()"]


def _wait(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server exited"
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


@contextmanager
def served(database_url: str, *ports_workers: tuple[int, int]) -> Iterator[list[int]]:
    """Server processes on the database, each `fazhi serve --port P --workers N`."""
    env = dict(os.environ, FAZHI_DATABASE_URL=database_url)
    env.pop("FAZHI_NOW", None)
    procs = [
        subprocess.Popen(
            [*FAZHI, "serve", "--port", str(port), "--workers", str(n)],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for port, n in ports_workers
    ]
    try:
        for (port, _), proc in zip(ports_workers, procs, strict=True):
            _wait(port, proc)
        yield [proc.pid for proc in procs]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)


class Client:
    """One keep-alive connection, signed in."""

    def __init__(self, port: int, username: str | None = "admin") -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers: dict[str, str] = {"content-type": "application/json"}
        if username:
            status, body = self.send(
                "POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD}
            )
            assert status == 200, body
            self.headers["authorization"] = f"Bearer {body['access_token']}"

    def send(self, method: str, path: str, body: object = None) -> tuple[int, dict[str, object]]:
        data = json.dumps(body).encode() if body is not None else None
        self.conn.request(method, path, data, self.headers)
        response = self.conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw.startswith(b"{") else {"text": raw}

    def text(self, path: str) -> str:
        self.conn.request("GET", path, headers=self.headers)
        response = self.conn.getresponse()
        assert response.status == 200
        return response.read().decode()

    def next_workday(self) -> str:
        status, body = self.send("GET", "/api/v1/calendar/add-workdays?date=2023-06-05&n=1")
        assert status == 200, body
        return str(body["due_date"])


def test_a_holiday_set_through_one_server_process_counts_at_once_in_the_other(
    platform: Platform, database_url: str
) -> None:
    ports = free_port(), free_port()
    try:
        with served(database_url, (ports[0], 1), (ports[1], 1)):
            a, b = Client(ports[0]), Client(ports[1])
            assert a.next_workday() == b.next_workday() == DAY  # both have the calendar cached
            status, body = a.send(
                "PUT",
                f"/api/v1/calendar/days/{DAY}",
                {"kind": "holiday", "name": "测试假日（合成）"},
            )
            assert status == 200, body
            assert b.next_workday() == "2023-06-07"
            status, body = b.send("DELETE", f"/api/v1/calendar/days/{DAY}")
            assert status == 200, body
            assert a.next_workday() == DAY
    finally:  # the session's database is shared: leave no holiday behind
        with platform.writing(), transaction(platform.sessions) as session:
            remove_override(session, date.fromisoformat(DAY))
        platform.forget_calendar()


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_two_workers_answer_keep_alive_requests_at_once_are_restarted_and_stop_on_sigterm(
    platform: Platform, database_url: str
) -> None:
    port = free_port()
    with served(database_url, (port, 2)) as (supervisor,):
        workers = _children(supervisor)
        assert len(workers) == 2
        clients = [Client(port, None) for _ in range(6)]
        times = []
        for client in clients:
            for _ in range(15):
                start = time.perf_counter()
                status, _ = client.send("GET", "/healthz")
                times.append(time.perf_counter() - start)
                assert status == 200
        # Without TCP_NODELAY each keep-alive response waits ~40 ms for the delayed ACK.
        assert statistics.median(times) < 0.015, statistics.median(times)

        metrics = Client(port, None).text("/metrics")
        counted = [
            line
            for line in metrics.splitlines()
            if line.startswith('fazhi_http_requests_total{method="GET",route="/healthz"')
        ]
        assert counted, metrics[:2000]
        # Summed over both workers, whichever answers the scrape (and the start-up probe).
        assert sum(float(line.split()[-1]) for line in counted) >= 6 * 15
        assert "fazhi_outbox_messages" in metrics and "fazhi_process_cpu_seconds" in metrics

        # A worker that dies is replaced, and the port keeps answering meanwhile.
        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            now = _children(supervisor)
            if len(now) == 2 and workers[0] not in now:
                break
            time.sleep(0.2)
        replaced = _children(supervisor)
        assert len(replaced) == 2 and workers[0] not in replaced and workers[1] in replaced
        for _ in range(10):
            assert Client(port, None).send("GET", "/healthz")[0] == 200
        workers = replaced

        os.kill(supervisor, signal.SIGTERM)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
            time.sleep(0.2)
        alive = [w for w in workers if Path(f"/proc/{w}/stat").exists()]
        # A zombie waiting for its parent's wait() has exited: state Z.
        assert all(Path(f"/proc/{w}/stat").read_text().split()[2] == "Z" for w in alive)


def test_two_server_processes_writing_at_once_lose_and_refuse_nothing(
    platform: Platform, database_url: str
) -> None:
    """On SQLite the processes share one file: each writer's BEGIN IMMEDIATE waits for the
    other's lock instead of failing (`database is locked`) on a stale snapshot."""
    ports = free_port(), free_port()
    each = 25
    with served(database_url, (ports[0], 1), (ports[1], 1)):
        clients = [Client(port, "operator1") for port in ports for _ in range(2)]
        statuses: list[int] = []
        ids: list[int] = []
        lock = threading.Lock()

        def register(client: Client, offset: int) -> None:
            for i in range(each):
                fields = {
                    "request_kind": "complaint",
                    "category": "CITY_APPEARANCE",
                    "channel": "phone",
                    "caller_name": "测试甲",
                    "caller_phone": "17000001234",
                    "content": f"两个服务进程同时登记（合成测试）第{offset + i}号",
                }
                body = {"type": "hotline", "fields": fields}
                status, answer = client.send("POST", "/api/v1/cases", body)
                with lock:
                    statuses.append(status)
                    if status == 201:
                        ids.append(int(answer["id"]))  # type: ignore[call-overload]

        threads = [
            threading.Thread(target=register, args=(c, n * each)) for n, c in enumerate(clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
    assert statuses == [201] * (len(clients) * each)
    assert len(set(ids)) == len(clients) * each
