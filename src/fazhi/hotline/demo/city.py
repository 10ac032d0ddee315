"""A synthetic city's hotline history, written through the bulk path (`fazhi demo generate`).

The same orders as the 石峰区 demo (`generate.Generator`: categories, texts, grids, the
dispatch → acknowledge → reply → revisit → close loop with its wrong units, returns,
reopenings and reviews), spread over several years with the volume a hotline sees — growing
year on year, higher in summer, lower at weekends and on holidays, mostly in office hours —
and a share of callers who call again. Each action is planned by the domain exactly as the
one door plans it; `fazhi.actions.bulk.BulkWriter` writes the rows in batches, so millions
of orders take minutes, not days. All people, phones and texts are SYNTHETIC.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from fazhi.actions.bulk import BulkCase, BulkWriter
from fazhi.actions.platform import Platform
from fazhi.domain.calendar import CalendarYearUnknown
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.units import Actor, UnitRef
from fazhi.hotline.demo.generate import Generator, _working_moment, source_loaded

CITY_SOURCE = "city"
# Orders per flush: one executemany per table per batch, one commit.
BATCH = 2000
# Relative volume by month (summer peaks: heat, water, power, noise).
MONTH_WEIGHTS = (0.85, 0.75, 0.95, 1.0, 1.05, 1.15, 1.25, 1.25, 1.05, 1.0, 0.95, 0.9)
# Calls grow year on year as a hotline becomes the one number for everything.
YEARLY_GROWTH = 1.12
REPEAT_SHARE = 0.08  # a caller who called within the last weeks calls again


class CityGenerator(Generator):
    """The demo's generator with its writes going to a `BulkWriter` (in memory until a
    flush) instead of the one door; the choices it makes are the demo's."""

    def __init__(
        self, session: Session, platform: Platform, rng: random.Random, writer: BulkWriter
    ) -> None:
        super().__init__(session, platform, rng)
        self.writer = writer
        self.directory = platform.directory()
        self.case_type = platform.types.get("hotline")
        self.callers: deque[tuple[str, str]] = deque(maxlen=500)

    def _create(  # type: ignore[override]
        self, at: datetime, fields: dict[str, Any], action: str, grid: UnitRef, external_id: str
    ) -> BulkCase:
        fields = dict(fields, grid=grid.id)  # the point was drawn inside this grid
        if self.callers and self.rng.random() < REPEAT_SHARE:
            fields["caller_name"], fields["caller_phone"] = self.rng.choice(self.callers)
        self.callers.append((fields["caller_name"], fields["caller_phone"]))
        return self.writer.create(
            self.case_type,
            self.cast.operator,
            self.directory,
            action,
            fields,
            at.astimezone(UTC),
            (CITY_SOURCE, external_id),
        )

    def _do(  # type: ignore[override]
        self,
        actor: Actor,
        at: datetime,
        case: BulkCase,
        action: str,
        inputs: dict[str, Any] | None = None,
    ) -> BulkCase:
        return self.writer.perform(
            case, actor, self.directory, action, inputs or {}, at.astimezone(UTC)
        )


def arrival_days(first: date, last: date, calendar: Any) -> tuple[list[date], list[float]]:
    """Every day from `first` to `last` with its relative call volume."""
    days: list[date] = []
    weights: list[float] = []
    day = first
    while day <= last:
        weight = MONTH_WEIGHTS[day.month - 1] * YEARLY_GROWTH ** (day.year - first.year)
        with suppress(CalendarYearUnknown):  # a year without a notice: every day alike
            weight *= 1.0 if calendar.is_workday(day) else 0.55
        days.append(day)
        weights.append(weight)
        day += timedelta(days=1)
    return days, weights


def district_platform(platform: Platform, region_code: str) -> Platform:
    """The platform as seen from one district (its directory), sharing engine and caches."""
    return replace(
        platform,
        settings=replace(platform.settings, region_code=region_code),
        _directory=None,
        _calendar=platform.calendar(),
        token_cache={},
    )


def city_loaded(session: Session, region_code: str) -> bool:
    return source_loaded(session, region_code, CITY_SOURCE)


def generate_city(
    platform: Platform,
    orders: dict[str, int],
    seed: int,
    years: int,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Write `orders[region]` orders into each district (already loaded), over the last
    `years` years up to now; answers (orders, events) written. A district that already holds
    city orders is left as it is."""
    now = platform.now()
    last = now.astimezone(LOCAL_TZ).date()
    first = date(last.year - years + 1, 1, 1)
    days, weights = arrival_days(first, last, platform.calendar())
    with platform.sessions() as session:
        writer = BulkWriter(session, platform)
        for region_code, count in orders.items():
            if city_loaded(session, region_code):
                continue
            rng = random.Random(f"{seed}:{region_code}")
            gen = CityGenerator(session, district_platform(platform, region_code), rng, writer)
            session.commit()  # the cast's logins
            drawn = [_working_moment(d, rng) for d in rng.choices(days, weights, k=count)]
            # Today's calls are those before now: one drawn later came in a little earlier.
            moments = sorted(
                m if m <= now else now - timedelta(minutes=rng.randint(1, 240)) for m in drawn
            )
            for n, at in enumerate(moments, 1):
                try:
                    case, grid = gen.register(at, f"CITY-{n:07d}")
                    gen.run_loop(case, grid, at, now)  # type: ignore[arg-type]
                except CalendarYearUnknown:
                    pass  # a deadline past the last holiday notice: the order waits there
                if n % BATCH == 0:
                    writer.flush()
                    session.commit()
                    if progress:
                        progress(BATCH)
            writer.flush()
            session.commit()
            if progress:
                progress(len(moments) % BATCH)
        writer.finish()
        session.commit()
        return writer.cases, writer.events
