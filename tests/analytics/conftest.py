"""The analytics suites reuse the API suite's long-lived logins."""

from __future__ import annotations

from tests.api.conftest import Login, _api_clients, login  # noqa: F401  (fixtures)
