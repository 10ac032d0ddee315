"""热点、难点、趋势、单位绩效: JSON over the rollups (analytics/rollups.py).

Region-wide roles see the whole region and may filter by any unit; a unit leader sees only
its own subtree (a unit outside it falls back to its own unit). Other roles get 403.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from fazhi.analytics import rollups as ru
from fazhi.analytics.hotline_stats import Period
from fazhi.api.deps import Work, json_response, work
from fazhi.catalog.categories import load_categories
from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError
from fazhi.domain.units import UnitRef

router = APIRouter(prefix="/api/v1/analytics", tags=["统计分析"])

ANALYTICS_ROLES = frozenset({"district_leader", "supervisor", "dispatcher", "admin", "unit_leader"})
LONGEST_PERIOD_DAYS = 3 * 366
CATEGORY_NAMES = {c.code: c.name for c in load_categories()}
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
HARD_TEXT = (
    "在办（未办结）工单中：已超期（当前时限已过）、重办过（重办次数 ≥ 1）、退单 ≥ 2 次、"
    "带督办/挂榜标记的工单；读取工单当前状态列，不扫描历史。"
)
VOLUME_TEXT = "全区按受理量计；按单位筛选时按派给该单位（含下属单位）的派单（含改派）次数计。"


@dataclass
class Filters:
    period: Period
    unit: UnitRef | None
    unit_ids: tuple[int, ...] | None
    locked: bool
    category: str | None
    notes: list[str]

    def scope(self, w: Work) -> ru.Scope:
        return ru.Scope(w.actor.region_code, self.unit_ids, self.category)

    def brief(self) -> dict[str, Any]:
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "unit": self.unit.brief() if self.unit else None,
            "category": self.category,
            "notes": self.notes,
        }


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10]) if text else None
    except ValueError:
        return None


def filters(w: Work, params: QueryParams, default_days: int = 7) -> Filters:
    """Period (from/to, default the last `default_days` days), unit and category; refuses
    roles without analytics."""
    if not w.actor.has_role(*ANALYTICS_ROLES):
        raise DomainError("forbidden_role", "当前角色无权查看统计分析", 403)
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
    return Filters(Period(start, end), chosen, ids, locked, category, notes)


def _int(params: QueryParams, name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(params.get(name, default))
    except ValueError:
        value = default
    return min(max(value, low), high)


def hotspots_body(w: Work, f: Filters, weeks: int) -> dict[str, Any]:
    rows = ru.hotspots(w.session, f.scope(w), f.period, w.ctx.directory, weeks)
    return {
        **f.brief(),
        "baseline_weeks": weeks,
        "metric": f.scope(w).volume_metric,
        "test": "one-sided exact Poisson, Benjamini–Hochberg FDR 0.05",
        "explanation": HOTSPOT_TEXT,
        "flagged": sum(1 for r in rows if r.flagged),
        "cells": [
            {**asdict(r), "category_name": CATEGORY_NAMES.get(r.category, r.category)} for r in rows
        ],
    }


def trends_body(w: Work, f: Filters, weeks: int) -> dict[str, Any]:
    result = ru.trends(
        w.session, f.scope(w), f.period.end, w.ctx.directory, weeks + 1, CATEGORY_NAMES
    )
    return {
        **f.brief(),
        "metric": f.scope(w).volume_metric,
        "week_starts": [d.isoformat() for d in result.week_starts],
        "test": f"last week vs mean of previous {weeks}: z-score, |z| >= {ru.Z_THRESHOLD:g}",
        "explanation": TREND_TEXT,
        "categories": [asdict(s) for s in result.categories],
        "streets": [asdict(s) for s in result.streets],
    }


def units_body(w: Work, f: Filters) -> dict[str, Any]:
    rows = ru.unit_performance(w.session, f.scope(w), f.period, w.ctx.directory)
    return {
        **f.brief(),
        "formulas": {
            name: {"label": label, "numerator": num, "denominator": den, "text": text}
            for (name, (num, den, label)), text in zip(
                ru.RATES.items(), ru.RATE_FORMULAS.values(), strict=True
            )
        },
        "score_formula": ru.SCORE_FORMULA,
        "score_weights": ru.SCORE_WEIGHTS,
        "units": [asdict(r) for r in rows],
    }


def hard_cases_body(w: Work, f: Filters, params: QueryParams) -> dict[str, Any]:
    reason = params.get("reason", "")
    page = ru.hard_cases(
        w.session,
        w.platform,
        w.actor,
        w.ctx.now,
        f.unit_ids,
        reason if reason in ru.HARD_REASONS else "",
        _int(params, "page", 1, 1, 100_000),
        _int(params, "size", 50, 1, 200),
    )
    return {
        "unit": f.unit.brief() if f.unit else None,
        "notes": f.notes,
        "explanation": HARD_TEXT,
        "reasons": ru.HARD_REASONS,
        "total": page.total,
        "page": page.page,
        "size": page.size,
        "cases": [
            {
                **asdict(r),
                "due_at": r.due_at.isoformat() if r.due_at else None,
                "created_at": r.created_at.isoformat(),
            }
            for r in page.rows
        ],
    }


@router.get("/hotspots")
def hotspots_route(request: Request) -> Response:
    with work(request) as w:
        f = filters(w, request.query_params)
        weeks = _int(request.query_params, "weeks", ru.BASELINE_WEEKS, 1, 52)
        return json_response(hotspots_body(w, f, weeks))


@router.get("/trends")
def trends_route(request: Request) -> Response:
    with work(request) as w:
        f = filters(w, request.query_params)
        weeks = _int(request.query_params, "weeks", ru.BASELINE_WEEKS, 2, 52)
        return json_response(trends_body(w, f, weeks))


@router.get("/units")
def units_route(request: Request) -> Response:
    with work(request) as w:
        f = filters(w, request.query_params, default_days=30)
        return json_response(units_body(w, f))


@router.get("/hard-cases")
def hard_cases_route(request: Request) -> Response:
    with work(request) as w:
        f = filters(w, request.query_params)
        return json_response(hard_cases_body(w, f, request.query_params))
