"""Read state of internal messages: a user opens a message (it becomes read for that user
only) or marks everything read (全部已读). Messages themselves are written by
`actions.notify` with the events that cause them; nothing here changes a message."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.store.messages import Message, MessageCursor, MessageRead, addressed_to, read_by
from fazhi.store.models import User


def check_mark_read(session: Session, actor: Actor, message_id: int, now: datetime) -> bool:
    """Mark the actor's message `message_id` read (404 when it is not addressed to them);
    answers whether it was unread."""
    was_read = session.scalar(
        select(read_by(actor)).where(addressed_to(actor), Message.id == message_id)
    )
    if was_read is None:
        raise DomainError("message_not_found", "没有这条消息", 404)
    if not was_read:
        do_mark_read(session, actor, message_id, now)
    return not was_read


def do_mark_read(session: Session, actor: Actor, message_id: int, now: datetime) -> None:
    """Record that the actor read the message.

    Preconditions: the message is addressed to the actor and is unread for them (so the
    row is new; a concurrent open of the same message by the same user is a lost race the
    unique key refuses, and the caller's transaction answers it as busy)."""
    session.execute(
        insert(MessageRead).values(user_id=actor.user_id, message_id=message_id, read_at=now)
    )


def do_mark_all_read(session: Session, actor: Actor, now: datetime) -> int:
    """Move the actor's cursor to their newest message: everything up to it is read; the
    single reads below it are no longer needed. Answers the new cursor."""
    through = int(session.scalar(select(func.max(Message.id)).where(addressed_to(actor))) or 0)
    current = session.scalar(
        select(MessageCursor.read_through).where(MessageCursor.user_id == actor.user_id)
    )
    if current is None:
        session.execute(
            insert(MessageCursor).values(user_id=actor.user_id, read_through=through, moved_at=now)
        )
    elif through > current:
        session.execute(
            update(MessageCursor)
            .where(MessageCursor.user_id == actor.user_id)
            .values(read_through=through, moved_at=now)
        )
    else:
        return int(current)
    session.execute(
        delete(MessageRead).where(
            MessageRead.user_id == actor.user_id, MessageRead.message_id <= through
        )
    )
    return through


def do_mark_history_read(session: Session, region_code: str, now: datetime) -> int:
    """Every user of the region has read every message written so far (the demo's synthetic
    2023 history, so its users sign in to today's messages only). Answers the cursor.

    Preconditions: only for data loaded in bulk (the demo); a person's read state changes
    by their own reading."""
    through = int(
        session.scalar(select(func.max(Message.id)).where(Message.region_code == region_code)) or 0
    )
    users = list(session.scalars(select(User.id).where(User.region_code == region_code)))
    have = set(
        session.scalars(select(MessageCursor.user_id).where(MessageCursor.user_id.in_(users)))
    )
    if have:
        session.execute(
            update(MessageCursor)
            .where(MessageCursor.user_id.in_(have), MessageCursor.read_through < through)
            .values(read_through=through, moved_at=now)
        )
    fresh = [
        {"user_id": u, "read_through": through, "moved_at": now} for u in users if u not in have
    ]
    if fresh:
        session.execute(insert(MessageCursor), fresh)
    return through
