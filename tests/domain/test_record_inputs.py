"""Inputs of the new field types as the console's create form needs them (domain.inputs):
list records checked item by item with problems by path, money in yuan to two decimals,
datetimes from a datetime-local input, and case links by id or number.

(The engine issue's inputs work replaces this minimal validation; these are the behaviours
the console relies on.)"""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.domain.case_type import FieldSpec
from fazhi.domain.inputs import validate_inputs

PARTIES = FieldSpec(
    "parties",
    "list",
    "当事人",
    required=True,
    min_items=1,
    max_items=2,
    items=(
        FieldSpec(
            "kind",
            "enum",
            "类别",
            required=True,
            choices=(("person", "自然人"), ("organisation", "单位")),
        ),
        FieldSpec("name", "person_name", "姓名", required=True),
        FieldSpec("id_number", "id_number", "身份证号", required_if=(("kind", ("person",)),)),
    ),
)
AMOUNT = FieldSpec("amount", "money", "金额", min=0, max=1000)
HEARD = FieldSpec("heard_at", "datetime", "受理时间")
SOURCE = FieldSpec("source", "case_link", "来源工单", link_types=("hotline",))


def check(spec: FieldSpec, value: Any) -> tuple[dict[str, Any], list[tuple[str | None, str]]]:
    clean, problems = validate_inputs((spec,), {spec.name: value}, {}, lambda _: None)
    return clean, [(p.field, p.message) for p in problems]


def test_records_are_checked_item_by_item_with_paths() -> None:
    clean, problems = check(
        PARTIES,
        [
            {"kind": "person", "name": "测试甲", "id_number": "11010519491231002x"},
            {"kind": "person", "name": "测试乙"},
        ],
    )
    assert problems == [("parties[1].id_number", "当事人第2条：请填写身份证号")]
    clean, problems = check(PARTIES, [{"kind": "organisation", "name": "测试单位"}])
    assert (clean, problems) == ({"parties": [{"kind": "organisation", "name": "测试单位"}]}, [])


def test_a_record_normalises_its_values() -> None:
    clean, _ = check(
        PARTIES, [{"kind": "person", "name": " 测试甲 ", "id_number": "11010519491231002x"}]
    )
    assert clean["parties"] == [
        {"kind": "person", "name": "测试甲", "id_number": "11010519491231002X"}
    ]


def test_records_have_their_number_limits_and_no_unknown_keys() -> None:
    too_many = [{"kind": "organisation", "name": f"单位{i}"} for i in range(3)]
    assert check(PARTIES, too_many)[1] == [("parties", "当事人最多2条")]
    assert check(PARTIES, [])[1] == [("parties", "请填写当事人")]
    unknown = check(PARTIES, [{"kind": "organisation", "name": "x", "secret": 1}])[1]
    assert unknown == [("parties[0].secret", "当事人第1条：不认识的字段：secret")]
    assert check(PARTIES, "测试甲")[1] == [("parties", "当事人应为记录列表")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("234.5", "234.50"), (12, "12.00"), ("0", "0.00"), ("1,000", "1000.00"), (" 7.25 ", "7.25")],
)
def test_money_is_kept_as_yuan_with_two_decimals(value: Any, expected: str) -> None:
    assert check(AMOUNT, value) == ({"amount": expected}, [])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12.345", "金额最多保留两位小数（元）"),
        ("-1", "金额不能小于0元"),
        ("1000.01", "金额不能大于1000元"),
        ("十元", "金额应为金额（元）"),
        ("NaN", "金额最多保留两位小数（元）"),
        (True, "金额应为金额（元）"),
    ],
)
def test_money_refusals_say_why(value: Any, message: str) -> None:
    assert check(AMOUNT, value)[1] == [("amount", message)]


def test_a_datetime_without_offset_is_the_district_wall_clock_kept_in_utc() -> None:
    assert check(HEARD, "2023-06-01T08:30") == ({"heard_at": "2023-06-01T00:30:00+00:00"}, [])
    assert check(HEARD, "2023-06-01T08:30:00+00:00")[0] == {"heard_at": "2023-06-01T08:30:00+00:00"}
    assert check(HEARD, "昨天")[1] == [("heard_at", "受理时间应为日期时间（如 2023-09-28 14:30）")]


def test_a_case_link_takes_an_id_or_a_number() -> None:
    assert check(SOURCE, "RX202306010000123") == ({"source": 123}, [])
    assert check(SOURCE, 45) == ({"source": 45}, [])
    assert check(SOURCE, "not a case")[1] == [
        ("source", "来源工单应为案件编号（如 RX202306010000123）")
    ]
