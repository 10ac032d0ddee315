"""The tables. Case tables are written only by `fazhi.actions` (one door for every change)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql import false, text, true

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: the same on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("region_code", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6), index=True)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(String(400), index=True)
    depth: Mapped[int] = mapped_column(Integer)
    categories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    polygon: Mapped[list[Any] | None] = mapped_column(JSON)
    address_hints: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    # The primary role: listed first and choosing the landing page. Every role the user
    # holds, the primary included, has a row in user_roles.
    role: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # TOTP second factor (actions.totp): the secret sealed with the server secret; active
    # once confirmed with a code; the last time step used, so a code is not accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(200), nullable=True)
    totp_active: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)


class UserRole(Base):
    """The roles a user holds (the primary one, users.role, among them)."""

    __tablename__ = "user_roles"
    __table_args__ = (Index("ix_user_roles_role", "role", "user_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginFailure(Base):
    """One failed sign-in, counted by the throttle per account and per address (kept in
    the database so every server process sees the same counts)."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))


class LoginLock(Base):
    """An account name's sign-in lock: refused until `locked_until`; failures before
    `counted_from` (the last lock, unlock or success) no longer count towards the next."""

    __tablename__ = "login_locks"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    counted_from: Mapped[datetime] = mapped_column(UTCDateTime())


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("region_code", "external_source", "external_id", name="uq_cases_external"),
        Index("ix_cases_worklist", "region_code", "type", "state", "due_at"),
        Index("ix_cases_lead_state", "lead_unit_id", "state"),
        Index("ix_cases_region_created", "region_code", "created_at"),
        Index("ix_cases_category", "region_code", "category", "created_at"),
        Index("ix_cases_region_closed", "region_code", "closed_at"),
        Index("ix_cases_contact", "region_code", "type", "contact_key", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    type: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(40))
    terminal: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(40))
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    marks: Mapped[list[Any]] = mapped_column(JSON, default=list)
    open_to_units: Mapped[bool] = mapped_column(Boolean, default=False)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    external_source: Mapped[str | None] = mapped_column(String(40))
    external_id: Mapped[str | None] = mapped_column(String(100))
    # A one-way key of the citizen's phone (never the number itself), for types that declare
    # `repeat_calls:`, so "has this caller called about a case of this type within the
    # window" is an index lookup; repeat_call records the answer.
    contact_key: Mapped[str | None] = mapped_column(String(32))
    repeat_call: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class CaseUnit(Base):
    """Units that hold a case now (lead, assisting) or held it before (former)."""

    __tablename__ = "case_units"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(12))
    since: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseAccess(Base):
    """Which units may see a case: every ancestor of every unit ever involved.

    Visibility then is an exact-match lookup on the viewer's unit, fast on both databases.
    """

    __tablename__ = "case_access"
    __table_args__ = (Index("ix_case_access_unit", "unit_id", "case_id"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)


class Clock(Base):
    __tablename__ = "clocks"
    __table_args__ = (Index("ix_clocks_case", "case_id", "stopped_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    name: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(100))
    basis: Mapped[str] = mapped_column(Text)
    limit: Mapped[str] = mapped_column(String(20))
    start_action: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    extended: Mapped[int] = mapped_column(Integer, default=0)
    # 中止 / 恢复: while suspended, `remaining` is what is left of the limit in its own unit
    # ("7wd", "5400s"); after a resumption it is the limit counted from `resumed_at`.
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    remaining: Mapped[str | None] = mapped_column(String(20))
    resumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The number of a repeating clock's window (a daily check-in), from 1.
    window: Mapped[int | None] = mapped_column(Integer)


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("case_id", "seq", name="uq_events_case_seq"),
        Index("ix_events_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[dict[str, Any]] = mapped_column(JSON)
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # How the hash seals the content (fazhi.domain.seal): 0 plain (events before the keyed
    # seal), 1 personal values through HMAC at the `sealed` paths, 2 plain but anonymised,
    # vouched for by `witness`.
    seal: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sealed: Mapped[list[Any] | None] = mapped_column(JSON)
    witness: Mapped[str | None] = mapped_column(String(64))


class Document(Base):
    """A document of a case file: a file, data (the kind's fields), or both.

    Never edited in place (written by `fazhi.actions.documents`): a new version is a new
    row with `replaces_id`, and the replaced or withdrawn row turns inactive.
    """

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_case_kind_active", "case_id", "kind", "active"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    # The file, when there is one (a data-only document has none).
    filename: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdraw_reason: Mapped[str | None] = mapped_column(Text)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


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


class DocumentBlob(Base):
    """Document bytes, kept in the database so an upload and its event commit together."""

    __tablename__ = "document_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


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
    status: Mapped[str] = mapped_column(String(12))  # pending | sent | failed | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Reminders are enqueued once per clock and kind: a repeated scan adds nothing.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)


class ApiKey(Base):
    """A key issued to an outside system (an Open311 client, another platform); only its
    SHA-256 is stored. Requests made with it act as `acting_user_id`."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(String(40))  # open311 | transfer
    acting_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


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


class DutyRule(Base):
    """One line of the duty list (职责清单): requests of `category` arising in `area_unit_id`
    (a street or community; NULL = the whole district) are led by `unit_id`.

    Never edited in place: a change retires the row (`retired_at`, `retired_by`, `active`
    false) and inserts a new one, so the rows of a category are its history. Without an
    active rule the category's district default (`Unit.categories`) applies.
    """

    __tablename__ = "duty_rules"
    __table_args__ = (Index("ix_duty_rules_region_category", "region_code", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    category: Mapped[str] = mapped_column(String(40))
    area_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retired_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class GazetteerEntry(Base):
    """A place name an admin added to the gazetteer (an estate, road, building, landmark):
    an address naming it is placed in `community_id`, and on `grid_id` when given."""

    __tablename__ = "gazetteer_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6), index=True)
    name: Mapped[str] = mapped_column(String(100))
    community_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ScheduleRun(Base):
    """When each scheduled rule of a type last ran in a region (`fazhi schedule run`), so a
    timer that fires more often than the rule's period runs it once per period."""

    __tablename__ = "schedule_runs"

    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    case_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    schedule: Mapped[str] = mapped_column(String(40), primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CaseLink(Base):
    """A `case_link` field of one case pointing to another (a mediation → the work order it
    was opened from). Kept by `fazhi.actions.links.sync_links` in the transaction of the
    event that set the field; the primary key reads a case's outgoing links, the second
    index its incoming ones."""

    __tablename__ = "case_links"
    __table_args__ = (Index("ix_case_links_to", "to_case_id", "from_case_id"),)

    from_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    to_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)


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
