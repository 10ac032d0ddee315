"""难点 (hard cases): open hotline orders that are overdue, were reopened, returned twice or
more, carry a supervision mark, or came from a repeat caller — read from current-state
columns of open orders only (the worklist index's region/type/state prefix), never from
history."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fazhi.actions.cases import visible_clause
from fazhi.actions.context import Work
from fazhi.actions.platform import Platform
from fazhi.analytics.figures import Filters, Params, int_param
from fazhi.domain.numbers import case_number
from fazhi.domain.units import Actor
from fazhi.store.models import Case

HOTLINE = "hotline"
HARD_TEXT = (
    "在办（未办结）工单中：已超期（当前时限已过）、重办过（重办次数 ≥ 1）、退单 ≥ 2 次、"
    "带督办/挂榜标记的工单；读取工单当前状态列，不扫描历史。"
)
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
    number: str  # what the console shows (RX…), never the internal id
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
    case_type = platform.types.get(HOTLINE)
    prefix = case_type.number_prefix if case_type else None
    rows = []
    for r in found:
        flags = dict(zip(tests, (r[7], r[8], r[9], r[10], r[11]), strict=True))
        lead = directory.by_id.get(r.lead_unit_id) if r.lead_unit_id else None
        rows.append(
            HardCase(
                id=r.id,
                number=case_number(prefix, r.created_at, r.id),
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


def hard_cases_body(w: Work, f: Filters, params: Params) -> dict[str, Any]:
    reason = params.get("reason", "")
    page = hard_cases(
        w.session,
        w.platform,
        w.actor,
        w.ctx.now,
        f.unit_ids,
        reason if reason in HARD_REASONS else "",
        int_param(params, "page", 1, 1, 100_000),
        int_param(params, "size", 50, 1, 200),
    )
    return {
        "unit": f.unit.brief() if f.unit else None,
        "notes": f.notes,
        "explanation": HARD_TEXT,
        "reasons": HARD_REASONS,
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
