"""The Open311 suite reuses the API suite's long-lived logins and the hotline `Desk`."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from fazhi.actions.api_keys import issue_key
from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from tests.api.conftest import _api_clients, desk, login  # noqa: F401  (fixtures)
from tests.support import TLS, ServerThread

IssueKey = Callable[..., str]


@pytest.fixture
def issue(platform: Platform) -> IssueKey:
    """issue("open311") → a fresh key of that purpose (the shown-once secret)."""

    def make(purpose: str = "open311") -> str:
        with transaction(platform.sessions) as session:
            name = f"t-{uuid.uuid4().hex[:10]}"
            return issue_key(session, platform, name, purpose, platform.now()).key

    return make


@pytest.fixture
def api_key(issue: IssueKey) -> str:
    return issue("open311")


@pytest.fixture
def base(server: ServerThread) -> str:
    return server.url + "/open311/v2/"


@pytest.fixture
def http(base: str) -> Iterator[httpx.Client]:
    """An HTTP client on the Open311 base address."""
    with httpx.Client(base_url=base, timeout=30, verify=TLS) as client:
        yield client
