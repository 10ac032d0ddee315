"""Console test fixtures shared by the page suites."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.support import ServerThread, browser_client

PASSWORD = "fazhi2023"
Console = Callable[[str], httpx.Client]


@pytest.fixture
def console(server: ServerThread) -> Iterator[Console]:
    """console("operator1") → an httpx client signed in to the console (session cookie)."""
    clients: list[httpx.Client] = []

    def make(username: str) -> httpx.Client:
        http = browser_client(server.url)
        clients.append(http)
        response = http.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 303, response.text
        return http

    yield make
    for http in clients:
        http.close()
