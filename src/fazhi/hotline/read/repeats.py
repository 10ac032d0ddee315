"""Read-only queries for repeat callers and duplicate requests (scoring in
fazhi.hotline.routing.repeats): similar orders for the intake form and the case page, and the
repeat-request rate per lead unit and per category.

Candidates are narrowed with indexed columns first — region, type, created_at in the window
(ix_cases_region_created / ix_cases_category), and the same category, the same grid or the
same phone — at most ``MAX_CANDIDATES`` rows, and only then scored in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from fazhi.actions.cases import visible_clause
from fazhi.actions.context import Work
from fazhi.actions.platform import Platform
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.hotline.routing.repeats import (
    DISTANCE_MAX_M,
    DUPLICATE_DAYS,
    REPEAT_CALLER_DAYS,
    SIMILARITY_MIN,
    DuplicateCandidate,
    Request,
    compare,
    normalise_phone,
    rank_key,
)
from fazhi.org.locate import locate_grid
from fazhi.read.presenters import case_number, local_iso
from fazhi.store.models import Case

HOTLINE = "hotline"
MAX_CANDIDATES = 300
MAX_RESULTS = 20
MAX_TEXT = 4000


@dataclass(frozen=True)
class SimilarOrder:
    """An order that may repeat or duplicate the request, and why."""

    case: Case
    candidate: DuplicateCandidate


def request_of_case(case: Case) -> Request:
    fields = case.fields or {}
    return Request.of(
        str(fields.get("content") or case.title or ""),
        case.created_at,
        fields.get("caller_phone") or "",
        fields.get("longitude"),
        fields.get("latitude"),
        case.grid_id,
    )


def find_similar(
    session: Session,
    platform: Platform,
    actor: Actor,
    text: str,
    phone: str,
    longitude: Any,
    latitude: Any,
    grid_id: int | None,
    now: datetime,
    exclude_id: int | None = None,
    category: str | None = None,
    both_ways: bool = False,
    limit: int = MAX_RESULTS,
) -> list[SimilarOrder]:
    """Hotline orders the actor may see that are repeat calls (same phone, ≤ 30 days) or
    likely the same problem (similar text, nearby, ≤ 14 days), best first.

    `now` is the request's time: the intake's present, or an existing order's creation time
    with `both_ways=True` (later orders count too, up to the platform's present).
    """
    query = Request.of((text or "")[:MAX_TEXT], now, phone, longitude, latitude, grid_id)
    if query.grid_id is None and query.point is not None:
        grid = locate_grid(platform.directory(), query.point)
        query = Request.of(
            query.text, now, query.phone, query.longitude, query.latitude, grid.id if grid else None
        )
    raw_phone = (phone or "").strip()[:40]
    phone_since = now - timedelta(days=REPEAT_CALLER_DAYS)
    place_since = now - timedelta(days=DUPLICATE_DAYS)
    until = now + timedelta(days=REPEAT_CALLER_DAYS) if both_ways else now
    if both_ways:
        until = min(until, platform.now())
    place_until = min(until, now + timedelta(days=DUPLICATE_DAYS)) if both_ways else now

    nearby = []
    if category:
        nearby.append(Case.category == category)
    if query.grid_id is not None:
        nearby.append(Case.grid_id == query.grid_id)
    conditions = []
    if nearby and query.text.strip():
        conditions.append(
            and_(Case.created_at >= place_since, Case.created_at <= place_until, or_(*nearby))
        )
    if raw_phone:
        conditions.append(Case.fields["caller_phone"].as_string() == raw_phone)
    if not conditions:
        return []
    stmt = (
        select(Case)
        .where(
            visible_clause(actor),
            Case.type == HOTLINE,
            Case.created_at >= phone_since,
            Case.created_at <= until,
            or_(*conditions),
        )
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(MAX_CANDIDATES)
    )
    if exclude_id is not None:
        stmt = stmt.where(Case.id != exclude_id)
    found = []
    for case in session.scalars(stmt):
        candidate = compare(query, request_of_case(case))
        if candidate.relevant:
            found.append(SimilarOrder(case, candidate))
    found.sort(key=lambda s: (*rank_key(s.candidate), -s.case.id))
    return found[:limit]


def similar_to_case(
    session: Session, platform: Platform, actor: Actor, case: Case
) -> list[SimilarOrder]:
    """Orders similar to an existing one (before or after it), itself excluded."""
    fields = case.fields or {}
    return find_similar(
        session,
        platform,
        actor,
        str(fields.get("content") or case.title or ""),
        str(fields.get("caller_phone") or ""),
        fields.get("longitude"),
        fields.get("latitude"),
        case.grid_id,
        case.created_at,
        exclude_id=case.id,
        category=case.category,
        both_ways=True,
    )


# ---------------------------------------------------------------------------------------------
# Repeat-request rate


@dataclass(frozen=True)
class RateRow:
    key: str
    label: str
    orders: int
    repeat_orders: int

    @property
    def rate(self) -> float:
        return round(self.repeat_orders / self.orders, 4) if self.orders else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "orders": self.orders,
            "repeat_orders": self.repeat_orders,
            "rate": self.rate,
        }


@dataclass(frozen=True)
class RepeatRates:
    since: datetime
    until: datetime
    total: RateRow
    by_unit: list[RateRow]
    by_category: list[RateRow]

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.since.isoformat(),
            "to": self.until.isoformat(),
            "repeat_window_days": REPEAT_CALLER_DAYS,
            "total": self.total.as_dict(),
            "by_unit": [r.as_dict() for r in self.by_unit],
            "by_category": [r.as_dict() for r in self.by_category],
        }


def repeat_rates(
    session: Session,
    actor: Actor,
    since: datetime,
    until: datetime,
    platform: Platform | None = None,
) -> RepeatRates:
    """Hotline orders created in [since, until) per lead unit and per category: how many, how
    many were repeat calls (the same phone had an order in the 30 days before), and the rate.

    Earlier orders before `since` count as the earlier call, so the first days of the period
    are not undercounted. Orders not yet dispatched are grouped under 未派单."""
    stmt = (
        select(
            Case.id,
            Case.created_at,
            Case.lead_unit_id,
            Case.category,
            Case.fields["caller_phone"].as_string(),
        )
        .where(
            visible_clause(actor),
            Case.type == HOTLINE,
            Case.created_at >= since - timedelta(days=REPEAT_CALLER_DAYS),
            Case.created_at < until,
        )
        .order_by(Case.created_at, Case.id)
    )
    last_call: dict[str, datetime] = {}
    unit_counts: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    category_counts: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    total = [0, 0]
    window = timedelta(days=REPEAT_CALLER_DAYS)
    for _, created_at, lead_unit_id, category, raw_phone in session.execute(stmt):
        phone = normalise_phone(raw_phone)
        previous = last_call.get(phone) if phone else None
        if phone:
            last_call[phone] = created_at
        if created_at < since:
            continue
        repeat = int(previous is not None and created_at - previous <= window)
        for counts in (unit_counts[lead_unit_id], category_counts[category], total):
            counts[0] += 1
            counts[1] += repeat

    directory = platform.directory() if platform else None
    case_type = platform.types.get(HOTLINE) if platform else None
    category_field = case_type.field("category") if case_type else None

    def unit_label(unit_id: int | None) -> str:
        if unit_id is None:
            return "未派单"
        unit = directory.by_id.get(unit_id) if directory else None
        return unit.name if unit else str(unit_id)

    def category_label(code: str | None) -> str:
        if not code:
            return "未分类"
        return category_field.choice_label(code) if category_field else code

    def rows(counts: dict[Any, list[int]], label: Any) -> list[RateRow]:
        made = [
            RateRow("" if k is None else str(k), label(k), n, r) for k, (n, r) in counts.items()
        ]
        return sorted(made, key=lambda r: (-r.rate, -r.orders, r.label))

    return RepeatRates(
        since,
        until,
        RateRow("all", "合计", total[0], total[1]),
        rows(unit_counts, unit_label),
        rows(category_counts, category_label),
    )


# ---------------------------------------------------------------------------------------------
# As the API and the pages show them


MERGE_ROLES = ("dispatcher", "operator")
RATE_ROLES = ("district_leader", "supervisor", "dispatcher", "admin")
DEFAULT_RATE_DAYS = 30
MAX_RATE_DAYS = 366
THRESHOLDS = {
    "repeat_caller_days": REPEAT_CALLER_DAYS,
    "duplicate_days": DUPLICATE_DAYS,
    "similarity_min": SIMILARITY_MIN,
    "distance_max_m": DISTANCE_MAX_M,
}


def present_similar(w: Work, item: SimilarOrder) -> dict[str, Any]:
    case, c = item.case, item.candidate
    case_type = w.platform.types.get(case.type)
    return {
        "id": case.id,
        "number": case_number(case_type, case),
        "title": case.title,
        "state": case.state,
        "state_label": case_type.state_label(case.state) if case_type else case.state,
        "terminal": case.terminal,
        "merged_into": (case.fields or {}).get("merged_into"),
        "created_at": local_iso(case.created_at),
        "score": c.score,
        "similarity": c.similarity,
        "distance_m": c.distance_m,
        "same_grid": c.same_grid,
        "days_apart": c.days_apart,
        "same_phone": c.same_phone,
        "repeat_caller": c.repeat_caller,
        "likely_duplicate": c.likely_duplicate,
        "explanation": c.explain(),
        "mergeable": not case.terminal,
    }


def local_bounds(start: date | None, end: date | None, today: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in Asia/Shanghai; by default the last 30 days to today."""
    end = end or today
    start = start or end - timedelta(days=DEFAULT_RATE_DAYS - 1)
    if start > end:
        raise DomainError("invalid_range", "开始日期不能晚于结束日期", 422, "from")
    if (end - start).days >= MAX_RATE_DAYS:
        raise DomainError("invalid_range", f"统计区间不能超过{MAX_RATE_DAYS}天", 422, "from")
    since = datetime.combine(start, time(), LOCAL_TZ)
    until = datetime.combine(end + timedelta(days=1), time(), LOCAL_TZ)
    return since, until
