"""The indicator suites reuse the API suite's long-lived logins and the console clients."""

from __future__ import annotations

from tests.api.conftest import Login, _api_clients, login  # noqa: F401  (fixtures)
from tests.web.conftest import Console, console  # noqa: F401  (fixtures)
