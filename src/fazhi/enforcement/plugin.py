"""What administrative enforcement adds to the platform (for `fazhi.bootstrap`): for now,
the machine case-file review command (`fazhi review`)."""

from __future__ import annotations

from typing import Any

from fazhi.enforcement import cli

NAME = "enforcement"


def register_cli(app: Any) -> None:
    cli.register(app)
