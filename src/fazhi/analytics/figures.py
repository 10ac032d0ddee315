"""指标、热点、难点、趋势、单位绩效 as JSON-ready figures over the rollups
(analytics/rollups.py), shared by /api/v1/analytics/* and the /analytics/* pages.

Each figure is for one case type (`type`, default the deployment's main type): its
metrics, labels and rates are the type file's. Region-wide roles see the whole region and
may filter by any unit; a unit leader sees only its own subtree (a unit outside it falls
back to its own unit). Other roles are refused (403).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from fazhi.actions.context import Work
from fazhi.actions.platform import Platform
from fazhi.analytics import rollups as ru
from fazhi.analytics.period import Period
from fazhi.domain.bounds import in_sane_range
from fazhi.domain.case_type import CaseType
from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError
from fazhi.domain.rollup import volume_metric
from fazhi.domain.units import UnitRef

Params = Mapping[str, str]

ANALYTICS_ROLES = frozenset({"district_leader", "supervisor", "dispatcher", "admin", "unit_leader"})
LONGEST_PERIOD_DAYS = 3 * 366
HOTSPOT_TEXT = (
    "每个「网格 × 诉求分类」格子：期内工单数 k 与该格子自身前 N 周（默认8周）的基线比较。"
    "期望值 λ =（基线工单数 + 0.5）× 期内天数 ÷（7 × N）；"
    "p = P(X ≥ k)，X ~ 泊松(λ)（单侧精确尾概率）；"
    "再对期内有工单的全部格子做 Benjamini–Hochberg 校正得 q，q ≤ 0.05 且 k ≥ 3 标为显著上升。"
    "用泊松检验是因为每格工单是稀少的计数事件、各格基线水平不同；同时检验上百个格子，"
    "不校正会因偶然波动标出大量假热点，BH 校正控制误报比例。"
)
TREND_TEXT = (
    "按7天为一周（最后一周截至所选结束日），列出各诉求分类、各街道每周工单数。"
    "变化检测：最后一周 x 与此前8周均值 μ 比较，z =（x − μ）÷ √max(样本方差, μ, 1)；"
    "|z| ≥ 3 标为显著上升或下降（方差下限取 μ 即泊松方差，避免平稳小量序列误报）。"
)


def statistics_types(platform: Platform) -> list[CaseType]:
    """The types that declare metrics, in load order."""
    return [t for t in platform.types if t.metrics]


def default_type(platform: Platform, preferred: str | None) -> CaseType | None:
    """The deployment's main type (set by the app's composition root), else the first type
    with metrics."""
    found = platform.types.get(preferred) if preferred else None
    if found is not None and found.metrics:
        return found
    return next(iter(statistics_types(platform)), None)


def category_names(case_type: CaseType) -> dict[str, str]:
    """The labels of the type's category values (empty when it has no category field)."""
    spec = case_type.field(case_type.category_field) if case_type.category_field else None
    return dict(spec.choices) if spec else {}


@dataclass
class Filters:
    case_type: CaseType
    period: Period
    unit: UnitRef | None
    unit_ids: tuple[int, ...] | None
    locked: bool
    category: str | None
    notes: list[str]

    def scope(self, w: Work) -> ru.Scope:
        return ru.Scope(w.actor.region_code, self.case_type, self.unit_ids, self.category)

    def metric_label(self, name: str) -> str:
        spec = self.case_type.metric(name)
        return spec.label if spec else name

    def brief(self) -> dict[str, Any]:
        return {
            "type": self.case_type.name,
            "type_label": self.case_type.label,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "unit": self.unit.brief() if self.unit else None,
            "category": self.category,
            "notes": self.notes,
        }


def _date(text: str) -> date | None:
    try:
        day = date.fromisoformat(text.strip()[:10]) if text else None
    except ValueError:
        return None
    return day if day is not None and in_sane_range(day.year) else None


def filters(
    w: Work, params: Params, default_days: int = 7, preferred_type: str | None = None
) -> Filters:
    """Type (default `preferred_type`), period (from/to, default the last `default_days`
    days), unit and category; refuses roles without analytics and unknown types."""
    if not w.actor.has_role(*ANALYTICS_ROLES):
        raise DomainError("forbidden_role", "当前角色无权查看统计分析", 403)
    asked_type = params.get("type", "")[:40]
    case_type = (
        w.platform.types.get(asked_type) if asked_type else default_type(w.platform, preferred_type)
    )
    if case_type is None or not case_type.metrics:
        raise DomainError(
            "unknown_case_type", f"没有定义统计指标的案件类型 {asked_type}", 422, "type"
        )
    today = local_date(w.ctx.now)
    notes: list[str] = []
    start, end = _date(params.get("from", "")), _date(params.get("to", ""))
    end = end or today
    start = start or end - timedelta(days=default_days - 1)
    if end < start:
        start, end = end, start
        notes.append("结束日期早于开始日期，已对调")
    if (end - start).days > LONGEST_PERIOD_DAYS:
        start = end - timedelta(days=LONGEST_PERIOD_DAYS)
        notes.append("统计区间最长约3年，已从结束日期向前截取")
    directory = w.ctx.directory
    asked = params.get("unit", "")[:64]
    chosen = directory.resolve(asked) if asked else None
    locked = not w.actor.sight.region_wide
    if locked:
        own = w.actor.unit
        if chosen is None or not own.contains(chosen):
            if asked:
                notes.append("只能查看本单位及下属单位，已按本单位统计")
            chosen = own
    elif asked and chosen is None:
        notes.append("找不到所选单位，已按全区统计")
    ids = tuple(directory.subtree_ids(chosen)) if chosen is not None else None
    category = params.get("category", "")[:40] or None
    return Filters(case_type, Period(start, end), chosen, ids, locked, category, notes)


