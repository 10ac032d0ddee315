"""An action's `effects:`: `set` reads tokens, inputs, other fields, compute hooks and
literals, each checked against the field it is stored in; the other effects name inputs and
fields that exist."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.domain.case_type import Effects, ValueExpr
from tests.domain.case_type.support import assert_fault, parse, with_yaml

FIELDS = """
fields:
  handler: {type: person_name, label: 承办人, internal: true}
  unit: {type: unit, label: 承办单位, internal: true}
  note: {type: text, label: 说明, internal: true}
  copied_amount: {type: money, label: 金额副本, internal: true}
"""
INPUTS = {
    "days": {"type": "int", "label": "天数"},
    "reason": {"type": "text", "label": "理由"},
    "lead": {"type": "unit", "label": "主办单位"},
    "helpers": {"type": "unit_list", "label": "协办单位"},
    "mark_kind": {"type": "enum", "label": "督办方式", "choices": {"a": "甲"}},
}
HOOKS = {"deadline": "date", "score": "int"}


def effects_of(effects: dict[str, Any]) -> Effects:
    raw = with_yaml(FIELDS)
    raw["actions"]["close"].update(inputs=INPUTS, effects=effects)
    action = parse(raw, compute_hooks=HOOKS).action("close")
    assert action is not None
    return action.effects


def refused(effects: dict[str, Any], expected: str) -> None:
    raw = with_yaml(FIELDS)
    raw["actions"]["close"].update(inputs=INPUTS, effects=effects)
    assert_fault(raw, expected, compute_hooks=HOOKS)


def test_set_reads_tokens_inputs_fields_hooks_and_literals() -> None:
    effects = effects_of(
        {
            "set": {
                "decided_at": "now",
                "decided_on": "today",
                "handler": "actor",
                "unit": "actor_unit",
                "count": "input.days",
                "note": "field.site",
                "site": {"value": "now"},
                "kind": "road",
                "amount": 12,
            }
        }
    )
    assert dict(effects.set) == {
        "decided_at": ValueExpr("token", "now"),
        "decided_on": ValueExpr("token", "today"),
        "handler": ValueExpr("token", "actor"),
        "unit": ValueExpr("token", "actor_unit"),
        "count": ValueExpr("input", "days"),
        "note": ValueExpr("field", "site"),
        "site": ValueExpr("literal", "now"),
        "kind": ValueExpr("literal", "road"),
        "amount": ValueExpr("literal", "12.00"),
    }


def test_a_compute_hook_whose_result_fits_the_field() -> None:
    effects = effects_of({"set": {"decided_on": {"compute": "deadline"}}})
    assert effects.set == (("decided_on", ValueExpr("compute", "deadline")),)


def test_hooks_are_not_checked_when_none_are_given() -> None:
    raw = with_yaml(FIELDS)
    raw["actions"]["close"]["effects"] = {"set": {"decided_on": {"compute": "anything"}}}
    assert parse(raw).action("close").effects.set[0][1] == ValueExpr("compute", "anything")  # type: ignore[union-attr]


def test_units_counters_marks_and_opening() -> None:
    effects = effects_of(
        {
            "assign_lead": "lead",
            "assign_assisting": "helpers",
            "increment": ["count"],
            "clear": ["note"],
            "mark": "input.mark_kind",
            "unmark": "open_challenge",
            "open_to_units": True,
        }
    )
    assert (effects.assign_lead, effects.assign_assisting) == ("lead", "helpers")
    assert (effects.increment, effects.clear) == (("count",), ("note",))
    assert (effects.mark, effects.unmark, effects.open_to_units) == (
        "input.mark_kind",
        "open_challenge",
        True,
    )
    assert effects_of({"assign_lead": "actor_unit", "increment": "count"}).increment == ("count",)


@pytest.mark.parametrize(
    ("effects", "expected"),
    [
        (
            {"set": {"decided_on": "now"}},
            "actions.close.effects.set.decided_on: the token now goes in a datetime field",
        ),
        (
            {"set": {"note": "now"}},
            "actions.close.effects.set.note: the token now goes in a datetime field; "
            "'note' is a text field",
        ),
        (
            {"set": {"decided_at": "today"}},
            "actions.close.effects.set.decided_at: the token today goes in a date field",
        ),
        ({"set": {"count": "actor"}}, "actions.close.effects.set.count: the token actor goes in"),
        (
            {"set": {"note": "actor_unit"}},
            "actions.close.effects.set.note: the token actor_unit goes in a unit field",
        ),
        (
            {"set": {"decided_on": {"value": "x"}}},
            "actions.close.effects.set.decided_on: 'decided_on' is a date field: 'x' is not a date",
        ),
        (
            {"set": {"decided_on": "2023-13-01"}},
            "actions.close.effects.set.decided_on: 'decided_on' is a date field",
        ),
        (
            {"set": {"decided_at": "2023-09-28T08:00:00"}},
            "actions.close.effects.set.decided_at: 'decided_at' is a datetime field",
        ),
        (
            {"set": {"kind": "boat"}},
            "actions.close.effects.set.kind: 'boat' is not a choice of 'kind'",
        ),
        ({"set": {"count": "3"}}, "actions.close.effects.set.count: 'count' is an int field"),
        ({"set": {"ghost": 1}}, "actions.close.effects.set.ghost: unknown field 'ghost'"),
        ({"set": {"count": "input.nope"}}, "actions.close.effects.set.count: unknown input 'nope'"),
        (
            {"set": {"count": "input.reason"}},
            "actions.close.effects.set.count: input.reason is a text; 'count' is an int field",
        ),
        (
            {"set": {"count": "field.ghost"}},
            "actions.close.effects.set.count: unknown field 'ghost'",
        ),
        (
            {"set": {"kind": "input.mark_kind"}},
            "actions.close.effects.set.kind: input.mark_kind is an enum",
        ),
        (
            {"set": {"count": {"compute": "ghost"}}},
            "actions.close.effects.set.count.compute: unknown compute hook 'ghost'",
        ),
        (
            {"set": {"count": {"compute": "deadline"}}},
            "actions.close.effects.set.count: compute hook 'deadline' returns a date",
        ),
        (
            {"set": {"count": {"compute": "score", "x": 1}}},
            "actions.close.effects.set.count: expected a token",
        ),
        (
            {"increment": ["site"]},
            "actions.close.effects.increment[0]: increment takes an int field",
        ),
        ({"increment": ["ghost"]}, "actions.close.effects.increment[0]: unknown field 'ghost'"),
        ({"clear": ["ghost"]}, "actions.close.effects.clear[0]: unknown field 'ghost'"),
        ({"assign_lead": "nope"}, "actions.close.effects.assign_lead: unknown input 'nope'"),
        (
            {"assign_lead": "helpers"},
            "actions.close.effects.assign_lead: assign_lead takes a unit input",
        ),
        (
            {"assign_assisting": "lead"},
            "actions.close.effects.assign_assisting: assign_assisting takes a unit_list",
        ),
        ({"mark": "input.nope"}, "actions.close.effects.mark: unknown input 'nope'"),
        ({"open_to_units": "yes"}, "actions.close.effects.open_to_units: expected true or false"),
        ({"sets": {}}, "actions.close.effects: unknown key 'sets'"),
    ],
)
def test_a_faulty_effect_is_refused_with_its_path(effects: dict[str, Any], expected: str) -> None:
    refused(effects, expected)
