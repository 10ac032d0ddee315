"""An action's `guards:`: every kind of guard becomes its Guard spec with its references
resolved, and a malformed or dangling guard is refused with its path."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.domain.case_type import Guard, Ref
from tests.domain.case_type.support import assert_fault, parse, with_yaml

DOCS = """
documents:
  decision:
    label: 处罚决定书
    fields:
      amount: {type: money, label: 罚款金额, required: true}
      signed_on: {type: date, label: 签发日期}
  approval:
    label: 审批表
    fields:
      amount: {type: money, label: 批准金额, required: true}
  evidence: {label: 证据}
fields:
  parties:
    type: list
    label: 当事人
    items:
      name: {type: person_name, label: 姓名, required: true}
clocks:
  review: {label: 审查, basis: 测试规则, start: [apply], stop: [close], limit: 3wd}
"""


def guards_of(*guards: dict[str, Any], inputs: dict[str, Any] | None = None) -> tuple[Guard, ...]:
    raw = with_yaml(DOCS)
    raw["actions"]["close"]["guards"] = list(guards)
    raw["actions"]["close"]["inputs"] = inputs or {}
    action = parse(raw).action("close")
    assert action is not None
    return action.guards


def refused(expected: str, *guards: Any, inputs: dict[str, Any] | None = None) -> None:
    raw = with_yaml(DOCS)
    raw["actions"]["close"]["guards"] = list(guards)
    raw["actions"]["close"]["inputs"] = inputs or {}
    assert_fault(raw, expected)


def test_a_field_guard_keeps_the_reference_as_written_and_parsed() -> None:
    (guard,) = guards_of({"field": "count", "lt": 3, "message": "已派单3次"})
    assert (guard.kind, guard.target, guard.op, guard.value) == ("field", "count", "lt", 3)
    assert guard.left == Ref("field", "count")
    assert guard.message == "已派单3次"


def test_an_input_and_a_document_field_are_references_too() -> None:
    first, second = guards_of(
        {"field": "input.cap", "le": 100, "message": "上限"},
        {"field": "document.decision.signed_on", "present": True, "message": "请先签发"},
        inputs={"cap": {"type": "int", "label": "上限"}},
    )
    assert first.left == Ref("input", "cap")
    assert second.left == Ref("document", "decision", "signed_on")
    assert (second.op, second.value) == ("present", None)


def test_a_field_compares_with_another_reference() -> None:
    (guard,) = guards_of(
        {
            "field": "document.decision.amount",
            "eq": {"field": "document.approval.amount"},
            "message": "金额不一致",
        }
    )
    assert guard.left == Ref("document", "decision", "amount")
    assert guard.right == Ref("document", "approval", "amount")
    assert guard.value is None


def test_in_and_not_in_take_lists_of_choices() -> None:
    (guard,) = guards_of({"field": "kind", "in": ["road", "building"], "message": "类别"})
    assert (guard.op, guard.value) == ("in", ["road", "building"])


def test_counts_of_records_and_of_documents() -> None:
    records, documents = guards_of(
        {"count": "parties", "ge": 2, "message": "当事人不少于2人"},
        {"count": "document.evidence", "ge": 1, "message": "至少一份证据"},
    )
    assert records.left == Ref("field", "parties", count=True)
    assert (records.kind, records.op, records.value) == ("field", "ge", 2)
    assert documents.left == Ref("document", "evidence", count=True)


def test_a_document_requirement_is_a_count_of_at_least_one() -> None:
    (guard,) = guards_of({"document": "decision", "message": "请先制作决定书"})
    assert guard.kind == "field"
    assert guard.left == Ref("document", "decision", count=True)
    assert (guard.op, guard.value, guard.target) == ("ge", 1, "document.decision")


def test_all_any_and_not_combine_guards() -> None:
    both, either, neither = guards_of(
        {
            "all": [{"field": "site", "present": True}, {"field": "kind", "present": True}],
            "message": "a",
        },
        {"any": [{"mark": "key_supervision"}, {"clock_within": "review"}], "message": "b"},
        {"not": {"mark": "open_challenge"}, "message": "c"},
    )
    assert both.kind == "all" and [c.target for c in both.children] == ["site", "kind"]
    assert either.kind == "any" and [c.kind for c in either.children] == ["mark", "clock_within"]
    assert neither.kind == "not" and neither.children == (Guard("mark", "open_challenge"),)
    assert neither.message == "c"


def test_clock_and_mark_guards() -> None:
    clock, mark, no_mark = guards_of(
        {"clock_within": "review", "message": "已超时"},
        {"mark": "open_challenge", "message": "没有挂榜"},
        {"no_mark": "open_challenge", "message": "已挂榜"},
    )
    assert (clock.kind, clock.target) == ("clock_within", "review")
    assert (mark.kind, mark.target) == ("mark", "open_challenge")
    assert (no_mark.kind, no_mark.target) == ("no_mark", "open_challenge")


def test_a_create_guard_reads_the_inputs_as_fields() -> None:
    raw = with_yaml("")
    raw["actions"]["apply"]["guards"] = [{"field": "amount", "le": 200, "message": "不超过200元"}]
    (guard,) = parse(raw).action("apply").guards  # type: ignore[union-attr]
    assert guard.left == Ref("field", "amount") and guard.value == 200


@pytest.mark.parametrize(
    ("guard", "expected"),
    [
        ({"any_of": [], "message": "x"}, "actions.close.guards[0]: unknown key 'any_of'"),
        (
            {"field": "site", "present": True, "colour": 1, "message": "x"},
            "actions.close.guards[0]: unknown key 'colour'",
        ),
        (
            {"field": "site", "message": "x"},
            "actions.close.guards[0]: a comparison needs exactly one of",
        ),
        (
            {"field": "site", "eq": "a", "ne": "b", "message": "x"},
            "actions.close.guards[0]: a comparison needs exactly one of",
        ),
        ({"field": "site", "present": True}, "actions.close.guards[0]: missing key 'message'"),
        (
            {"field": "site", "mark": "x", "message": "x"},
            "actions.close.guards[0]: a guard has one kind key",
        ),
        ("site", "actions.close.guards[0]: a guard is a mapping"),
        (
            {"field": "colour", "eq": "red", "message": "x"},
            "actions.close.guards[0].field: unknown field 'colour'",
        ),
        (
            {"field": "input.nope", "present": True, "message": "x"},
            "actions.close.guards[0].field: unknown input 'nope'",
        ),
        (
            {"field": "document.ghost.amount", "present": True, "message": "x"},
            "actions.close.guards[0].field: unknown document kind 'ghost'",
        ),
        (
            {"field": "document.decision.colour", "present": True, "message": "x"},
            "actions.close.guards[0].field: document kind 'decision' has no field 'colour'",
        ),
        (
            {"field": "document.decision", "present": True, "message": "x"},
            "actions.close.guards[0].field: 'document.decision' names no field",
        ),
        (
            {"field": "a.b", "present": True, "message": "x"},
            "actions.close.guards[0].field: unknown reference 'a.b'",
        ),
        (
            {"field": "site", "present": False, "message": "x"},
            "actions.close.guards[0].present: present takes true",
        ),
        (
            {"field": "site", "lt": 3, "message": "x"},
            "actions.close.guards[0].lt: lt compares numbers, amounts or dates",
        ),
        (
            {"field": "kind", "eq": "boat", "message": "x"},
            "actions.close.guards[0].eq: 'boat' is not a choice of 'kind'",
        ),
        (
            {"field": "kind", "in": ["road", "boat"], "message": "x"},
            "actions.close.guards[0].in[1]: 'boat' is not a choice",
        ),
        (
            {"field": "kind", "in": "road", "message": "x"},
            "actions.close.guards[0].in: expected a list",
        ),
        (
            {"field": "amount", "le": "200", "message": "x"},
            "actions.close.guards[0].le: 'amount' is a money field",
        ),
        (
            {"field": "decided_on", "ge": "now", "message": "x"},
            "actions.close.guards[0].ge: 'decided_on' is a date field: 'now' is not a date",
        ),
        (
            {"field": "amount", "eq": {"field": "site"}, "message": "x"},
            "actions.close.guards[0].eq: cannot compare a money field with a string field",
        ),
        (
            {"field": "amount", "eq": {"field": "ghost"}, "message": "x"},
            "actions.close.guards[0].eq.field: unknown field 'ghost'",
        ),
        (
            {"field": "amount", "eq": {"value": 3}, "message": "x"},
            "actions.close.guards[0].eq: expected a value or {field: REF}",
        ),
        (
            {"count": "site", "ge": 1, "message": "x"},
            "actions.close.guards[0].count: count takes a list field",
        ),
        (
            {"count": "document.ghost", "ge": 1, "message": "x"},
            "actions.close.guards[0].count: unknown document kind 'ghost'",
        ),
        (
            {"count": "parties", "ge": -1, "message": "x"},
            "actions.close.guards[0].ge: a count compares with a whole number",
        ),
        (
            {"count": "parties", "present": True, "message": "x"},
            "actions.close.guards[0]: unknown key 'present'",
        ),
        (
            {"document": "ghost", "message": "x"},
            "actions.close.guards[0].document: unknown document kind 'ghost'",
        ),
        (
            {"clock_within": "ghost", "message": "x"},
            "actions.close.guards[0].clock_within: unknown clock 'ghost'",
        ),
        ({"all": [], "message": "x"}, "actions.close.guards[0].all: expected at least 1 item"),
        (
            {"all": [{"field": "ghost", "present": True}], "message": "x"},
            "actions.close.guards[0].all[0].field: unknown field 'ghost'",
        ),
        (
            {"any": [{"any_of": 1}], "message": "x"},
            "actions.close.guards[0].any[0]: unknown key 'any_of'",
        ),
        (
            {"not": {"mark": "a", "eq": 1}, "message": "x"},
            "actions.close.guards[0].not: unknown key 'eq'",
        ),
    ],
)
def test_a_malformed_guard_is_refused_with_its_path(guard: Any, expected: str) -> None:
    refused(expected, guard)
