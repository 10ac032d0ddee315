"""Test support: an adjustable clock, a real HTTP server on loopback and an API client."""

from __future__ import annotations

import io
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import docx
import httpx
import uvicorn

from fazhi.actions.platform import Platform
from fazhi.bootstrap import create_app
from fazhi.domain.durations import LOCAL_TZ

# One TLS context for every test client: httpx otherwise builds one per client, loading the
# CA bundle each time (about 20 ms of CPU), which over the suite's thousands of clients
# was minutes (the servers under test are plain HTTP on loopback; the context is unused).
TLS = ssl.create_default_context()


class FakeClock:
    """The time the platform sees; tests set and advance it."""

    def __init__(self, start: datetime) -> None:
        self.moment = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.moment

    def set(self, moment: datetime | str) -> None:
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=LOCAL_TZ)
        self.moment = moment.astimezone(UTC)

    def advance(self, **kwargs: float) -> None:
        self.moment += timedelta(**kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerThread:
    """uvicorn serving the app on loopback in a thread: real HTTP, real sockets."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@contextmanager
def serving(platform: Platform) -> Iterator[ServerThread]:
    """The platform's app served on loopback for the length of the block."""
    thread = ServerThread(create_app(platform))
    thread.start()
    try:
        yield thread
    finally:
        thread.stop()


CSRF_INPUT = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


class _OpenedClient(httpx.Client):
    """A client already used (so already open) that may still head a `with` block."""

    def __enter__(self) -> _OpenedClient:
        return self


def browser_client(base_url: str, **kwargs: Any) -> httpx.Client:
    """An httpx client that behaves like the console's browser: it opened the login page
    first, so it holds the form-token cookie, and sends that page's token (X-CSRF-Token, as
    htmx does) with every request."""
    kwargs.setdefault("follow_redirects", False)
    kwargs.setdefault("timeout", 30)
    kwargs.setdefault("verify", TLS)
    http = _OpenedClient(base_url=base_url, **kwargs)
    page = http.get("/login")
    found = CSRF_INPUT.search(page.text)
    http.headers["X-CSRF-Token"] = found.group(1) if found else ""
    return http


@dataclass
class ApiClient:
    """An authenticated client for one demo user."""

    http: httpx.Client
    username: str
    user: dict[str, Any] = field(default_factory=dict)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.post(path, **kwargs)

    def register(self, **fields: Any) -> dict[str, Any]:
        """Register a hotline order with sensible synthetic defaults; assert success."""
        body = {
            "request_kind": "complaint",
            "category": "CITY_APPEARANCE",
            "content": "小区门口流动摊贩占道经营（测试合成数据）",
            "caller_name": "测试甲",
            "caller_phone": "17000001234",
        }
        body.update(fields)
        response = self.post("/api/v1/cases", json={"type": "hotline", "fields": body})
        assert response.status_code == 201, response.text
        return dict(response.json())

    def act(self, case_id: int, action: str, expect: int = 200, **inputs: Any) -> dict[str, Any]:
        response = self.post(f"/api/v1/cases/{case_id}/actions/{action}", json={"inputs": inputs})
        assert response.status_code == expect, f"{action}: {response.text}"
        return dict(response.json())

    def case(self, case_id: int) -> httpx.Response:
        return self.get(f"/api/v1/cases/{case_id}")


def at(clock: FakeClock, day: str, hour: int = 9, minute: int = 0) -> None:
    """Set `clock` to `day` (YYYY-MM-DD) at hour:minute local time."""
    clock.set(datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=LOCAL_TZ))


def clocks_by_name(client: ApiClient, case_id: int) -> dict[str, dict[str, Any]]:
    """The case's clocks by name (the newest of each name)."""
    return {c["name"]: c for c in client.case(case_id).json()["clocks"]}


def file_paper(client: ApiClient, case_id: int, kind: str, **data: Any) -> dict[str, Any]:
    """File a paper of `kind` with its data over the API; assert it was taken."""
    response = client.post(f"/api/v1/cases/{case_id}/documents", json={"kind": kind, "data": data})
    assert response.status_code == 201, response.text
    return dict(response.json())


def generated_text(client: ApiClient, case_id: int, kind: str, **data: Any) -> str:
    """Generate the kind's paper from its .docx template over the API; its text."""
    response = client.post(
        f"/api/v1/cases/{case_id}/documents/generate", json={"kind": kind, "data": data}
    )
    assert response.status_code == 201, response.text
    content = client.get(response.json()["file_url"]).content
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
