"""Hotspots, hard cases, trends and unit performance, read from `rollup_daily` (DESIGN §6).

Counts and rates sum rollup rows over a period — rows per day × type × unit × category ×
grid × metric, kept current by the actions (each type's `metrics:` say which event adds to
which counter) — so their cost grows with the period and the number of cells, not with the
number of cases ever received. The hard-cases list reads current-state columns of *open*
cases, narrowed by the worklist index (region, type, state, due_at).

Every query is for one case type, and reads that type's declarations: its metrics, its
rates (with their weights in the ranking score) and its volume counter. Scope: region-wide
roles see the region; a unit user sees its own subtree. A case may have no lead unit when it
is created (a hotline order is dispatched later), so a unit's volume for hotspots and
trends is the type's counter of cases given to a unit (`domain.rollup.volume_metric`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from fazhi.analytics.period import Period
from fazhi.domain.case_type import CaseType, RateSpec
from fazhi.domain.rollup import volume_metric
from fazhi.org.directory import UnitDirectory
from fazhi.store.models import RollupDaily

BASELINE_WEEKS = 8
ALPHA = 0.05  # false discovery rate for hotspots
MIN_HOTSPOT_COUNT = 3  # a "surge" of one or two orders is never flagged
Z_THRESHOLD = 3.0
R = RollupDaily


@dataclass(frozen=True)
class Scope:
    """One case type in a region, optionally one lead-unit subtree, optionally one category."""

    region_code: str
    case_type: CaseType
    unit_ids: tuple[int, ...] | None = None
    category: str | None = None

    @property
    def volume_metric(self) -> str:
        """What hotspots and trends count: cases received, or given to a unit of the subtree."""
        return volume_metric(self.case_type, self.unit_ids is not None) or ""

    def where(self, metric: str | Sequence[str] | None = None) -> list[Any]:
        conditions = [R.region_code == self.region_code, R.case_type == self.case_type.name]
        if metric is not None:
            metrics = [metric] if isinstance(metric, str) else list(metric)
            conditions.append(
                R.metric == metrics[0] if len(metrics) == 1 else R.metric.in_(metrics)
            )
        if self.unit_ids is not None:
            conditions.append(R.lead_unit_id.in_(self.unit_ids))
        if self.category:
            conditions.append(R.category == self.category)
        return conditions


def _between(start: date, end: date) -> Any:
    return R.day.between(start, end)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# ---------------------------------------------------------------------------------------------
# Statistics: Poisson upper tail, Benjamini–Hochberg


def poisson_sf(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(lam), computed directly (no scipy in the venv)."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    log_term = -lam + k * math.log(lam) - math.lgamma(k + 1)
    if k > lam:  # the upper tail converges fast: sum it term by term
        total, term, i = 0.0, math.exp(log_term), k
        while term > 1e-300 and (total == 0 or term > total * 1e-16):
            total += term
            i += 1
            term *= lam / i
        return min(total, 1.0)
    # k ≤ lam: 1 − P(X ≤ k − 1), summing the lower terms
    term = math.exp(-lam)
    cdf = term
    for i in range(1, k):
        term *= lam / i
        cdf += term
    return max(0.0, 1.0 - cdf)


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Adjusted p-values (q-values) controlling the false discovery rate."""
    n = len(p_values)
    order = sorted(range(n), key=lambda i: p_values[i])
    q = [1.0] * n
    running = 1.0
    for rank in range(n, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * n / rank)
        q[i] = running
    return q


# ---------------------------------------------------------------------------------------------
# Hotspots


@dataclass
class Hotspot:
    grid_id: int
    grid: str
    street: str
    category: str
    count: int
    baseline: int  # orders in the baseline weeks
    expected: float  # baseline rate scaled to the period's length
    ratio: float | None
    p_value: float
    q_value: float
    flagged: bool


