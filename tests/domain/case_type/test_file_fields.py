"""`fields:` of a type file: every field type and key becomes its FieldSpec, and keys that do
not fit the field are refused with their path."""

from __future__ import annotations

import pytest

from tests.domain.case_type.support import assert_fault, minimal, parse, with_yaml


def test_a_list_field_holds_records_with_their_own_fields() -> None:
    raw = with_yaml("""
fields:
  parties:
    type: list
    label: 当事人
    min_items: 2
    max_items: 20
    items:
      kind:
        type: enum
        label: 类别
        required: true
        choices: {person: 自然人, organisation: 单位}
      name: {type: person_name, label: 姓名或名称, personal: name, required: true}
      id_number:
        {type: id_number, label: 身份证号, personal: id_number, required_if: {kind: person}}
      credit_code: {type: credit_code, label: 统一社会信用代码, required_if: {kind: [organisation]}}
""")
    parties = parse(raw).field("parties")
    assert parties is not None
    assert (parties.type, parties.min_items, parties.max_items) == ("list", 2, 20)
    assert [f.name for f in parties.items] == ["kind", "name", "id_number", "credit_code"]
    assert parties.item("id_number").required_if == (("kind", ("person",)),)  # type: ignore[union-attr]
    assert parties.item("credit_code").required_if == (("kind", ("organisation",)),)  # type: ignore[union-attr]
    assert parties.personal_items == {"name": "name", "id_number": "id_number"}


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ({"type": "money", "label": "金额", "min": 0, "max": 1000000}, ("money", 0, 1000000)),
        ({"type": "int", "label": "次数", "min": 1, "max": 10}, ("int", 1, 10)),
        ({"type": "number", "label": "经度", "min": 73.5}, ("number", 73.5, None)),
    ],
)
def test_number_fields_keep_their_bounds(
    field: dict[str, object], expected: tuple[object, ...]
) -> None:
    spec = parse(with_yaml("", fields={**minimal()["fields"], "x": field})).field("x")
    assert spec is not None and (spec.type, spec.min, spec.max) == expected


def test_a_pattern_and_its_message() -> None:
    raw = with_yaml(r"""
fields:
  code:
    type: string
    label: 编号
    pattern: '^[A-Z]{2}\d{4}$'
    pattern_message: 编号应为两位大写字母加四位数字
""")
    code = parse(raw).field("code")
    assert code is not None
    assert (code.pattern, code.pattern_message) == (
        r"^[A-Z]{2}\d{4}$",
        "编号应为两位大写字母加四位数字",
    )


def test_a_case_link_names_the_types_it_may_point_to_and_what_it_prefills() -> None:
    raw = with_yaml("""
fields:
  source_case:
    type: case_link
    label: 来源工单
    link_types: [hotline]
    prefill: {site: address, phone: caller_phone}
""")
    link = parse(raw).field("source_case")
    assert link is not None
    assert link.link_types == ("hotline",)
    assert link.prefill == (("site", "address"), ("phone", "caller_phone"))


def test_personal_kinds_datetime_help_and_internal() -> None:
    raw = with_yaml("""
fields:
  home: {type: string, label: 住址, personal: address, help: 写到门牌号}
  illness: {type: text, label: 病情, personal: health}
  record: {type: text, label: 前科, personal: criminal_record}
  visited_at: {type: datetime, label: 走访时间, internal: true}
""")
    spec = parse(raw)
    assert spec.personal_fields["home"] == "address"
    assert spec.personal_fields["illness"] == "health"
    assert spec.personal_fields["record"] == "criminal_record"
    assert spec.field("home").help == "写到门牌号"  # type: ignore[union-attr]
    assert spec.field("visited_at").internal  # type: ignore[union-attr]


def test_choices_may_name_a_choice_set() -> None:
    raw = with_yaml("fields: {colour: {type: enum, label: 颜色, choices: colours}}")
    assert parse(raw).field("colour").choices == (("red", "红"), ("blue", "蓝"))  # type: ignore[union-attr]


