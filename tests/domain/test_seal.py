"""The seal form of an event (fazhi.domain.seal): personal values enter the hash through a keyed
digest, anonymising keeps the digest, and the chain verifies every seal version."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fazhi.domain.case_type.spec import FieldSpec
from fazhi.domain.seal import (
    SEAL_KEYED,
    SEAL_PLAIN,
    SEAL_WITNESSED,
    anonymise,
    is_anonymised,
    payload_paths,
    sealed_content,
    value_digest,
    witness,
)
from fazhi.domain.trail import GENESIS, ChainedEvent, event_content, event_hash, first_break

KEY = b"k" * 32
PHONE = FieldSpec("caller_phone", "string", "电话", personal="phone")
NOTE = FieldSpec("note", "text", "说明")
PARTIES = FieldSpec(
    "parties",
    "list",
    "当事人",
    items=(FieldSpec("name", "string", "姓名", personal="name"), NOTE),
)
DOC_FIELDS = (FieldSpec("id_number", "string", "身份证号", personal="id_number"),)
AT = datetime(2023, 6, 1, 1, 0, tzinfo=UTC)


def _payload() -> dict[str, Any]:
    return {
        "inputs": {"caller_phone": "17000001234", "note": "公开", "parties": [{"name": "张三"}]},
        "changes": {"caller_phone": [None, "17000001234"], "note": ["", "公开"]},
        "document": {"kind": "agreement", "data": {"id_number": "11010519491231002X"}},
    }


def _paths(payload: dict[str, Any]) -> list[tuple[Any, ...]]:
    return payload_paths(payload, (PHONE, NOTE, PARTIES), lambda kind: DOC_FIELDS)


def test_the_personal_values_of_inputs_changes_records_and_document_data_are_found() -> None:
    assert _paths(_payload()) == [
        ("inputs", "caller_phone"),
        ("inputs", "parties", 0, "name"),
        ("changes", "caller_phone", 1),
        ("document", "data", "id_number"),
    ]


def test_the_seal_form_holds_keyed_digests_only() -> None:
    content = event_content(1, 1, "register", AT, {}, None, "new", _payload())
    sealed = sealed_content(content, _paths(_payload()), KEY)
    text = str(sealed)
    assert "17000001234" not in text and "张三" not in text and "002X" not in text
    assert sealed["payload"]["inputs"]["note"] == "公开"
    assert sealed["payload"]["inputs"]["caller_phone"] == value_digest(KEY, "17000001234")
    # Another key, another seal: without the key nothing can be recomputed.
    assert sealed_content(content, _paths(_payload()), b"x" * 32) != sealed


def test_an_anonymised_value_keeps_its_digest_so_the_seal_form_is_unchanged() -> None:
    payload, paths = _payload(), _paths(_payload())
    gone = anonymise(payload, paths, KEY)
    assert is_anonymised(gone["inputs"]["caller_phone"])
    assert "17000001234" not in str(gone)
    content = event_content(1, 1, "register", AT, {}, None, "new", payload)
    after = event_content(1, 1, "register", AT, {}, None, "new", gone)
    assert sealed_content(after, paths, KEY) == sealed_content(content, paths, KEY)


def _keyed(seq: int, prev: str, payload: dict[str, Any]) -> ChainedEvent:
    content = sealed_content(
        event_content(1, seq, "act", AT, {}, None, "s", payload), _paths(payload), KEY
    )
    return ChainedEvent(seq, seq, prev, event_hash(prev, content), content, SEAL_KEYED)


def _plain(seq: int, prev: str, payload: dict[str, Any]) -> ChainedEvent:
    content = event_content(1, seq, "act", AT, {}, None, "s", payload)
    return ChainedEvent(seq, seq, prev, event_hash(prev, content), content, SEAL_PLAIN)


def test_a_chain_of_plain_then_keyed_events_verifies_and_a_downgrade_is_a_break() -> None:
    first = _plain(1, GENESIS, _payload())
    second = _keyed(2, first.hash, _payload())
    third = _keyed(3, second.hash, {"inputs": {"note": "x"}})
    assert first_break([first, second, third], KEY) is None
    downgraded = _plain(3, second.hash, {"inputs": {"note": "x"}})
    broken = first_break([first, second, downgraded], KEY)
    assert broken is not None and (broken.seq, "降级" in broken.reason) == (3, True)


def test_a_witnessed_plain_event_verifies_with_the_key_only() -> None:
    plain = _plain(1, GENESIS, _payload())
    paths = _paths(_payload())
    sealed = sealed_content(plain.content, paths, KEY)
    vouched = ChainedEvent(
        1, 1, GENESIS, plain.hash, sealed, SEAL_WITNESSED, witness(KEY, plain.hash, sealed)
    )
    assert first_break([vouched], KEY) is None
    assert first_break([vouched], b"x" * 32) is not None
    forged = {**sealed, "payload": {**sealed["payload"], "inputs": {"note": "改"}}}
    assert (
        first_break(
            [ChainedEvent(1, 1, GENESIS, plain.hash, forged, SEAL_WITNESSED, vouched.witness)], KEY
        )
        is not None
    )
