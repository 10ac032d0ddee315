"""Writing notifications: on an action (in the action's own transaction), and reminders for
cases due soon or overdue (`fazhi notify scan`). SMS and email go to the outbox, sent by
`fazhi.notifications.dispatch`; internal messages go straight into the recipients' inbox
(`store.messages`), which is their delivery. Nothing here does I/O beyond the database."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fazhi.actions.platform import Platform
from fazhi.domain.case_type import CaseType, NotifySpec
from fazhi.domain.due import due_status
from fazhi.domain.notify import (
    GROUP_ROLES,
    REMINDER_SUBJECTS,
    REMINDER_TEMPLATES,
    render,
    template_values,
)
from fazhi.domain.units import UnitRef
from fazhi.store.db import transaction
from fazhi.store.messages import Message
from fazhi.store.models import Case, Clock, OutboxMessage

log = logging.getLogger(__name__)

_INSERT_OUTBOX = insert(OutboxMessage)
_INSERT_MESSAGE = insert(Message)
SUPERVISORS = "role:supervisor"
INTERNAL = "internal"
# Day-based limits are "due soon" on the last working day; a long holiday can put that many
# calendar days ahead, so the scan reads clocks due within this window and lets due_status
# decide.
SCAN_WINDOW = timedelta(days=16)


@dataclass(frozen=True)
class EventFacts:
    """What an action wrote, as the outbox needs it."""

    case_id: int
    event_seq: int
    action: str
    region_code: str
    created_at: datetime
    title: str
    state: str
    fields: dict[str, Any]
    due_at: datetime | None
    lead_unit: UnitRef | None
    inputs: dict[str, Any] | None = None


def _recipient(spec: NotifySpec, facts: EventFacts) -> tuple[str, int | None] | None:
    if spec.to == "lead_unit":
        lead = facts.lead_unit
        return (f"unit:{lead.code}", lead.id) if lead else None
    if spec.to in GROUP_ROLES:
        return (f"role:{GROUP_ROLES[spec.to]}", None)
    value = facts.fields.get(spec.to)
    text = str(value).strip() if value is not None else ""
    return (text, None) if text else None


def enqueue_for_event(
    session: Session,
    case_type: CaseType,
    specs: tuple[NotifySpec, ...],
    facts: EventFacts,
    now: datetime,
) -> int:
    """One outbox row (sms, email) or inbox message (internal) per spec whose recipient is
    known, in the caller's transaction."""
    values: dict[str, str] | None = None
    rows: list[dict[str, Any]] = []
    inbox: list[dict[str, Any]] = []
    for spec in specs:
        recipient = _recipient(spec, facts)
        if recipient is None:
            continue  # no phone given, no lead unit yet: nothing to send
        if values is None:
            values = template_values(
                case_type,
                case_id=facts.case_id,
                created_at=facts.created_at,
                title=facts.title,
                state=facts.state,
                fields=facts.fields,
                due_at=facts.due_at,
                action=facts.action,
                inputs=facts.inputs,
                unit=facts.lead_unit.name if facts.lead_unit else "",
            )
        body = render(spec.template, values)
        subject = (
            render(spec.subject, values)
            if spec.subject
            else f"{case_type.label} {values['number']}"
        )
        if spec.channel == INTERNAL:
            inbox.append(
                {
                    "region_code": facts.region_code,
                    "created_at": now,
                    "case_id": facts.case_id,
                    "event_seq": facts.event_seq,
                    "topic": spec.topic,
                    "recipient": recipient[0],
                    "recipient_unit_id": recipient[1],
                    "subject": subject[:200],
                    "body": body,
                    "dedupe_key": None,
                }
            )
            continue
        rows.append(
            {
                "region_code": facts.region_code,
                "created_at": now,
                "case_id": facts.case_id,
                "event_seq": facts.event_seq,
                "channel": spec.channel,
                "topic": spec.topic,
                "recipient": recipient[0],
                "recipient_unit_id": recipient[1],
                "subject": subject[:200],
                "body": body,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": None,
                "sent_at": None,
                "dedupe_key": None,
            }
        )
    if rows:
        session.connection().execute(_INSERT_OUTBOX, rows)
    if inbox:
        session.connection().execute(_INSERT_MESSAGE, inbox)
    return len(rows) + len(inbox)


