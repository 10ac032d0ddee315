"""Figures of the 12345 hotline for the 统计, 督办 and 地图 pages.

Read-only: every function is one or a few SQL aggregates (GROUP BY on indexed columns:
`created_at`, `lead_unit_id`, `grid_id`, `category`, `due_at`), never a Python loop over
cases, and every statement is restricted by `visible_clause(actor)`, so a unit sees only
its own cases.

Definitions (../shared/GLOSSARY.md), for a period of local dates [start, end]:

- received (受理量): hotline orders created in the period.
- closed (办结量): orders whose `closed_at` lies in the period.
- closure_rate (办结率): of the orders received in the period, those closed by the end of
  the period ÷ received.
- on_time_rate (按期办结率): of the orders closed in the period, those whose every `handle`
  clock (办理时限) stopped on or before its due time ÷ closed. An order that never had a
  handle clock (即时办结) counts as on time.
- satisfaction_rate (满意率): of the ratings given in the period (`revisit` events, for the
  order's lead unit), (satisfied + basically_satisfied) ÷ rated. Ratings, not orders: an
  order rated dissatisfied, reopened and then rated satisfied counts both ratings — counting
  only the final rating hid every dissatisfaction that led to a reopening (issue 10: 100.0%
  beside 259 reopenings). The rollups count the same way.
- dispatched (派单量, per unit): orders dispatched (派单, 改派, 驳回退单) to the unit in the
  period, each order once.
- returns (退单数): `return` events in the period, counted for the unit that returned the
  order (the acting user's unit): never more than the orders dispatched to it.
- reopenings (重办数): `reopen` events in the period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, case, exists, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from fazhi.actions.cases import visible_clause
from fazhi.analytics.period import Period
from fazhi.domain.units import Actor, UnitRef
from fazhi.org.directory import UnitDirectory
from fazhi.store.models import Case, Clock, Event

HOTLINE = "hotline"
SATISFIED = "satisfied"
BASICALLY_SATISFIED = "basically_satisfied"
RATINGS = (SATISFIED, BASICALLY_SATISFIED, "dissatisfied")
# Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so a fixed offset turns
# the stored UTC moments into local dates inside the database.
LOCAL_OFFSET_HOURS = 8


# ---------------------------------------------------------------------------------------------
# The local calendar day of a stored UTC moment, computed by the database


class local_day(FunctionElement[date]):
    """The local (UTC+8) date of a UTC timestamp column: GROUP BY per day in SQL."""

    type = Date()
    name = "local_day"
    inherit_cache = True


@compiles(local_day, "sqlite")
def _local_day_sqlite(element: local_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '+{LOCAL_OFFSET_HOURS} hours')"


@compiles(local_day)
def _local_day_default(element: local_day, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"CAST(({column} + INTERVAL '{LOCAL_OFFSET_HOURS} hours') AS DATE)"


def _as_date(value: Any) -> date:
    """SQLite answers 'YYYY-MM-DD', PostgreSQL a date."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# ---------------------------------------------------------------------------------------------
# Period and scope


@dataclass(frozen=True)
class Scope:
    """Whose view (visibility), and optionally one lead-unit subtree and one category."""

    actor: Actor
    unit_ids: tuple[int, ...] | None = None
    category: str | None = None

    def cases(self) -> list[Any]:
        """WHERE conditions on `cases` for this scope."""
        conditions = [visible_clause(self.actor), Case.type == HOTLINE]
        if self.unit_ids is not None:
            conditions.append(Case.lead_unit_id.in_(self.unit_ids))
        if self.category:
            conditions.append(Case.category == self.category)
        return conditions


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _late_handle_clock() -> Any:
    """EXISTS a handle clock of the case that ran past its due time (or still runs)."""
    return exists().where(
        Clock.region_code == Case.region_code,
        Clock.case_id == Case.id,
        Clock.name == "handle",
        or_(Clock.stopped_at.is_(None), Clock.stopped_at > Clock.due_at),
    )


