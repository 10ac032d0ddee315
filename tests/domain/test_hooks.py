"""The hook registry: what a type package registers is what the parser and engine find."""

from __future__ import annotations

from datetime import date

import pytest

from fazhi.domain.hooks import (
    ComputeContext,
    RuleContext,
    ScheduledAction,
    compute_hook,
    compute_hook_types,
    register_compute,
    register_rule,
    rule_hook,
    rule_hook_names,
)
from fazhi.domain.workflow import CaseSnapshot
from tests.domain.typekit import CAL, at


@register_compute("test_registry_days", returns="int")
def registry_days(ctx: ComputeContext) -> int:
    return 30


@register_rule("test_registry_missed_reports")
def missed_reports(ctx: RuleContext) -> list[ScheduledAction]:
    """Take `miss_report` when no report came in during the last 7 days (a synthetic rule)."""
    last = ctx.case.fields.get("last_report_on")
    if last and (ctx.now.date() - date.fromisoformat(last)).days <= 7:
        return []
    return [ScheduledAction("miss_report", {"note": "7日内未报到"})]


def test_a_registered_compute_hook_is_found_with_its_declared_type() -> None:
    assert compute_hook("test_registry_days") is registry_days
    assert compute_hook_types()["test_registry_days"] == "int"
    assert compute_hook("test_registry_unknown") is None


def test_a_registered_rule_hook_is_listed_and_returns_the_actions_to_take() -> None:
    assert "test_registry_missed_reports" in rule_hook_names()
    rule = rule_hook("test_registry_missed_reports")
    assert rule is missed_reports
    now = at(date(2023, 6, 20))
    recent = RuleContext(
        CaseSnapshot(state="open", fields={"last_report_on": "2023-06-15"}), now, CAL
    )
    assert rule(recent) == []
    stale = RuleContext(
        CaseSnapshot(state="open", fields={"last_report_on": "2023-06-01"}), now, CAL
    )
    assert rule(stale) == [ScheduledAction("miss_report", {"note": "7日内未报到"})]
    assert rule_hook("test_registry_unknown") is None


def test_a_second_function_under_a_taken_name_is_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):

        @register_compute("test_registry_days", returns="int")
        def impostor(ctx: ComputeContext) -> int:
            return 31

    assert compute_hook("test_registry_days") is registry_days
    with pytest.raises(ValueError, match="already registered"):
        register_rule("test_registry_missed_reports")(lambda ctx: [])


def test_registering_the_same_function_again_is_allowed() -> None:
    # A module imported twice (a reload) registers its hooks again.
    register_compute("test_registry_days", returns="int")(registry_days)
    assert compute_hook("test_registry_days") is registry_days


def test_hook_names_and_types_must_be_well_formed() -> None:
    with pytest.raises(ValueError, match="name"):
        register_compute("Bad-Name", returns="int")(registry_days)
    with pytest.raises(ValueError, match="result field type"):
        register_compute("test_registry_untyped", returns="")
    with pytest.raises(ValueError, match="unknown result field type 'day'"):
        register_compute("test_registry_day", returns="day")
    assert "test_registry_untyped" not in compute_hook_types()
