"""Named hooks: the few things a type file cannot say as data, registered in code.

A type file lists the modules that register its hooks (`hooks: [fazhi.mediation.hooks]`);
the registry imports them before parsing the file, so the parser can check that every
`{compute: NAME}` names a registered compute hook whose result type fits the field it is
stored in, and that every schedule's `rule` names a registered rule hook.

    @register_compute("court_confirmation_deadline", returns="date")
    def court_confirmation_deadline(case): ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fazhi.domain.case_type.spec import FIELD_TYPES

ComputeHook = Callable[..., Any]
RuleHook = Callable[..., Any]
F = TypeVar("F", bound=Callable[..., Any])

_COMPUTE: dict[str, tuple[str, ComputeHook]] = {}
_RULES: dict[str, RuleHook] = {}


def register_compute(name: str, returns: str) -> Callable[[F], F]:
    """Register a compute hook whose result is a value of field type `returns`."""
    if returns not in FIELD_TYPES:
        raise ValueError(f"compute hook {name}: unknown field type {returns!r}")

    def register(hook: F) -> F:
        _COMPUTE[name] = (returns, hook)
        return hook

    return register


def register_rule(name: str) -> Callable[[F], F]:
    """Register a rule hook a schedule runs (`schedules: {…: {rule: NAME}}`)."""

    def register(hook: F) -> F:
        _RULES[name] = hook
        return hook

    return register


def compute_hook_types() -> dict[str, str]:
    """Each registered compute hook's name → the field type it returns."""
    return {name: returns for name, (returns, _) in _COMPUTE.items()}


def rule_hook_names() -> frozenset[str]:
    return frozenset(_RULES)
