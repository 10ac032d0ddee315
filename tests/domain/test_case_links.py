"""Links between cases in the domain (domain.case_links): what a link input may name, which
types may be opened from a case, and what a linked case copies from its source — never
personal data the user would see masked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fazhi.domain.case_links import (
    case_id_from_reference,
    format_case_number,
    link_targets,
    openers,
    prefill_values,
)
from fazhi.domain.case_type import ActionSpec, CaseType, FieldSpec, StateSpec

SOURCE_LINK = FieldSpec(
    "source_case",
    "case_link",
    "来源工单",
    link_types=("hotline",),
    prefill=(("summary", "content"), ("phone", "caller_phone"), ("parties", "people")),
)


def a_type(name: str, fields: tuple[FieldSpec, ...]) -> CaseType:
    return CaseType(
        name=name,
        label=name,
        number_prefix="T",
        fields=fields,
        states=(StateSpec("open", "办理中"),),
        actions=(ActionSpec("apply", "申请", (), "open", ("operator",), create=True),),
    )


HOTLINE = a_type(
    "hotline",
    (
        FieldSpec("content", "text", "诉求内容"),
        FieldSpec("caller_phone", "phone", "联系电话", personal="phone"),
        FieldSpec(
            "people",
            "list",
            "涉及人员",
            items=(FieldSpec("name", "person_name", "姓名", personal="name"),),
        ),
    ),
)
MEDIATION = a_type(
    "mediation",
    (
        FieldSpec("summary", "text", "纠纷概要"),
        FieldSpec("phone", "phone", "申请人电话", personal="phone"),
        FieldSpec("parties", "list", "当事人", items=(FieldSpec("name", "person_name", "姓名"),)),
        SOURCE_LINK,
        FieldSpec("court_case", "case_link", "诉讼案件", link_types=("litigation",)),
    ),
)
SOURCE = {"content": "邻里噪音", "caller_phone": "17000001234", "people": [{"name": "测试甲"}]}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (123, 123),
        ("123", 123),
        (" RX202306010000123 ", 123),
        ("rx202306010000123", 123),
        ("GK2023060112345678", 12345678),
        ("RX2023", None),
        ("", None),
        (0, None),
        (True, None),
        (1.5, None),
        ("RX-1", None),
    ],
)
def test_a_link_names_a_case_by_id_or_by_number(value: object, expected: int | None) -> None:
    assert case_id_from_reference(value) == expected


def test_a_number_is_the_prefix_the_local_day_and_the_id() -> None:
    # 17:00 UTC on 05-31 is 01:00 on 06-01 in 石峰区: the number carries the local day.
    created = datetime(2023, 5, 31, 17, 0, tzinfo=UTC)
    number = format_case_number("RX", created, 123)
    assert number == "RX202306010000123"
    assert case_id_from_reference(number) == 123


def test_link_targets_are_the_link_fields_that_hold_an_id() -> None:
    fields = {"source_case": 7, "court_case": None, "summary": "x"}
    assert link_targets(MEDIATION, fields) == {"source_case": 7}


def test_types_with_a_link_to_the_source_type_may_be_opened_from_it() -> None:
    assert [(t.name, f.name) for t, f in openers([HOTLINE, MEDIATION], "hotline")] == [
        ("mediation", "source_case")
    ]
    assert openers([HOTLINE, MEDIATION], "mediation") == []


def test_prefill_copies_personal_data_only_when_the_user_sees_it_whole() -> None:
    whole = prefill_values(MEDIATION, SOURCE_LINK, HOTLINE, SOURCE, lambda kind: True)
    assert whole == {
        "summary": "邻里噪音",
        "phone": "17000001234",
        "parties": [{"name": "测试甲"}],
    }
    masked = prefill_values(MEDIATION, SOURCE_LINK, HOTLINE, SOURCE, lambda kind: False)
    assert masked == {"summary": "邻里噪音"}
    # Seeing phones but not names: a list holding names is not copied.
    phones = prefill_values(MEDIATION, SOURCE_LINK, HOTLINE, SOURCE, lambda k: k == "phone")
    assert phones == {"summary": "邻里噪音", "phone": "17000001234"}


def test_prefill_skips_empty_and_unknown_fields() -> None:
    link = FieldSpec(
        "source_case",
        "case_link",
        "来源",
        link_types=("hotline",),
        prefill=(
            ("summary", "no_such_field"),
            ("no_such_target", "content"),
            ("phone", "caller_phone"),
        ),
    )
    assert prefill_values(MEDIATION, link, HOTLINE, {"caller_phone": ""}, lambda k: True) == {}
