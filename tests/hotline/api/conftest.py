"""The hotline's API suites reuse the API suite's long-lived logins and the hotline `Desk`."""

from __future__ import annotations

from tests.api.conftest import Login, _api_clients, desk, login  # noqa: F401  (fixtures)
