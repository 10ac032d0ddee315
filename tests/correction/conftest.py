"""The correction suites reuse the API suite's long-lived logins and the console clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete

from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import ScheduleRun
from tests.api.conftest import Login, _api_clients, login  # noqa: F401  (fixtures)
from tests.web.conftest import Console, console  # noqa: F401  (fixtures)


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
