"""The hotline's page suites reuse the console suite's signed-in clients."""

from __future__ import annotations

from tests.api.conftest import _api_clients, desk, login  # noqa: F401  (fixtures)
from tests.web.conftest import Console, console  # noqa: F401  (fixtures)
