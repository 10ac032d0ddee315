"""Rollups kept current by the actions: a known week of orders (tests/analytics/scenario.py)
taken through the real actions over HTTP, read back from `rollup_daily`; `rebuild` gives the
same rows; hotspot and trend detection on constructed rollup rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, insert, select

from fazhi.actions.platform import Platform
from fazhi.actions.rollups import do_rebuild_rollups
from fazhi.analytics import rollups as ru
from fazhi.analytics.period import Period
from fazhi.domain.case_type import CaseType
from fazhi.store.db import transaction
from fazhi.store.models import RollupDaily
from tests.analytics.scenario import LEAD, Week, build_week, make_desk
from tests.support import FakeClock, ServerThread

MONDAY = date(2025, 3, 3)
REGION = "430204"
FAKE_REGION = "990001"  # constructed rollup rows live in a region nobody else uses

# The lead unit's events in the week (see the table in scenario.py): D dispatched twice,
# C replied and rated twice (dissatisfied, reopened, then satisfied); B's urgent handling
# was late, so its reply and its closing are not on time; G (registered the week before)
# is rated and closed on Monday. The six closings took 7 working days in all.
EXPECTED_LEAD = {
    "dispatched": 8,
    "acknowledged": 7,
    "acknowledged_on_time": 7,
    "returned": 1,
    "replied": 6,
    "replied_on_time": 5,
    "resolved": 6,
    "rated": 6,
    "satisfied": 4,
    "dissatisfied": 2,
    "reopened": 1,
    "closed": 6,
    "closed_on_time": 5,
    # Working days from registration to close: G Fri→Mon 1, A 0, D Mon→Tue 1, B Mon→Wed 2,
    # C Tue→Wed 1, I Tue→Thu 2.
    "handling_days": 7,
}


@pytest.fixture(scope="module")
def week(server: ServerThread, clock: FakeClock) -> Week:
    return build_week(make_desk(server, clock), clock, MONDAY, "汇总表测试")


def period(week: Week) -> Period:
    return Period(week.monday, week.friday)


def hotline(platform: Platform) -> CaseType:
    case_type = platform.types.get("hotline")
    assert case_type is not None
    return case_type


def lead_scope(platform: Platform) -> ru.Scope:
    directory = platform.directory()
    return ru.Scope(
        REGION, hotline(platform), tuple(directory.subtree_ids(directory.by_code[LEAD]))
    )


def rows_of(platform: Platform, start: date, end: date) -> list[tuple[object, ...]]:
    with platform.sessions() as session:
        return sorted(
            tuple(r)
            for r in session.execute(
                select(
                    RollupDaily.day,
                    RollupDaily.lead_unit_id,
                    RollupDaily.category,
                    RollupDaily.grid_id,
                    RollupDaily.metric,
                    RollupDaily.value,
                )
                .where(RollupDaily.region_code == REGION, RollupDaily.day.between(start, end))
                # The week's hotline orders: other suites' cases may share the dates.
                .where(RollupDaily.case_type == "hotline")
            )
        )


def test_the_lead_units_counters_match_the_week(platform: Platform, week: Week) -> None:
    with platform.sessions() as session:
        got = ru.totals(session, lead_scope(platform), period(week))
    # repeat_caller depends on earlier tests' calls from the suite's shared phone (see below).
    assert {k: v for k, v in got.items() if v and k != "repeat_caller"} == EXPECTED_LEAD


def test_region_wide_received_and_closed(platform: Platform, week: Week) -> None:
    with platform.sessions() as session:
        got = ru.totals(session, ru.Scope(REGION, hotline(platform)), period(week))
    # A B D C I E F J H registered in the week; F (answered on the call) closed at intake.
    assert got["received"] == 9
    assert got["closed"] == 7
    assert got["closed_on_time"] == 6


def test_received_per_day(platform: Platform, week: Week) -> None:
    per_day = [0] * 5
    for day, lead, _category, _grid, metric, value in rows_of(platform, week.monday, week.friday):
        if metric == "received":
            assert lead == 0  # registration has no lead unit yet
            per_day[(day - week.monday).days] += value  # type: ignore[operator]
    assert per_day == [3, 2, 2, 1, 1]


def test_unit_performance_rates_and_ranking(platform: Platform, week: Week) -> None:
    with platform.sessions() as session:
        rows = ru.unit_performance(
            session, lead_scope(platform), period(week), platform.directory()
        )
    [row] = [r for r in rows if r.unit_id == platform.directory().by_code[LEAD].id]
    assert row.rates["acknowledge_on_time_rate"] == 1.0
    assert row.rates["on_time_closure_rate"] == pytest.approx(5 / 6)
    assert row.rates["resolution_rate"] == 1.0
    assert row.rates["satisfaction_rate"] == pytest.approx(4 / 6)
    assert row.rates["return_rate"] == pytest.approx(1 / 8)
    # Every order of the scenario has the test suite's one caller phone, so whether its
    # dispatches count as repeat calls depends on earlier tests: check the rate's arithmetic.
    assert row.rates["repeat_rate"] == pytest.approx(row.counts["repeat_caller"] / 8)
    expected = (0.15 * 1 + 0.30 * 5 / 6 + 0.15 * 1 + 0.30 * 4 / 6 + 0.10 * 7 / 8) / 1.0
    assert row.score == pytest.approx(expected, abs=1e-4)
    assert row.rank == 1


def test_rebuild_reproduces_the_rows(platform: Platform, week: Week) -> None:
    start, end = week.monday - timedelta(days=7), week.friday + timedelta(days=7)
    before = rows_of(platform, start, end)
    assert before
    with transaction(platform.sessions) as session:
        read = do_rebuild_rollups(session, platform, flush_every=7)
    assert read > 0
    assert rows_of(platform, start, end) == before


def test_the_hard_cases_of_the_week_are_listed(platform: Platform, week: Week) -> None:
    """E stays open in handling; with the clock far ahead it is overdue."""
    from datetime import datetime

    from fazhi.domain.durations import LOCAL_TZ
    from fazhi.hotline.read.hard_cases import hard_cases
    from tests.hotline.read.test_stats import actor

    later = datetime(2025, 6, 1, 9, tzinfo=LOCAL_TZ)
    directory = platform.directory()
    ids = tuple(directory.subtree_ids(directory.by_code[LEAD]))
    with platform.sessions() as session:
        page = hard_cases(
            session, platform, actor(platform, "leader1"), later, ids, "overdue", 1, 500
        )
    listed = {r.id for r in page.rows}
    assert week.ids["E"] in listed
    assert all("overdue" in r.reasons for r in page.rows)
    assert week.ids["A"] not in listed and week.ids["H"] not in listed  # closed


# ---------------------------------------------------------------------------------------------
# Detection on constructed rows


@pytest.fixture
def fake_rows(platform: Platform) -> object:
    def put(rows: list[dict[str, object]]) -> None:
        with transaction(platform.sessions) as session:
            session.execute(delete(RollupDaily).where(RollupDaily.region_code == FAKE_REGION))
            if rows:
                session.execute(insert(RollupDaily), rows)

    yield put
    put([])


def row(day: date, grid: int, category: str, value: int) -> dict[str, object]:
    return {
        "region_code": FAKE_REGION,
        "day": day,
        "case_type": "hotline",
        "lead_unit_id": 0,
        "category": category,
        "grid_id": grid,
        "metric": "received",
        "value": value,
    }


def test_poisson_tail_and_bh() -> None:
    assert ru.poisson_sf(0, 2.0) == 1.0
    assert ru.poisson_sf(1, 2.0) == pytest.approx(1 - 0.1353352832, rel=1e-9)
    assert ru.poisson_sf(10, 2.0) == pytest.approx(4.6498075e-05, rel=1e-6)
    assert ru.poisson_sf(3, 5.0) == pytest.approx(0.875347, rel=1e-5)
    assert ru.benjamini_hochberg([0.01, 0.04, 0.03, 0.5]) == pytest.approx(
        [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5]
    )


def test_hotspots_flag_a_surge_not_a_flat_cell(platform: Platform, fake_rows: object) -> None:
    start = date(2025, 5, 5)
    rows = []
    for d in range(8 * 7):  # baseline: 2 a week in both grids
        day = start - timedelta(days=8 * 7 - d)
        if d % 7 in (1, 4):
            rows += [row(day, 101, "ROADS", 1), row(day, 102, "ROADS", 1)]
    for d in range(7):  # the week: grid 101 surges to 15, grid 102 stays at 2
        day = start + timedelta(days=d)
        rows.append(row(day, 101, "ROADS", 3 if d < 5 else 0))
        if d in (1, 4):
            rows.append(row(day, 102, "ROADS", 1))
    fake_rows(rows)  # type: ignore[operator]
    with platform.sessions() as session:
        found = ru.hotspots(
            session,
            ru.Scope(FAKE_REGION, hotline(platform)),
            Period(start, start + timedelta(days=6)),
            platform.directory(),
        )
    by_grid = {h.grid_id: h for h in found}
    assert by_grid[101].count == 15 and by_grid[101].baseline == 16
    assert by_grid[101].flagged
    assert by_grid[102].count == 2 and not by_grid[102].flagged
    assert by_grid[101].expected == pytest.approx(16.5 / 8, abs=0.01)


def test_trends_flag_a_jump(platform: Platform, fake_rows: object) -> None:
    end = date(2025, 5, 11)
    starts = ru.week_starts(end, 9)
    rows = []
    for i, monday in enumerate(starts):
        rows.append(row(monday, 101, "ROADS", 20 if i == 8 else 4 + i % 2))
        rows.append(row(monday, 102, "NOISE", 5))
    fake_rows(rows)  # type: ignore[operator]
    with platform.sessions() as session:
        result = ru.trends(
            session, ru.Scope(FAKE_REGION, hotline(platform)), end, platform.directory()
        )
    series = {s.key: s for s in result.categories}
    assert series["ROADS"].weeks[-1] == 20
    assert series["ROADS"].change == "rise"
    assert series["NOISE"].change == ""
    assert ru.detect_change([10] * 8 + [0])[2] == "fall"
    assert ru.detect_change([10] * 8 + [5])[2] == ""  # within Poisson noise
