"""The hash chain of a case's events (DESIGN.md §3): each event seals its content and its parent."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fazhi.domain.seal import SEAL_KEYED, SEAL_PLAIN, SEAL_WITNESSED, witness

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
    """An event as the verifier sees it; `content` is its seal form (`fazhi.domain.seal`)."""

    id: int
    seq: int
    prev_hash: str
    hash: str
    content: Mapping[str, Any]
    seal: int = 0  # fazhi.domain.seal.SEAL_*
    witness: str | None = None


@dataclass(frozen=True)
class Break:
    event_id: int
    seq: int
    reason: str


def _seal_holds(event: ChainedEvent, key: bytes | None) -> bool:
    if event.seal == SEAL_WITNESSED:
        return (
            key is not None
            and event.witness is not None
            and hmac.compare_digest(witness(key, event.hash, event.content), event.witness)
        )
    return event_hash(event.prev_hash, event.content) == event.hash


def first_break(events: Iterable[ChainedEvent], key: bytes | None = None) -> Break | None:
    """The first event (in seq order) whose link or seal does not hold. `key` (the server
    secret) checks the witness of anonymised plain events; keyed events arrive with their
    seal form already computed."""
    expected_prev = GENESIS
    expected_seq = 1
    keyed = False
    for event in events:
        if event.seq != expected_seq:
            return Break(event.id, event.seq, f"序号不连续：应为 {expected_seq}，实为 {event.seq}")
        if event.prev_hash != expected_prev:
            return Break(event.id, event.seq, "前一事件哈希不符（事件被删除、插入或改动）")
        # Once a chain is keyed it stays keyed: a later plain event would be a forgery that
        # needed no key.
        if keyed and event.seal != SEAL_KEYED:
            return Break(event.id, event.seq, "事件封存方式被降级（内容被改动）")
        keyed = keyed or event.seal == SEAL_KEYED
        if event.seal not in (SEAL_PLAIN, SEAL_KEYED, SEAL_WITNESSED):
            return Break(event.id, event.seq, f"未知的封存方式 {event.seal}")
        if not _seal_holds(event, key):
            return Break(event.id, event.seq, "事件内容与其哈希不符（内容被改动）")
        expected_prev = event.hash
        expected_seq += 1
    return None
