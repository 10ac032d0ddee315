"""Validate and normalise a set of inputs (an action's, a document's, a list's record)
against their field specs, in Chinese; every problem is collected, never just the first.

One value is checked by `field_values`; this module adds what needs the whole set:
unknown names, defaults, `required` / `required_if`, units and case links (which need
storage, so the caller passes resolvers), and lists of records with a path for each fault.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fazhi.domain.case_type import FieldSpec
from fazhi.domain.errors import Problem
from fazhi.domain.field_values import (
    TEXT_TYPES,
    Refused,
    case_reference,
    normalise_bool,
    normalise_date,
    normalise_datetime,
    normalise_enum,
    normalise_money,
    normalise_number,
    normalise_text,
)
from fazhi.domain.units import UnitRef

UnitResolver = Callable[[Any], UnitRef | None]
# A case id → (its id, its type name), or None when there is no such case the actor may
# see: a resolver must not tell a hidden case from a missing one.
LinkResolver = Callable[[int], tuple[int, str] | None]
# A list without `max_items` still has a bound: a request cannot grow a case without limit.
DEFAULT_MAX_ITEMS = 200

# Fields the console offers as a list to pick from: a missing one asks to choose (请选择),
# every other kind asks to fill in (请填写).
CHOSEN = frozenset({"enum", "unit", "unit_list"})


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


@dataclass(frozen=True)
class _Context:
    resolve_unit: UnitResolver
    resolve_link: LinkResolver | None


@dataclass(frozen=True)
class _Where:
    """Where a set of inputs sits: the path and message prefix of its problems."""

    path: str = ""  # "parties[1]." inside a record
    prefix: str = ""  # "当事人第2项：" inside a record
    in_record: bool = False  # records hold JSON: units by id

    def problem(self, code: str, message: str, name: str) -> Problem:
        return Problem(code, self.prefix + message, self.path + name)


def _scalar(spec: FieldSpec, value: Any, ctx: _Context, in_record: bool) -> Any:
    """The stored form of one non-list value; raises Refused."""
    label = spec.label
    kind = spec.type
    if kind in TEXT_TYPES:
        return normalise_text(spec, value)
    if kind == "enum":
        return normalise_enum(spec, value)
    if kind in {"int", "number"}:
        return normalise_number(spec, value)
    if kind == "money":
        return normalise_money(spec, value)
    if kind == "bool":
        return normalise_bool(spec, value)
    if kind == "date":
        return normalise_date(spec, value)
    if kind == "datetime":
        return normalise_datetime(spec, value)
    if kind == "unit":
        unit = ctx.resolve_unit(value)
        if unit is None:
            raise Refused(f"{label}：找不到单位 {value}", "unknown_unit")
        return unit.id if in_record else unit
    if kind == "unit_list":
        if not isinstance(value, list):
            value = [v for v in str(value).split(",") if v.strip()]
        units: list[UnitRef] = []
        for item in value:
            found = ctx.resolve_unit(item)
            if found is None:
                raise Refused(f"{label}：找不到单位 {item}", "unknown_unit")
            if found not in units:
                units.append(found)
        return [u.id for u in units] if in_record else units
    if kind == "case_link":
        return _link(spec, value, ctx)
    raise Refused(f"{label}：不支持的字段类型 {kind}")


def _link(spec: FieldSpec, value: Any, ctx: _Context) -> int:
    """A case link, stored as the target's id once it is known to exist with a right type."""
    label = spec.label
    case_id = case_reference(value)
    if case_id is None:
        raise Refused(f"{label}应为案件编号（如 RX202306010000123）或案件ID")
    if ctx.resolve_link is None:
        raise Refused(f"{label}：此处不能关联其他案件", "link_unavailable")
    target = ctx.resolve_link(case_id)
    if target is None:
        raise Refused(f"{label}：找不到案件 {value}", "unknown_case")
    target_id, target_type = target
    if spec.link_types and target_type not in spec.link_types:
        raise Refused(
            f"{label}只能关联以下类型的案件：" + "、".join(spec.link_types), "wrong_case_type"
        )
    return target_id


