"""`actions:`: states, roles, party, inputs, required documents and the system flag become
the ActionSpec; create actions take the type's own fields."""

from __future__ import annotations

from typing import Any

import pytest

from tests.domain.case_type.support import assert_fault, faults, minimal, parse, with_yaml


def test_an_action_spec() -> None:
    raw = with_yaml("""
documents:
  agreement: {label: 协议书}
actions:
  conclude:
    label: 结案
    from: [open]
    to: closed
    roles: [unit_handler, unit_leader]
    party: lead_unit
    help: 调解结束后结案。
    inputs:
      outcome: {type: enum, label: 结果, required: true, choices: {success: 成功, failure: 失败}}
    documents: [agreement]
""")
    action = parse(raw).action("conclude")
    assert action is not None
    assert (action.from_states, action.to, action.party) == (("open",), "closed", "lead_unit")
    assert action.roles == ("unit_handler", "unit_leader")
    assert [i.name for i in action.inputs] == ["outcome"]
    assert action.documents == ("agreement",)
    assert action.help == "调解结束后结案。"
    assert not action.create and not action.system


def test_from_star_means_every_non_terminal_state_and_a_single_state_needs_no_list() -> None:
    raw = with_yaml("""
states:
  waiting: {label: 等待}
actions:
  withdraw: {label: 撤回, from: '*', to: closed, roles: [operator]}
  note: {label: 备注, from: open, roles: operator}
""")
    spec = parse(raw)
    assert spec.action("withdraw").from_states == ("open", "waiting")  # type: ignore[union-attr]
    note = spec.action("note")
    assert note is not None and (note.from_states, note.roles, note.to) == (
        ("open",),
        ("operator",),
        None,
    )


def test_a_creating_action_takes_the_non_internal_fields_then_its_own_inputs() -> None:
    raw = minimal()
    raw["actions"]["apply"]["inputs"] = {"count": {"type": "int", "label": "初始次数"}}
    action = parse(raw).action("apply")
    assert action is not None
    assert [i.name for i in action.inputs] == ["site", "amount", "phone", "kind", "count"]


def test_a_system_action_needs_no_roles() -> None:
    raw = with_yaml("actions: {expire: {label: 逾期, from: [open], system: true}}")
    action = parse(raw).action("expire")
    assert action is not None and action.system and action.roles == ()


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (
            {"label": "x", "from": ["open"], "roles": ["operator"], "colour": 1},
            "actions.x: unknown key 'colour'",
        ),
        ({"from": ["open"], "roles": ["operator"]}, "actions.x: missing key 'label'"),
        ({"label": "x", "roles": ["operator"]}, "actions.x: missing key 'from'"),
        ({"label": "x", "from": ["open"]}, "actions.x: missing key 'roles'"),
        (
            {"label": "x", "from": ["nowhere"], "roles": ["operator"]},
            "actions.x.from[0]: unknown state 'nowhere'",
        ),
        (
            {"label": "x", "from": ["open", "*"], "roles": ["operator"]},
            "actions.x.from[1]: '*' stands alone",
        ),
        (
            {"label": "x", "from": ["open"], "to": "nowhere", "roles": ["operator"]},
            "actions.x.to: unknown state 'nowhere'",
        ),
        (
            {"label": "x", "from": ["open"], "roles": ["operator", "janitor"]},
            "actions.x.roles[1]: unknown role 'janitor'",
        ),
        (
            {"label": "x", "from": ["open"], "roles": ["operator"], "party": "whoever"},
            "actions.x.party: unknown party 'whoever'",
        ),
        (
            {"label": "x", "from": ["open"], "roles": ["operator"], "documents": ["photo"]},
            "actions.x.documents[0]: unknown document kind 'photo'",
        ),
        (
            {"label": "x", "create": True, "roles": ["operator"]},
            "actions.x: a create action needs to",
        ),
        (
            {"label": "x", "create": True, "from": ["open"], "to": "open", "roles": ["operator"]},
            "actions.x.from: a create action has no from",
        ),
        (
            {"label": "x", "from": ["open"], "roles": ["operator"], "system": "no"},
            "actions.x.system: expected true or false",
        ),
        (
            {
                "label": "x",
                "from": ["open"],
                "roles": ["operator"],
                "inputs": {"kind": {"type": "text", "label": "k"}},
            },
            "actions.x.inputs.kind: stored in the field 'kind', an enum; this input is a text",
        ),
        (
            {
                "label": "x",
                "from": ["open"],
                "roles": ["operator"],
                "inputs": {"kind": {"type": "enum", "label": "k", "choices": {"boat": "船"}}},
            },
            "actions.x.inputs.kind: stored in the field 'kind', an enum; "
            "this input is an enum with other choices",
        ),
        (
            {
                "label": "x",
                "from": ["open"],
                "roles": ["operator"],
                "inputs": {"a": {"type": "text", "label": "a", "required_if": {"ghost": 1}}},
            },
            "actions.x.inputs.a.required_if.ghost: unknown field 'ghost'",
        ),
        (
            {
                "label": "x",
                "from": ["open"],
                "roles": ["operator"],
                "inputs": {
                    "a": {
                        "type": "case_link",
                        "label": "a",
                        "link_types": ["permit"],
                        "prefill": {"site": "site"},
                    }
                },
            },
            "actions.x.inputs.a.prefill: only a type's own fields",
        ),
        (
            {"label": "x", "from": ["open"], "roles": ["operator"], "inputs": []},
            "actions.x.inputs: expected a mapping",
        ),
        ("x", "actions.x: expected a mapping"),
    ],
)
def test_a_malformed_action_is_refused_with_its_path(action: Any, expected: str) -> None:
    raw = minimal()
    raw["actions"]["x"] = action
    assert_fault(raw, expected)


def test_an_input_may_require_itself_on_another_input_or_a_case_field() -> None:
    raw = minimal()
    raw["actions"]["close"]["inputs"] = {
        "reply_kind": {
            "type": "enum",
            "label": "答复",
            "choices": {"refused": "不予公开", "ok": "公开"},
        },
        "ground": {"type": "text", "label": "依据", "required_if": {"reply_kind": "refused"}},
        "note": {"type": "text", "label": "说明", "required_if": {"kind": ["road"]}},
    }
    inputs = {i.name: i for i in parse(raw).action("close").inputs}  # type: ignore[union-attr]
    assert inputs["ground"].required_if == (("reply_kind", ("refused",)),)
    assert inputs["note"].required_if == (("kind", ("road",)),)


def test_a_type_needs_a_create_action() -> None:
    raw = minimal()
    raw["actions"]["apply"] = {"label": "申请", "from": ["open"], "roles": ["operator"]}
    assert_fault(raw, "actions: no create action (create: true)")


def test_a_malformed_create_action_is_not_also_reported_missing() -> None:
    raw = minimal()
    raw["actions"]["apply"]["colour"] = "red"
    assert faults(raw) == ["actions.apply: unknown key 'colour'"]
