"""validate_inputs over a whole set of inputs: lists of records (with a path for each
fault), links to other cases, and every problem reported at once."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.domain.case_type.spec import FieldSpec
from fazhi.domain.errors import Problem
from fazhi.domain.inputs import DEFAULT_MAX_ITEMS, LinkResolver, normalise, validate_inputs
from fazhi.domain.units import UnitRef
from tests.domain.synthetic_ids import synthetic_credit_code, synthetic_id

ID = synthetic_id("19800101", "003")
CODE = synthetic_credit_code("MA4L0000")
TX = UnitRef(5, "SF-TX", "田心街道", "street", "/1/5/")


def resolve_unit(value: Any) -> UnitRef | None:
    return TX if value in {"SF-TX", 5} else None


PARTY_ITEMS = (
    FieldSpec(
        "kind",
        "enum",
        "类别",
        required=True,
        choices=(("person", "自然人"), ("organisation", "单位")),
    ),
    FieldSpec("name", "person_name", "姓名或名称", required=True, personal="name"),
    FieldSpec(
        "id_number",
        "id_number",
        "身份证号",
        personal="id_number",
        required_if=(("kind", ("person",)),),
    ),
    FieldSpec(
        "credit_code", "credit_code", "统一社会信用代码", required_if=(("kind", ("organisation",)),)
    ),
    FieldSpec("phone", "phone", "联系电话", personal="phone"),
    FieldSpec(
        "role",
        "enum",
        "地位",
        choices=(("applicant", "申请人"), ("respondent", "被申请人")),
        default="applicant",
    ),
    FieldSpec(
        "file_no",
        "string",
        "卷宗号",
        pattern=r"[A-Z]{2}\d{4}",
        pattern_message="卷宗号应为两位大写字母加四位数字",
    ),
    FieldSpec("street", "unit", "所在街道"),
    FieldSpec("fine", "money", "罚款", min=0),
)
PARTIES = FieldSpec("parties", "list", "当事人", items=PARTY_ITEMS, min_items=2, max_items=5)
SUMMARY = FieldSpec("summary", "text", "纠纷概要", required=True)
SPECS = (SUMMARY, PARTIES)


def person(**extra: Any) -> dict[str, Any]:
    return {"kind": "person", "name": "张三", "id_number": ID, **extra}


def organisation(**extra: Any) -> dict[str, Any]:
    return {"kind": "organisation", "name": "株洲某某建材有限公司", "credit_code": CODE, **extra}


def check(
    raw: dict[str, Any], specs: tuple[FieldSpec, ...] = SPECS
) -> tuple[dict[str, Any], list[Problem]]:
    return validate_inputs(specs, raw, {}, resolve_unit)


def faults(
    raw: dict[str, Any], specs: tuple[FieldSpec, ...] = SPECS
) -> list[tuple[str, str | None, str]]:
    clean, problems = check(raw, specs)
    assert problems, clean
    return [(p.code, p.field, p.message) for p in problems]


# --- records ----------------------------------------------------------------------------------


def test_records_are_stored_normalised_with_their_defaults() -> None:
    clean, problems = check(
        {
            "summary": "邻里纠纷",
            "parties": [
                person(id_number=ID.lower(), phone="13812345678", street="SF-TX", fine="200"),
                organisation(role="respondent", file_no="TJ0001"),
            ],
        }
    )
    assert problems == []
    assert clean["parties"] == [
        {
            "kind": "person",
            "name": "张三",
            "id_number": ID,
            "phone": "13812345678",
            "role": "applicant",
            "street": 5,  # records hold JSON: a unit by its id
            "fine": "200.00",
        },
        {
            "kind": "organisation",
            "name": "株洲某某建材有限公司",
            "credit_code": CODE,
            "role": "respondent",
            "file_no": "TJ0001",
        },
    ]


def test_required_if_inside_a_record_reads_that_record() -> None:
    # The organisation needs no ID number; the person needs one, and its own kind says so.
    assert faults({"summary": "x", "parties": [organisation(), person(id_number="")]}) == [
        ("required", "parties[1].id_number", "当事人第2项：请填写身份证号")
    ]
    assert faults({"summary": "x", "parties": [person(), organisation(credit_code=None)]}) == [
        ("required", "parties[1].credit_code", "当事人第2项：请填写统一社会信用代码")
    ]


def test_every_fault_of_every_record_is_reported_with_its_path() -> None:
    got = faults(
        {
            "parties": [
                person(id_number=ID[:17] + ("1" if ID[17] != "1" else "2"), phone="12345"),
                {"kind": "alien", "name": ""},
                organisation(credit_code=CODE[:17], file_no="tj1", nickname="老张", fine="-1"),
            ],
        }
    )
    assert got == [
        (
            "invalid_value",
            "parties[0].id_number",
            "当事人第1项：身份证号不是有效的身份证号码（校验位不符），请核对每一位",
        ),
        (
            "invalid_value",
            "parties[0].phone",
            "当事人第1项：联系电话格式不正确（手机号11位，或带区号的固定电话）",
        ),
        ("invalid_value", "parties[1].kind", "当事人第2项：类别只能是：自然人、单位"),
        ("required", "parties[1].name", "当事人第2项：请填写姓名或名称"),
        ("unknown_field", "parties[2].nickname", "当事人第3项：不认识的字段：nickname"),
        ("invalid_value", "parties[2].credit_code", "当事人第3项：统一社会信用代码应为18位"),
        ("invalid_value", "parties[2].file_no", "当事人第3项：卷宗号应为两位大写字母加四位数字"),
        ("invalid_value", "parties[2].fine", "当事人第3项：罚款不能小于0元"),
        ("required", "summary", "请填写纠纷概要"),
    ]


def test_a_unit_inside_a_record_must_exist() -> None:
    assert faults({"summary": "x", "parties": [person(street="SF-NOPE"), organisation()]}) == [
        ("unknown_unit", "parties[0].street", "当事人第1项：所在街道：找不到单位 SF-NOPE")
    ]


@pytest.mark.parametrize("value", ["张三", 3, {"kind": "person"}, True])
def test_a_list_field_needs_a_list(value: Any) -> None:
    assert faults({"summary": "x", "parties": value}) == [
        ("invalid_value", "parties", "当事人应为若干条记录的列表")
    ]


def test_each_item_must_be_a_record() -> None:
    assert faults({"summary": "x", "parties": [person(), "李四", ["王五"]]}) == [
        ("invalid_value", "parties[1]", "当事人第2项应为一条记录"),
        ("invalid_value", "parties[2]", "当事人第3项应为一条记录"),
    ]


# --- counts -----------------------------------------------------------------------------------


def test_too_few_records_is_a_problem_of_the_list_and_the_records_are_still_checked() -> None:
    assert faults({"summary": "x", "parties": [person(name="")]}) == [
        ("too_few", "parties", "当事人至少2项"),
        ("required", "parties[0].name", "当事人第1项：请填写姓名或名称"),
    ]


def test_too_many_records_is_refused_without_reading_them() -> None:
    assert faults({"summary": "x", "parties": [{"bad": 1}] * 6}) == [
        ("too_many", "parties", "当事人最多5项")
    ]


def test_a_list_with_a_minimum_is_required() -> None:
    for absent in (
        {"summary": "x"},
        {"summary": "x", "parties": []},
        {"summary": "x", "parties": None},
    ):
        assert faults(absent) == [("required", "parties", "请填写当事人（至少2项）")]


def test_an_optional_list_may_be_absent_and_has_a_bound_anyway() -> None:
    sessions = FieldSpec(
        "sessions", "list", "调解记录", items=(FieldSpec("place", "string", "地点"),)
    )
    assert check({}, (sessions,)) == ({}, [])
    clean, problems = check(
        {"sessions": [{"place": "田心街道调委会"}] * DEFAULT_MAX_ITEMS}, (sessions,)
    )
    assert problems == [] and len(clean["sessions"]) == 200
    assert faults({"sessions": [{}] * (DEFAULT_MAX_ITEMS + 1)}, (sessions,)) == [
        ("too_many", "sessions", "调解记录最多200项")
    ]


def test_lists_do_not_nest() -> None:
    inner = FieldSpec("attendees", "list", "参加人", items=(FieldSpec("name", "string", "姓名"),))
    sessions = FieldSpec("sessions", "list", "调解记录", items=(inner,))
    assert faults({"sessions": [{"attendees": [{"name": "张三"}]}]}, (sessions,)) == [
        ("unsupported_type", "sessions", "调解记录：记录中不能再含列表")
    ]


def test_normalise_of_a_list_gives_its_first_problem() -> None:
    clean, problem = normalise(PARTIES, [person(name=""), person(phone="1")], resolve_unit)
    assert clean is None
    assert problem == Problem("required", "当事人第1项：请填写姓名或名称", "parties[0].name")
    clean, problem = normalise(PARTIES, [person(), organisation()], resolve_unit)
    assert problem is None and len(clean) == 2


# --- links to cases ---------------------------------------------------------------------------

SOURCE = FieldSpec("source_case", "case_link", "来源工单", link_types=("hotline",))
ANY_CASE = FieldSpec("related", "case_link", "关联案件")
CASES = {123: "hotline", 77: "mediation"}


def resolve_link(case_id: int) -> tuple[int, str] | None:
    return (case_id, CASES[case_id]) if case_id in CASES else None


def linked(
    raw: dict[str, Any], resolver: LinkResolver | None = resolve_link
) -> tuple[dict[str, Any], list[Problem]]:
    return validate_inputs((SOURCE, ANY_CASE), raw, {}, resolve_unit, resolve_link=resolver)


@pytest.mark.parametrize("value", [123, "123", "RX202306010000123"])
def test_a_link_is_stored_as_the_targets_id(value: Any) -> None:
    assert linked({"source_case": value}) == ({"source_case": 123}, [])


def test_a_link_to_a_type_not_named_is_refused_and_without_link_types_any_type_will_do() -> None:
    clean, problems = linked({"source_case": 77, "related": 77})
    assert clean == {"related": 77}
    assert problems == [
        Problem("wrong_case_type", "来源工单只能关联以下类型的案件：hotline", "source_case")
    ]


def test_a_link_to_no_case_is_refused() -> None:
    _, problems = linked({"source_case": "RX202306010000999", "related": "第123号"})
    assert problems == [
        Problem("unknown_case", "来源工单：找不到案件 RX202306010000999", "source_case"),
        Problem("invalid_value", "关联案件应为案件编号（如 RX202306010000123）或案件ID", "related"),
    ]


def test_without_a_resolver_every_link_is_refused() -> None:
    _, problems = linked({"source_case": 123}, resolver=None)
    assert problems == [
        Problem("link_unavailable", "来源工单：此处不能关联其他案件", "source_case")
    ]
    # The positional call of before still works, and refuses a link the same way.
    _, problems = validate_inputs((SOURCE,), {"source_case": 123}, {}, resolve_unit)
    assert [p.code for p in problems] == ["link_unavailable"]


def test_a_link_inside_a_record_carries_its_path() -> None:
    linked_items = FieldSpec("links", "list", "关联", items=(SOURCE,))
    _, problems = validate_inputs(
        (linked_items,),
        {"links": [{"source_case": 123}, {"source_case": 77}]},
        {},
        resolve_unit,
        resolve_link=resolve_link,
    )
    assert problems == [
        Problem(
            "wrong_case_type",
            "关联第2项：来源工单只能关联以下类型的案件：hotline",
            "links[1].source_case",
        )
    ]


def test_a_missing_choice_asks_to_choose_and_a_missing_text_asks_to_fill_in() -> None:
    specs = (
        FieldSpec("kind", "enum", "类别", required=True, choices=(("a", "甲"), ("b", "乙"))),
        FieldSpec("street", "unit", "所在街道", required=True),
        FieldSpec("streets", "unit_list", "协办街道", required=True),
        FieldSpec("summary", "text", "概要", required=True),
        FieldSpec("on", "date", "日期", required=True),
    )
    _, problems = validate_inputs(specs, {}, {}, resolve_unit)
    assert {p.field: p.message for p in problems} == {
        "kind": "请选择类别",
        "street": "请选择所在街道",
        "streets": "请选择协办街道",
        "summary": "请填写概要",
        "on": "请填写日期",
    }