def _closed_by_end(period: Period) -> Any:
    """How many of the rows were closed before the period ended."""
    return func.coalesce(func.sum(case((Case.closed_at < period.end_utc, 1), else_=0)), 0)


def _closed_columns() -> list[Any]:
    """count, on time — over closed orders."""
    return [
        func.count(),
        func.coalesce(func.sum(case((~_late_handle_clock(), 1), else_=0)), 0),
    ]


# The actions that give an order to a lead unit: their `lead_unit` input names it.
DISPATCH_ACTIONS = ("dispatch", "reassign", "uphold_return", "reject_return")


def _ratings_statement(scope: Scope, period: Period) -> Any:
    """satisfied, basically satisfied, rated — over the ratings (`revisit` events) given in
    the period on orders of the scope; grouped by the caller when it adds a column."""
    rating = Event.payload[("inputs", "rating")].as_string()
    return (
        select(
            func.coalesce(func.sum(case((rating == SATISFIED, 1), else_=0)), 0),
            func.coalesce(func.sum(case((rating == BASICALLY_SATISFIED, 1), else_=0)), 0),
            func.coalesce(func.sum(case((rating.in_(RATINGS), 1), else_=0)), 0),
        )
        .select_from(Event)
        .join(Case, (Case.region_code == Event.region_code) & (Case.id == Event.case_id))
        .where(Event.action == "revisit", period.contains(Event.at), *scope.cases())
    )


def _dispatched_statement(scope: Scope, period: Period) -> Any:
    """Per unit given orders in the period: how many orders (each once)."""
    unit = Event.payload[("inputs", "lead_unit", "id")].as_integer()
    conditions = [visible_clause(scope.actor), Case.type == HOTLINE]
    if scope.category:
        conditions.append(Case.category == scope.category)
    if scope.unit_ids is not None:
        conditions.append(unit.in_(scope.unit_ids))
    return (
        select(unit, func.count(func.distinct(Event.case_id)))
        .select_from(Event)
        .join(Case, (Case.region_code == Event.region_code) & (Case.id == Event.case_id))
        .where(Event.action.in_(DISPATCH_ACTIONS), period.contains(Event.at), *conditions)
        .group_by(unit)
    )


def _event_count_statement(scope: Scope, period: Period, action: str, by_actor: bool) -> Any:
    """`action` events in the period on visible hotline orders. With a unit scope the events
    are those taken by a user of the unit subtree (by_actor) or on orders it now leads."""
    conditions = [visible_clause(scope.actor), Case.type == HOTLINE]
    if scope.category:
        conditions.append(Case.category == scope.category)
    if scope.unit_ids is not None:
        if by_actor:
            conditions.append(_actor_unit().in_(scope.unit_ids))
        else:
            conditions.append(Case.lead_unit_id.in_(scope.unit_ids))
    return (
        select(func.count())
        .select_from(Event)
        .join(Case, (Case.region_code == Event.region_code) & (Case.id == Event.case_id))
        .where(Event.action == action, period.contains(Event.at), *conditions)
    )


def _actor_unit() -> Any:
    return Event.actor[("unit", "id")].as_integer()


# ---------------------------------------------------------------------------------------------
# The overview cards


@dataclass(frozen=True)
class Overview:
    received: int
    received_closed: int  # received in the period and closed before it ended
    closed: int
    closed_on_time: int
    satisfied: int
    basically_satisfied: int
    rated: int
    returns: int
    reopenings: int

    @property
    def closure_rate(self) -> float | None:
        return ratio(self.received_closed, self.received)

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.closed_on_time, self.closed)

    @property
    def satisfaction_rate(self) -> float | None:
        return ratio(self.satisfied + self.basically_satisfied, self.rated)