def hotspots(
    session: Session,
    scope: Scope,
    period: Period,
    directory: UnitDirectory,
    weeks: int = BASELINE_WEEKS,
    alpha: float = ALPHA,
) -> list[Hotspot]:
    """Grid × category counts in the period against the same cell's preceding `weeks` weeks.

    Expected = (baseline count + 0.5) × days in period ÷ (7 × weeks) — the half order keeps a
    cell that was quiet in the baseline from having a zero rate. p = P(X ≥ count) under
    Poisson(expected); q = Benjamini–Hochberg over every cell with an order in the period.
    Flagged when q ≤ alpha and count ≥ MIN_HOTSPOT_COUNT.
    """
    base_start = period.start - timedelta(days=7 * weeks)
    in_period = R.day >= period.start
    rows = session.execute(
        select(
            R.grid_id,
            R.category,
            func.sum(case((in_period, R.value), else_=0)),
            func.sum(case((in_period, 0), else_=R.value)),
        )
        .where(*scope.where(scope.volume_metric), _between(base_start, period.end), R.grid_id != 0)
        .group_by(R.grid_id, R.category)
    ).all()
    days = (period.end - period.start).days + 1
    cells = [(int(g), str(c), int(n or 0), int(b or 0)) for g, c, n, b in rows if n]
    p_values = [poisson_sf(n, (b + 0.5) * days / (7 * weeks)) for _, _, n, b in cells]
    q_values = benjamini_hochberg(p_values)
    out = []
    for (grid_id, category, n, b), p, q in zip(cells, p_values, q_values, strict=True):
        expected = (b + 0.5) * days / (7 * weeks)
        unit = directory.by_id.get(grid_id)
        street = directory.street_of(unit) if unit else None
        out.append(
            Hotspot(
                grid_id=grid_id,
                grid=unit.name if unit else str(grid_id),
                street=street.name if street else "",
                category=category,
                count=n,
                baseline=b,
                expected=round(expected, 2),
                ratio=round(n / expected, 2) if expected else None,
                p_value=p,
                q_value=q,
                flagged=q <= alpha and n >= MIN_HOTSPOT_COUNT,
            )
        )
    out.sort(key=lambda h: (not h.flagged, h.q_value, -h.count))
    return out


# ---------------------------------------------------------------------------------------------
# Trends


@dataclass
class Series:
    key: str  # category code or street id
    label: str
    weeks: list[int]
    mean: float
    z: float | None
    change: str  # "rise" | "fall" | ""


@dataclass
class Trends:
    week_starts: list[date]
    categories: list[Series] = field(default_factory=list)
    streets: list[Series] = field(default_factory=list)


def detect_change(
    weeks: Sequence[int], threshold: float = Z_THRESHOLD
) -> tuple[float, float | None, str]:
    """Last week against the mean of the weeks before it: z = (x − mean) ÷ sqrt(max(var,
    mean, 1)). The variance floor at the mean is the Poisson variance, so a quiet, steady
    series does not turn a change of one or two orders into a large z."""
    if len(weeks) < 2:
        return 0.0, None, ""
    history, last = weeks[:-1], weeks[-1]
    mean = sum(history) / len(history)
    var = sum((x - mean) ** 2 for x in history) / max(len(history) - 1, 1)
    z = (last - mean) / math.sqrt(max(var, mean, 1.0))
    change = "rise" if z >= threshold else "fall" if z <= -threshold else ""
    return mean, round(z, 2), change


def week_starts(end: date, weeks: int) -> list[date]:
    """Seven-day blocks ending on `end` (the last one is the current week), oldest first."""
    return [end - timedelta(days=7 * (weeks - i) - 1) for i in range(weeks)]


