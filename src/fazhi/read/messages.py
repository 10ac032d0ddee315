"""The inbox (消息) as one user sees it: the messages addressed to their unit or to one of
their roles in their region, newest first, each read or unread for that user, and the
unread count the navigation shows on every page (one indexed, capped count)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fazhi.actions.context import Work
from fazhi.domain.case_type import CaseType
from fazhi.domain.numbers import case_number
from fazhi.domain.units import Actor
from fazhi.store.messages import Message, addressed_to, read_by, unread_by
from fazhi.store.models import Case

# The platform's own reminders; a type's topics are named after the action that sends them.
REMINDER_LABELS = {"due_soon": "临期提醒", "overdue": "超期提醒"}
# The navigation shows "99+" past this: counting stops there, so a user who never reads
# does not make every page slower.
UNREAD_CAP = 100


def unread_count_query(actor: Actor) -> Any:
    """The count of `unread_count` as a scalar subquery (the console asks all the counts
    beside its menu in one statement: web.console.nav_counts)."""
    capped = select(Message.id).where(addressed_to(actor), unread_by(actor)).limit(UNREAD_CAP)
    return select(func.count()).select_from(capped.subquery()).scalar_subquery()


def unread_count(session: Session, actor: Actor) -> int:
    """Unread messages of the actor, counted up to UNREAD_CAP."""
    return int(session.scalar(select(unread_count_query(actor))) or 0)


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
    case_type: str | None = None
    case_created_at: datetime | None = None


def _select(actor: Actor) -> Any:
    query = (
        select(
            Message.id,
            Message.created_at,
            Message.case_id,
            Message.topic,
            Message.recipient,
            Message.subject,
            Message.body,
            read_by(actor).label("read"),
            Case.type,
            Case.created_at.label("case_created_at"),
        )
        .outerjoin(Case, (Case.region_code == Message.region_code) & (Case.id == Message.case_id))
        .where(addressed_to(actor))
    )
    return query


def _row(row: Any) -> InboxRow:
    return InboxRow(
        id=row.id,
        created_at=row.created_at,
        case_id=row.case_id,
        topic=row.topic,
        recipient=row.recipient,
        subject=row.subject,
        body=row.body,
        read=bool(row.read),
        case_type=row.type,
        case_created_at=row.case_created_at,
    )


def inbox(
    session: Session, actor: Actor, unread_only: bool = False, limit: int = 50, offset: int = 0
) -> list[InboxRow]:
    """The actor's messages, newest first, with its read state of each."""
    query = _select(actor).order_by(Message.id.desc()).limit(limit).offset(offset)
    if unread_only:
        query = query.where(unread_by(actor))
    return [_row(row) for row in session.execute(query)]


def message_of(session: Session, actor: Actor, message_id: int) -> InboxRow | None:
    """One of the actor's messages; None when it is not addressed to the actor."""
    row = session.execute(_select(actor).where(Message.id == message_id)).first()
    return _row(row) if row else None


def topic_label(case_type: CaseType | None, topic: str) -> str:
    """A reminder's label, else the label of the first action whose message has the topic."""
    if topic in REMINDER_LABELS:
        return REMINDER_LABELS[topic]
    for spec in case_type.notify if case_type else ():
        action = case_type.action(spec.on) if case_type and spec.topic == topic else None
        if action is not None:
            return action.label
    return topic


def present_message(row: InboxRow, case_type: CaseType | None, to: str) -> dict[str, Any]:
    """A message as the inbox page and the API show it; `to` is who it was addressed to
    (the unit's name, the desk's role label)."""
    number = (
        case_number(
            case_type.number_prefix if case_type else None, row.case_created_at, row.case_id
        )
        if row.case_id and row.case_created_at
        else ""
    )
    return {
        "id": row.id,
        "created_at": row.created_at.isoformat(),
        "topic": row.topic,
        "topic_label": topic_label(case_type, row.topic),
        "subject": row.subject,
        "body": row.body,
        "to": to,
        "case_id": row.case_id,
        "case_number": number,
        "read": row.read,
    }


def recipient_label(
    key: str, unit_name: Callable[[str], str | None], role_label: Callable[[str], str]
) -> str:
    """`unit:SF-CGJ` → the unit's name; `role:dispatcher` → 派单员岗."""
    kind, _, name = key.partition(":")
    if kind == "unit":
        return unit_name(name) or name
    if kind == "role":
        return f"{role_label(name)}岗"
    return key


def present(w: Work, row: InboxRow) -> dict[str, Any]:
    """`present_message` with the case type and the recipient's label looked up."""
    directory = w.ctx.directory

    def unit_name(code: str) -> str | None:
        unit = directory.by_code.get(code)
        return unit.name if unit else None

    case_type = w.platform.types.get(row.case_type) if row.case_type else None
    to = recipient_label(row.recipient, unit_name, w.platform.roles.label)
    return present_message(row, case_type, to)
