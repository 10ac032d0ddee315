"""The hash chain of case events. Masking of personal data is specified in test_privacy.py,
check digits of identity numbers and credit codes in test_identity.py."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

from fazhi.domain.trail import GENESIS, ChainedEvent, canonical, event_hash, first_break

# --- hash chain ---------------------------------------------------------------------------


def content(seq: int, action: str, **payload: Any) -> dict[str, Any]:
    return {
        "case_id": 7,
        "seq": seq,
        "action": action,
        "at": f"2023-06-0{seq}T09:00:00+08:00",
        "actor": {"id": 3, "username": "operator1", "name": "王晓燕"},
        "from_state": None if seq == 1 else "registered",
        "to_state": "registered",
        "payload": {"inputs": payload, "changes": {}},
    }


def chain(n: int = 4) -> list[ChainedEvent]:
    events: list[ChainedEvent] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        body = content(seq, "handle", note=f"第{seq}次办理")
        digest = event_hash(prev, body)
        events.append(
            ChainedEvent(id=100 + seq, seq=seq, prev_hash=prev, hash=digest, content=body)
        )
        prev = digest
    return events


def test_an_intact_chain_has_no_break() -> None:
    assert first_break(chain()) is None
    assert first_break([]) is None


def test_event_hash_seals_the_previous_hash_and_the_canonical_content() -> None:
    body = content(1, "register", content="噪音扰民")
    expected = hashlib.sha256(GENESIS.encode() + canonical(body)).hexdigest()
    assert event_hash(GENESIS, body) == expected
    assert len(expected) == 64
    assert event_hash("1" * 64, body) != expected


def test_canonical_form_does_not_depend_on_key_order() -> None:
    a = {"b": 1, "a": {"y": [1, 2], "x": "中文"}, "c": None}
    b = {"c": None, "a": {"x": "中文", "y": [1, 2]}, "b": 1}
    assert canonical(a) == canonical(b)
    assert event_hash(GENESIS, a) == event_hash(GENESIS, b)
    # Compact, sorted and UTF-8 (not \\u escapes), so the bytes are the same everywhere.
    assert canonical(a) == '{"a":{"x":"中文","y":[1,2]},"b":1,"c":null}'.encode()
    # A value a JSON column would return in another order still hashes the same.
    assert canonical(json.loads(json.dumps(b))) == canonical(a)


def test_canonical_form_does_change_with_list_order_and_values() -> None:
    assert canonical({"a": [1, 2]}) != canonical({"a": [2, 1]})
    assert canonical({"a": 1}) != canonical({"a": "1"})


def test_tampered_content_is_named_as_the_first_break() -> None:
    events = chain()
    changed = dict(events[2].content)
    changed["payload"] = {"inputs": {"note": "改过的内容"}, "changes": {}}
    events[2] = replace(events[2], content=changed)
    broken = first_break(events)
    assert broken is not None
    assert (broken.event_id, broken.seq) == (103, 3)
    assert "内容" in broken.reason


def test_a_tampered_actor_or_time_is_a_break_too() -> None:
    for key, value in (
        ("actor", {"id": 9, "username": "admin"}),
        ("at", "2023-06-09T09:00:00+08:00"),
        ("to_state", "closed"),
    ):
        events = chain()
        events[1] = replace(events[1], content={**events[1].content, key: value})
        broken = first_break(events)
        assert broken is not None and broken.event_id == 102, key


def test_rehashing_a_tampered_event_breaks_the_link_of_the_next() -> None:
    events = chain()
    changed = {**events[1].content, "payload": {"inputs": {"note": "伪造"}, "changes": {}}}
    events[1] = replace(events[1], content=changed, hash=event_hash(events[1].prev_hash, changed))
    broken = first_break(events)
    assert broken is not None
    assert (broken.event_id, broken.seq) == (103, 3)
    assert "前一事件哈希不符" in broken.reason


def test_reordered_events_are_a_break() -> None:
    events = chain()
    events[1], events[2] = events[2], events[1]
    broken = first_break(events)
    assert broken is not None
    assert (broken.event_id, broken.seq) == (103, 3)
    assert "序号不连续" in broken.reason


def test_a_deleted_event_is_a_break_at_the_one_after_it() -> None:
    events = chain()
    del events[1]
    broken = first_break(events)
    assert broken is not None
    assert broken.event_id == 103
    assert "序号不连续：应为 2，实为 3" in broken.reason


def test_deleting_the_last_event_and_renumbering_cannot_hide_a_deletion_in_the_middle() -> None:
    events = chain()
    del events[1]
    renumbered = [events[0]] + [replace(e, seq=e.seq - 1) for e in events[1:]]
    broken = first_break(renumbered)
    assert broken is not None and broken.event_id == 103
    assert "前一事件哈希不符" in broken.reason


def test_an_inserted_event_is_a_break() -> None:
    events = chain()
    forged_body = content(2, "close")
    forged = ChainedEvent(
        id=999,
        seq=2,
        prev_hash=events[0].hash,
        hash=event_hash(events[0].hash, forged_body),
        content=forged_body,
    )
    inserted = [events[0], forged] + [replace(e, seq=e.seq + 1) for e in events[1:]]
    broken = first_break(inserted)
    assert broken is not None
    assert broken.event_id == 102  # the original second event no longer links to its parent
    assert "前一事件哈希不符" in broken.reason


def test_a_chain_must_start_at_genesis() -> None:
    events = chain()
    broken = first_break(events[1:])
    assert broken is not None and broken.event_id == 102
