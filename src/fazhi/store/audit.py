"""Verify every case's hash chain; report the first broken event of each broken case.

Keyed events (seal 1) are checked through their seal form, which needs the server secret;
events written before it (seal 0) the old way (`fazhi.domain.seal`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.domain.seal import SEAL_PLAIN, sealed_content
from fazhi.domain.trail import Break, ChainedEvent, event_content, first_break
from fazhi.store.models import Event


@dataclass
class AuditResult:
    cases: int
    events: int
    breaks: list[tuple[int, Break]]

    @property
    def ok(self) -> bool:
        return not self.breaks


def stored_content(event: Event, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the stored event says (`fazhi.domain.trail.event_content`), with `payload` in
    place of its own when given (an anonymisation's new payload)."""
    return event_content(
        event.case_id,
        event.seq,
        event.action,
        event.at,
        event.actor,
        event.from_state,
        event.to_state,
        event.payload if payload is None else payload,
    )


def chained(event: Event, key: bytes) -> ChainedEvent:
    """The event as the verifier sees it: its content in seal form."""
    content = stored_content(event)
    seal = event.seal or SEAL_PLAIN
    if seal != SEAL_PLAIN:
        content = sealed_content(content, [tuple(p) for p in event.sealed or []], key)
    return ChainedEvent(
        event.id, event.seq, event.prev_hash, event.hash, content, seal, event.witness
    )


def _chains(
    session: Session, key: bytes, batch: int = 5000
) -> Iterator[tuple[int, list[ChainedEvent]]]:
    current: int | None = None
    chain: list[ChainedEvent] = []
    stmt = select(Event).order_by(Event.case_id, Event.seq).execution_options(yield_per=batch)
    for event in session.scalars(stmt):
        if event.case_id != current:
            if current is not None:
                yield current, chain
            current, chain = event.case_id, []
        chain.append(chained(event, key))
    if current is not None:
        yield current, chain


def verify_all(session: Session, key: bytes) -> AuditResult:
    """Every chain, with `key` the server secret (`Platform.secret`)."""
    cases = events = 0
    breaks: list[tuple[int, Break]] = []
    for case_id, chain in _chains(session, key):
        cases += 1
        events += len(chain)
        broken = first_break(chain, key)
        if broken:
            breaks.append((case_id, broken))
    return AuditResult(cases, events, breaks)
