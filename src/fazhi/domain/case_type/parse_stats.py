"""STOPGAP (issue 8, item 7): a minimal parse of the `metrics:`, `rates:` and `repeat_calls:`
sections of a type file, with their reference checks.

The schema-based parser that replaces `parse.py` will take these sections over; until then
this module reads exactly these three and nothing else. Keep its checks when porting: every
reference (action, clock, field, metric) resolves, unknown keys are refused, and counter
names fit the rollup column.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from fazhi.domain.case_type.spec import (
    CASE_FLAGS,
    MAX_METRIC_NAME,
    ClockSpec,
    FieldSpec,
    MetricSpec,
    RateSpec,
    RepeatCallRule,
)
from fazhi.domain.durations import Duration

METRIC_KEYS = frozenset(
    {
        "label",
        "on",
        "create",
        "terminal",
        "clock",
        "met",
        "field",
        "values",
        "case_flag",
        "sum",
        "by",
        "never_late",
    }
)
RATE_KEYS = frozenset({"label", "numerator", "denominator", "formula", "weight", "lower_is_better"})
REPEAT_KEYS = frozenset({"field", "window"})
SUMMABLE = frozenset({"money", "number", "int"})
# A repeat window is a span of wall-clock time: working days or months would make "the same
# caller within the window" depend on the calendar.
WINDOW_UNITS = frozenset({"min", "h", "cd"})
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _section(
    raw: Any, where: str, keys: Collection[str] | None, problems: list[str]
) -> dict[Any, Any]:
    """The mapping at `where`, with a fault for each key outside `keys` (None: any key)."""
    if not isinstance(raw, dict):
        problems.append(f"{where}: 应为映射")
        return {}
    for key in raw:
        # YAML 1.1 reads a bare `on` key as the boolean true.
        if keys is not None and key not in keys and key is not True:
            problems.append(f"{where}: 未知键 {key!r}")
    return raw


def _metric(
    name: str,
    raw: Any,
    fields: Mapping[str, FieldSpec],
    actions: Collection[str],
    clocks: Collection[str],
    problems: list[str],
) -> MetricSpec | None:
    where = f"metrics.{name}"
    body = _section(raw, where, METRIC_KEYS, problems)
    spec = MetricSpec(
        name=name,
        label=str(body.get("label") or ""),
        on=_names(body.get("on", body.get(True))),
        create=body.get("create") is True,
        terminal=body.get("terminal") is True,
        clock=body.get("clock"),
        met=body.get("met"),
        field=body.get("field"),
        values=tuple(body.get("values") or ()),
        case_flag=body.get("case_flag"),
        sum=body.get("sum"),
        by=body.get("by"),
        never_late=body.get("never_late"),
    )
    faults: list[str] = []
    if not _NAME.match(name) or len(name) > MAX_METRIC_NAME:
        faults.append(f"名称应为小写字母、数字和下划线，不超过{MAX_METRIC_NAME}字符")
    if not spec.label:
        faults.append("缺少 label")
    if not (spec.on or spec.create or spec.terminal):
        faults.append("需要 on、create 或 terminal 之一")
    faults += [f"on 引用未知动作 {a}" for a in spec.on if a not in actions]
    for key in ("clock", "never_late"):
        value = getattr(spec, key)
        if value is not None and value not in clocks:
            faults.append(f"{key} 引用未知时限 {value}")
    if spec.met is not None and (spec.clock is None or not isinstance(spec.met, bool)):
        faults.append("met 应为 true 或 false，且需要同时写 clock")
    for key in ("field", "sum", "by"):
        value = getattr(spec, key)
        if value is not None and value not in fields:
            faults.append(f"{key} 引用未知字段 {value}")
    if bool(spec.field) != bool(spec.values):
        faults.append("field 与 values（非空列表）应同时写")
    summed = fields.get(spec.sum) if spec.sum else None
    if summed is not None and summed.type not in SUMMABLE:
        faults.append(f"sum 应为金额或数字字段，{spec.sum} 不是")
    if spec.sum and spec.by:
        faults.append("sum 与 by 不能同时使用")
    if spec.case_flag is not None and spec.case_flag not in CASE_FLAGS:
        faults.append(f"未知 case_flag {spec.case_flag}（应为 {sorted(CASE_FLAGS)}）")
    split = fields.get(spec.by) if spec.by else None
    if split is not None:
        for code, _ in split.choices:
            if len(f"{name}:{code}") > MAX_METRIC_NAME:
                faults.append(f"by 的计数名 {name}:{code} 超过{MAX_METRIC_NAME}字符")
    problems += [f"{where}: {fault}" for fault in faults]
    return None if faults else spec


def _rate(name: str, raw: Any, metrics: Collection[str], problems: list[str]) -> RateSpec | None:
    where = f"rates.{name}"
    body = _section(raw, where, RATE_KEYS, problems)
    faults: list[str] = []
    for key in ("label", "numerator", "denominator"):
        if not body.get(key):
            faults.append(f"缺少 {key}")
        elif key != "label" and body[key] not in metrics:
            faults.append(f"{key} 引用未知指标 {body[key]}")
    weight = body.get("weight", 0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
        faults.append("weight 应为非负数")
    problems += [f"{where}: {fault}" for fault in faults]
    if faults:
        return None
    return RateSpec(
        name=name,
        label=str(body["label"]),
        numerator=str(body["numerator"]),
        denominator=str(body["denominator"]),
        formula=str(body.get("formula") or ""),
        weight=float(weight),
        lower_is_better=body.get("lower_is_better") is True,
    )


def _repeat_calls(
    raw: Any, fields: Mapping[str, FieldSpec], problems: list[str]
) -> RepeatCallRule | None:
    body = _section(raw, "repeat_calls", REPEAT_KEYS, problems)
    name = str(body.get("field"))
    spec = fields.get(name)
    if spec is None or spec.type != "phone":
        problems.append(f"repeat_calls.field: 应为电话字段，{name} 不是")
        spec = None
    window: Duration | None = None
    try:
        window = Duration.parse(str(body.get("window")))
    except ValueError as exc:
        problems.append(f"repeat_calls.window: {exc}")
    if window is not None and (window.unit not in WINDOW_UNITS or window.amount <= 0):
        problems.append(f"repeat_calls.window: 应为正的 {'、'.join(sorted(WINDOW_UNITS))} 时长")
        window = None
    return RepeatCallRule(spec.name, window) if spec is not None and window is not None else None


def parse_statistics(
    raw: Mapping[str, Any],
    fields: tuple[FieldSpec, ...],
    actions: Collection[str],
    clocks: list[ClockSpec],
    problems: list[str],
) -> tuple[tuple[MetricSpec, ...], tuple[RateSpec, ...], RepeatCallRule | None]:
    """The type's metrics, rates and repeat-call rule; faults are added to `problems`."""
    by_name = {f.name: f for f in fields}
    clock_names = {c.name for c in clocks}
    metrics: list[MetricSpec] = []
    if raw.get("metrics") is not None:
        for name, body in _section(raw["metrics"], "metrics", None, problems).items():
            found = _metric(str(name), body, by_name, actions, clock_names, problems)
            if found is not None:
                metrics.append(found)
    names = {m.name for m in metrics}
    rates: list[RateSpec] = []
    if raw.get("rates") is not None:
        for name, body in _section(raw["rates"], "rates", None, problems).items():
            rate = _rate(str(name), body, names, problems)
            if rate is not None:
                rates.append(rate)
    repeat = None
    if raw.get("repeat_calls") is not None:
        repeat = _repeat_calls(raw["repeat_calls"], by_name, problems)
    return tuple(metrics), tuple(rates), repeat
