"""督办 (the supervision board): open hotline orders overdue or due within a working day,
counted per lead unit, and the orders posted for units to claim (揭榜挂帅)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from fazhi.actions.cases import visible_clause
from fazhi.domain.calendar import CalendarYearUnknown, WorkCalendar
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.units import Actor, UnitRef
from fazhi.hotline.read.stats import HOTLINE, Scope
from fazhi.org.directory import UnitDirectory
from fazhi.store.models import Case


def at_risk_bound(now: datetime, calendar: WorkCalendar) -> datetime:
    """Orders due before this moment are due soon (or overdue).

    The same rule as `fazhi.domain.due.due_status`: due soon when at most one working day
    lies between today and the due date, i.e. the due date comes before the second working
    day after today (or within 4 hours, which always comes earlier).
    """
    today = now.astimezone(LOCAL_TZ).date()
    try:
        limit_day = calendar.add_workdays(today, 2)
    except CalendarYearUnknown:
        limit_day = today + timedelta(days=2)
    return datetime.combine(limit_day, time(0), LOCAL_TZ).astimezone(UTC)


@dataclass
class BoardRow:
    unit: UnitRef | None
    overdue: int = 0
    at_risk: int = 0
    open: int = 0

    @property
    def name(self) -> str:
        return self.unit.name if self.unit else "未派单（12345中心）"


@dataclass
class Board:
    units: list[BoardRow] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    listed_all: bool = True

    @property
    def overdue(self) -> int:
        return sum(r.overdue for r in self.units)

    @property
    def at_risk(self) -> int:
        return sum(r.at_risk for r in self.units)


def supervision_board(
    session: Session,
    actor: Actor,
    unit_ids: Sequence[int] | None,
    now: datetime,
    calendar: WorkCalendar,
    directory: UnitDirectory,
    limit: int = 300,
) -> Board:
    """Open orders overdue or due within a working day: counts per lead unit (one GROUP BY)
    and the orders themselves, most overdue first."""
    scope = Scope(actor, tuple(unit_ids) if unit_ids is not None else None)
    bound = at_risk_bound(now, calendar)
    conditions = [*scope.cases(), Case.terminal.is_(False)]
    overdue = case((Case.due_at < now, 1), else_=0)
    at_risk = case((and_(Case.due_at >= now, Case.due_at < bound), 1), else_=0)
    units = []
    for unit_id, total, n_overdue, n_at_risk in session.execute(
        select(Case.lead_unit_id, func.count(), func.sum(overdue), func.sum(at_risk))
        .where(*conditions)
        .group_by(Case.lead_unit_id)
    ):
        if not (n_overdue or n_at_risk):
            continue
        unit = directory.by_id.get(unit_id) if unit_id is not None else None
        units.append(BoardRow(unit, int(n_overdue or 0), int(n_at_risk or 0), int(total)))
    units.sort(key=lambda r: (-r.overdue, -r.at_risk, r.unit.path if r.unit else "~"))
    listed = list(
        session.scalars(
            select(Case)
            .where(*conditions, Case.due_at < bound)
            .order_by(Case.due_at.asc(), Case.id.asc())
            .limit(limit + 1)
        )
    )
    return Board(units, listed[:limit], len(listed) <= limit)


def open_challenges(session: Session, actor: Actor, limit: int = 100) -> list[Case]:
    """Open orders posted for units to claim (揭榜挂帅), oldest due first."""
    return list(
        session.scalars(
            select(Case)
            .where(
                visible_clause(actor),
                Case.type == HOTLINE,
                Case.terminal.is_(False),
                Case.open_to_units.is_(True),
            )
            .order_by(Case.due_at.asc().nulls_last(), Case.id.asc())
            .limit(limit)
        )
    )
