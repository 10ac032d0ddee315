"""The dispatcher: sends what is due in the outbox and records the outcome.

Several dispatchers may run at once (`fazhi worker` beside the servers, on more than one
machine): each first claims a batch in one short transaction — the due rows become
`sending`, `claimed_by` this dispatcher, with a lease until `next_attempt_at` — and sends
only what it claimed. On PostgreSQL the claim selects with FOR UPDATE SKIP LOCKED (two
dispatchers take different rows without waiting for each other); on SQLite the claiming
UPDATE repeats the due condition inside the writer's lock, so a row already claimed is not
taken again. Only the claimer records the outcome (its UPDATE names itself).

A message is marked sent only after its sender returned. If the dispatcher dies between the
two, the lease (LEASE) runs out and another dispatcher sends it again: nothing is lost, and
a message is sent twice only after such a crash. A sender's SendError marks the message
failed with exponential backoff (1, 2, 4 … minutes, capped at an hour) and, after
MAX_ATTEMPTS, dead: dead messages wait on the console's 通知 page for someone to press
"retry now".
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from fazhi.actions.platform import Platform
from fazhi.domain.notify import backoff_seconds, mask_recipient
from fazhi.notifications.senders import Sender, SendError
from fazhi.store.db import transaction
from fazhi.store.models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# `sending` is due again only once its lease ran out (its dispatcher died).
DUE_STATUSES = ("pending", "failed", "sending")
LEASE = timedelta(minutes=10)


def dispatcher_name() -> str:
    """This process as a claimer: host and pid (what an operator can find)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


@dataclass
class RunResult:
    sent: int = 0
    failed: int = 0
    dead: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.dead

    def add(self, other: RunResult) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.dead += other.dead


def claim(platform: Platform, batch: int, holder: str) -> list[OutboxMessage]:
    """Claim up to `batch` due messages, oldest first, for `holder`; return them."""
    now = platform.now()
    due = (OutboxMessage.status.in_(DUE_STATUSES), OutboxMessage.next_attempt_at <= now)
    with platform.writing(), transaction(platform.sessions) as session:
        query = (
            select(OutboxMessage)
            .where(*due)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(batch)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        found = list(session.scalars(query))
        if not found:
            return []
        # The objects keep the status and due time they had, for release().
        session.expunge_all()
        ids = [m.id for m in found]
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), *due)
            .values(status="sending", claimed_by=holder, next_attempt_at=now + LEASE)
        )
        claimed = set(
            session.scalars(
                select(OutboxMessage.id).where(
                    OutboxMessage.id.in_(ids),
                    OutboxMessage.status == "sending",
                    OutboxMessage.claimed_by == holder,
                )
            )
        )
    messages = [m for m in found if m.id in claimed]
    for m in messages:
        m.claimed_by = holder
    return messages


def release(platform: Platform, messages: list[OutboxMessage]) -> None:
    """Give claimed messages back as they were (the dispatcher stops before sending them)."""
    if not messages:
        return
    with platform.writing(), transaction(platform.sessions) as session:
        for m in messages:
            session.execute(
                update(OutboxMessage)
                .where(*_mine(m))
                .values(status=m.status, next_attempt_at=m.next_attempt_at, claimed_by=None)
            )


def _mine(message: OutboxMessage) -> tuple[object, ...]:
    return (
        OutboxMessage.id == message.id,
        OutboxMessage.status == "sending",
        OutboxMessage.claimed_by == message.claimed_by,
    )


def _mark_sent(platform: Platform, message: OutboxMessage) -> None:
    with platform.writing(), transaction(platform.sessions) as session:
        session.execute(
            update(OutboxMessage)
            .where(*_mine(message))
            .values(status="sent", sent_at=platform.now(), attempts=message.attempts + 1)
        )


def _mark_failed(platform: Platform, message: OutboxMessage, error: str) -> str:
    attempts = message.attempts + 1
    now = platform.now()
    status = "dead" if attempts >= MAX_ATTEMPTS else "failed"
    with platform.writing(), transaction(platform.sessions) as session:
        session.execute(
            update(OutboxMessage)
            .where(*_mine(message))
            .values(
                status=status,
                attempts=attempts,
                last_error=error[:2000],
                next_attempt_at=now + timedelta(seconds=backoff_seconds(attempts)),
            )
        )
    log.warning(
        "outbox %s to %s: attempt %d failed (%s): %s",
        message.id,
        mask_recipient(message.channel, message.recipient),
        attempts,
        status,
        error,
    )
    return status


def deliver_batch(
    platform: Platform,
    senders: Mapping[str, Sender],
    batch: int = 100,
    holder: str | None = None,
) -> RunResult:
    """Claim and send up to `batch` due messages, oldest first. Exceptions other than
    SendError propagate, leaving the message (and the rest of the batch) claimed: they are
    sent by whoever claims them once the lease ran out."""
    result = RunResult()
    messages = claim(platform, batch, holder or dispatcher_name())
    for i, message in enumerate(messages):
        try:
            _deliver(platform, senders, message, result)
        except BaseException:
            # Stopped (an interrupt, a bug in a sender) before this one was recorded: it
            # and the rest go back as they were, due for the next run (at least once).
            release(platform, messages[i:])
            raise
    return result


def _deliver(
    platform: Platform, senders: Mapping[str, Sender], message: OutboxMessage, result: RunResult
) -> None:
    sender = senders.get(message.channel)
    try:
        if sender is None:
            raise SendError(f"没有配置渠道 {message.channel} 的发送方式")
        sender.send(message)
    except SendError as exc:
        status = _mark_failed(platform, message, str(exc))
        if status == "dead":
            result.dead += 1
        else:
            result.failed += 1
        return
    _mark_sent(platform, message)
    result.sent += 1
    log.info("outbox %s sent to %s", message.id, mask_recipient(message.channel, message.recipient))


def deliver_due(
    platform: Platform,
    senders: Mapping[str, Sender],
    batch: int = 100,
    holder: str | None = None,
) -> RunResult:
    """Everything due now, batch after batch (a failed message is due again only later)."""
    total = RunResult()
    while True:
        result = deliver_batch(platform, senders, batch, holder)
        total.add(result)
        if result.handled < batch:
            return total
