"""Fixtures for the HTTP API suite.

`login` here replaces the shared one for tests/api only. The shared one mints each user's token
at the FakeClock's current time, so a token minted at the default 2023-06-01 09:00 expires at
21:00 the same day and every test that moves the clock later (across 国庆, or days ahead to make
a clock overdue) would get 401 session_expired. Here tokens are minted with the clock briefly set
to a far-future moment, so one token per user is valid at every time the suite uses; the token
expiry rule itself is tested in test_auth.py with its own, freshly minted token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import httpx
import pytest

from fazhi.domain.durations import LOCAL_TZ
from tests.api.flows import Desk
from tests.support import TLS, ApiClient, FakeClock, ServerThread

PASSWORD = "fazhi2023"
TOKEN_MINT_TIME = datetime(2099, 1, 1, 9, 0, tzinfo=LOCAL_TZ)

Login = Callable[[str], ApiClient]


@pytest.fixture(scope="session")
def _api_clients(server: ServerThread, clock: FakeClock) -> Iterator[dict[str, ApiClient]]:
    """One client per demo user for the whole session (an httpx.Client is costly to make)."""
    clients: dict[str, ApiClient] = {}
    yield clients
    for client in clients.values():
        client.http.close()


@pytest.fixture
def login(server: ServerThread, clock: FakeClock, _api_clients: dict[str, ApiClient]) -> Login:
    """login("operator1") → an ApiClient for that demo user, valid at any test time."""

    def make(username: str) -> ApiClient:
        if username not in _api_clients:
            saved = clock.moment
            clock.set(TOKEN_MINT_TIME)
            try:
                response = httpx.post(
                    f"{server.url}/api/v1/auth/token",
                    json={"username": username, "password": PASSWORD},
                    verify=TLS,
                )
            finally:
                clock.moment = saved
            assert response.status_code == 200, response.text
            body = response.json()
            http = httpx.Client(
                base_url=server.url,
                timeout=30,
                headers={"authorization": f"Bearer {body['access_token']}"},
                verify=TLS,
            )
            _api_clients[username] = ApiClient(http, username, dict(body["user"]))
        return _api_clients[username]

    return make


@pytest.fixture
def desk(login: Login) -> Desk:
    """The cast of the hotline loop, each logged in, with steps that bring orders to a state."""
    return Desk(login)
