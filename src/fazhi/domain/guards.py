"""Guards: the conditions an action needs besides role, state and party.

A guard reads references (`Ref` in case_type.spec):
- `field` — the case's field as the action's inputs would leave it: the case's fields with
  the type's defaults (on creation) and the action's validated inputs laid over them, so a
  create action's guards see what is being registered;
- `input` — only the action's input of that name;
- `document` — `key` of the data of the newest active document of kind `name`;
- with `count`, the number of records of a list field, or of active documents of a kind.

Comparisons (`op`) are made against a literal `value`, or against `right`, another Ref:
- **Numbers.** The two sides compare as `Decimal` when either is declared numeric (a money,
  int or number field, an input or document field of such a type, or a count) or is a number
  (a literal `200` in the type file), and both parse as decimals: money travels as strings
  such as "1234.50", so "1234.5" equals "1234.50" and "5000.00" is greater than 200. Two
  strings of no declared numeric type compare as strings (codes keep their leading zeros);
  ordering two strings compares them as text, which orders ISO dates correctly.
- **Missing values** (absent, "" or an empty list) satisfy `absent` and fail `present`.
  Against a literal, a missing value is not equal to it (so `ne` and `not_in` hold) and
  counts as 0 in `lt`/`le`/`gt`/`ge` (a counter that was never incremented). Against another
  reference, a missing side fails every comparison: nothing is proven equal to, or within,
  a value that is not there.
- `clock_within` holds while the named clock is running and not past due; a suspended clock
  holds unless it was already late when suspended (time does not run while suspended).
- `all` / `any` / `not` combine children. A refusal names the failing guard's own message;
  a child without one speaks with its parent's (an `all` reports each failing child, an
  `any` or `not` its own message).

A guard *reads an input* when one of its references is an `input`, a `field` the action
has an input of, or any `field` of a create action. `available_actions` knows no inputs, so
there only guards that read none are evaluated: an action is never hidden by a value the
user has not typed yet. `plan_action` evaluates those first (with the documents the action
requires: what the user cannot fix by typing is said first), then validates the inputs,
then evaluates the guards that read them on the case as the inputs would leave it.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from fazhi.domain.case_type import ActionSpec, CaseType, Guard, Ref
from fazhi.domain.errors import Problem
from fazhi.domain.records import CaseSnapshot

NUMERIC_TYPES = frozenset({"money", "int", "number"})
_DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")
_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


@dataclass(frozen=True)
class GuardView:
    """What guards read. `inputs` is None when they are not known (listing actions)."""

    case_type: CaseType
    action: ActionSpec
    case: CaseSnapshot
    fields: Mapping[str, Any]  # the case's fields as the inputs would leave them
    inputs: Mapping[str, Any] | None
    now: datetime


@dataclass(frozen=True)
class _Value:
    value: Any
    numeric: bool = False  # declared numeric: a money/int/number field or a count


def parse_ref(text: str) -> Ref:
    """A reference as written in a type file: `name`, `input.name`, `document.KIND.FIELD`
    (`document.KIND` alone is the number of active documents of that kind)."""
    if text.startswith("input."):
        return Ref("input", text[6:])
    if text.startswith("document."):
        parts = text.split(".", 2)
        if len(parts) == 2:
            return Ref("document", parts[1], count=True)
        return Ref("document", parts[1], parts[2])
    return Ref("field", text)


def left_ref(guard: Guard) -> Ref:
    return guard.left if guard.left is not None else parse_ref(guard.target)


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str) and _DECIMAL.match(value.strip()):
        return Decimal(value.strip())
    return None


def resolve(ref: Ref, view: GuardView) -> _Value:
    """The value a reference reads, and whether it is declared numeric."""
    if ref.source == "document":
        if ref.count:
            return _Value(view.case.document_count(ref.name), True)
        doc = view.case.newest_document(ref.name)
        kind = view.case_type.document(ref.name)
        if ref.key is None:
            return _Value(doc.data if doc else None)
        spec = kind.field(ref.key) if kind else None
        value = doc.data.get(ref.key) if doc else None
    elif ref.source == "input":
        value = (view.inputs or {}).get(ref.name)
        spec = view.action.input(ref.name)
    else:
        value = view.fields.get(ref.name)
        spec = view.case_type.field(ref.name) or view.action.input(ref.name)
    if ref.count:
        return _Value(len(value) if isinstance(value, list | tuple) else 0, True)
    return _Value(value, spec is not None and spec.type in NUMERIC_TYPES)


def _equal(a: Any, b: Any, numeric: bool) -> bool:
    if numeric or _is_number(a) or _is_number(b):
        x, y = _decimal(a), _decimal(b)
        if x is not None and y is not None:
            return x == y
    return bool(a == b)


def compare(op: str, left: _Value, right: _Value, against_ref: bool) -> bool:
    """Whether `left op right` holds, by the rules in the module docstring."""
    a, b = left.value, right.value
    if op == "present":
        return not _missing(a)
    if op == "absent":
        return _missing(a)
    if against_ref and (_missing(a) or _missing(b)):
        return False
    numeric = left.numeric or right.numeric
    if op in ("in", "not_in"):
        items = b if isinstance(b, list | tuple | set | frozenset) else [b]
        found = any(_equal(a, item, numeric) for item in items)
        return found if op == "in" else not found
    if op in ("eq", "ne"):
        same = _equal(a, b, numeric)
        return same if op == "eq" else not same
    if op not in _ORDER:
        return False
    if _missing(a):
        a = 0
    if numeric or _is_number(a) or _is_number(b):
        x, y = _decimal(a), _decimal(b)
        return x is not None and y is not None and _ORDER[op](x, y)
    if isinstance(a, str) and isinstance(b, str):
        return _ORDER[op](a, b)
    return False


def _holds(guard: Guard, view: GuardView) -> bool:
    """A single (leaf) guard."""
    if guard.kind == "field":
        left = resolve(left_ref(guard), view)
        if guard.right is not None:
            return compare(guard.op, left, resolve(guard.right, view), True)
        return compare(guard.op, left, _Value(guard.value), False)
    if guard.kind == "clock_within":
        clock = view.case.running_clock(guard.target)
        if clock is None:
            return False
        if clock.suspended:
            return not clock.overdue(view.now)
        return view.now <= clock.due_at
    kinds = {m.get("kind") for m in view.case.marks}
    if guard.kind == "mark":
        return guard.target in kinds
    if guard.kind == "no_mark":
        return guard.target not in kinds
    return False  # a kind the parser would have refused: never let it through


def failures(guard: Guard, view: GuardView, inherited: str = "") -> list[str]:
    """The refusal messages of `guard` in `view` (empty when it holds)."""
    message = guard.message or inherited
    if guard.kind == "all":
        out: list[str] = []
        for child in guard.children:
            out.extend(m for m in failures(child, view, message) if m not in out)
        return out
    if guard.kind == "any":
        if any(not failures(child, view, message) for child in guard.children):
            return []
        fallback = next((c.message for c in guard.children if c.message), "")
        return [message or fallback]
    if guard.kind == "not":
        if guard.children and not failures(guard.children[0], view, message):
            return [message]
        return []
    return [] if _holds(guard, view) else [message]


def _refs(guard: Guard) -> Iterator[Ref]:
    if guard.kind == "field":
        yield left_ref(guard)
        if guard.right is not None:
            yield guard.right
    for child in guard.children:
        yield from _refs(child)


def reads_inputs(guard: Guard, action: ActionSpec) -> bool:
    """Whether the guard's outcome may depend on the action's inputs."""
    for ref in _refs(guard):
        if ref.source == "input":
            return True
        if ref.source == "field" and (action.create or action.input(ref.name) is not None):
            return True
    return False


def guard_problems(view: GuardView, *, reading_inputs: bool | None = None) -> list[Problem]:
    """Every failing guard of the view's action.

    `reading_inputs` selects: True only the guards that read an input, False only those
    that read none, None all of them. With the inputs unknown (`view.inputs` None) only
    those that read none can be evaluated."""
    if view.inputs is None:
        reading_inputs = False
    problems: list[Problem] = []
    for guard in view.action.guards:
        if reading_inputs is not None and reads_inputs(guard, view.action) != reading_inputs:
            continue
        problems.extend(Problem("guard_failed", m) for m in failures(guard, view))
    return problems
