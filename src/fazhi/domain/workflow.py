"""Decide what an action does to a case, without touching storage (the `check` half).

`plan_action` takes a snapshot of the case, the actor, the raw inputs and the time, and
returns a Plan: the new state, field changes, unit assignments and clock operations. The
actions layer writes the Plan and its one event in a single transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fazhi.domain.calendar import CalendarYearUnknown, WorkCalendar
from fazhi.domain.case_type import ActionSpec, CaseType, ClockSpec, Guard
from fazhi.domain.durations import Duration, due_at
from fazhi.domain.errors import DomainError, Problem
from fazhi.domain.inputs import UnitResolver, validate_inputs
from fazhi.domain.units import Actor, UnitRef


@dataclass
class ClockRecord:
    name: str
    label: str
    basis: str
    limit: str
    started_at: datetime
    due_at: datetime
    start_action: str
    stopped_at: datetime | None = None
    extended: int = 0
    id: int | None = None

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    def overdue(self, now: datetime) -> bool:
        return (self.stopped_at or now) > self.due_at


@dataclass
class CaseSnapshot:
    """What the rules need to know about a case; `state` is None before creation."""

    state: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    lead_unit: UnitRef | None = None
    assisting_units: tuple[UnitRef, ...] = ()
    involved_units: tuple[UnitRef, ...] = ()
    clocks: list[ClockRecord] = field(default_factory=list)
    marks: list[dict[str, Any]] = field(default_factory=list)
    open_to_units: bool = False
    document_kinds: frozenset[str] = frozenset()

    def running_clock(self, name: str) -> ClockRecord | None:
        for clock in self.clocks:
            if clock.name == name and clock.running:
                return clock
        return None


@dataclass
class Plan:
    action: ActionSpec
    from_state: str | None
    to_state: str
    fields: dict[str, Any]
    changes: dict[str, list[Any]]
    inputs: dict[str, Any]
    lead_unit: UnitRef | None
    assisting_units: tuple[UnitRef, ...]
    clocks_started: list[ClockRecord]
    clocks_stopped: list[ClockRecord]
    clocks_extended: list[ClockRecord]
    marks: list[dict[str, Any]]
    open_to_units: bool
    next_due: datetime | None

    @property
    def units_changed(self) -> bool:
        return bool(self.action.effects.assign_lead or self.action.effects.assign_assisting)


# ---------------------------------------------------------------------------------------------
# Permission: role, party, state and guards (not inputs)


def _party_ok(action: ActionSpec, case: CaseSnapshot, actor: Actor) -> bool:
    if action.party == "anyone" or action.create:
        return True
    if action.party == "lead_unit":
        return case.lead_unit is not None and actor.unit.contains(case.lead_unit)
    if action.party == "involved_unit":
        current = (*([case.lead_unit] if case.lead_unit else []), *case.assisting_units)
        return any(actor.unit.contains(u) for u in current)
    if action.party == "open_to_units":
        return case.open_to_units
    return False


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if op == "present":
        return actual not in (None, "", [])
    if op == "absent":
        return actual in (None, "", [])
    if op == "eq":
        return bool(actual == expected)
    if op == "ne":
        return bool(actual != expected)
    if op == "in":
        return bool(actual in expected)
    if op == "not_in":
        return bool(actual not in expected)
    number = actual if isinstance(actual, int | float) else 0
    results: dict[str, bool] = {
        "lt": number < expected,
        "le": number <= expected,
        "gt": number > expected,
        "ge": number >= expected,
    }
    return results[op]


def _guard_ok(guard: Guard, case: CaseSnapshot, now: datetime) -> bool:
    if guard.kind == "field":
        return _compare(guard.op, case.fields.get(guard.target), guard.value)
    if guard.kind == "clock_within":
        clock = case.running_clock(guard.target)
        return clock is not None and now <= clock.due_at
    kinds = {m.get("kind") for m in case.marks}
    if guard.kind == "mark":
        return guard.target in kinds
    return guard.target not in kinds  # no_mark


def refusals(
    case_type: CaseType, action: ActionSpec, case: CaseSnapshot, actor: Actor, now: datetime
) -> list[Problem]:
    """Why `actor` may not take `action` now; empty when it may."""
    if not actor.has_role(*action.roles):
        return [Problem("forbidden_role", f"当前角色无权执行「{action.label}」")]
    if action.create:
        if case.state is not None:
            return [Problem("invalid_state", f"「{action.label}」只能用于新建")]
    elif case.state not in action.from_states:
        return [
            Problem(
                "invalid_state",
                f"案件处于「{case_type.state_label(case.state or '')}」状态，"
                f"不能执行「{action.label}」",
            )
        ]
    if not _party_ok(action, case, actor):
        return [Problem("not_your_case", f"只有承办单位可以执行「{action.label}」")]
    problems = [
        Problem("guard_failed", g.message) for g in action.guards if not _guard_ok(g, case, now)
    ]
    missing = [d for d in action.documents if d not in case.document_kinds]
    for doc in missing:
        label = next((k.label for k in case_type.documents if k.name == doc), doc)
        problems.append(Problem("document_missing", f"请先上传{label}"))
    return problems


def available_actions(
    case_type: CaseType, case: CaseSnapshot, actor: Actor, now: datetime
) -> list[ActionSpec]:
    return [
        a
        for a in case_type.actions
        if not a.create and not refusals(case_type, a, case, actor, now)
    ]


# ---------------------------------------------------------------------------------------------
# Planning


def _resolve_value(value: Any, inputs: Mapping[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("input."):
        return inputs.get(value[6:])
    return value


def _storable(value: Any) -> Any:
    """Fields hold JSON: units are kept by id."""
    if isinstance(value, UnitRef):
        return value.id
    if isinstance(value, list | tuple) and value and isinstance(value[0], UnitRef):
        return [u.id for u in value]
    return value


def event_value(value: Any) -> Any:
    """Inputs as the event records them: units by id, code and name."""
    if isinstance(value, UnitRef):
        return value.brief()
    if isinstance(value, list | tuple) and value and isinstance(value[0], UnitRef):
        return [u.brief() for u in value]
    return value


def _start_clock(
    spec: ClockSpec, action: str, fields: Mapping[str, Any], now: datetime, calendar: WorkCalendar
) -> ClockRecord:
    limit = spec.limit_for(action, fields)
    return ClockRecord(
        name=spec.name,
        label=spec.label,
        basis=spec.basis,
        limit=str(limit),
        started_at=now,
        due_at=due_at(now, limit, calendar),
        start_action=action,
    )


def plan_action(
    case_type: CaseType,
    case: CaseSnapshot,
    actor: Actor,
    action_name: str,
    raw_inputs: Mapping[str, Any],
    now: datetime,
    calendar: WorkCalendar,
    resolve_unit: UnitResolver,
) -> Plan:
    action = case_type.action(action_name)
    if action is None:
        raise DomainError(
            "unknown_action", f"案件类型「{case_type.label}」没有动作 {action_name}", 404
        )
    problems = refusals(case_type, action, case, actor, now)
    if problems:
        status = 403 if problems[0].code in {"forbidden_role", "not_your_case"} else 409
        if problems[0].code in {"guard_failed", "document_missing"}:
            status = 422
        raise DomainError.from_problems(problems, status)

    inputs, problems = validate_inputs(action.inputs, raw_inputs, case.fields, resolve_unit)
    if problems:
        raise DomainError.from_problems(problems, 422)

    fields = dict(case.fields)
    if action.create:
        for spec in case_type.fields:
            if spec.default is not None and spec.name not in inputs and not spec.internal:
                fields[spec.name] = spec.default
    field_names = {f.name for f in case_type.fields}
    for name, value in inputs.items():
        if name in field_names:
            fields[name] = _storable(value)
    effects = action.effects
    for name in effects.increment:
        fields[name] = int(fields.get(name) or 0) + 1
    for name, expr in effects.set:
        value = inputs.get(expr.value) if expr.kind == "input" else expr.value
        fields[name] = _storable(value)
    for name in effects.clear:
        fields.pop(name, None)

    lead = case.lead_unit
    assisting = case.assisting_units
    if effects.assign_lead:
        lead = (
            actor.unit if effects.assign_lead == "actor_unit" else inputs.get(effects.assign_lead)
        )
    if effects.assign_assisting:
        chosen = inputs.get(effects.assign_assisting) or []
        assisting = tuple(u for u in chosen if u != lead)
    elif effects.assign_lead:
        assisting = tuple(u for u in assisting if u != lead)
    if effects.assign_lead and lead is None:
        raise DomainError("required", "请指定主办单位", 422, effects.assign_lead)

    marks = list(case.marks)
    if effects.unmark:
        kind = _resolve_value(effects.unmark, inputs)
        marks = [m for m in marks if m.get("kind") != kind]
    if effects.mark:
        kind = _resolve_value(effects.mark, inputs)
        if any(m.get("kind") == kind for m in marks):
            raise DomainError("already_marked", "该督办标记已存在", 409)
        marks.append(
            {
                "kind": kind,
                "by": actor.username,
                "by_name": actor.name,
                "unit": actor.unit.name,
                "at": now.isoformat(),
                "reason": inputs.get("reason", ""),
            }
        )
    open_to_units = case.open_to_units if effects.open_to_units is None else effects.open_to_units

    stopped: list[ClockRecord] = []
    extended: list[ClockRecord] = []
    started: list[ClockRecord] = []
    try:
        for clock_spec in case_type.clocks:
            running = case.running_clock(clock_spec.name)
            if running and (action.name in clock_spec.stop or action.name in clock_spec.start):
                running.stopped_at = now
                stopped.append(running)
                running = None
            if running and clock_spec.extend and clock_spec.extend.action == action.name:
                days = int(inputs.get(clock_spec.extend.input) or 0)
                if running.extended + days > clock_spec.extend.max_total:
                    raise DomainError(
                        "extension_too_long",
                        f"延期合计不能超过{clock_spec.extend.max_total}（{clock_spec.label}）",
                        422,
                        clock_spec.extend.input,
                    )
                running.extended += days
                base = Duration.parse(running.limit)
                if base.unit in ("min", "h"):
                    # Extensions are granted in days: an hour-based limit (urgent orders'
                    # 24 h) moves by working days from its due date, not by `days` hours.
                    running.due_at = due_at(running.due_at, Duration(days, "wd"), calendar)
                else:
                    running.due_at = due_at(
                        running.started_at, base.plus(running.extended), calendar
                    )
                extended.append(running)
            if action.name in clock_spec.start:
                started.append(_start_clock(clock_spec, action.name, fields, now, calendar))
    except CalendarYearUnknown as exc:
        raise DomainError("calendar_year_unknown", str(exc), 422) from exc

    running_after = [c for c in case.clocks if c.running] + started
    next_due = min((c.due_at for c in running_after), default=None)

    changes: dict[str, list[Any]] = {}
    for name in sorted(set(case.fields) | set(fields)):
        before, after = case.fields.get(name), fields.get(name)
        if before != after:
            changes[name] = [before, after]
    if lead != case.lead_unit:
        changes["lead_unit"] = [
            case.lead_unit.brief() if case.lead_unit else None,
            lead.brief() if lead else None,
        ]
    if assisting != case.assisting_units:
        changes["assisting_units"] = [
            [u.brief() for u in case.assisting_units],
            [u.brief() for u in assisting],
        ]
    to_state = action.to or case.state or ""
    return Plan(
        action=action,
        from_state=case.state,
        to_state=to_state,
        fields=fields,
        changes=changes,
        inputs={k: event_value(v) for k, v in inputs.items()},
        lead_unit=lead,
        assisting_units=assisting,
        clocks_started=started,
        clocks_stopped=stopped,
        clocks_extended=extended,
        marks=marks,
        open_to_units=open_to_units,
        next_due=next_due,
    )