def int_param(params: Params, name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(params.get(name, default))
    except ValueError:
        value = default
    return min(max(value, low), high)


def metrics_body(w: Work, f: Filters) -> dict[str, Any]:
    """Every metric the type declares, with its label and total in the period (a `by`
    metric also per value), and every rate with its formula and value."""
    totals = ru.totals(w.session, f.scope(w), f.period)
    metrics = []
    for spec in f.case_type.metrics:
        item: dict[str, Any] = {"name": spec.name, "label": spec.label}
        if spec.by is None:
            item["value"] = totals.get(spec.name, 0)
        else:
            field = f.case_type.field(spec.by)
            prefix = f"{spec.name}:"
            values = {k[len(prefix) :]: n for k, n in totals.items() if k.startswith(prefix)}
            item["value"] = sum(values.values())
            item["by"] = [
                {"value": v, "label": field.choice_label(v) if field else v, "count": n}
                for v, n in sorted(values.items(), key=lambda kv: -kv[1])
            ]
        metrics.append(item)
    rates = [
        {
            "name": r.name,
            "label": r.label,
            "numerator": r.numerator,
            "denominator": r.denominator,
            "formula": r.formula,
            "value": ru.rate(totals.get(r.numerator, 0), totals.get(r.denominator, 0)),
        }
        for r in f.case_type.rates
    ]
    return {**f.brief(), "metrics": metrics, "rates": rates}


def _volume(w: Work, f: Filters) -> dict[str, Any]:
    region = volume_metric(f.case_type, unit_scope=False) or ""
    unit = volume_metric(f.case_type, unit_scope=True) or ""
    metric = f.scope(w).volume_metric
    text = f"全区按「{f.metric_label(region)}」计" + (
        f"；按单位筛选时按「{f.metric_label(unit)}」（含下属单位）计" if unit != region else ""
    )
    return {"metric": metric, "metric_label": f.metric_label(metric), "volume_text": text}


def hotspots_body(w: Work, f: Filters, weeks: int) -> dict[str, Any]:
    rows = ru.hotspots(w.session, f.scope(w), f.period, w.ctx.directory, weeks)
    names = category_names(f.case_type)
    return {
        **f.brief(),
        "baseline_weeks": weeks,
        **_volume(w, f),
        "test": "one-sided exact Poisson, Benjamini–Hochberg FDR 0.05",
        "explanation": HOTSPOT_TEXT,
        "flagged": sum(1 for r in rows if r.flagged),
        "cells": [{**asdict(r), "category_name": names.get(r.category, r.category)} for r in rows],
    }


def trends_body(w: Work, f: Filters, weeks: int) -> dict[str, Any]:
    result = ru.trends(
        w.session, f.scope(w), f.period.end, w.ctx.directory, weeks + 1, category_names(f.case_type)
    )
    return {
        **f.brief(),
        **_volume(w, f),
        "week_starts": [d.isoformat() for d in result.week_starts],
        "test": f"last week vs mean of previous {weeks}: z-score, |z| >= {ru.Z_THRESHOLD:g}",
        "explanation": TREND_TEXT,
        "categories": [asdict(s) for s in result.categories],
        "streets": [asdict(s) for s in result.streets],
    }


def units_body(w: Work, f: Filters) -> dict[str, Any]:
    rows = ru.unit_performance(w.session, f.scope(w), f.period, w.ctx.directory)
    rates = f.case_type.rates
    # Each row is one unit: its volume is what was given to it (the hotline's 派单次数), not
    # the region's registrations, which count for no unit.
    per_unit = volume_metric(f.case_type, unit_scope=True) or ""
    return {
        **f.brief(),
        **_volume(w, f),
        "metric": per_unit,
        "metric_label": f.metric_label(per_unit),
        "formulas": {
            r.name: {
                "label": r.label,
                "numerator": r.numerator,
                "denominator": r.denominator,
                "text": r.formula
                or f"{f.metric_label(r.numerator)} ÷ {f.metric_label(r.denominator)}",
            }
            for r in rates
        },
        "score_formula": ru.score_formula(f.case_type),
        "score_weights": {r.name: r.weight for r in rates if r.weight > 0},
        "units": [asdict(r) for r in rows],
    }


def readable_types(w: Work, names: tuple[str, ...]) -> list[str]:
    """Those of `names` that are loaded and that the reader may see, in order."""
    return [t for t in names if w.actor.sight.view(t) is not None and w.platform.types.get(t)]


def reader_filters(w: Work, type_name: str, period: Period) -> Filters:
    """`type_name`'s figures over `period` as the reader may see them: region-wide roles the
    region, the others their unit's subtree. KeyError when the reader cannot see the type."""
    case_type = w.platform.types.get(type_name)
    view = w.actor.sight.view(type_name)
    if case_type is None or view is None:
        raise KeyError(type_name)
    region_wide = view.scope == "region"
    unit = None if region_wide else w.actor.unit
    unit_ids = None if unit is None else tuple(w.ctx.directory.subtree_ids(unit))
    return Filters(case_type, period, unit, unit_ids, not region_wide, None, [])


def type_year_figures(w: Work, type_name: str, year: int) -> dict[str, Any]:
    """The declared metrics and rates of `type_name` for the local calendar year `year`, as
    the reader may see them (`reader_filters`), with `values` (metric → total) and `by`
    (metric → value → count) for lookups. The type packages' year pages read this."""
    body = metrics_body(w, reader_filters(w, type_name, Period.year(year)))
    body["values"] = {m["name"]: m["value"] for m in body["metrics"]}
    body["by"] = {
        m["name"]: {b["value"]: b["count"] for b in m.get("by", [])} for m in body["metrics"]
    }
    body["year"] = year
    return body
