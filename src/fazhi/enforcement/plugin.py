"""What administrative enforcement adds to the platform (for `fazhi.bootstrap`): the penalty
case's file over the API and the machine case-file review commands (`fazhi review`,
`fazhi case-file demo|export`). The penalty case type itself is data
(catalog/case_types/penalty_case.yaml)."""

from __future__ import annotations

from typing import Any

from fazhi.enforcement import api, cli

NAME = "enforcement"
API_ROUTERS = (api.router,)


def register_cli(app: Any) -> None:
    cli.register(app)
