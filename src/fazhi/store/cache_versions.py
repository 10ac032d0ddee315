"""Counters that tell server processes when to reload what they keep in memory.

Each process keeps the unit directory, the work calendar and the clock settings in memory
(actions.platform). A change to one of them bumps its counter in the change's own
transaction; every process reads the counters at the start of each transaction (one small
table, three rows by primary key) and reloads what moved. So a second `fazhi serve` worker,
the background worker or a CLI command sees an admin's change at its very next transaction,
and a rolled-back change bumps nothing.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fazhi.store.models import CacheVersion

Kind = Literal["units", "calendar", "clocks"]
KINDS: tuple[Kind, ...] = ("units", "calendar", "clocks")

_READ = select(CacheVersion.name, CacheVersion.version)


def read_versions(connection: Connection) -> dict[str, int]:
    return {name: version for name, version in connection.execute(_READ)}


def bump(session: Session, kind: Kind) -> None:
    """Count one change of `kind` in the caller's transaction (other processes reload it
    once this commits). The row is created if a database built without the migration's
    rows lacks it."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(CacheVersion).values(name=kind, version=0).on_conflict_do_nothing())
    session.execute(
        update(CacheVersion)
        .where(CacheVersion.name == kind)
        .values(version=CacheVersion.version + 1)
    )
