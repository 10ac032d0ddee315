"""Hotspots, hard cases, trends and unit performance, read from `rollup_daily` (DESIGN §6).

Counts and rates sum rollup rows over a period — rows per day × unit × category × grid ×
metric, kept current by the actions (`domain.rollup` says which event adds to which
metric) — so their cost grows with the period and the number of cells, not with the number
of cases ever received. The hard-cases list reads current-state columns of *open* cases,
narrowed by the worklist index (region, type, state, due_at).

Scope: region-wide roles see the region; a unit user sees its own subtree. Since an order
has no lead unit when it is registered, a unit's counts for hotspots and trends use
`dispatched` (orders dispatched or reassigned to a unit of the subtree) instead of
`received`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, or_, select
from sqlalchemy.orm import Session

from fazhi.actions.cases import repeat_extra, upsert_rollups, visible_clause
from fazhi.actions.directory import UnitDirectory
from fazhi.actions.platform import Platform
from fazhi.analytics.hotline_stats import Period
from fazhi.domain.durations import local_date
from fazhi.domain.rollup import HANDLE_CLOCK, METRICS, RollupFacts, metric_deltas
from fazhi.domain.units import Actor
from fazhi.store.models import Case, Event, RollupDaily

HOTLINE = "hotline"
BASELINE_WEEKS = 8
ALPHA = 0.05  # false discovery rate for hotspots
MIN_HOTSPOT_COUNT = 3  # a "surge" of one or two orders is never flagged
Z_THRESHOLD = 3.0
R = RollupDaily


@dataclass(frozen=True)
class Scope:
    """A region, optionally one lead-unit subtree, optionally one category."""

    region_code: str
    unit_ids: tuple[int, ...] | None = None
    category: str | None = None

    @property
    def volume_metric(self) -> str:
        return "received" if self.unit_ids is None else "dispatched"

    def where(self, metric: str | Sequence[str]) -> list[Any]:
        metrics = [metric] if isinstance(metric, str) else list(metric)
        conditions = [R.region_code == self.region_code, R.case_type == HOTLINE]
        conditions.append(R.metric == metrics[0] if len(metrics) == 1 else R.metric.in_(metrics))
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

RATES: dict[str, tuple[str, str, str]] = {
    # name: (numerator, denominator, label)
    "acknowledge_on_time_rate": ("acknowledged_on_time", "acknowledged", "按时签收率"),
    "on_time_closure_rate": ("closed_on_time", "closed", "按期办结率"),
    "resolution_rate": ("resolved", "replied", "解决率"),
    "satisfaction_rate": ("satisfied", "rated", "满意率"),
    "return_rate": ("returned", "dispatched", "退单率"),
    "repeat_rate": ("repeat_caller", "dispatched", "重复来电率"),
}
RATE_FORMULAS = {
    "acknowledge_on_time_rate": "签收时限内签收次数 ÷ 签收次数",
    "on_time_closure_rate": "办结时各次办理时限均未超期的工单数 ÷ 办结数（即时办结计为按期）",
    "resolution_rate": "办理结果为「已解决」的答复数 ÷ 答复数",
    "satisfaction_rate": "（满意 + 基本满意）÷ 回访评价数",
    "return_rate": "退单次数 ÷ 派给该单位的派单（含改派）次数",
    "repeat_rate": "派给该单位的重复来电工单次数（同一电话30日内再次来电）÷ 派单次数",
}
# The ranking score: a weighted mean of the rates a unit has (weights renormalised over the
# rates it has data for); the return rate counts as (1 − return rate).
SCORE_WEIGHTS = {
    "acknowledge_on_time_rate": 0.15,
    "on_time_closure_rate": 0.30,
    "resolution_rate": 0.15,
    "satisfaction_rate": 0.30,
    "return_rate": 0.10,
}
SCORE_FORMULA = (
    "综合得分 = Σ 权重 × 指标 ÷ Σ 有数据指标的权重；权重：按期办结率 0.30、满意率 0.30、"
    "按时签收率 0.15、解决率 0.15、（1 − 退单率）0.10；"
    "重复来电率只列示、不计分（来电是否重复首先取决于诉求本身）"
)
# Everything counted against a unit: all but registration (which has no unit yet), plus the
# repeat calls dispatched to it.
UNIT_METRICS = (*(m for m in METRICS if m != "received"), "repeat_caller")


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


def score(rates: dict[str, float | None]) -> float | None:
    total = weight = 0.0
    for name, w in SCORE_WEIGHTS.items():
        value = rates.get(name)
        if value is None:
            continue
        total += w * ((1 - value) if name == "return_rate" else value)
        weight += w
    return round(total / weight, 4) if weight else None


def unit_performance(
    session: Session, scope: Scope, period: Period, directory: UnitDirectory
) -> list[UnitPerformance]:
    """Per lead unit: the counts of UNIT_METRICS in the period, the rates and a ranking by
    score (ties: more orders dispatched first)."""
    rows = session.execute(
        select(R.lead_unit_id, R.metric, func.sum(R.value))
        .where(*scope.where(UNIT_METRICS), _between(period.start, period.end), R.lead_unit_id != 0)
        .group_by(R.lead_unit_id, R.metric)
    ).all()
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(UNIT_METRICS, 0))
    for unit_id, metric, n in rows:
        counts[int(unit_id)][str(metric)] = int(n or 0)
    out = []
    for unit_id, c in counts.items():
        rates = {name: rate(c[num], c[den]) for name, (num, den, _) in RATES.items()}
        unit = directory.by_id.get(unit_id)
        out.append(
            UnitPerformance(unit_id, unit.name if unit else str(unit_id), c, rates, score(rates))
        )
    out.sort(key=lambda u: (u.score is None, -(u.score or 0), -u.counts["dispatched"]))
    for i, row in enumerate(out, 1):
        row.rank = i
    return out


def totals(session: Session, scope: Scope, period: Period) -> dict[str, int]:
    """Every metric summed over the period (for tests and the page headers)."""
    rows = session.execute(
        select(R.metric, func.sum(R.value))
        .where(
            R.region_code == scope.region_code,
            R.case_type == HOTLINE,
            _between(period.start, period.end),
            *([R.lead_unit_id.in_(scope.unit_ids)] if scope.unit_ids is not None else []),
            *([R.category == scope.category] if scope.category else []),
        )
        .group_by(R.metric)
    ).all()
    return {str(m): int(n or 0) for m, n in rows}


# ---------------------------------------------------------------------------------------------
# Hard cases: open orders from current-state columns

HARD_REASONS = {
    "overdue": "已超期",
    "reopened": "重办过",
    "returned_twice": "退单2次及以上",
    "supervised": "督办/挂榜中",
    "repeat_caller": "重复来电",
}


@dataclass
class HardCase:
    id: int
    title: str
    state: str
    category: str | None
    lead_unit: str
    due_at: datetime | None
    created_at: datetime
    reasons: list[str]


@dataclass
class HardCasePage:
    total: int
    page: int
    size: int
    rows: list[HardCase]


def open_states(platform: Platform) -> list[str]:
    case_type = platform.types.get(HOTLINE)
    if case_type is None:
        return []
    return [s.name for s in case_type.states if not s.terminal]


def hard_cases(
    session: Session,
    platform: Platform,
    actor: Actor,
    now: datetime,
    unit_ids: tuple[int, ...] | None,
    reason: str = "",
    page: int = 1,
    size: int = 50,
) -> HardCasePage:
    """Open hotline orders that are overdue, were reopened, returned twice or more, carry
    a supervision mark, or came from a repeat caller. The (region, type, state) prefix of
    the worklist index narrows the scan to open orders, whose number does not grow with
    history."""
    reopened = func.coalesce(Case.fields["reopen_count"].as_integer(), 0) >= 1
    returned = func.coalesce(Case.fields["return_count"].as_integer(), 0) >= 2
    supervised = func.coalesce(func.json_array_length(Case.marks), 0) > 0
    overdue = Case.due_at < now
    tests = {
        "overdue": overdue,
        "reopened": reopened,
        "returned_twice": returned,
        "supervised": supervised,
        "repeat_caller": Case.repeat_call.is_(True),
    }
    chosen = [tests[reason]] if reason in tests else list(tests.values())
    conditions = [
        visible_clause(actor),
        Case.type == HOTLINE,
        Case.state.in_(open_states(platform)),
        or_(*chosen),
    ]
    if unit_ids is not None:
        conditions.append(Case.lead_unit_id.in_(unit_ids))
    total = int(session.scalar(select(func.count()).select_from(Case).where(*conditions)) or 0)
    page = max(page, 1)
    found = session.execute(
        select(
            Case.id,
            Case.title,
            Case.state,
            Case.category,
            Case.lead_unit_id,
            Case.due_at,
            Case.created_at,
            overdue,
            reopened,
            returned,
            supervised,
            Case.repeat_call,
        )
        .where(*conditions)
        .order_by(Case.due_at.is_(None), Case.due_at, Case.id)
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    directory = platform.directory()
    rows = []
    for r in found:
        flags = dict(zip(tests, (r[7], r[8], r[9], r[10], r[11]), strict=True))
        lead = directory.by_id.get(r.lead_unit_id) if r.lead_unit_id else None
        rows.append(
            HardCase(
                id=r.id,
                title=r.title,
                state=r.state,
                category=r.category,
                lead_unit=lead.name if lead else "",
                due_at=r.due_at,
                created_at=r.created_at,
                reasons=[k for k, v in flags.items() if v],
            )
        )
    return HardCasePage(total, page, size, rows)


# ---------------------------------------------------------------------------------------------
# Rebuild from the events


def _unit_id(value: Any) -> int:
    if isinstance(value, dict):
        return int(value.get("id") or 0)
    if isinstance(value, int):
        return value
    return 0


@dataclass
class _CaseState:
    type: str
    region: str
    grid: int
    lead: int = 0
    category: str = ""
    terminal: bool = False
    late_handle: bool = False
    repeat_call: bool = False


def _facts_of(
    state: _CaseState, event: Any, platform: Platform
) -> tuple[RollupFacts, tuple[str, int, str, int]] | None:
    case_type = platform.types.get(state.type)
    if case_type is None:
        return None
    action = case_type.action(event.action)
    payload = event.payload or {}
    inputs = payload.get("inputs") or {}
    created = event.seq == 1
    if action is not None and action.effects.assign_lead:
        if action.effects.assign_lead == "actor_unit":
            state.lead = _unit_id((event.actor or {}).get("unit"))
        else:
            state.lead = _unit_id(inputs.get(action.effects.assign_lead))
    if case_type.category_field and case_type.category_field in inputs:
        state.category = str(inputs[case_type.category_field] or "")
    stopped = [
        (str(c.get("name")), bool(c.get("met")))
        for c in (payload.get("clocks") or {}).get("stopped", [])
    ]
    if any(name == HANDLE_CLOCK and not met for name, met in stopped):
        state.late_handle = True
    spec = case_type.state(event.to_state)
    to_terminal = bool(spec and spec.terminal)
    result, rating = inputs.get("result"), inputs.get("rating")
    facts = RollupFacts(
        state.type,
        event.action,
        created,
        state.terminal,
        to_terminal,
        tuple(stopped),
        result if isinstance(result, str) else None,
        rating if isinstance(rating, str) else None,
        state.late_handle,
        extra=repeat_extra(event.action, state.repeat_call),
    )
    state.terminal = to_terminal
    return facts, (state.type, state.lead, state.category, state.grid)


def rebuild(session: Session, platform: Platform, flush_every: int = 20_000) -> int:
    """Recompute rollup_daily from the events (replaying each case's chain in order), in
    bounded memory: events are streamed, cells are flushed every `flush_every` cells, and only
    the case being replayed is held. Returns the number of events read."""
    session.execute(delete(RollupDaily))
    cells: dict[tuple[Any, ...], int] = defaultdict(int)

    def flush() -> None:
        keys = ("region_code", "day", "case_type", "lead_unit_id", "category", "grid_id")
        rows = [
            {**dict(zip(keys, key[:-1], strict=True)), "metric": key[-1], "value": n}
            for key, n in cells.items()
        ]
        upsert_rollups(session, rows)
        cells.clear()

    statement = (
        select(
            Event.case_id,
            Event.seq,
            Event.action,
            Event.at,
            Event.actor,
            Event.to_state,
            Event.payload,
            Case.type,
            Case.region_code,
            Case.grid_id,
            Case.repeat_call,
        )
        .join(Case, Case.id == Event.case_id)
        .order_by(Event.case_id, Event.seq)
        .limit(5000)
    )
    current: _CaseState | None = None
    current_id = -1
    read = 0
    # Keyset pages of (case_id, seq): the session's connection both reads and writes.
    last_case, last_seq = 0, 0
    while True:
        page = session.execute(
            statement.where(
                or_(
                    Event.case_id > last_case,
                    (Event.case_id == last_case) & (Event.seq > last_seq),
                )
            )
        ).all()
        if not page:
            break
        for event in page:
            read += 1
            if event.case_id != current_id:
                current_id = event.case_id
                current = _CaseState(
                    event.type,
                    event.region_code,
                    event.grid_id or 0,
                    repeat_call=bool(event.repeat_call),
                )
            assert current is not None
            found = _facts_of(current, event, platform)
            if found is None:
                continue
            facts, (type_name, lead, category, grid) = found
            day = local_date(event.at)
            for metric, n in metric_deltas(facts):
                cells[(current.region, day, type_name, lead, category, grid, metric)] += n
            if len(cells) >= flush_every:
                flush()
        last_case, last_seq = page[-1].case_id, page[-1].seq
    flush()
    return read
