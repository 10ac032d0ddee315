"""The hash chain of a case's events (DESIGN.md §3): each event seals its content and its parent."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


def canonical(content: Mapping[str, Any]) -> bytes:
    """One byte form for the same content, whatever the database or dict order."""
    return json.dumps(
        content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode()


def event_content(
    case_id: int,
    seq: int,
    action: str,
    at: datetime,
    actor: dict[str, Any],
    from_state: str | None,
    to_state: str,
    payload: dict[str, Any],
) -> dict[str, Any]:
    """What an event's hash seals: everything it says."""
    return {
        "case_id": case_id,
        "seq": seq,
        "action": action,
        "at": at.isoformat(),
        "actor": actor,
        "from_state": from_state,
        "to_state": to_state,
        "payload": payload,
    }


def event_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(content)).hexdigest()


@dataclass(frozen=True)
class ChainedEvent:
    id: int
    seq: int
    prev_hash: str
    hash: str
    content: Mapping[str, Any]


@dataclass(frozen=True)
class Break:
    event_id: int
    seq: int
    reason: str


def first_break(events: Iterable[ChainedEvent]) -> Break | None:
    """The first event (in seq order) whose link or seal does not hold."""
    expected_prev = GENESIS
    expected_seq = 1
    for event in events:
        if event.seq != expected_seq:
            return Break(event.id, event.seq, f"序号不连续：应为 {expected_seq}，实为 {event.seq}")
        if event.prev_hash != expected_prev:
            return Break(event.id, event.seq, "前一事件哈希不符（事件被删除、插入或改动）")
        if event_hash(event.prev_hash, event.content) != event.hash:
            return Break(event.id, event.seq, "事件内容与其哈希不符（内容被改动）")
        expected_prev = event.hash
        expected_seq += 1
    return None
