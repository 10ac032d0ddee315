"""Evaluating indicators (pure): a formula over the readings of its inputs for one period
and unit, its target and completion, and how the value is written.

The read side gathers the readings — rollup totals of the metrics (0 when nothing was
counted), imported figures (absent when none was imported), unit counts — for the period
and, for `change` and `decrease` formulas, the same period a year before; this module only
computes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from fazhi.domain.indicators.spec import YEAR_ON_YEAR, Catalog, Indicator, Ref

Readings = Mapping[str, Decimal | None]  # Ref.text → value (None: not available)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Value:
    """One indicator for one period and unit."""

    indicator: Indicator
    value: Decimal | None
    numerator: Decimal | None = None  # ratio: the inputs; change, decrease: this period
    denominator: Decimal | None = None  # ratio: the denominator; change, decrease: year before
    target: Decimal | None = None
    completion: Decimal | None = None  # value ÷ target (at_most: target ÷ value)
    met: bool | None = None
    missing: tuple[str, ...] = ()  # inputs without a value (figures not imported yet)
    reason: str = ""  # why there is no value, in Chinese

    @property
    def rounded(self) -> Decimal | None:
        return rounded(self.indicator, self.value)

    @property
    def display(self) -> str:
        return display(self.indicator, self.value)


def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def rounded(indicator: Indicator, value: Decimal | None) -> Decimal | None:
    """The value as the indicator is written: a percentage to `precision` places of the
    percent (kept as a fraction), any other to `precision` places."""
    if value is None:
        return None
    mode = ROUND_DOWN if indicator.rounding == "down" else ROUND_HALF_UP
    if indicator.percent:
        return (value * HUNDRED).quantize(_quantum(indicator.precision), mode) / HUNDRED
    return value.quantize(_quantum(indicator.precision), mode)


def display(indicator: Indicator, value: Decimal | None) -> str:
    """99.83% as 99.83%, 2054000 yuan in 万元 as 205.4万元, 1727 as 1727件; — when unknown."""
    shown = rounded(indicator, value)
    if shown is None:
        return "—"
    if indicator.percent:
        return f"{_plain(shown * HUNDRED, indicator.precision)}%"
    return f"{_plain(shown, indicator.precision)}{indicator.unit}"


def _plain(value: Decimal, places: int) -> str:
    return f"{value:.{places}f}"


def _total(refs: tuple[Ref, ...], readings: Readings) -> tuple[Decimal | None, tuple[str, ...]]:
    missing = tuple(r.text for r in refs if readings.get(r.text) is None)
    if missing:
        return None, missing
    return sum((readings[r.text] or Decimal(0) for r in refs), Decimal(0)), ()


def _against_target(
    indicator: Indicator, value: Decimal | None, target: Decimal | None
) -> tuple[Decimal | None, bool | None]:
    if value is None or target is None:
        return None, None
    shown = rounded(indicator, value) or Decimal(0)
    # Met is judged on the value as written (99.98% against 99.98%), not its raw digits.
    if indicator.target is not None and indicator.target.direction == "at_most":
        return (target / value if value else Decimal(1)), shown <= target
    return (value / target if target else None), shown >= target


def evaluate(
    indicator: Indicator,
    readings: Readings,
    previous: Readings | None = None,
    target: Decimal | None = None,
) -> Value:
    """The indicator's value from its inputs' readings (`previous`: the same period a year
    before, for `change`), with its target (already resolved for the period) and completion."""
    formula = indicator.formula
    total, missing = _total(formula.inputs, readings)
    if missing:
        return Value(indicator, None, target=target, missing=missing, reason="缺少数据")
    assert total is not None
    if formula.kind in ("count", "sum", "value"):
        value = total * indicator.scale
        completion, met = _against_target(indicator, value, target)
        return Value(indicator, value, target=target, completion=completion, met=met)
    if formula.kind == "ratio":
        denominator, missing = _total(formula.denominator, readings)
        if missing or denominator is None:
            return Value(indicator, None, total, target=target, missing=missing, reason="缺少数据")
        if not denominator:
            return Value(indicator, None, total, denominator, target, reason="分母为0")
        value = total / denominator
        completion, met = _against_target(indicator, value, target)
        return Value(indicator, value, total, denominator, target, completion, met)
    if formula.kind == "completion":
        if not target:
            return Value(indicator, None, total, target=target, reason="未设定目标")
        value = total * indicator.scale / target
        return Value(indicator, value, total, target, target, value, value >= 1)
    # change, decrease: against the same period a year before
    before, missing = _total(formula.inputs, previous or {})
    if missing or before is None:
        return Value(indicator, None, total, missing=missing, reason="缺少上年同期数据")
    if formula.kind == "decrease":
        value = (before - total) * indicator.scale
        completion, met = _against_target(indicator, value, target)
        return Value(indicator, value, total, before, target, completion, met)
    if not before:
        return Value(indicator, None, total, before, reason="上年同期为0")
    value = (total - before) / before
    completion, met = _against_target(indicator, value, target)
    return Value(indicator, value, total, before, target, completion, met)


def evaluate_all(
    catalog: Catalog,
    readings: Readings,
    previous: Readings | None = None,
    targets: Mapping[str, Decimal | None] | None = None,
    only: set[str] | None = None,
) -> dict[str, Value]:
    """Every indicator (or those in `only` and what they read), in dependency order: an
    `indicator:` input reads the value computed before it (for `change` and `decrease`, its
    previous value is computed from `previous` the same way)."""
    current: dict[str, Decimal | None] = dict(readings)
    before: dict[str, Decimal | None] = dict(previous or {})
    out: dict[str, Value] = {}
    wanted = closure(catalog, only) if only is not None else None
    for indicator in catalog.order():
        if wanted is not None and indicator.id not in wanted:
            continue
        target = (targets or {}).get(indicator.id)
        result = evaluate(indicator, current, before, target)
        out[indicator.id] = result
        current[f"indicator:{indicator.id}"] = result.value
        if previous is not None:
            before[f"indicator:{indicator.id}"] = evaluate(indicator, before, None, target).value
    return out


def closure(catalog: Catalog, only: set[str]) -> set[str]:
    """The indicators named and every indicator their formulas read, transitively."""
    wanted: set[str] = set()
    stack = list(only)
    while stack:
        name = stack.pop()
        if name in wanted:
            continue
        wanted.add(name)
        indicator = catalog.indicator(name)
        if indicator is not None:
            stack.extend(r.name for r in indicator.formula.refs if r.kind == "indicator")
    return wanted


def needs_previous(catalog: Catalog, ids: set[str] | None = None) -> bool:
    """Whether any of the indicators (all by default) compares with the year before."""
    chosen = catalog.indicators if ids is None else [catalog.indicator(i) for i in ids]
    return any(i is not None and i.formula.kind in YEAR_ON_YEAR for i in chosen)