# ---------------------------------------------------------------------------------------------
# Reminders


@dataclass(frozen=True)
class ScanResult:
    checked: int
    enqueued: int


def dedupe_key(kind: str, clock_id: int) -> str:
    return f"{kind}:clock:{clock_id}"


def scan_reminders(platform: Platform, now: datetime | None = None) -> ScanResult:
    """Write one inbox message to the lead unit per (running primary clock, kind) that is
    due soon or overdue. Repeated scans add nothing (dedupe_key is unique)."""
    now = now or platform.now()
    calendar = platform.calendar()
    directory = platform.directory()
    query = (
        select(
            Clock.id,
            Clock.name,
            Clock.label,
            Clock.due_at,
            Case.id.label("case_id"),
            Case.type,
            Case.region_code,
            Case.created_at,
            Case.title,
            Case.state,
            Case.fields,
            Case.lead_unit_id,
        )
        .join(Case, (Case.region_code == Clock.region_code) & (Case.id == Clock.case_id))
        .where(
            Clock.stopped_at.is_(None),
            Clock.due_at <= now + SCAN_WINDOW,
            Case.terminal.is_(False),
            Case.region_code == platform.region_code,
            Case.lead_unit_id.is_not(None),
        )
    )
    checked = enqueued = 0
    with platform.writing(), transaction(platform.sessions) as session:
        candidates: list[tuple[str, Any, CaseType]] = []
        for row in session.execute(query):
            case_type = platform.types.get(row.type)
            primary = case_type.primary_clock if case_type else None
            if case_type is None or primary is None or primary.name != row.name:
                continue
            checked += 1
            status = due_status(row.due_at, now, calendar)
            if status == "due_soon" or status == "overdue":
                candidates.append((status, row, case_type))
        if not candidates:
            return ScanResult(checked, 0)
        keys = [dedupe_key(kind, row.id) for kind, row, _ in candidates]
        existing = set(
            session.scalars(select(Message.dedupe_key).where(Message.dedupe_key.in_(keys)))
        )
        for (kind, row, case_type), key in zip(candidates, keys, strict=True):
            if key in existing:
                continue
            lead = directory.by_id.get(row.lead_unit_id)
            if lead is None:
                continue
            values = template_values(
                case_type,
                case_id=row.case_id,
                created_at=row.created_at,
                title=row.title,
                state=row.state,
                fields=dict(row.fields or {}),
                due_at=row.due_at,
                clock=row.label,
            )
            message = {
                "region_code": row.region_code,
                "created_at": now,
                "case_id": row.case_id,
                "event_seq": None,
                "topic": kind,
                "recipient": f"unit:{lead.code}",
                "recipient_unit_id": lead.id,
                "subject": render(REMINDER_SUBJECTS[kind], values),
                "body": render(REMINDER_TEMPLATES[kind], values),
                "dedupe_key": key,
            }
            try:
                # Another scan may have added it since we looked: the unique key decides.
                with session.begin_nested():
                    session.connection().execute(_INSERT_MESSAGE, message)
                enqueued += 1
            except IntegrityError:
                continue
    log.info("reminder scan: %d clocks checked, %d reminders enqueued", checked, enqueued)
    return ScanResult(checked, enqueued)


def retry_now(session: Session, region_code: str, message_id: int, now: datetime) -> bool:
    """Put a failed or dead message back in the queue, due at once."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.region_code == region_code,
            OutboxMessage.status.in_(("failed", "dead")),
        )
        .values(status="pending", next_attempt_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
