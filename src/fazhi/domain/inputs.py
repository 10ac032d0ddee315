"""Validate and normalise action inputs against their field specs, in Chinese."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from fazhi.domain.case_links import case_id_from_reference
from fazhi.domain.case_type import FieldSpec
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import Problem
from fazhi.domain.identity import id_number_valid, phone_valid
from fazhi.domain.units import UnitRef

UnitResolver = Callable[[Any], UnitRef | None]
_TRUE = {True, "true", "1", "yes", "on"}
_FALSE = {False, "false", "0", "no", "off", ""}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def normalise(
    spec: FieldSpec, value: Any, resolve_unit: UnitResolver
) -> tuple[Any, Problem | None]:
    """Return (clean value, None) or (None, problem)."""
    label = spec.label

    def bad(message: str, code: str = "invalid_value") -> tuple[Any, Problem]:
        return None, Problem(code, message, spec.name)

    if spec.type in {"string", "text", "person_name", "phone", "id_number"}:
        if not isinstance(value, str | int) or isinstance(value, bool):
            return bad(f"{label}应为文本")
        text = str(value).strip()
        if "\x00" in text:
            # PostgreSQL cannot store NUL in text; no legitimate input contains one.
            return bad(f"{label}含有不允许的控制字符")
        limit = spec.max_length or (4000 if spec.type == "text" else 200)
        if len(text) > limit:
            return bad(f"{label}不能超过{limit}个字符", "too_long")
        if spec.type == "phone" and not phone_valid(text):
            return bad(f"{label}格式不正确（手机号11位，或带区号的固定电话）")
        if spec.type == "id_number":
            text = text.upper()
            if not id_number_valid(text):
                return bad(f"{label}不是有效的身份证号码（校验位不符）")
        return text, None
    if spec.type == "enum":
        codes = [c for c, _ in spec.choices]
        if value not in codes:
            return bad(f"{label}只能是：" + "、".join(lbl for _, lbl in spec.choices))
        return value, None
    if spec.type in {"int", "number"}:
        try:
            if isinstance(value, bool):
                raise ValueError
            num: float = int(value) if spec.type == "int" else float(value)
            if spec.type == "int" and isinstance(value, float) and value != int(value):
                raise ValueError
        except (TypeError, ValueError, OverflowError):  # OverflowError: 1e400 as an int
            return bad(f"{label}应为{'整数' if spec.type == 'int' else '数字'}")
        if spec.min is not None and num < spec.min:
            return bad(f"{label}不能小于{spec.min:g}")
        if spec.max is not None and num > spec.max:
            return bad(f"{label}不能大于{spec.max:g}")
        return num, None
    if spec.type == "bool":
        if isinstance(value, list | dict):  # unhashable: `in` a set would raise
            return bad(f"{label}应为是或否")
        if value in _TRUE:
            return True, None
        if value in _FALSE:
            return False, None
        return bad(f"{label}应为是或否")
    if spec.type == "date":
        try:
            return date.fromisoformat(str(value)).isoformat(), None
        except ValueError:
            return bad(f"{label}应为日期（如 2023-09-28）")
    if spec.type == "money":
        return _money(spec, value)
    if spec.type == "datetime":
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            return bad(f"{label}应为日期时间（如 2023-09-28 14:30）")
        if moment.tzinfo is None:  # a datetime-local input: the district's wall clock
            moment = moment.replace(tzinfo=LOCAL_TZ)
        return moment.astimezone(UTC).isoformat(), None
    if spec.type == "case_link":
        # An id or a case number; whether the case exists, may be seen and is of one of
        # `link_types` is checked where the database is (fazhi.actions.links).
        case_id = case_id_from_reference(value)
        if case_id is None:
            return bad(f"{label}应为案件编号（如 RX202306010000123）")
        return case_id, None
    if spec.type == "unit":
        unit = resolve_unit(value)
        if unit is None:
            return bad(f"{label}：找不到单位 {value}", "unknown_unit")
        return unit, None
    if spec.type == "unit_list":
        if not isinstance(value, list):
            value = [v for v in str(value).split(",") if v.strip()]
        units: list[UnitRef] = []
        for item in value:
            unit = resolve_unit(item)
            if unit is None:
                return bad(f"{label}：找不到单位 {item}", "unknown_unit")
            if unit not in units:
                units.append(unit)
        return units, None
    return bad(f"{label}：不支持的字段类型 {spec.type}")


def _money(spec: FieldSpec, value: Any) -> tuple[Any, Problem | None]:
    """Yuan with at most two decimals, kept as the string "1234.50" (no float rounding)."""
    label = spec.label
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None, Problem("invalid_value", f"{label}应为金额（元）", spec.name)
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return None, Problem("invalid_value", f"{label}最多保留两位小数（元）", spec.name)
    if spec.min is not None and amount < Decimal(str(spec.min)):
        return None, Problem("invalid_value", f"{label}不能小于{spec.min:g}元", spec.name)
    if spec.max is not None and amount > Decimal(str(spec.max)):
        return None, Problem("invalid_value", f"{label}不能大于{spec.max:g}元", spec.name)
    return f"{amount.quantize(Decimal('0.01'))}", None


def _unit_ids(value: Any) -> Any:
    """Records are stored as JSON: units inside them by id."""
    if isinstance(value, UnitRef):
        return value.id
    if isinstance(value, list):
        return [u.id if isinstance(u, UnitRef) else u for u in value]
    return value


def _records(
    spec: FieldSpec, value: Any, resolve_unit: UnitResolver
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """A list field's records, each checked against `items`; problems name their record by
    path (`parties[1].id_number`). Minimal version for the console (wt-console): the
    inputs work of the engine issue replaces it."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        return [], [Problem("invalid_value", f"{spec.label}应为记录列表", spec.name)]
    problems: list[Problem] = []
    if spec.min_items is not None and len(value) < spec.min_items:
        problems.append(
            Problem("too_few_items", f"{spec.label}至少需要{spec.min_items}条", spec.name)
        )
    if spec.max_items is not None and len(value) > spec.max_items:
        problems.append(Problem("too_many_items", f"{spec.label}最多{spec.max_items}条", spec.name))
    records: list[dict[str, Any]] = []
    for i, raw in enumerate(value):
        clean, found = validate_inputs(spec.items, raw, {}, resolve_unit)
        for problem in found:
            problem.field = f"{spec.name}[{i}].{problem.field}"
            problem.message = f"{spec.label}第{i + 1}条：{problem.message}"
        problems += found
        records.append({k: _unit_ids(v) for k, v in clean.items()})
    return records, problems


