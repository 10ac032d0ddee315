"""Cases and what hangs on them: units, access, clocks, events, documents and their blobs, links."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import false, text, true

from fazhi.store.models.base import Base, UTCDateTime


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
        # The open cases only (issue 15): work queues read these, and their number is the
        # work in hand, not the years of history. The predicate is the queries' own
        # `terminal IS false` as each dialect writes it, so both planners can prove it.
        Index(
            "ix_cases_open",
            "region_code",
            "type",
            "due_at",
            sqlite_where=text("terminal IS 0"),
            postgresql_where=text("terminal IS false"),
        ),
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
    # The case's region, so every statement names it (docs/scaling.md).
    region_code: Mapped[str] = mapped_column(String(6))
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
    # The case's region, so every statement names it (docs/scaling.md).
    region_code: Mapped[str] = mapped_column(String(6))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)


class Clock(Base):
    __tablename__ = "clocks"
    __table_args__ = (Index("ix_clocks_case", "case_id", "stopped_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    # The case's region, so every statement names it (docs/scaling.md).
    region_code: Mapped[str] = mapped_column(String(6))
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
    # The case's region, so every statement names it (docs/scaling.md).
    region_code: Mapped[str] = mapped_column(String(6))
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
    # The case's region, so every statement names it (docs/scaling.md).
    region_code: Mapped[str] = mapped_column(String(6))
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


class DocumentBlob(Base):
    """Document bytes, kept in the database so an upload and its event commit together."""

    __tablename__ = "document_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class CaseLink(Base):
    """A `case_link` field of one case pointing to another (a mediation → the work order it
    was opened from). Kept by `fazhi.actions.links.sync_links` in the transaction of the
    event that set the field; the primary key reads a case's outgoing links, the second
    index its incoming ones."""

    __tablename__ = "case_links"
    __table_args__ = (Index("ix_case_links_to", "to_case_id", "from_case_id"),)

    from_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    # The case's region, so every statement names it (docs/scaling.md).
    region_code: Mapped[str] = mapped_column(String(6))
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    to_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