def trends(
    session: Session,
    scope: Scope,
    end: date,
    directory: UnitDirectory,
    weeks: int = BASELINE_WEEKS + 1,
    names: dict[str, str] | None = None,
) -> Trends:
    starts = week_starts(end, weeks)
    first = starts[0]
    metric = scope.volume_metric

    def weekly(column: Any) -> dict[Any, list[int]]:
        series: dict[Any, list[int]] = defaultdict(lambda: [0] * weeks)
        rows = session.execute(
            select(R.day, column, func.sum(R.value))
            .where(*scope.where(metric), _between(first, end))
            .group_by(R.day, column)
        ).all()
        for day, key, n in rows:
            series[key][(_day(day) - first).days // 7] += int(n or 0)
        return series

    result = Trends(starts)
    for code, counts in weekly(R.category).items():
        mean, z, change = detect_change(counts)
        label = (names or {}).get(code, code or "未分类")
        result.categories.append(Series(code or "", label, counts, round(mean, 2), z, change))
    by_street: dict[int, list[int]] = defaultdict(lambda: [0] * weeks)
    for grid_id, counts in weekly(R.grid_id).items():
        unit = directory.by_id.get(int(grid_id)) if grid_id else None
        street = directory.street_of(unit) if unit else None
        target = by_street[street.id if street else 0]
        for i, n in enumerate(counts):
            target[i] += n
    for street_id, counts in by_street.items():
        mean, z, change = detect_change(counts)
        street_unit = directory.by_id.get(street_id)
        label = street_unit.name if street_unit else "未定位到网格"
        result.streets.append(Series(str(street_id), label, counts, round(mean, 2), z, change))
    for rows in (result.categories, result.streets):
        rows.sort(key=lambda s: (s.change == "", -(abs(s.z or 0)), -sum(s.weeks)))
    return result


# ---------------------------------------------------------------------------------------------
# Unit performance


@dataclass
class UnitPerformance:
    unit_id: int
    name: str
    counts: dict[str, int]
    rates: dict[str, float | None]
    score: float | None
    rank: int = 0


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def score(specs: Sequence[RateSpec], rates: dict[str, float | None]) -> float | None:
    """The weighted mean of the weighted rates a unit has data for (weights renormalised
    over those); a rate where lower is better counts as 1 − rate."""
    total = weight = 0.0
    for spec in specs:
        value = rates.get(spec.name)
        if value is None or spec.weight <= 0:
            continue
        total += spec.weight * ((1 - value) if spec.lower_is_better else value)
        weight += spec.weight
    return round(total / weight, 4) if weight else None


def score_formula(case_type: CaseType) -> str:
    """The ranking score in words, from the type's rate weights."""
    weighted = sorted((r for r in case_type.rates if r.weight > 0), key=lambda r: -r.weight)
    if not weighted:
        return "该类型未定义计分指标，只列示各项比率。"
    parts = [
        f"（1 − {r.label}）{r.weight:.2f}" if r.lower_is_better else f"{r.label} {r.weight:.2f}"
        for r in weighted
    ]
    text = "综合得分 = Σ 权重 × 指标 ÷ Σ 有数据指标的权重；权重：" + "、".join(parts)
    shown = [r.label for r in case_type.rates if r.weight <= 0]
    return text + (f"；{'、'.join(shown)}只列示、不计分" if shown else "")


def counter_names(case_type: CaseType) -> list[str]:
    """Every counter the type declares a fixed name for (`by` counters come per value)."""
    return [m.name for m in case_type.metrics if m.by is None]


def unit_performance(
    session: Session, scope: Scope, period: Period, directory: UnitDirectory
) -> list[UnitPerformance]:
    """Per lead unit: every counter of the type in the period, the type's rates and a
    ranking by score (ties: the larger volume first)."""
    rows = session.execute(
        select(R.lead_unit_id, R.metric, func.sum(R.value))
        .where(*scope.where(), _between(period.start, period.end), R.lead_unit_id != 0)
        .group_by(R.lead_unit_id, R.metric)
    ).all()
    names = counter_names(scope.case_type)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(names, 0))
    for unit_id, metric, n in rows:
        counts[int(unit_id)][str(metric)] = int(n or 0)
    specs = scope.case_type.rates
    volume = scope.volume_metric
    out = []
    for unit_id, c in counts.items():
        rates = {r.name: rate(c.get(r.numerator, 0), c.get(r.denominator, 0)) for r in specs}
        unit = directory.by_id.get(unit_id)
        out.append(
            UnitPerformance(
                unit_id, unit.name if unit else str(unit_id), c, rates, score(specs, rates)
            )
        )
    out.sort(key=lambda u: (u.score is None, -(u.score or 0), -u.counts.get(volume, 0)))
    for i, row in enumerate(out, 1):
        row.rank = i
    return out


def totals(session: Session, scope: Scope, period: Period) -> dict[str, int]:
    """Every counter of the type summed over the period (the statistics API, page headers)."""
    rows = session.execute(
        select(R.metric, func.sum(R.value))
        .where(*scope.where(), _between(period.start, period.end))
        .group_by(R.metric)
    ).all()
    return {str(m): int(n or 0) for m, n in rows}
