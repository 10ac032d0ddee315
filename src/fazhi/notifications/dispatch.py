"""The dispatcher: sends what is due in the outbox and records the outcome.

At least once: a message is marked sent only after its sender returned, each in its own
short transaction. If the process dies between the two, the message is sent again by the
next run; nothing is ever lost. A sender's SendError marks the message failed with
exponential backoff (1, 2, 4 … minutes, capped at an hour) and, after MAX_ATTEMPTS, dead:
dead messages wait on the console's 通知 page for someone to press "retry now".
"""

from __future__ import annotations

import logging
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
DUE_STATUSES = ("pending", "failed")


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


def _due(platform: Platform, batch: int) -> list[OutboxMessage]:
    now = platform.now()
    with platform.sessions() as session:
        messages = list(
            session.scalars(
                select(OutboxMessage)
                .where(
                    OutboxMessage.status.in_(DUE_STATUSES),
                    OutboxMessage.next_attempt_at <= now,
                )
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(batch)
            )
        )
        session.expunge_all()
    return messages


def _mark_sent(platform: Platform, message: OutboxMessage) -> None:
    with platform.writing(), transaction(platform.sessions) as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message.id, OutboxMessage.status.in_(DUE_STATUSES))
            .values(status="sent", sent_at=platform.now(), attempts=message.attempts + 1)
        )


def _mark_failed(platform: Platform, message: OutboxMessage, error: str) -> str:
    attempts = message.attempts + 1
    now = platform.now()
    status = "dead" if attempts >= MAX_ATTEMPTS else "failed"
    with platform.writing(), transaction(platform.sessions) as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message.id, OutboxMessage.status.in_(DUE_STATUSES))
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


def deliver_batch(platform: Platform, senders: Mapping[str, Sender], batch: int = 100) -> RunResult:
    """Send up to `batch` due messages, oldest first. Exceptions other than SendError
    propagate, leaving the message (and the rest of the batch) unsent for the next run."""
    result = RunResult()
    for message in _due(platform, batch):
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
            continue
        _mark_sent(platform, message)
        result.sent += 1
        log.info(
            "outbox %s sent to %s",
            message.id,
            mask_recipient(message.channel, message.recipient),
        )
    return result


def deliver_due(platform: Platform, senders: Mapping[str, Sender], batch: int = 100) -> RunResult:
    """Everything due now, batch after batch (a failed message is due again only later)."""
    total = RunResult()
    while True:
        result = deliver_batch(platform, senders, batch)
        total.add(result)
        if result.handled < batch:
            return total
