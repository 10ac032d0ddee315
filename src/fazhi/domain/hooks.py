"""Named hooks: the few rules a type file cannot say in data, registered in code.

A type's package (named under `hooks:` in its type file, imported when the type loads)
registers its hooks by name; the engine calls them by name and imports no type package.

- A **compute** hook (`register_compute(name, returns)`) gives the value a `set:` effect
  stores, e.g. `confirm_by: {compute: court_confirmation_deadline}`. `returns` is the field
  type of its result ("date", "money", …); the parser checks it against the target field.
- A **rule** hook (`register_rule(name)`) is run by the scheduler over a type's open cases
  (`schedules:`) and returns the system actions to take on a case.

Hooks are pure: they read only their context (never the clock, the database or the
network) and return a value. A hook that raises `DomainError` refuses the action with
that error's message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.case_type.spec import FIELD_TYPES
from fazhi.domain.records import CaseSnapshot, DocumentRecord
from fazhi.domain.units import Actor


@dataclass(frozen=True)
class ComputeContext:
    """What a compute hook may read: the fields as the action leaves them so far (inputs
    and the effects before this one applied), the action's validated inputs, its instant,
    the working calendar, who acts, and the case's documents."""

    fields: Mapping[str, Any]
    inputs: Mapping[str, Any]
    now: datetime
    calendar: WorkCalendar
    actor: Actor
    documents: tuple[DocumentRecord, ...] = ()
    target: str = ""  # the field the value is for


@dataclass(frozen=True)
class RuleContext:
    """What a scheduled rule may read: the case, the instant of the run, the calendar."""

    case: CaseSnapshot
    now: datetime
    calendar: WorkCalendar


@dataclass(frozen=True)
class ScheduledAction:
    """A system action the platform should take on a case, with its inputs."""

    action: str
    inputs: Mapping[str, Any] = field(default_factory=dict)


ComputeHook = Callable[[ComputeContext], Any]
RuleHook = Callable[[RuleContext], list[ScheduledAction]]
_C = TypeVar("_C", bound=ComputeHook)
_R = TypeVar("_R", bound=RuleHook)

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_COMPUTE: dict[str, tuple[str, ComputeHook]] = {}
_RULES: dict[str, RuleHook] = {}


def _origin(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def _check_name(name: str, kind: str, existing: Callable[..., Any] | None, fn: Any) -> None:
    if not _NAME.match(name):
        raise ValueError(f"{kind} hook name must match [a-z][a-z0-9_]*, got {name!r}")
    # Re-importing the same module (a reload) registers the same function again; a second
    # function under one name is a mistake that would silently change a type's rules.
    if existing is not None and _origin(existing) != _origin(fn):
        raise ValueError(
            f"{kind} hook {name!r} is already registered by {_origin(existing)}, not {_origin(fn)}"
        )


def register_compute(name: str, returns: str) -> Callable[[_C], _C]:
    """Register `fn(ctx: ComputeContext) -> value` as the compute hook `name`, whose result
    is of field type `returns`."""
    if returns not in FIELD_TYPES:
        raise ValueError(f"compute hook {name!r}: unknown result field type {returns!r}")

    def decorate(fn: _C) -> _C:
        seen = _COMPUTE.get(name)
        _check_name(name, "compute", seen[1] if seen else None, fn)
        _COMPUTE[name] = (returns, fn)
        return fn

    return decorate


def register_rule(name: str) -> Callable[[_R], _R]:
    """Register `fn(ctx: RuleContext) -> list[ScheduledAction]` as the rule hook `name`."""

    def decorate(fn: _R) -> _R:
        _check_name(name, "rule", _RULES.get(name), fn)
        _RULES[name] = fn
        return fn

    return decorate


def compute_hook(name: str) -> ComputeHook | None:
    entry = _COMPUTE.get(name)
    return entry[1] if entry else None


def rule_hook(name: str) -> RuleHook | None:
    return _RULES.get(name)


def compute_hook_types() -> dict[str, str]:
    """Every registered compute hook's name → its declared result type (for the parser)."""
    return {name: returns for name, (returns, _) in _COMPUTE.items()}


def rule_hook_names() -> frozenset[str]:
    """Every registered rule hook's name (for the parser)."""
    return frozenset(_RULES)
