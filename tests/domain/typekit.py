"""Hand-built case types for the engine's domain tests (specs built as the parser would).

A small "matter" type: states open → closed, an `officer` role, and whatever fields,
actions, clocks and documents a test needs. Times are Asia/Shanghai.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest

from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.case_type import (
    ActionSpec,
    CaseType,
    ClockSpec,
    DocumentKind,
    Effects,
    ExtendRule,
    FieldSpec,
    Guard,
    Limit,
    Ref,
    RepeatRule,
    StateSpec,
)
from fazhi.domain.durations import LOCAL_TZ, Duration
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor, UnitRef
from fazhi.domain.workflow import CaseSnapshot, Plan, plan_action

CAL = WorkCalendar()
UNIT = UnitRef(7, "SF-SFJ", "石峰区司法局", "department", "/1/7/")
OFFICER = Actor(11, "officer1", "王测试", "officer", UNIT, "430204")
STATES = (
    StateSpec("open", "办理中"),
    StateSpec("suspended", "已中止"),
    StateSpec("closed", "已结案", terminal=True),
)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LOCAL_TZ)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), LOCAL_TZ)


def field(name: str, type_: str = "string", label: str = "", **kw: Any) -> FieldSpec:
    return FieldSpec(name, type_, label or name, **kw)


def act(
    name: str,
    *,
    create: bool = False,
    to: str | None = None,
    inputs: tuple[FieldSpec, ...] = (),
    guards: tuple[Guard, ...] = (),
    effects: Effects = Effects(),
    documents: tuple[str, ...] = (),
) -> ActionSpec:
    return ActionSpec(
        name=name,
        label=name,
        from_states=() if create else ("open", "suspended"),
        to="open" if create and to is None else to,
        roles=("officer",),
        inputs=inputs,
        guards=guards,
        effects=effects,
        documents=documents,
        create=create,
    )


def compare(left: Ref | str, op: str, value: Any = None, message: str = "", **kw: Any) -> Guard:
    """A `field` guard: `left op value`, or `left op right` with right=Ref(...)."""
    ref = left if isinstance(left, Ref) else Ref("field", left)
    target = left if isinstance(left, str) else ref.name
    return Guard("field", target, op, value, message, left=ref, **kw)


def clock(
    name: str,
    limit: str,
    *,
    start: tuple[str, ...] = ("apply",),
    stop: tuple[str, ...] = ("conclude",),
    suspend: tuple[str, ...] = ("suspend",),
    resume: tuple[str, ...] = ("resume",),
    extend: ExtendRule | None = None,
    repeat: RepeatRule | None = None,
) -> ClockSpec:
    return ClockSpec(
        name=name,
        label=f"{name}期限",
        basis="测试依据",
        limit=Limit(Duration.parse(limit)),
        start=start,
        stop=stop,
        extend=extend,
        suspend=suspend,
        resume=resume,
        repeat=repeat,
    )


def matter(
    *actions: ActionSpec,
    fields: tuple[FieldSpec, ...] = (),
    clocks: tuple[ClockSpec, ...] = (),
    documents: tuple[DocumentKind, ...] = (),
) -> CaseType:
    return CaseType(
        name="matter",
        label="测试事项",
        number_prefix="CS",
        fields=fields,
        states=STATES,
        actions=actions,
        clocks=clocks,
        documents=documents,
    )


def resolve(value: Any) -> UnitRef | None:
    return UNIT if value in (UNIT.id, UNIT.code) else None


def run(
    case_type: CaseType,
    case: CaseSnapshot,
    action: str,
    now: datetime,
    who: Actor = OFFICER,
    **inputs: Any,
) -> Plan:
    return plan_action(case_type, case, who, action, inputs, now, CAL, resolve)


def refuse(
    case_type: CaseType,
    case: CaseSnapshot,
    action: str,
    now: datetime,
    **inputs: Any,
) -> DomainError:
    with pytest.raises(DomainError) as info:
        run(case_type, case, action, now, **inputs)
    return info.value


def after(case: CaseSnapshot, plan: Plan) -> CaseSnapshot:
    """The snapshot once the plan is written (open clocks only, as storage loads them)."""
    clocks = [c for c in case.clocks if c.running] + [c for c in plan.clocks_started if c.running]
    return CaseSnapshot(
        state=plan.to_state,
        fields=dict(plan.fields),
        lead_unit=plan.lead_unit,
        clocks=clocks,
        marks=list(plan.marks),
        documents=case.documents,
    )
