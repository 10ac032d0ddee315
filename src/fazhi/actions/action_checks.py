"""Checks a type package adds to the one door: rules that read what the platform stores
(a published catalogue, a register) and so can be neither a type file's guard nor a pure
hook (`fazhi.domain.hooks`).

A type package registers `fn(session, ctx, case, plan)` for some of its type's actions, in
a module its type file names under `hooks:` (imported whenever the type loads, so every
process that can take the action has the check). `check_perform_action` runs the checks
after the domain planned the action and before anything is written; a check refuses with
`DomainError` (with the field, so the console shows it beside the input). An after-action
(`register_after`) records what follows from the written action in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from fazhi.domain.workflow import Plan

ActionCheck = Callable[["Session", Any, Any, "Plan"], None]
_F = TypeVar("_F", bound=ActionCheck)
_CHECKS: dict[tuple[str, str], list[ActionCheck]] = {}


def _origin(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def register_check(type_name: str, *actions: str) -> Callable[[_F], _F]:
    """Run `fn(session, ctx, case, plan)` before `actions` of `type_name` are written."""

    def decorate(fn: _F) -> _F:
        for action in actions:
            found = _CHECKS.setdefault((type_name, action), [])
            # A module imported again (a reload) registers the same function once.
            found[:] = [f for f in found if _origin(f) != _origin(fn)]
            found.append(fn)
        return fn

    return decorate


def checks_for(type_name: str, action: str) -> tuple[ActionCheck, ...]:
    return tuple(_CHECKS.get((type_name, action), ()))


# What a type package records once an action is written, in the same transaction (the
# case-file review of a closed penalty case): `fn(session, ctx, case)`, the case as written.
AfterAction = Callable[["Session", Any, Any], None]
_A = TypeVar("_A", bound=AfterAction)
_AFTER: dict[tuple[str, str], list[AfterAction]] = {}


def register_after(type_name: str, *actions: str) -> Callable[[_A], _A]:
    """Run `fn(session, ctx, case)` after `actions` of `type_name` are written."""

    def decorate(fn: _A) -> _A:
        for action in actions:
            found = _AFTER.setdefault((type_name, action), [])
            found[:] = [f for f in found if _origin(f) != _origin(fn)]
            found.append(fn)
        return fn

    return decorate


def after_for(type_name: str, action: str) -> tuple[AfterAction, ...]:
    return tuple(_AFTER.get((type_name, action), ()))
