"""`clocks:`: limits in every unit, by a field's value or per starting action, extensions,
suspension and resumption, repeating windows; every reference checked."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.domain.case_type import ExtendRule, Limit, RepeatRule
from fazhi.domain.durations import Duration
from tests.domain.case_type.support import assert_fault, minimal, parse, with_yaml

ACTIONS = """
actions:
  suspend: {label: 中止, from: [open], roles: [unit_handler]}
  resume: {label: 恢复, from: [open], roles: [unit_handler]}
  reopen: {label: 重办, from: [closed], to: open, roles: [operator]}
  extend:
    label: 延期
    from: [open]
    roles: [unit_handler]
    inputs: {days: {type: int, label: 天数, required: true}}
  check_in: {label: 报到, from: [open], roles: [unit_handler]}
  miss_check_in: {label: 未报到, from: [open], system: true}
  miss_dated:
    label: 未报到（注明日期）
    from: [open]
    system: true
    inputs: {missed_on: {type: date, label: 日期, required: true}, days: {type: int, label: 天数}}
"""


def clock(**keys: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "label": "办理期限",
        "basis": "测试规则",
        "start": ["apply"],
        "limit": "30cd",
    }
    base.update(keys)
    return base


def with_clock(**keys: Any) -> dict[str, Any]:
    return with_yaml(ACTIONS, clocks={"handle": clock(**keys)})


def test_a_clock_spec_with_months_suspension_and_an_extension() -> None:
    raw = with_clock(
        primary=True,
        stop=["close"],
        limit="3mo",
        suspend=["suspend"],
        resume=["resume"],
        extend={"action": "extend", "input": "days", "max_total": 10},
    )
    spec = parse(raw).clock("handle")
    assert spec is not None
    assert (spec.label, spec.basis, spec.primary) == ("办理期限", "测试规则", True)
    assert (spec.start, spec.stop) == (("apply",), ("close",))
    assert spec.limit == Limit(Duration(3, "mo"))
    assert (spec.suspend, spec.resume) == (("suspend",), ("resume",))
    assert spec.extend == ExtendRule("extend", "days", 10)


@pytest.mark.parametrize("text", ["30min", "24h", "5wd", "90cd", "3mo"])
def test_every_unit_of_duration(text: str) -> None:
    assert str(parse(with_clock(limit=text)).clock("handle").limit.default) == text  # type: ignore[union-attr]


def test_a_limit_by_a_fields_value_and_per_starting_action() -> None:
    raw = with_clock(
        start=["apply", "reopen"],
        limit={"by": "kind", "default": "5wd", "values": {"road": "24h"}},
        limit_on={"reopen": "2wd"},
    )
    spec = parse(raw).clock("handle")
    assert spec is not None
    assert spec.limit == Limit(Duration(5, "wd"), "kind", (("road", Duration(24, "h")),))
    assert spec.limit_on == (("reopen", Duration(2, "wd")),)
    assert spec.limit_for("apply", {"kind": "road"}) == Duration(24, "h")
    assert spec.limit_for("reopen", {"kind": "road"}) == Duration(2, "wd")


def test_a_repeating_window() -> None:
    raw = with_clock(
        repeat={"every": "1cd", "close_on": ["check_in"], "expire_action": "miss_check_in"}
    )
    spec = parse(raw).clock("handle")
    assert spec is not None
    assert spec.repeat == RepeatRule(Duration(1, "cd"), ("check_in",), "miss_check_in")


def test_a_repeating_windows_expire_action_may_take_the_missed_day_as_an_input() -> None:
    raw = with_clock(
        repeat={"every": "1cd", "expire_action": "miss_dated", "expire_input": "missed_on"}
    )
    spec = parse(raw).clock("handle")
    assert spec is not None and spec.repeat is not None
    assert spec.repeat.expire_input == "missed_on"


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ({"limit": "5 days"}, "clocks.handle.limit: bad duration '5 days'"),
        ({"limit": 5}, "clocks.handle.limit: bad duration 5"),
        (
            {"limit": {"by": "kind", "default": "5wd", "values": {"road": "1 day"}}},
            "clocks.handle.limit.values.road: bad duration '1 day'",
        ),
        ({"limit": {"by": "kind"}}, "clocks.handle.limit: missing key 'default'"),
        (
            {"limit": {"by": "ghost", "default": "5wd"}},
            "clocks.handle.limit.by: unknown field 'ghost'",
        ),
        (
            {"limit": {"by": "kind", "default": "5wd", "values": {"boat": "1wd"}}},
            "clocks.handle.limit.values.boat: 'boat' is not a choice of 'kind'",
        ),
        (
            {"limit": {"default": "5wd", "values": {"road": "1wd"}}},
            "clocks.handle.limit.values: values need by",
        ),
        ({"limit": {"default": "5wd", "per": "x"}}, "clocks.handle.limit: unknown key 'per'"),
        ({"basis": ""}, "clocks.handle.basis: should not be empty"),
        ({"start": []}, "clocks.handle.start: expected at least 1 item"),
        ({"start": ["ghost"]}, "clocks.handle.start[0]: unknown action 'ghost'"),
        ({"stop": ["apply", "ghost"]}, "clocks.handle.stop[1]: unknown action 'ghost'"),
        (
            {"limit_on": {"close": "1wd"}},
            "clocks.handle.limit_on.close: 'close' is not one of the clock's start actions",
        ),
        ({"limit_on": {"apply": "1 week"}}, "clocks.handle.limit_on.apply: bad duration"),
        (
            {"extend": {"action": "ghost", "input": "days", "max_total": 3}},
            "clocks.handle.extend.action: unknown action 'ghost'",
        ),
        (
            {"extend": {"action": "close", "input": "days", "max_total": 3}},
            "clocks.handle.extend.input: action 'close' has no input 'days'",
        ),
        (
            {"extend": {"action": "extend", "input": "days", "max_total": 0}},
            "clocks.handle.extend.max_total: input should be greater than or equal to 1",
        ),
        (
            {"extend": {"action": "extend", "input": "days"}},
            "clocks.handle.extend: missing key 'max_total'",
        ),
        ({"suspend": ["suspend"]}, "clocks.handle: suspend and resume go together"),
        (
            {"primary": True, "deadline": False},
            "clocks.handle.deadline: the primary clock is the case's deadline",
        ),
        (
            {"suspend": ["ghost"], "resume": ["resume"]},
            "clocks.handle.suspend[0]: unknown action 'ghost'",
        ),
        (
            {"repeat": {"every": "1cd", "expire_action": "check_in"}},
            "clocks.handle.repeat.expire_action: 'check_in' should be a system action",
        ),
        (
            {"repeat": {"every": "1cd", "close_on": ["ghost"]}},
            "clocks.handle.repeat.close_on[0]: unknown action 'ghost'",
        ),
        ({"repeat": {"every": "daily"}}, "clocks.handle.repeat.every: bad duration 'daily'"),
        (
            {"repeat": {"every": "1cd", "expire_input": "missed_on"}},
            "clocks.handle.repeat.expire_input: expire_input needs expire_action",
        ),
        (
            {"repeat": {"every": "1cd", "expire_action": "miss_dated", "expire_input": "when"}},
            "clocks.handle.repeat.expire_input: action 'miss_dated' has no input 'when'",
        ),
        (
            {"repeat": {"every": "1cd", "expire_action": "miss_dated", "expire_input": "days"}},
            "clocks.handle.repeat.expire_input: 'days' should be a date input",
        ),
        ({"pause": ["suspend"]}, "clocks.handle: unknown key 'pause'"),
    ],
)
def test_a_malformed_clock_is_refused_with_its_path(keys: dict[str, Any], expected: str) -> None:
    assert_fault(with_clock(**keys), expected)


def test_a_clock_needs_its_basis() -> None:
    raw = with_yaml(
        ACTIONS, clocks={"handle": {"label": "期限", "start": ["apply"], "limit": "1wd"}}
    )
    assert_fault(raw, "clocks.handle: missing key 'basis'")


def test_only_one_clock_is_primary() -> None:
    raw = minimal(clocks={"a": clock(primary=True), "b": clock(primary=True)})
    assert_fault(raw, "clocks: only one clock is primary; found a, b")
