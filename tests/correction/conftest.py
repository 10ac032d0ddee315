"""The correction suites reuse the API suite's logins and the console clients, on a database
and server of each test module's own: the scheduler's runs tick every open subject of the
region, and subjects other modules left behind (their clocks days or months stale) would
make every run catch up on them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete

from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import ScheduleRun
from tests.api.conftest import Login, login  # noqa: F401  (fixtures)
from tests.databases import organised_platform
from tests.support import ApiClient, FakeClock, ServerThread, serving
from tests.web.conftest import Console, console  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory, clock: FakeClock) -> Iterator[Platform]:
    """The demo organisation in a database of the module's own."""
    with organised_platform(tmp_path_factory.mktemp("correction"), "correction", clock) as p:
        yield p


@pytest.fixture(scope="module")
def server(platform: Platform) -> Iterator[ServerThread]:
    with serving(platform) as thread:
        yield thread


@pytest.fixture(scope="module")
def _api_clients(server: ServerThread) -> Iterator[dict[str, ApiClient]]:
    clients: dict[str, ApiClient] = {}
    yield clients
    for client in clients.values():
        client.http.close()


@pytest.fixture
def fresh_schedule(platform: Platform) -> Iterator[None]:
    """The anomaly rule runs at the test's instants whatever earlier runs recorded."""

    def clear() -> None:
        with transaction(platform.sessions) as session:
            session.execute(
                delete(ScheduleRun).where(ScheduleRun.case_type == "community_correction")
            )

    clear()
    yield
    clear()
