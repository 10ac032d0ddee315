"""The `fazhi` command (console script `fazhi.cli:app`). The database comes from
FAZHI_DATABASE_URL (default var/fazhi.db).

The engine's commands live by area in this package; each type package adds its own
(`register_cli`, e.g. the hotline's import, transfer and route commands)."""

from __future__ import annotations

from fazhi.bootstrap import TYPE_PACKAGES
from fazhi.cli import (
    analytics,
    backup,
    calendar,
    indicators,
    records,
    retention,
    schedule,
    setup,
    shards,
    trail,
    worker,
)
from fazhi.cli.app import app

__all__ = [
    "analytics",
    "app",
    "backup",
    "calendar",
    "indicators",
    "records",
    "retention",
    "schedule",
    "setup",
    "shards",
    "trail",
    "worker",
]

for _package in TYPE_PACKAGES:
    _register = getattr(_package, "register_cli", None)
    if _register is not None:
        _register(app)

if __name__ == "__main__":
    app()
