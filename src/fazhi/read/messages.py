"""The inbox (消息) as one user sees it: the messages addressed to their unit or to one of
their roles in their region, newest first, each read or unread for that user, and the
unread count the navigation shows on every page (one indexed, capped count)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fazhi.domain.units import Actor
from fazhi.store.messages import Message, addressed_to, read_by, unread_by

# The navigation shows "99+" past this: counting stops there, so a user who never reads
# does not make every page slower.
UNREAD_CAP = 100


def unread_count(session: Session, actor: Actor) -> int:
    """Unread messages of the actor, counted up to UNREAD_CAP."""
    capped = select(Message.id).where(addressed_to(actor), unread_by(actor)).limit(UNREAD_CAP)
    return int(session.scalar(select(func.count()).select_from(capped.subquery())) or 0)


def count_label(count: int) -> str:
    return f"{UNREAD_CAP - 1}+" if count >= UNREAD_CAP else str(count)


@dataclass(frozen=True)
class InboxRow:
    id: int
    created_at: datetime
    case_id: int | None
    topic: str
    recipient: str
    subject: str
    body: str
    read: bool


def _select(actor: Actor):  # type: ignore[no-untyped-def]
    return select(
        Message.id,
        Message.created_at,
        Message.case_id,
        Message.topic,
        Message.recipient,
        Message.subject,
        Message.body,
        read_by(actor).label("read"),
    ).where(addressed_to(actor))


def inbox(
    session: Session, actor: Actor, unread_only: bool = False, limit: int = 50, offset: int = 0
) -> list[InboxRow]:
    """The actor's messages, newest first, with its read state of each."""
    query = _select(actor).order_by(Message.id.desc()).limit(limit).offset(offset)
    if unread_only:
        query = query.where(unread_by(actor))
    return [InboxRow(*row[:7], read=bool(row.read)) for row in session.execute(query)]


def message_of(session: Session, actor: Actor, message_id: int) -> InboxRow | None:
    """One of the actor's messages; None when it is not addressed to the actor."""
    row = session.execute(_select(actor).where(Message.id == message_id)).first()
    return InboxRow(*row[:7], read=bool(row.read)) if row else None
