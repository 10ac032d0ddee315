"""Leases: a named task that one process at a time may run (the background worker's
scheduler), taken with a conditional UPDATE so that it works alike on SQLite and PostgreSQL.

A lease is held until `expires_at`; its holder renews it by taking it again before then, and
anyone may take it once it has lapsed (its holder died or hangs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fazhi.store.models import Lease


def take_lease(session: Session, name: str, holder: str, now: datetime, until: datetime) -> bool:
    """Take or renew the lease `name` for `holder` until `until`; False if another holds it."""
    taken = session.execute(
        update(Lease)
        .where(Lease.name == name, or_(Lease.expires_at <= now, Lease.holder == holder))
        .values(holder=holder, expires_at=until)
    )
    if taken.rowcount:  # type: ignore[attr-defined]
        return True
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # RETURNING, not rowcount: psycopg reports no count for a conflict that did nothing.
    created = session.execute(
        insert(Lease)
        .values(name=name, holder=holder, expires_at=until)
        .on_conflict_do_nothing()
        .returning(Lease.name)
    )
    return created.scalar() is not None


def give_up_lease(session: Session, name: str, holder: str, now: datetime) -> None:
    """Let the lease lapse now, if `holder` still holds it (a worker stopping cleanly)."""
    session.execute(
        update(Lease).where(Lease.name == name, Lease.holder == holder).values(expires_at=now)
    )
