"""Clock settings (办理时限): a deployment's limits for a type's clocks, kept as far as they
differ from the type file, applied to clocks started after the change (running clocks keep
the due time written when they started)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from fazhi.actions.admin.common import (
    after_commit,
    check_text,
    fail_on,
    record,
    require_admin,
    text,
)
from fazhi.actions.context import ActionContext
from fazhi.actions.platform import Platform
from fazhi.catalog.settings import parse_limit
from fazhi.domain.case_type import CaseType, ClockSpec
from fazhi.domain.durations import Duration
from fazhi.domain.errors import Problem, not_found
from fazhi.store.cache_versions import bump
from fazhi.store.models import ClockSetting


@dataclass(frozen=True)
class ClockForm:
    """What the admin typed for one clock; keys are a `by` field's values and action names."""

    default: str
    values: Mapping[str, str]
    action_limits: Mapping[str, str]
    basis: str


@dataclass(frozen=True)
class ClockLimits:
    """A clock's limits as checked, each only where it differs from the type file."""

    default: Duration
    values: dict[str, str | None]
    action_limits: dict[str, str]
    basis: str


def value_keys(case_type: CaseType, spec: ClockSpec) -> list[tuple[str, str]]:
    """(value, label) for each value of the clock's `by` field, with any the file adds."""
    if not spec.limit.by_field:
        return []
    field = case_type.field(spec.limit.by_field)
    keys = list(field.choices) if field and field.choices else []
    known = {k for k, _ in keys}
    keys += [(k, k) for k, _ in spec.limit.values if k not in known]
    return keys


def _file_clock(platform: Platform, type_name: str, clock_name: str) -> tuple[CaseType, ClockSpec]:
    assert platform.base_types is not None
    case_type = platform.base_types.get(type_name)
    spec = case_type.clock(clock_name) if case_type else None
    if case_type is None or spec is None:
        raise not_found("时限")
    return case_type, spec


def _current_limits(platform: Platform, type_name: str, clock_name: str) -> dict[str, Any]:
    case_type = platform.types.get(type_name)
    spec = case_type.clock(clock_name) if case_type else None
    return _limit_summary(spec) if spec else {}


def _limit_summary(spec: ClockSpec) -> dict[str, Any]:
    return {
        "default": str(spec.limit.default),
        "values": {k: str(d) for k, d in spec.limit.values},
        "on": {k: str(d) for k, d in spec.limit_on},
    }


def _reload_types(session: Session, platform: Platform) -> None:
    bump(session, "clocks")
    after_commit(session, platform.reload_types)


def check_save_clock_setting(
    session: Session, ctx: ActionContext, type_name: str, clock_name: str, form: ClockForm
) -> ClockSetting | None:
    """Every limit typed is one ("5wd", "24h" …, above zero), the default and each starting
    action's limit are given, the basis fits; then `do_save_clock_setting`."""
    require_admin(ctx)
    case_type, spec = _file_clock(ctx.platform, type_name, clock_name)
    problems: list[Problem] = []

    def parsed(typed: str, field: str, required: bool) -> Duration | None:
        typed = text(typed)
        if not typed:
            if required:
                problems.append(Problem("required", "请填写时限", field))
            return None
        try:
            return parse_limit(typed)
        except ValueError as exc:
            problems.append(Problem("invalid_limit", str(exc), field))
            return None

    default = parsed(form.default, "default", True)
    file_values = dict(spec.limit.values)
    values: dict[str, str | None] = {}
    for key, _label in value_keys(case_type, spec):
        chosen = parsed(form.values.get(key, ""), f"value.{key}", False)
        if chosen != file_values.get(key):
            values[key] = str(chosen) if chosen else None
    action_limits: dict[str, str] = {}
    for action, duration in spec.limit_on:
        chosen = parsed(form.action_limits.get(action, ""), f"on.{action}", True)
        if chosen is not None and chosen != duration:
            action_limits[action] = str(chosen)
    basis = text(form.basis)
    check_text(problems, "basis", basis, "时限依据", 1000)
    fail_on(problems)
    assert default is not None
    limits = ClockLimits(default, values, action_limits, basis)
    return do_save_clock_setting(session, ctx, type_name, spec, limits)


def do_save_clock_setting(
    session: Session, ctx: ActionContext, type_name: str, spec: ClockSpec, limits: ClockLimits
) -> ClockSetting | None:
    """Store the override (None, and the override removed, when every limit equals the
    file's), log it, and reload the types once the transaction commits. Saving the same
    again logs nothing.

    Preconditions: ctx.actor is an admin; `spec` is the type file's clock and `limits`
    passed `check_save_clock_setting`."""
    clock_name = spec.name
    before = _current_limits(ctx.platform, type_name, clock_name)
    row = session.get(ClockSetting, (type_name, clock_name))
    changed_default = None if limits.default == spec.limit.default else str(limits.default)
    note = "" if limits.basis == spec.basis else limits.basis
    values, action_limits = limits.values, limits.action_limits
    target = f"clock:{type_name}.{clock_name}"
    if changed_default is None and not values and not action_limits and not note:
        if row is not None:
            session.delete(row)
            record(session, ctx, "clock_setting_reset", target, {"before": before})
            _reload_types(session, ctx.platform)
        return None
    if row is None:
        row = ClockSetting(type=type_name, clock=clock_name)
        session.add(row)
    elif (row.default_limit, row.values, row.action_limits, row.basis_note) == (
        changed_default,
        values,
        action_limits,
        note,
    ):
        return row  # saved again unchanged: nothing to log
    row.default_limit = changed_default
    row.values = values
    row.action_limits = action_limits
    row.basis_note = note
    row.updated_at = ctx.now
    row.updated_by = ctx.actor.user_id
    after = {
        "default": str(limits.default),
        "values": {k: str(d) for k, d in spec.limit.values if k not in values}
        | {k: v for k, v in values.items() if v},
        "on": {k: action_limits.get(k, str(d)) for k, d in spec.limit_on},
    }
    record(
        session,
        ctx,
        "clock_setting_change",
        target,
        {"before": before, "after": after, "basis": limits.basis},
    )
    _reload_types(session, ctx.platform)
    return row


def check_reset_clock_setting(
    session: Session, ctx: ActionContext, type_name: str, clock_name: str
) -> bool:
    """Back to the type file's limits; False when there was no override."""
    require_admin(ctx)
    _file_clock(ctx.platform, type_name, clock_name)
    row = session.get(ClockSetting, (type_name, clock_name))
    if row is None:
        return False
    do_reset_clock_setting(session, ctx, row)
    return True


def do_reset_clock_setting(session: Session, ctx: ActionContext, row: ClockSetting) -> None:
    """Delete the override, log it, reload the types once the transaction commits.

    Preconditions: ctx.actor is an admin; `row` is a stored override of a known clock."""
    before = _current_limits(ctx.platform, row.type, row.clock)
    session.delete(row)
    record(session, ctx, "clock_setting_reset", f"clock:{row.type}.{row.clock}", {"before": before})
    _reload_types(session, ctx.platform)
