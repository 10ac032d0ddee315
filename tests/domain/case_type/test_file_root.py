"""The top level of a type file: identity, visibility, lists, queues, repeat calls, hooks;
and the links between types, checked once every type is known."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.domain.case_type import RepeatCallRule, Visibility, link_faults
from fazhi.domain.durations import Duration
from tests.domain.case_type.support import assert_fault, minimal, parse, with_yaml


def test_the_top_level_keys() -> None:
    raw = minimal(
        description="测试用的许可类型。",
        hooks=["fazhi.permit.hooks"],
        visibility={"roles": ["operator", "supervisor"], "sensitivity": "restricted"},
        title_field="site",
        summary_fields=["kind", "amount"],
        category_field="kind",
        queues={"unit_handler": ["open"]},
        repeat_calls={"field": "phone", "window": "30cd"},
    )
    spec = parse(raw, source="/types/permit.yaml")
    assert (spec.name, spec.label, spec.number_prefix) == ("permit", "许可", "XK")
    assert spec.description == "测试用的许可类型。"
    assert spec.hooks == ("fazhi.permit.hooks",)
    assert spec.visibility == Visibility(("operator", "supervisor"), "restricted")
    assert spec.restricted and spec.visible_to(("supervisor",)) and not spec.visible_to(("admin",))
    assert (spec.title_field, spec.summary_fields, spec.category_field) == (
        "site",
        ("kind", "amount"),
        "kind",
    )
    assert spec.queue_states("unit_handler") == ("open",)
    assert spec.repeat_calls == RepeatCallRule("phone", Duration(30, "cd"))
    assert spec.source == "/types/permit.yaml"


def test_visibility_is_normal_unless_restricted() -> None:
    assert parse(minimal()).visibility == Visibility(("operator", "unit_handler"), "normal")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"colour": "red"}, "(root): unknown key 'colour'"),
        ({"visibility": None}, "visibility: expected a mapping"),
        ({"type": "Permit"}, "type: a type name is lower-case letters and _"),
        ({"number_prefix": "xk1"}, "number_prefix: should be upper-case letters"),
        ({"label": 3}, "label: expected text"),
        ({"hooks": ["fazhi/permit.py"]}, "hooks[0]: a hook module is a dotted module name"),
        ({"visibility": {"roles": []}}, "visibility.roles: expected at least 1 item"),
        ({"visibility": {"roles": ["janitor"]}}, "visibility.roles[0]: unknown role 'janitor'"),
        (
            {"visibility": {"roles": ["admin"], "sensitivity": "secret"}},
            "visibility.sensitivity: input should be 'normal' or 'restricted'",
        ),
        ({"visibility": {"roles": ["admin"], "who": 1}}, "visibility: unknown key 'who'"),
        ({"title_field": "nope"}, "title_field: unknown field 'nope'"),
        ({"summary_fields": ["site", "nope"]}, "summary_fields[1]: unknown field 'nope'"),
        ({"category_field": "site"}, "category_field: the category field should be an enum"),
        ({"queues": {"janitor": ["open"]}}, "queues.janitor: unknown role 'janitor'"),
        ({"queues": {"operator": ["nowhere"]}}, "queues.operator[0]: unknown state 'nowhere'"),
        (
            {"repeat_calls": {"field": "site", "window": "30cd"}},
            "repeat_calls.field: repeat calls are found by a phone field",
        ),
        (
            {"repeat_calls": {"field": "ghost", "window": "30cd"}},
            "repeat_calls.field: unknown field 'ghost'",
        ),
        (
            {"repeat_calls": {"field": "phone", "window": "a month"}},
            "repeat_calls.window: bad duration",
        ),
        ({"states": {}}, "states: declare at least one state"),
        (
            {"states": {"open": {"label": "办理中", "final": True}}},
            "states.open: unknown key 'final'",
        ),
        ({"states": {"open": None}}, "states.open: missing key 'label'"),
    ],
)
def test_a_malformed_top_level_is_refused_with_its_path(
    changes: dict[str, Any], expected: str
) -> None:
    assert_fault(minimal(**changes), expected)


@pytest.mark.parametrize("key", ["visibility", "states", "actions", "label", "number_prefix"])
def test_required_top_level_keys(key: str) -> None:
    raw = minimal()
    del raw[key]
    assert_fault(raw, f"(root): missing key '{key}'")


def test_a_file_that_is_not_a_mapping() -> None:
    assert_fault(["a", "b"], "(root): expected a mapping")  # type: ignore[arg-type]


LINKED = """
fields:
  source_case:
    type: case_link
    label: 来源
    link_types: [hotline]
    prefill: {site: address, phone: caller_phone}
"""


def test_link_types_are_checked_when_the_known_types_are_given() -> None:
    assert parse(with_yaml(LINKED), known_types={"hotline"}).field("source_case") is not None
    assert_fault(
        with_yaml(LINKED),
        "fields.source_case.link_types[0]: unknown case type 'hotline'",
        known_types={"mediation"},
    )
    # A type may link to its own kind.
    raw = with_yaml(LINKED)
    raw["fields"]["source_case"]["link_types"] = ["permit"]
    raw["fields"]["source_case"]["prefill"] = {}
    assert parse(raw, known_types=set()).field("source_case") is not None


def test_prefill_sources_are_checked_across_types() -> None:
    hotline = parse(
        minimal(
            type="hotline",
            number_prefix="RX",
            fields={
                "address": {"type": "string", "label": "地址"},
                "caller_phone": {"type": "int", "label": "电话（错误类型）"},
            },
        )
    )
    permit = parse(with_yaml(LINKED))
    assert link_faults({"permit": permit, "hotline": hotline}) == {
        "permit": [
            "fields.source_case.prefill.phone: hotline.caller_phone is an int; "
            "'phone' is a phone field"
        ]
    }
    assert link_faults({"permit": permit}) == {
        "permit": ["fields.source_case.link_types[0]: unknown case type 'hotline'"]
    }
