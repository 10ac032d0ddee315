"""The platform around the cases: the calendar, the admin log, clock settings, the outbox,
rollups, schedule runs and the chain anchors."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fazhi.store.models.base import Base, UTCDateTime


class CalendarDay(Base):
    """Admin-editable overrides of the holiday calendar (a holiday or a make-up workday)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(200))


class CalendarYear(Base):
    """Years whose arrangement an admin imported; they become known to the calendar."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AdminLog(Base):
    """One row per change made in 系统管理 (users, units, duty mapping, deadlines, calendar).

    Append-only: the code only ever inserts, and migration 0002 adds database triggers that
    refuse UPDATE and DELETE on both SQLite and PostgreSQL.
    """

    __tablename__ = "admin_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ClockSetting(Base):
    """A deployment's override of one clock's limits (the type files hold the defaults).

    `default_limit` None keeps the file's default; `values` maps a value of the clock's
    `by` field to a limit string, or to None to drop the file's limit for that value (it then
    falls back to the default); `action_limits` overrides `limit_on`. `basis_note` replaces
    the clock's stated basis when not empty.
    """

    __tablename__ = "clock_settings"

    type: Mapped[str] = mapped_column(String(40), primary_key=True)
    clock: Mapped[str] = mapped_column(String(40), primary_key=True)
    default_limit: Mapped[str | None] = mapped_column(String(20))
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    action_limits: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    basis_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class OutboxMessage(Base):
    """A notification waiting to be sent, written in the same transaction as the change that
    caused it, so nothing is lost if a sender is down; delivery retries with backoff."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    event_seq: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(20))  # sms | email | internal
    topic: Mapped[str] = mapped_column(String(40))  # reply | closed | due_soon | overdue | ...
    recipient: Mapped[str] = mapped_column(String(200))
    recipient_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))  # pending | sending | sent | failed | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Reminders are enqueued once per clock and kind: a repeated scan adds nothing.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # The dispatcher that claimed the message ("sending"; notifications.dispatch): only it
    # may record the outcome, and another takes it over only once its lease ran out.
    claimed_by: Mapped[str | None] = mapped_column(String(64))


class CacheVersion(Base):
    """A counter per kind of setting that server processes keep in memory (units, calendar,
    clock settings): a change bumps it in its own transaction, and every process compares it
    at the start of each transaction and reloads what changed (actions.platform)."""

    __tablename__ = "cache_versions"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class Lease(Base):
    """A named task that one background worker at a time may run (the scheduler): held by
    `holder` until `expires_at`, renewed while it runs, taken over once it lapses."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RollupDaily(Base):
    """Counts kept current by the actions (DESIGN §6): one row per local day × case type ×
    lead unit × category × grid × metric, incremented in the transaction of the event that
    counts. Dashboards sum these rows over a period instead of scanning cases or events.

    "None" is stored as 0 (unit, grid) or '' (category) so the dimension tuple is unique on
    both databases (NULLs never conflict). `fazhi analytics rebuild` recomputes the table
    from the events.
    """

    __tablename__ = "rollup_daily"
    __table_args__ = (
        UniqueConstraint(
            "region_code",
            "day",
            "case_type",
            "lead_unit_id",
            "category",
            "grid_id",
            "metric",
            name="uq_rollup_daily_cell",
        ),
        Index("ix_rollup_daily_metric_day", "region_code", "metric", "day"),
        Index("ix_rollup_daily_unit_day", "lead_unit_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    day: Mapped[date] = mapped_column(Date)
    case_type: Mapped[str] = mapped_column(String(40))
    lead_unit_id: Mapped[int] = mapped_column(Integer, default=0)
    category: Mapped[str] = mapped_column(String(40), default="")
    grid_id: Mapped[int] = mapped_column(Integer, default=0)
    metric: Mapped[str] = mapped_column(String(64))
    value: Mapped[int] = mapped_column(Integer, default=0)


class ScheduleRun(Base):
    """When each scheduled rule of a type last ran in a region (`fazhi schedule run`), so a
    timer that fires more often than the rule's period runs it once per period."""

    __tablename__ = "schedule_runs"

    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    case_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    schedule: Mapped[str] = mapped_column(String(40), primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChainAnchor(Base):
    """A signed digest of every case's chain head (`fazhi.store.anchors`): deleting a whole
    case or cutting a chain short after it is found by `fazhi audit verify`."""

    __tablename__ = "chain_anchors"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    cases: Mapped[int] = mapped_column(Integer)
    events: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(64))


class AnchorHead(Base):
    """One case's head as an anchor saw it (kept for the latest anchors only)."""

    __tablename__ = "anchor_heads"

    anchor_id: Mapped[int] = mapped_column(ForeignKey("chain_anchors.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