def overview(session: Session, scope: Scope, period: Period) -> Overview:
    received, received_closed = session.execute(
        select(func.count(), _closed_by_end(period)).where(
            *scope.cases(), period.contains(Case.created_at)
        )
    ).one()
    closed, on_time = session.execute(
        select(*_closed_columns()).where(*scope.cases(), period.contains(Case.closed_at))
    ).one()
    satisfied, basically, rated = session.execute(_ratings_statement(scope, period)).one()
    returns = session.scalar(_event_count_statement(scope, period, "return", by_actor=True))
    return Overview(
        received=int(received),
        received_closed=int(received_closed),
        closed=int(closed),
        closed_on_time=int(on_time),
        satisfied=int(satisfied),
        basically_satisfied=int(basically),
        rated=int(rated),
        returns=int(returns or 0),
        reopenings=reopenings(session, scope, period),
    )


def reopenings(session: Session, scope: Scope, period: Period) -> int:
    statement = _event_count_statement(scope, period, "reopen", by_actor=False)
    return int(session.scalar(statement) or 0)


def summarise(rows: Sequence[UnitRow], reopened: int) -> Overview:
    """The overview as the sum of a unit ranking made with the same scope and period (saves
    the page running the same aggregates twice)."""
    return Overview(
        received=sum(r.received for r in rows),
        received_closed=sum(r.received_closed for r in rows),
        closed=sum(r.closed for r in rows),
        closed_on_time=sum(r.closed_on_time for r in rows),
        satisfied=sum(r.satisfied for r in rows),
        basically_satisfied=sum(r.basically_satisfied for r in rows),
        rated=sum(r.rated for r in rows),
        returns=sum(r.returns for r in rows),
        reopenings=reopened,
    )


# ---------------------------------------------------------------------------------------------
# Volume per day, per category, per street, per grid


@dataclass(frozen=True)
class DayRow:
    day: date
    received: int
    closed: int


def daily_volume(session: Session, scope: Scope, period: Period) -> list[DayRow]:
    """Every day of the period (zeros included): orders received and closed that day."""
    created_day = local_day(Case.created_at)
    received = {
        _as_date(d): int(n)
        for d, n in session.execute(
            select(created_day, func.count())
            .where(*scope.cases(), period.contains(Case.created_at))
            .group_by(created_day)
        )
    }
    closed_day = local_day(Case.closed_at)
    closed = {
        _as_date(d): int(n)
        for d, n in session.execute(
            select(closed_day, func.count())
            .where(*scope.cases(), period.contains(Case.closed_at))
            .group_by(closed_day)
        )
    }
    return [DayRow(d, received.get(d, 0), closed.get(d, 0)) for d in period.days()]


def category_counts(session: Session, scope: Scope, period: Period) -> dict[str | None, int]:
    """Orders received in the period by category code."""
    rows = session.execute(
        select(Case.category, func.count())
        .where(*scope.cases(), period.contains(Case.created_at))
        .group_by(Case.category)
    )
    return {code: int(n) for code, n in rows}


def grid_counts(session: Session, scope: Scope, period: Period) -> dict[int | None, int]:
    """Orders received in the period by grid id (None: not placed on a grid)."""
    rows = session.execute(
        select(Case.grid_id, func.count())
        .where(*scope.cases(), period.contains(Case.created_at))
        .group_by(Case.grid_id)
    )
    return {grid_id: int(n) for grid_id, n in rows}


def street_counts(
    grids: dict[int | None, int], directory: UnitDirectory
) -> list[tuple[UnitRef | None, int]]:
    """Per-grid counts rolled up to streets (a few hundred grids, not cases); None: unplaced.

    Sorted by count, descending; streets with no orders are listed with 0.
    """
    totals: dict[int | None, int] = {
        u.id: 0 for u in directory.by_id.values() if u.kind == "street"
    }
    for grid_id, n in grids.items():
        unit = directory.by_id.get(grid_id) if grid_id is not None else None
        street = directory.street_of(unit) if unit is not None else None
        key = street.id if street is not None else None
        totals[key] = totals.get(key, 0) + n
    rows = [(directory.by_id[k] if k is not None else None, n) for k, n in totals.items()]
    return sorted(rows, key=lambda r: (r[0] is None, -r[1], r[0].path if r[0] else ""))


