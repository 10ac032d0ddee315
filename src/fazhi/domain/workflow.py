"""Decide what an action does to a case, without touching storage (the `check` half).

`plan_action` takes a snapshot of the case, the actor, the raw inputs and the time, and
returns a Plan: the new state, field changes, unit assignments and clock operations. The
actions layer writes the Plan and its one event in a single transaction.

Checks run in this order, and the first step that refuses decides the answer: role →
state → party → the guards that read no input, and the documents the action requires →
the inputs (validated) → the guards that read an input, on the case as the inputs would
leave it (`domain.guards`). Conditions the user cannot change by typing are reported
before the inputs are, as they always were; a guard that does read an input sees it
validated. Then the effects (`domain.effects`), the units, the marks and the clocks
(`domain.clocks`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.case_type import ActionSpec, CaseType
from fazhi.domain.clocks import next_due as _next_due
from fazhi.domain.clocks import plan_clocks
from fazhi.domain.effects import (
    EffectContext,
    apply_field_effects,
    apply_marks,
    event_value,
    fields_with_inputs,
    storable,
)
from fazhi.domain.errors import DomainError, Problem
from fazhi.domain.guards import GuardView, guard_problems
from fazhi.domain.hooks import ScheduledAction
from fazhi.domain.inputs import LinkResolver, UnitResolver, validate_inputs
from fazhi.domain.records import CaseSnapshot, ClockRecord, DocumentRecord
from fazhi.domain.units import Actor, UnitRef

__all__ = [
    "CaseSnapshot",
    "ClockRecord",
    "DocumentRecord",
    "Plan",
    "available_actions",
    "event_value",
    "plan_action",
    "refusals",
    "unmark_choices",
]


@dataclass
class Plan:
    """What an action does. Clock lists: `clocks_started` new records to insert (open);
    `clocks_stopped`, `clocks_extended`, `clocks_suspended`, `clocks_resumed` the case's
    records as changed (by id); `clocks_recorded` new records to insert already closed
    (repeating windows opened and closed by this action); `follow_up` the system actions
    the platform owes afterwards (expire actions of windows found missed)."""

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
    clocks_suspended: list[ClockRecord] = field(default_factory=list)
    clocks_resumed: list[ClockRecord] = field(default_factory=list)
    clocks_recorded: list[ClockRecord] = field(default_factory=list)
    follow_up: list[ScheduledAction] = field(default_factory=list)
    clocks_skipped: list[Any] = field(default_factory=list)  # clocks.SkippedWindows

    @property
    def units_changed(self) -> bool:
        return bool(self.action.effects.assign_lead or self.action.effects.assign_assisting)


# ---------------------------------------------------------------------------------------------
# Permission: role, state, party; then guards and documents


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


SYSTEM_ROLE = "system"


def _permission(
    case_type: CaseType, action: ActionSpec, case: CaseSnapshot, actor: Actor
) -> list[Problem]:
    """Role, state and party: the first that refuses. A `system` action is the platform's
    own (the scheduler's): only the system role takes it, never a person."""
    allowed = (SYSTEM_ROLE,) if action.system else action.roles
    if not actor.has_role(*allowed):
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
    return []


def _missing_documents(
    case_type: CaseType, action: ActionSpec, case: CaseSnapshot
) -> list[Problem]:
    problems: list[Problem] = []
    for doc in action.documents:
        if doc not in case.document_kinds:
            label = next((k.label for k in case_type.documents if k.name == doc), doc)
            problems.append(Problem("document_missing", f"请先上传{label}"))
    return problems


def _unmark_input(action: ActionSpec) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The input naming the mark an `unmark` effect removes (None for a literal mark) and
    the marks it may name."""
    ref = action.effects.unmark
    if not ref:
        return None, ()
    if ref.startswith("input."):
        spec = action.input(ref[len("input.") :])
        return (spec.name, spec.choices) if spec else (None, ())
    return None, ((ref, ref),)


def unmark_choices(
    case_type: CaseType, action: ActionSpec, case: CaseSnapshot
) -> dict[str, tuple[tuple[str, str], ...]]:
    """For a form: the choices of the input naming the mark to remove, narrowed to the
    marks the case carries ({} when the action removes no mark named by an input)."""
    name, choices = _unmark_input(action)
    if name is None:
        return {}
    kinds = {m.get("kind") for m in case.marks}
    return {name: tuple((code, label) for code, label in choices if code in kinds)}


def _unmark_conditions(action: ActionSpec, case: CaseSnapshot) -> list[Problem]:
    """An action that removes a mark needs a mark to remove: 解除督办 before anything was
    supervised would write an event that changes nothing."""
    _, choices = _unmark_input(action)
    if not action.effects.unmark:
        return []
    kinds = {m.get("kind") for m in case.marks}
    if any(code in kinds for code, _ in choices):
        return []
    return [Problem("guard_failed", "该工单没有督办标记，无需解除")]


def _unmarked_input(
    action: ActionSpec, case: CaseSnapshot, inputs: Mapping[str, Any]
) -> list[Problem]:
    """The mark named by the input is one the case carries."""
    name, choices = _unmark_input(action)
    if name is None or name not in inputs:
        return []
    kind = inputs[name]
    if kind in {m.get("kind") for m in case.marks}:
        return []
    label = dict(choices).get(str(kind), str(kind))
    return [Problem("not_marked", f"该工单没有「{label}」标记", name)]


def _input_free_conditions(
    case_type: CaseType, action: ActionSpec, case: CaseSnapshot, now: datetime
) -> list[Problem]:
    """The guards that read no input, a mark to remove, then the documents the action
    requires."""
    view = GuardView(case_type, action, case, case.fields, None, now)
    return (
        guard_problems(view)
        + _unmark_conditions(action, case)
        + _missing_documents(case_type, action, case)
    )


def _input_conditions(
    case_type: CaseType,
    action: ActionSpec,
    case: CaseSnapshot,
    inputs: Mapping[str, Any],
    now: datetime,
) -> list[Problem]:
    """The guards that read an input, on the case as the (validated) inputs leave it."""
    stored = {k: storable(v) for k, v in inputs.items()}
    fields = fields_with_inputs(case_type, action, case.fields, inputs)
    view = GuardView(case_type, action, case, fields, stored, now)
    return guard_problems(view, reading_inputs=True) + _unmarked_input(action, case, stored)


def refusals(
    case_type: CaseType,
    action: ActionSpec,
    case: CaseSnapshot,
    actor: Actor,
    now: datetime,
    *,
    inputs: Mapping[str, Any] | None = None,
) -> list[Problem]:
    """Why `actor` may not take `action` now; empty when it may.

    Without `inputs` (validated, as `validate_inputs` returns them) the guards that read an
    input are not evaluated (see domain.guards): the action is not refused for what the user
    has not typed yet."""
    problems = _permission(case_type, action, case, actor)
    if problems:
        return problems
    problems = _input_free_conditions(case_type, action, case, now)
    if inputs is not None:
        problems += _input_conditions(case_type, action, case, inputs, now)
    return problems


def available_actions(
    case_type: CaseType, case: CaseSnapshot, actor: Actor, now: datetime
) -> list[ActionSpec]:
    return [
        a
        for a in case_type.actions
        if not a.create and not refusals(case_type, a, case, actor, now)
    ]


def _status(problems: list[Problem]) -> int:
    code = problems[0].code
    if code in {"forbidden_role", "not_your_case"}:
        return 403
    if code in {"guard_failed", "document_missing"}:
        return 422
    return 409


# ---------------------------------------------------------------------------------------------
# Planning


def _units(
    action: ActionSpec, case: CaseSnapshot, actor: Actor, inputs: Mapping[str, Any]
) -> tuple[UnitRef | None, tuple[UnitRef, ...]]:
    effects = action.effects
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
    return lead, assisting


def _changes(
    case: CaseSnapshot,
    fields: Mapping[str, Any],
    lead: UnitRef | None,
    assisting: tuple[UnitRef, ...],
) -> dict[str, list[Any]]:
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
    return changes


def plan_action(
    case_type: CaseType,
    case: CaseSnapshot,
    actor: Actor,
    action_name: str,
    raw_inputs: Mapping[str, Any],
    now: datetime,
    calendar: WorkCalendar,
    resolve_unit: UnitResolver,
    *,
    resolve_link: LinkResolver | None = None,
) -> Plan:
    """Check the action and return what it does; raise DomainError when it is refused.

    `resolve_link` answers a case id with (id, type) for a case the actor may see (case_link
    inputs need it; without it they are refused).

    The snapshot's open clock records are changed in place (and listed in the Plan)."""
    action = case_type.action(action_name)
    if action is None:
        raise DomainError(
            "unknown_action", f"案件类型「{case_type.label}」没有动作 {action_name}", 404
        )
    problems = _permission(case_type, action, case, actor) or _input_free_conditions(
        case_type, action, case, now
    )
    if problems:
        raise DomainError.from_problems(problems, _status(problems))
    inputs, problems = validate_inputs(
        action.inputs, raw_inputs, case.fields, resolve_unit, resolve_link=resolve_link
    )
    if problems:
        raise DomainError.from_problems(problems, 422)
    problems = _input_conditions(case_type, action, case, inputs, now)
    if problems:
        raise DomainError.from_problems(problems, 422)
    fields = fields_with_inputs(case_type, action, case.fields, inputs)

    effects = action.effects
    context = EffectContext(now, calendar, actor, case.documents)
    apply_field_effects(case_type, effects, fields, inputs, context)
    lead, assisting = _units(action, case, actor, inputs)
    marks = apply_marks(effects, case.marks, inputs, actor, now)
    open_to_units = case.open_to_units if effects.open_to_units is None else effects.open_to_units

    clocks = plan_clocks(case_type, action, case, fields, inputs, now, calendar)
    to_state = action.to or case.state or ""
    return Plan(
        action=action,
        from_state=case.state,
        to_state=to_state,
        fields=fields,
        changes=_changes(case, fields, lead, assisting),
        inputs={k: event_value(v) for k, v in inputs.items()},
        lead_unit=lead,
        assisting_units=assisting,
        clocks_started=clocks.started,
        clocks_stopped=clocks.stopped,
        clocks_extended=clocks.extended,
        marks=marks,
        open_to_units=open_to_units,
        next_due=_next_due([*case.clocks, *clocks.started], case_type.periods),
        clocks_suspended=clocks.suspended,
        clocks_resumed=clocks.resumed,
        clocks_recorded=clocks.recorded,
        follow_up=clocks.follow_up,
        clocks_skipped=clocks.skipped,
    )
