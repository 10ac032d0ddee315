"""What an action does to a case's fields and marks (the `effects:` of an action).

Order: the action's inputs that are fields of the type are stored (with the type's defaults
on creation), then `increment`, then each `set` in the order written, then `clear`.

A `set:` value (`ValueExpr`) is
- `literal` — stored as written (`{value: now}` stores the text "now");
- `input` — the action's validated input (units stored by id);
- `field` — a copy of another field as the action leaves it so far;
- `token` — `now`: the action's instant, as a UTC ISO string for a datetime field (or any
  field that is not a date) and as the local (Asia/Shanghai) ISO date for a date field;
  `today`: the local ISO date; `actor`: {"id", "username", "name"} of who acts;
  `actor_unit`: the actor's unit id;
- `compute` — the value of the named compute hook (`fazhi.domain.hooks`); a hook raising
  `DomainError` refuses the action with its message.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.case_type import ActionSpec, CaseType, Effects, FieldSpec, ValueExpr
from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError
from fazhi.domain.hooks import ComputeContext, compute_hook
from fazhi.domain.inputs import DEFAULT_MAX_ITEMS
from fazhi.domain.records import DocumentRecord
from fazhi.domain.units import Actor, UnitRef

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class EffectContext:
    """The moment and the actor an action's effects read."""

    now: datetime
    calendar: WorkCalendar
    actor: Actor
    documents: tuple[DocumentRecord, ...] = ()


def storable(value: Any) -> Any:
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


def fields_with_inputs(
    case_type: CaseType,
    action: ActionSpec,
    current: Mapping[str, Any],
    inputs: Mapping[str, Any],
) -> dict[str, Any]:
    """The case's fields as the action's inputs leave them (what `field` guards read)."""
    fields = dict(current)
    if action.create:
        for spec in case_type.fields:
            if spec.default is not None and spec.name not in inputs and not spec.internal:
                fields[spec.name] = spec.default
    names = case_type.fields_names()
    for name, value in inputs.items():
        if name in names:
            fields[name] = storable(value)
    return fields


def _instant(now: datetime, spec: FieldSpec | None) -> str:
    if spec is not None and spec.type == "date":
        return local_date(now).isoformat()
    return now.astimezone(UTC).isoformat()


def _json_value(value: Any, spec: FieldSpec | None) -> Any:
    """A hook's result as a field stores it."""
    if isinstance(value, datetime):
        return _instant(value, spec)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if spec is not None and spec.type == "money":
            return str(value.quantize(_CENT))
        return str(value)
    return storable(value)


def set_value(
    case_type: CaseType,
    target: str,
    expr: ValueExpr,
    fields: Mapping[str, Any],
    inputs: Mapping[str, Any],
    ctx: EffectContext,
) -> Any:
    """The value a `set:` effect stores in `target`."""
    spec = case_type.field(target)
    if expr.kind == "input":
        return storable(inputs.get(str(expr.value)))
    if expr.kind == "field":
        return copy.deepcopy(fields.get(str(expr.value)))
    if expr.kind == "token":
        if expr.value == "now":
            return _instant(ctx.now, spec)
        if expr.value == "today":
            return local_date(ctx.now).isoformat()
        if expr.value == "actor":
            return {"id": ctx.actor.user_id, "username": ctx.actor.username, "name": ctx.actor.name}
        if expr.value == "actor_unit":
            return ctx.actor.unit.id
        raise DomainError("unknown_token", f"不认识的取值 {expr.value}", 500, target)
    if expr.kind == "compute":
        hook = compute_hook(str(expr.value))
        if hook is None:
            raise DomainError("unknown_hook", f"没有注册计算规则 {expr.value}", 500, target)
        context = ComputeContext(
            fields=copy.deepcopy(dict(fields)),
            inputs=dict(inputs),
            now=ctx.now,
            calendar=ctx.calendar,
            actor=ctx.actor,
            documents=ctx.documents,
            target=target,
        )
        return _json_value(hook(context), spec)
    return copy.deepcopy(expr.value)  # literal


def apply_field_effects(
    case_type: CaseType,
    effects: Effects,
    fields: dict[str, Any],
    inputs: Mapping[str, Any],
    ctx: EffectContext,
) -> None:
    """`increment`, `set`, `append` and `clear`, in that order, on `fields` (changed in
    place). An append past the list's `max_items` is refused (code `too_many`)."""
    for name in effects.increment:
        fields[name] = int(fields.get(name) or 0) + 1
    for name, expr in effects.set:
        fields[name] = set_value(case_type, name, expr, fields, inputs, ctx)
    for name, names in effects.append:
        spec = case_type.field(name)
        records = list(fields.get(name) or [])
        limit = spec.max_items if spec and spec.max_items is not None else DEFAULT_MAX_ITEMS
        if len(records) >= limit:
            label = spec.label if spec else name
            raise DomainError("too_many", f"{label}最多{limit}项", 422, name)
        record = {key: storable(inputs[key]) for key in names if key in inputs}
        if spec is not None:
            for item in spec.items:
                if item.name not in record and item.default is not None:
                    record[item.name] = item.default
        fields[name] = [*records, record]
    for name in effects.clear:
        fields.pop(name, None)


def _named(value: str, inputs: Mapping[str, Any]) -> Any:
    """`input.kind` reads the input; anything else is the literal."""
    return inputs.get(value[6:]) if value.startswith("input.") else value


def apply_marks(
    effects: Effects,
    marks: list[dict[str, Any]],
    inputs: Mapping[str, Any],
    actor: Actor,
    now: datetime,
) -> list[dict[str, Any]]:
    """The case's supervision marks after `unmark` then `mark`."""
    out = list(marks)
    if effects.unmark:
        kind = _named(effects.unmark, inputs)
        out = [m for m in out if m.get("kind") != kind]
    if effects.mark:
        kind = _named(effects.mark, inputs)
        if any(m.get("kind") == kind for m in out):
            raise DomainError("already_marked", "该督办标记已存在", 409)
        out.append(
            {
                "kind": kind,
                "by": actor.username,
                "by_name": actor.name,
                "unit": actor.unit.name,
                "at": now.isoformat(),
                "reason": inputs.get("reason", ""),
            }
        )
    return out