def validate_inputs(
    specs: tuple[FieldSpec, ...],
    raw: Mapping[str, Any],
    context: Mapping[str, Any],
    resolve_unit: UnitResolver,
) -> tuple[dict[str, Any], list[Problem]]:
    """Check every input; collect every problem rather than stopping at the first.

    `context` is the case's current fields, so `required_if` can look at either.
    """
    known = {s.name for s in specs}
    problems = [
        Problem("unknown_field", f"不认识的字段：{name}", name) for name in raw if name not in known
    ]
    clean: dict[str, Any] = {}
    for spec in specs:
        value = raw.get(spec.name)
        if spec.type == "list" and not _blank(value):
            records, found = _records(spec, value, resolve_unit)
            problems += found
            if not found:
                clean[spec.name] = records
            continue
        if _blank(value):
            if spec.default is not None:
                clean[spec.name] = spec.default
            elif spec.type == "list" and spec.min_items and not spec.required:
                problems.append(
                    Problem("too_few_items", f"{spec.label}至少需要{spec.min_items}条", spec.name)
                )
            continue
        result, problem = normalise(spec, value, resolve_unit)
        if problem:
            problems.append(problem)
        else:
            clean[spec.name] = result
    merged = {**context, **clean}
    for spec in specs:
        if spec.name in clean or not _blank(raw.get(spec.name)):
            continue  # given: either accepted or already reported as invalid
        needed = spec.required or any(merged.get(k) in values for k, values in spec.required_if)
        if needed:
            problems.append(Problem("required", f"请填写{spec.label}", spec.name))
    return clean, problems