def _records(
    spec: FieldSpec, value: Any, ctx: _Context, where: _Where
) -> tuple[list[dict[str, Any]] | None, list[Problem]]:
    """A list field: each record checked against `spec.items`, every fault with its path.

    Paths index records from 0 (`parties[1].id_number` is the second record's field);
    messages count from 1 as people do (当事人第2项：…). Count faults have the list's own
    path (`parties`). A record holding a list is refused: lists do not nest.
    """
    name, label = spec.name, spec.label
    if any(item.type == "list" for item in spec.items):
        return None, [where.problem("unsupported_type", f"{label}：记录中不能再含列表", name)]
    if not isinstance(value, list | tuple):
        return None, [where.problem("invalid_value", f"{label}应为若干条记录的列表", name)]
    problems: list[Problem] = []
    most = spec.max_items if spec.max_items is not None else DEFAULT_MAX_ITEMS
    if len(value) > most:
        # The records themselves are not read: the count alone refuses an oversized body.
        return None, [where.problem("too_many", f"{label}最多{most}项", name)]
    if spec.min_items is not None and len(value) < spec.min_items:
        problems.append(where.problem("too_few", f"{label}至少{spec.min_items}项", name))
    records: list[dict[str, Any]] = []
    for index, item in enumerate(value):
        inner = _Where(
            path=f"{where.path}{name}[{index}].",
            prefix=f"{where.prefix}{label}第{index + 1}项：",
            in_record=True,
        )
        if not isinstance(item, Mapping):
            message = f"{inner.prefix.removesuffix('：')}应为一条记录"
            problems.append(Problem("invalid_value", message, inner.path.removesuffix(".")))
            continue
        record, faults = _check_set(spec.items, item, {}, ctx, inner)
        problems.extend(faults)
        records.append(record)
    return (None, problems) if problems else (records, [])


def _needed(spec: FieldSpec, known: Mapping[str, Any]) -> bool:
    # A list that must have records is required: "at least 2" is not met by none.
    return (
        spec.required
        or any(known.get(k) in values for k, values in spec.required_if)
        or (spec.type == "list" and (spec.min_items or 0) > 0)
    )


def _check_set(
    specs: tuple[FieldSpec, ...],
    raw: Mapping[str, Any],
    context: Mapping[str, Any],
    ctx: _Context,
    where: _Where,
) -> tuple[dict[str, Any], list[Problem]]:
    known = {s.name for s in specs}
    problems = [
        where.problem("unknown_field", f"不认识的字段：{name}", str(name))
        for name in raw
        if name not in known
    ]
    clean: dict[str, Any] = {}
    for spec in specs:
        value = raw.get(spec.name)
        if _blank(value):
            if spec.default is not None:
                clean[spec.name] = spec.default
            continue
        if spec.type == "list":
            records, faults = _records(spec, value, ctx, where)
            problems.extend(faults)
            if records is not None:
                clean[spec.name] = records
            continue
        try:
            clean[spec.name] = _scalar(spec, value, ctx, where.in_record)
        except Refused as refused:
            problems.append(where.problem(refused.code, refused.message, spec.name))
    merged = {**context, **clean}
    for spec in specs:
        if spec.name in clean or not _blank(raw.get(spec.name)):
            continue  # given: either accepted or already reported as invalid
        if _needed(spec, merged):
            least = spec.min_items if spec.type == "list" else None
            extra = f"（至少{least}项）" if least else ""
            ask = "请选择" if spec.type in CHOSEN else "请填写"
            problems.append(where.problem("required", f"{ask}{spec.label}{extra}", spec.name))
    return clean, problems


def normalise(
    spec: FieldSpec,
    value: Any,
    resolve_unit: UnitResolver,
    *,
    resolve_link: LinkResolver | None = None,
) -> tuple[Any, Problem | None]:
    """Return (clean value, None) or (None, the first problem) for one given value."""
    ctx = _Context(resolve_unit, resolve_link)
    if spec.type == "list":
        records, problems = _records(spec, value, ctx, _Where())
        return (None, problems[0]) if problems else (records, None)
    try:
        return _scalar(spec, value, ctx, in_record=False), None
    except Refused as refused:
        return None, Problem(refused.code, refused.message, spec.name)


def validate_inputs(
    specs: tuple[FieldSpec, ...],
    raw: Mapping[str, Any],
    context: Mapping[str, Any],
    resolve_unit: UnitResolver,
    *,
    resolve_link: LinkResolver | None = None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Check every input; collect every problem rather than stopping at the first.

    `context` is the case's current fields, so `required_if` can look at either; inside a
    list's record, `required_if` looks at that record only. A blank value (None, "", [])
    counts as not given: its default applies, or `required` refuses it. Units are returned
    as UnitRef at the top level and as ids inside records (records are stored as given);
    a case link is the target's id, checked through `resolve_link` (without one, every
    link is refused). Problem fields are paths: `parties[1].id_number` (records counted
    from 0), `parties` for the number of records.
    """
    return _check_set(specs, raw, context, _Context(resolve_unit, resolve_link), _Where())
