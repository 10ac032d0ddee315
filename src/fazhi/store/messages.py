"""Internal messages (站内消息): one row per recipient of an event's message, and each user's
read state.

A message is addressed to a unit (`unit:<code>`, read by the users of that unit) or to a
role of the region (`role:<name>`, read by every holder of the role: the hotline centre's
dispatchers, the supervisors). It is written in the same transaction as the event that
caused it (`fazhi.actions.notify`), so it exists exactly when its change does.

Read state is per user: a cursor ("everything up to this id is read", moved by 全部已读)
and one row per message read above it, so the unread count scans only what came after the
user's last 全部已读, through the (region, recipient, id) index."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from fazhi.domain.units import Actor
from fazhi.store.models import Base, UTCDateTime


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_inbox", "region_code", "recipient", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(6))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    event_seq: Mapped[int | None] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(80))  # unit:<code> | role:<name>
    recipient_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Reminders are written once per clock and kind: a repeated scan adds nothing.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)


class MessageRead(Base):
    """A message one user has opened (above their cursor)."""

    __tablename__ = "message_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime())


class MessageCursor(Base):
    """Every message addressed to the user with an id up to `read_through` counts as read."""

    __tablename__ = "message_cursors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    read_through: Mapped[int] = mapped_column(Integer)
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime())


# ---------------------------------------------------------------------------------------------
# Whose a message is, and whether it is read: the clauses the inbox and the actions share.


def recipient_keys(actor: Actor) -> list[str]:
    """Who the actor reads for: its unit, and each of its roles' desks."""
    return [f"unit:{actor.unit.code}", *(f"role:{role}" for role in actor.roles)]


def addressed_to(actor: Actor) -> ColumnElement[bool]:
    return and_(
        Message.region_code == actor.region_code, Message.recipient.in_(recipient_keys(actor))
    )


def cursor_of(actor: Actor) -> Any:
    return func.coalesce(
        select(MessageCursor.read_through)
        .where(MessageCursor.user_id == actor.user_id)
        .scalar_subquery(),
        0,
    )


def _opened_by(actor: Actor) -> ColumnElement[bool]:
    return exists().where(
        MessageRead.user_id == actor.user_id, MessageRead.message_id == Message.id
    )


def read_by(actor: Actor) -> ColumnElement[bool]:
    return or_(Message.id <= cursor_of(actor), _opened_by(actor))


def unread_by(actor: Actor) -> ColumnElement[bool]:
    return and_(Message.id > cursor_of(actor), ~_opened_by(actor))
