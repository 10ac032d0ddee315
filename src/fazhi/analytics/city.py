"""The city's view over its districts (a city platform hosting several regions, each served
by its own platform): per district, the cases received and closed in a period, those open
now and those overdue, read from the current-state columns of `cases`, and the counters of
a type summed from the rollups. One grouped query each, naming every region, so on a
sharded store (fazhi.store.shards) PostgreSQL scans the districts' shards at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fazhi.analytics.period import Period
from fazhi.store.models import Case, RollupDaily, Unit


@dataclass(frozen=True)
class DistrictFigures:
    region_code: str
    name: str  # the district's root unit
    received: int
    closed: int
    open: int
    overdue: int
    metrics: dict[str, int] = field(default_factory=dict)


def districts(session: Session) -> dict[str, str]:
    """Every region with an organisation loaded → the name of its root unit."""
    rows = session.execute(
        select(Unit.region_code, Unit.name).where(Unit.parent_id.is_(None)).order_by(Unit.id)
    )
    found: dict[str, str] = {}
    for region, name in rows:
        found.setdefault(str(region), str(name))
    return found


def city_figures(
    session: Session, period: Period, now: datetime, case_type: str
) -> list[DistrictFigures]:
    """Each district's figures for cases of `case_type`, in region-code order."""
    names = districts(session)
    regions = sorted(names)
    if not regions:
        return []
    open_now = Case.terminal.is_(False)
    counts = {
        str(region): (int(received), int(closed), int(still_open), int(overdue))
        for region, received, closed, still_open, overdue in session.execute(
            select(
                Case.region_code,
                func.count().filter(period.contains(Case.created_at)),
                func.count().filter(period.contains(Case.closed_at)),
                func.count().filter(open_now),
                func.count().filter(open_now & (Case.due_at < now)),
            )
            .where(Case.region_code.in_(regions), Case.type == case_type)
            .group_by(Case.region_code)
        )
    }
    metrics: dict[str, dict[str, int]] = {}
    for region, metric, value in session.execute(
        select(RollupDaily.region_code, RollupDaily.metric, func.sum(RollupDaily.value))
        .where(
            RollupDaily.region_code.in_(regions),
            RollupDaily.case_type == case_type,
            RollupDaily.day >= period.start,
            RollupDaily.day <= period.end,
        )
        .group_by(RollupDaily.region_code, RollupDaily.metric)
    ):
        metrics.setdefault(str(region), {})[str(metric)] = int(value or 0)
    return [
        DistrictFigures(
            region,
            names[region],
            *counts.get(region, (0, 0, 0, 0)),
            metrics=metrics.get(region, {}),
        )
        for region in regions
    ]