def test_defaults_are_stored_as_the_field_stores_values() -> None:
    raw = with_yaml("""
fields:
  fee: {type: money, label: 费用, default: 12.5}
  due: {type: date, label: 期限, default: 2023-09-28}
  kind2: {type: enum, label: 类别, default: road, choices: {road: 道路}}
""")
    spec = parse(raw)
    assert spec.field("fee").default == "12.50"  # type: ignore[union-attr]
    assert spec.field("due").default == "2023-09-28"  # type: ignore[union-attr]
    assert spec.field("kind2").default == "road"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ({"type": "idcard", "label": "x"}, "fields.x.type: unknown field type 'idcard'"),
        ({"type": "string", "label": "x", "colour": "red"}, "fields.x: unknown key 'colour'"),
        ({"type": "string"}, "fields.x: missing key 'label'"),
        (
            {"type": "string", "label": "x", "required": "yes"},
            "fields.x.required: expected true or false",
        ),
        ({"type": "enum", "label": "x"}, "fields.x: an enum field needs choices"),
        (
            {"type": "enum", "label": "x", "choices": "nope"},
            "fields.x.choices: unknown choice set 'nope'",
        ),
        (
            {"type": "enum", "label": "x", "choices": {True: "是"}},
            "fields.x.choices.True: keys must be text",
        ),
        (
            {"type": "string", "label": "x", "choices": {"a": "甲"}},
            "fields.x.choices: only enum fields",
        ),
        (
            {"type": "string", "label": "x", "personal": "blood"},
            "fields.x.personal: unknown personal kind 'blood'",
        ),
        (
            {"type": "string", "label": "x", "pattern": "(["},
            "fields.x.pattern: bad regular expression",
        ),
        (
            {"type": "int", "label": "x", "pattern": "a"},
            "fields.x.pattern: only string and text fields",
        ),
        ({"type": "string", "label": "x", "pattern_message": "m"}, "fields.x.pattern_message"),
        ({"type": "string", "label": "x", "min": 1}, "fields.x.min: only int, number and money"),
        (
            {"type": "int", "label": "x", "min": 5, "max": 1},
            "fields.x.min: min is greater than max",
        ),
        ({"type": "int", "label": "x", "max_length": 3}, "fields.x.max_length: only text fields"),
        ({"type": "list", "label": "x"}, "fields.x: a list field needs items"),
        (
            {"type": "string", "label": "x", "items": {}},
            "fields.x.items: only list fields have items",
        ),
        ({"type": "string", "label": "x", "min_items": 1}, "fields.x.min_items: only list fields"),
        (
            {
                "type": "list",
                "label": "x",
                "items": {"y": {"type": "list", "label": "y", "items": {}}},
            },
            "fields.x.items.y.type: a list's items cannot be lists",
        ),
        (
            {
                "type": "list",
                "label": "x",
                "items": {"id_number": {"type": "idcard", "label": "y"}},
            },
            "fields.x.items.id_number.type: unknown field type 'idcard'",
        ),
        (
            {
                "type": "list",
                "label": "x",
                "items": {"a": {"type": "string", "label": "a", "required_if": {"b": 1}}},
            },
            "fields.x.items.a.required_if.b: unknown field 'b'",
        ),
        (
            {"type": "list", "label": "x", "items": {"Bad": {"type": "string", "label": "b"}}},
            "fields.x.items.Bad: bad name",
        ),
        ({"type": "case_link", "label": "x"}, "fields.x: a case_link field needs link_types"),
        (
            {"type": "string", "label": "x", "link_types": ["hotline"]},
            "fields.x.link_types: only case_link",
        ),
        (
            {"type": "case_link", "label": "x", "link_types": ["a"], "prefill": {"nope": "y"}},
            "fields.x.prefill.nope: unknown field 'nope'",
        ),
        (
            {"type": "case_link", "label": "x", "link_types": ["a"], "prefill": {"count": "y"}},
            "fields.x.prefill.count: 'count' is internal",
        ),
        (
            {"type": "enum", "label": "x", "choices": {"a": "甲"}, "default": "b"},
            "fields.x.default: 'b' is not a choice",
        ),
        (
            {"type": "date", "label": "x", "default": "now"},
            "fields.x.default: 'x' is a date field: 'now' is not a date",
        ),
        (
            {"type": "int", "label": "x", "default": "3"},
            "fields.x.default: 'x' is an int field: expected a whole number",
        ),
        (
            {"type": "money", "label": "x", "default": 1.234},
            "fields.x.default: 'x' is a money field: 1.234 has more than two decimals",
        ),
        (
            {"type": "phone", "label": "x", "default": "123"},
            "fields.x.default: 'x' is a phone field: '123' is not a valid phone",
        ),
        (
            {"type": "string", "label": "x", "required_if": {"kind": "boat"}},
            "fields.x.required_if.kind: 'boat' is not a choice of 'kind'",
        ),
    ],
)
def test_a_malformed_field_is_refused_with_its_path(
    field: dict[str, object], expected: str
) -> None:
    raw = minimal()
    raw["fields"]["x"] = field
    assert_fault(raw, expected)


def test_a_field_name_is_lower_case() -> None:
    raw = minimal()
    raw["fields"]["Site"] = {"type": "string", "label": "地点"}
    assert_fault(raw, "fields.Site: bad name 'Site'")


def test_fields_must_be_a_mapping() -> None:
    assert_fault(minimal(fields=["site"]), "fields: expected a mapping")
