"""Issue 9, finding 1: uploads of 1–20 MB from several clients, through the console and the
API, while other clients register and dispatch cases, against a real server process on
SQLite. /healthz stays fast, every write completes, and SIGTERM stops the server promptly.

Before the fix the loop took the write lock itself (group commit, async pages), so a worker
thread holding it while writing a large file froze every request, and the server hung."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import fazhi
from fazhi.actions.platform import Platform
from tests.support import TLS, browser_client, free_port

PASSWORD = "fazhi2023"
MB = 1024 * 1024
# Sizes per uploading client: 1–20 MB (the limit is 20 MiB).
CONSOLE_SIZES = [(1 * MB, 12 * MB), (20 * MB - 4096, 3 * MB), (6 * MB, 2 * MB)]
API_SIZES = [(16 * MB, 1 * MB), (8 * MB, 10 * MB)]
DEADLINE = 40.0  # seconds for the whole load: a hang shows as clients still running

SERVER = """
import sys, uvicorn
from fazhi.actions.platform import Platform
from fazhi.bootstrap import create_app
from fazhi.settings import Settings
app = create_app(Platform.create(Settings(database_url=sys.argv[1])))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def _copy(platform: Platform, target: Path) -> str:
    """A copy of the suite's database (demo organisation loaded): no passwords to hash."""
    source = platform.settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return f"sqlite:///{target}"


# The group commit and its write lock are SQLite's; the server runs on a copy of the file.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def server(tmp_path: Path, platform: Platform) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    url = _copy(platform, tmp_path / "stall.db")
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(fazhi.__file__).resolve().parents[1]),
        "FAZHI_SECRET_FILE": str(tmp_path / "secret.key"),
        "FAZHI_MODELS_DIR": str(tmp_path / "models"),
    }
    proc = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a loaded machine imports slowly
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1, verify=TLS).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
        time.sleep(0.1)
    try:
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _token(base: str, username: str) -> str:
    body = {"username": username, "password": PASSWORD}
    response = httpx.post(f"{base}/api/v1/auth/token", json=body, timeout=10, verify=TLS)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _console(base: str, username: str) -> httpx.Client:
    http = browser_client(base, timeout=DEADLINE)
    form = {"username": username, "password": PASSWORD}
    assert http.post("/login", data=form).status_code == 303
    return http


def _api(base: str, username: str) -> httpx.Client:
    headers = {"authorization": f"Bearer {_token(base, username)}"}
    return httpx.Client(base_url=base, headers=headers, timeout=DEADLINE, verify=TLS)


def _register(api: httpx.Client, n: int) -> int:
    fields = {
        "request_kind": "complaint",
        "category": "CITY_APPEARANCE",
        "content": f"小区门口流动摊贩占道经营（压力测试合成数据 {n}）",
        "caller_name": "测试甲",
        "caller_phone": "17000001234",
    }
    response = api.post("/api/v1/cases", json={"type": "hotline", "fields": fields})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _file(size: int, seed: int) -> bytes:
    return b"%PDF-1.4\n" + bytes([seed % 251]) * (size - 9)


def test_uploads_under_write_load_never_stall_the_server(
    server: tuple[str, subprocess.Popen[bytes]],
) -> None:
    base, proc = server
    operator = _api(base, "operator1")
    dispatcher = _api(base, "dispatcher1")
    case_ids = [_register(operator, n) for n in range(len(CONSOLE_SIZES) + len(API_SIZES))]
    consoles = [_console(base, "operator1") for _ in CONSOLE_SIZES]
    uploaders = [_api(base, "operator1") for _ in API_SIZES]
    done: list[str] = []
    failed: list[str] = []
    probes: list[float] = []
    stop = threading.Event()

    def console_uploads(i: int) -> None:
        for size in CONSOLE_SIZES[i]:
            files = {"file": ("scan.pdf", _file(size, i), "application/pdf")}
            response = consoles[i].post(
                f"/cases/{case_ids[i]}/documents", data={"kind": "other"}, files=files
            )
            (done if response.status_code == 303 else failed).append(f"console {response}")

    def api_uploads(i: int) -> None:
        case_id = case_ids[len(CONSOLE_SIZES) + i]
        for size in API_SIZES[i]:
            files = {"file": ("scan.pdf", _file(size, 7 + i), "application/pdf")}
            response = uploaders[i].post(
                f"/api/v1/cases/{case_id}/documents", data={"kind": "other"}, files=files
            )
            (done if response.status_code == 201 else failed).append(f"api {response}")

    def cases(i: int) -> None:
        for n in range(12):
            case_id = _register(operator, 1000 * (i + 1) + n)
            response = dispatcher.post(
                f"/api/v1/cases/{case_id}/actions/dispatch",
                json={"inputs": {"lead_unit": "SF-CGJ"}},
            )
            (done if response.status_code == 200 else failed).append(f"dispatch {response}")

    def probe() -> None:
        with httpx.Client(base_url=base, timeout=10, verify=TLS) as http:
            while not stop.is_set():
                start = time.perf_counter()
                with contextlib.suppress(httpx.HTTPError):
                    http.get("/healthz")
                probes.append(time.perf_counter() - start)
                time.sleep(0.02)

    workers = [
        *(threading.Thread(target=console_uploads, args=(i,)) for i in range(len(CONSOLE_SIZES))),
        *(threading.Thread(target=api_uploads, args=(i,)) for i in range(len(API_SIZES))),
        *(threading.Thread(target=cases, args=(i,)) for i in range(2)),
    ]
    for t in (*workers, prober := threading.Thread(target=probe)):
        t.daemon = True
        t.start()
    deadline = time.monotonic() + DEADLINE
    for t in workers:
        t.join(max(0.0, deadline - time.monotonic()))
    stop.set()
    prober.join(12)
    hung = sum(t.is_alive() for t in workers)

    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=8)
        stopped = True
    except subprocess.TimeoutExpired:
        stopped = False

    assert hung == 0, f"{hung} clients still waiting after {DEADLINE} s: the server hung"
    assert failed == []
    uploads = sum(len(s) for s in CONSOLE_SIZES) + sum(len(s) for s in API_SIZES)
    assert len(done) == uploads + 24
    probes.sort()
    p99 = probes[max(0, int(len(probes) * 0.99) - 1)]
    print(
        f"/healthz: {len(probes)} probes, p50 {probes[len(probes) // 2] * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms, max {probes[-1] * 1000:.1f} ms"
    )
    assert p99 < 0.5, f"/healthz p99 {p99 * 1000:.0f} ms under upload load"
    assert stopped, "SIGTERM did not stop the server within 8 s"
