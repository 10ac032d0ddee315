"""Masking of personal data (DESIGN.md §7): each kind's mask, masking inside the records of
list fields, what a viewer who sees some kinds whole gets, and what an unmasking reveals."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.domain.case_type.spec import PERSONAL_KINDS, FieldSpec
from fazhi.domain.privacy import (
    HIDDEN,
    mask_address,
    mask_fields,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_value,
    personal_kinds,
    personal_paths,
)
from tests.domain.synthetic_ids import synthetic_id

ID = synthetic_id("19800101", "001")  # 430204198001010011-like, synthetic

# --- one value ----------------------------------------------------------------------------


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
    assert mask_id_number(ID) == "430204********" + ID[-4:]
    assert mask_id_number("123456789") == "*********"


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("株洲市石峰区田心街道东门路88号", "株洲市石峰区****"),
        ("株洲市石峰区响石岭", "株洲市石峰区****"),
        ("石峰区田心街道", "石峰区田****"),  # short: the last three are always hidden
        ("株洲市石峰区", "株洲市****"),
        ("石峰区", "****"),
        ("区", "****"),
    ],
)
def test_addresses_keep_the_first_six_characters_and_hide_at_least_three(
    address: str, masked: str
) -> None:
    assert mask_address(address) == masked
    assert mask_value("address", address) == masked


@pytest.mark.parametrize("kind", ["health", "criminal_record"])
@pytest.mark.parametrize(
    "value", ["高血压，长期服药", "2019年因盗窃罪被判处有期徒刑一年", True, False, 3]
)
def test_health_and_criminal_records_are_hidden_whole_whatever_the_value(
    kind: str, value: object
) -> None:
    assert mask_value(kind, value) == HIDDEN == "[已隐藏]"


def test_a_kind_the_module_does_not_know_is_hidden_whole() -> None:
    assert mask_value("bank_account", "6222020000000000000") == HIDDEN


def test_mask_value_leaves_empty_and_non_text_values_alone() -> None:
    assert mask_value("phone", "") == ""
    assert mask_value("phone", None) is None
    assert mask_value("name", 42) == 42
    assert mask_value("health", None) is None  # nothing there, nothing to hide


def test_a_list_of_phones_is_masked_one_by_one_and_a_record_under_a_kind_is_hidden() -> None:
    assert mask_value("phone", ["13812345678", "0731-22881234"]) == ["138****5678", "073****1234"]
    assert mask_value("name", {"first": "晓燕"}) == HIDDEN


# --- fields of a case ---------------------------------------------------------------------

EXAMPLE = {
    "name": ("王晓燕", "王*燕"),
    "phone": ("13812345678", "138****5678"),
    "id_number": (ID, mask_id_number(ID)),
    "address": ("株洲市石峰区田心街道东门路88号", "株洲市石峰区****"),
    "health": ("轻度听力障碍", HIDDEN),
    "criminal_record": ("无", HIDDEN),
}
assert set(EXAMPLE) == PERSONAL_KINDS


def field(name: str, kind: str | None = None, **extra: object) -> FieldSpec:
    return FieldSpec(name=name, type="string", label=name, personal=kind, **extra)  # type: ignore[arg-type]


PARTY_ITEMS = (
    field("kind"),
    *(field(f"p_{kind}", kind) for kind in sorted(PERSONAL_KINDS)),
)
SPECS = (
    field("summary"),
    *(field(f"c_{kind}", kind) for kind in sorted(PERSONAL_KINDS)),
    FieldSpec(name="parties", type="list", label="当事人", items=PARTY_ITEMS),
)


def record(prefix: str) -> dict[str, object]:
    return {f"{prefix}_{kind}": whole for kind, (whole, _) in EXAMPLE.items()}


def case_fields() -> dict[str, object]:
    return {
        "summary": "13812345678 反映噪音",  # not personal: a free text is shown as written
        **record("c"),
        "parties": [{"kind": "person", **record("p")}, {"kind": "person", **record("p")}],
    }


SHOWN_SETS = [frozenset(), *(frozenset({k}) for k in sorted(PERSONAL_KINDS)), PERSONAL_KINDS]


@pytest.mark.parametrize("shown", SHOWN_SETS, ids=lambda s: ",".join(sorted(s)) or "none")
def test_every_kind_is_masked_at_the_top_and_inside_records_unless_it_is_shown(
    shown: frozenset[str],
) -> None:
    fields = case_fields()
    masked = mask_fields(fields, SPECS, shown)
    assert masked["summary"] == "13812345678 反映噪音"
    for kind, (whole, mask) in EXAMPLE.items():
        expected = whole if kind in shown else mask
        assert masked[f"c_{kind}"] == expected, kind
        for party in masked["parties"]:  # type: ignore[attr-defined]
            assert party[f"p_{kind}"] == expected, kind
            assert party["kind"] == "person"
    assert fields == case_fields()  # the original is untouched


def test_values_masking_cannot_read_are_left_as_they_are() -> None:
    fields = {
        "parties": ["not a record", {"p_phone": "13812345678", "extra": "13812345678"}],
        "unknown_field": "13812345678",
    }
    masked = mask_fields(fields, SPECS)
    assert masked["parties"] == ["not a record", {"p_phone": "138****5678", "extra": "13812345678"}]
    assert masked["unknown_field"] == "13812345678"  # not a field of these specs
    assert mask_fields({"parties": "oops"}, SPECS) == {"parties": "oops"}


def test_the_older_form_with_a_map_of_kinds_still_masks_top_level_fields() -> None:
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
        "address": "address",
    }
    assert mask_fields(fields, personal) == {
        "caller_name": "王*燕",
        "caller_phone": "138****5678",
        "caller_id_number": "110105********002X",
        "content": "13812345678 反映噪音",
        "urgency": "normal",
        "address": None,
    }
    shown = mask_fields(fields, personal, frozenset({"phone"}))
    assert (shown["caller_phone"], shown["caller_name"]) == ("13812345678", "王*燕")
    assert fields["caller_phone"] == "13812345678"


def test_personal_kinds_lists_the_kinds_that_hold_a_value_records_included() -> None:
    assert personal_kinds(case_fields(), SPECS) == PERSONAL_KINDS
    only_records = {"c_phone": "", "parties": [{"kind": "person", "p_health": "轻度听力障碍"}]}
    assert personal_kinds(only_records, SPECS) == {"health"}
    assert personal_kinds({"summary": "x", "c_name": None, "parties": []}, SPECS) == frozenset()
    assert personal_kinds({"caller_phone": "13812345678"}, {"caller_phone": "phone"}) == {"phone"}


def test_personal_paths_name_every_masked_value_in_field_and_record_order() -> None:
    fields = {
        "c_phone": "13812345678",
        "c_name": "王晓燕",
        "parties": [
            {"kind": "organisation", "p_name": "株洲某某建材有限公司"},
            {"kind": "person", "p_name": "李四", "p_id_number": ID, "p_phone": ""},
        ],
    }
    assert personal_paths(fields, SPECS) == [
        "c_name",
        "c_phone",
        "parties[0].p_name",
        "parties[1].p_id_number",
        "parties[1].p_name",
    ]
    assert personal_paths(fields, SPECS, frozenset({"name"})) == [
        "c_phone",
        "parties[1].p_id_number",
    ]
    assert personal_paths(fields, SPECS, PERSONAL_KINDS) == []


# --- properties ---------------------------------------------------------------------------

births = st.dates(min_value=date(1900, 1, 1), max_value=date(2023, 12, 31))
valid_ids = st.builds(
    lambda d, seq: synthetic_id(d.strftime("%Y%m%d"), f"{seq:03d}"),
    births,
    st.integers(0, 999),
)
phones = st.from_regex(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}", fullmatch=True)


@given(valid_ids)
def test_a_masked_id_number_never_contains_the_whole_number(number: str) -> None:
    masked = mask_id_number(number)
    assert number not in masked
    assert masked[6:14] == "********"  # the birth date is always hidden
    fields = {"parties": [{"p_id_number": number}], "c_id_number": number}
    assert number not in repr(mask_fields(fields, SPECS))


@given(phones)
def test_a_masked_phone_never_contains_the_whole_number(phone: str) -> None:
    assert phone not in mask_phone(phone)
    assert phone.replace("-", "") not in mask_phone(phone)
    fields = {"parties": [{"p_phone": phone}], "c_phone": phone}
    masked = repr(mask_fields(fields, SPECS, frozenset({"id_number", "name"})))
    assert phone not in masked
