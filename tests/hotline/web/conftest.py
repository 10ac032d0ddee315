"""The hotline's page suites reuse the console suite's signed-in clients."""

from __future__ import annotations

from tests.web.conftest import Console, console  # noqa: F401  (fixtures)
