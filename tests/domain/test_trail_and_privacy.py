"""The hash chain of case events, masking of personal data and the check digits of
identity numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

import pytest

from fazhi.domain.identity import credit_code_valid, id_number_valid, phone_valid
from fazhi.domain.privacy import (
    mask_fields,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_value,
)
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


# --- masking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0731-22881234", "073****1234"),
        ("07312288123", "073****8123"),
        ("12345", "*****"),
    ],
)
def test_phone_numbers_keep_only_the_first_three_and_last_four_digits(
    phone: str, masked: str
) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张", "*"),
        ("张三", "张*"),
        ("王晓燕", "王*燕"),
        ("欧阳建国", "欧**国"),
        ("", "*"),
    ],
)
def test_names_keep_only_the_first_and_last_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_id_numbers_keep_the_region_code_and_the_last_four() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("123456789") == "*********"


def test_mask_fields_masks_only_personal_fields_by_their_kind() -> None:
    fields = {
        "caller_name": "王晓燕",
        "caller_phone": "13812345678",
        "caller_id_number": "11010519491231002X",
        "content": "13812345678 反映噪音",
        "urgency": "normal",
        "address": None,
    }
    personal = {
        "caller_name": "name",
        "caller_phone": "phone",
        "caller_id_number": "id_number",
        "address": "name",
    }
    masked = mask_fields(fields, personal)
    assert masked == {
        "caller_name": "王*燕",
        "caller_phone": "138****5678",
        "caller_id_number": "110105********002X",
        "content": "13812345678 反映噪音",
        "urgency": "normal",
        "address": None,
    }
    assert fields["caller_phone"] == "13812345678"  # the original is untouched


def test_mask_value_leaves_empty_and_non_text_values_alone() -> None:
    assert mask_value("phone", "") == ""
    assert mask_value("phone", None) is None
    assert mask_value("name", 42) == 42


# --- identity numbers (GB 11643-1999) -----------------------------------------------------


def test_a_documented_identity_number_with_x_check_digit_is_valid() -> None:
    assert id_number_valid("11010519491231002X")
    assert id_number_valid("11010519491231002x")  # lower-case x accepted


@pytest.mark.parametrize("check", "0123456789")
def test_a_changed_check_digit_is_invalid(check: str) -> None:
    assert not id_number_valid("110105194912310021"[:17] + check)


def test_a_changed_body_digit_is_invalid() -> None:
    assert not id_number_valid("11010519491231003X")


@pytest.mark.parametrize(
    "bad",
    ["", "11010519491231002", "1101051949123100200", "11010519491231002Y", "A1010519491231002X"],
)
def test_malformed_identity_numbers_are_invalid(bad: str) -> None:
    assert not id_number_valid(bad)


def gb11643_check(body: str) -> str:
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


@pytest.mark.parametrize(
    "body", ["43020419800101001", "43020420230601123", "11010519491231002", "44030719991231999"]
)
def test_identity_check_digit_follows_the_standards_weights(body: str) -> None:
    check = gb11643_check(body)
    assert id_number_valid(body + check)
    others = [c for c in "0123456789X" if c != check]
    assert not any(id_number_valid(body + c) for c in others)


# --- unified social credit codes (GB 32100-2015) ------------------------------------------

# 0-9 and A-Z without I, O, S, V, Z: 31 characters, each worth its position.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
assert len(CREDIT_ALPHABET) == 31


def credit_check(body: str) -> str:
    """The 18th character per GB 32100: weights 3^i mod 31; check = (31 - sum mod 31) mod 31."""
    total = sum(CREDIT_ALPHABET.index(c) * (3**i % 31) for i, c in enumerate(body))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def test_the_weights_are_the_published_ones() -> None:
    assert [3**i % 31 for i in range(17)] == [
        1,
        3,
        9,
        27,
        19,
        26,
        16,
        17,
        20,
        29,
        25,
        13,
        8,
        24,
        10,
        30,
        28,
    ]


def test_a_commonly_cited_credit_code_is_valid_by_our_own_computation() -> None:
    code = "91350100M000100Y43"
    assert credit_check(code[:17]) == code[17]  # checked independently of the module
    assert credit_code_valid(code)
    assert credit_code_valid(code.lower())


@pytest.mark.parametrize("body", ["91430204MA4L000001", "12430200006012345X", "5143020055000123XY"])
def test_a_code_built_with_the_documented_algorithm_is_valid(body: str) -> None:
    body = body[:17]
    code = body + credit_check(body)
    assert credit_code_valid(code)
    wrong = [c for c in CREDIT_ALPHABET if c != code[17]]
    assert not any(credit_code_valid(body + c) for c in wrong)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "91350100M000100Y4",
        "91350100M000100Y433",
        "91350100M000100I43",
        "91350100M000100Y4O",
        "91350100M000100Y44",
    ],
)
def test_malformed_credit_codes_are_invalid(bad: str) -> None:
    assert not credit_code_valid(bad)


# --- phone numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("13812345678", True),
        ("19912345678", True),
        ("17000001234", True),
        ("12812345678", False),
        ("1381234567", False),
        ("138123456789", False),
        ("0731-22881234", True),
        ("073122881234", True),
        ("010-1234567", True),
        ("731-22881234", False),
        ("电话13812345678", False),
    ],
)
def test_phone_numbers_are_mobiles_or_landlines_with_area_code(phone: str, ok: bool) -> None:
    assert phone_valid(phone) is ok