def grid_cases(
    session: Session, scope: Scope, period: Period, grid_id: int, limit: int = 200
) -> tuple[list[Case], int]:
    """A grid's orders received in the period, newest first, and how many there are."""
    conditions = [*scope.cases(), Case.grid_id == grid_id, period.contains(Case.created_at)]
    total = session.scalar(select(func.count()).select_from(Case).where(*conditions)) or 0
    rows = session.scalars(
        select(Case)
        .where(*conditions)
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(limit)
    )
    return list(rows), int(total)


# ---------------------------------------------------------------------------------------------
# The unit ranking


@dataclass
class UnitRow:
    unit: UnitRef | None  # None: no lead unit (即时办结 or not yet dispatched)
    received: int = 0
    received_closed: int = 0
    closed: int = 0
    closed_on_time: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    rated: int = 0
    dispatched: int = 0  # orders dispatched to the unit in the period
    returns: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.closed_on_time, self.closed)

    @property
    def satisfaction_rate(self) -> float | None:
        return ratio(self.satisfied + self.basically_satisfied, self.rated)

    @property
    def name(self) -> str:
        return self.unit.name if self.unit else "未派单（含即时办结）"


UNIT_SORTS = ("received", "closed", "on_time_rate", "satisfaction_rate", "dispatched", "returns")


def unit_ranking(
    session: Session,
    scope: Scope,
    period: Period,
    directory: UnitDirectory,
    sort: str = "received",
    ascending: bool = False,
) -> list[UnitRow]:
    """Per lead unit: received, closed, on-time and satisfaction figures; returns per unit
    that returned orders. Three GROUP BY statements merged on a few dozen unit rows."""
    rows: dict[int | None, UnitRow] = {}

    def row(unit_id: int | None) -> UnitRow:
        if unit_id not in rows:
            rows[unit_id] = UnitRow(directory.by_id.get(unit_id) if unit_id is not None else None)
        return rows[unit_id]

    for unit_id, n, n_closed in session.execute(
        select(Case.lead_unit_id, func.count(), _closed_by_end(period))
        .where(*scope.cases(), period.contains(Case.created_at))
        .group_by(Case.lead_unit_id)
    ):
        row(unit_id).received, row(unit_id).received_closed = int(n), int(n_closed)
    for unit_id, closed, on_time in session.execute(
        select(Case.lead_unit_id, *_closed_columns())
        .where(*scope.cases(), period.contains(Case.closed_at))
        .group_by(Case.lead_unit_id)
    ):
        row(unit_id).closed, row(unit_id).closed_on_time = int(closed), int(on_time)
    ratings = _ratings_statement(scope, period)
    for unit_id, satisfied, basically, rated in session.execute(
        ratings.with_only_columns(Case.lead_unit_id, *ratings.selected_columns).group_by(
            Case.lead_unit_id
        )
    ):
        r = row(unit_id)
        r.satisfied, r.basically_satisfied, r.rated = int(satisfied), int(basically), int(rated)
    for unit_id, n in session.execute(_dispatched_statement(scope, period)):
        if unit_id is not None:
            row(int(unit_id)).dispatched = int(n)
    actor_unit = _actor_unit()
    returns = (
        _event_count_statement(scope, period, "return", by_actor=True)
        .with_only_columns(actor_unit, func.count())
        .group_by(actor_unit)
    )
    for unit_id, n in session.execute(returns):
        row(int(unit_id) if unit_id is not None else None).returns = int(n)
    return sort_units(list(rows.values()), sort, ascending)


def sort_units(rows: list[UnitRow], sort: str, ascending: bool = False) -> list[UnitRow]:
    key = sort if sort in UNIT_SORTS else "received"

    def value(r: UnitRow) -> float:
        v = getattr(r, key)
        return -1.0 if v is None else float(v)

    ordered = sorted(rows, key=lambda r: r.unit.path if r.unit else "~")
    return sorted(ordered, key=value, reverse=not ascending)
