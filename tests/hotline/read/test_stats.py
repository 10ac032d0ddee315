"""The hotline figures as SQL aggregates: a known week of orders, taken through the real
actions over HTTP, read back through `fazhi.hotline.read.stats`."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from fazhi.actions.auth import actor_for
from fazhi.actions.platform import Platform
from fazhi.domain.due import due_status
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.units import Actor
from fazhi.hotline.read import board
from fazhi.hotline.read import stats as hs
from fazhi.store.models import User
from tests.analytics.scenario import (
    CLOSED_PER_DAY,
    EXPECTED,
    LEAD,
    OTHER,
    RECEIVED_PER_DAY,
    Week,
    api_client,
    at,
    build_week,
    make_desk,
)
from tests.support import FakeClock, ServerThread

MONDAY = date(2024, 10, 21)


@pytest.fixture(scope="module")
def week(server: ServerThread, clock: FakeClock) -> Week:
    return build_week(make_desk(server, clock), clock, MONDAY, "分析测试")


def actor(platform: Platform, username: str) -> Actor:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(platform, user)


def unit_scope(platform: Platform, username: str, code: str | None) -> hs.Scope:
    directory = platform.directory()
    ids = tuple(directory.subtree_ids(directory.by_code[code])) if code else None
    return hs.Scope(actor(platform, username), ids)


def the_week(week: Week) -> hs.Period:
    return hs.Period(week.monday, week.friday)


def test_period_bounds_are_local_days_in_utc() -> None:
    period = hs.Period(date(2024, 10, 21), date(2024, 10, 25))
    assert period.start_utc.isoformat() == "2024-10-20T16:00:00+00:00"
    assert period.end_utc.isoformat() == "2024-10-25T16:00:00+00:00"
    assert len(period.days()) == 5
    assert hs.Period.ending(date(2024, 3, 31)) == hs.Period(date(2024, 3, 2), date(2024, 3, 31))


def test_overview_of_the_lead_unit_matches_the_orders_made(platform: Platform, week: Week) -> None:
    with platform.sessions() as session:
        figures = hs.overview(session, unit_scope(platform, "leader1", LEAD), the_week(week))
    assert asdict(figures) == EXPECTED
    assert figures.closure_rate == pytest.approx(5 / 7)
    assert figures.on_time_rate == pytest.approx(5 / 6)
    assert figures.satisfaction_rate == pytest.approx(4 / 6)


def test_region_wide_view_adds_intake_answers_and_other_units(
    platform: Platform, week: Week
) -> None:
    with platform.sessions() as session:
        figures = hs.overview(session, unit_scope(platform, "supervisor1", None), the_week(week))
    # + F (answered at intake: closed at once, on time, unrated) and J (another unit, open)
    assert figures.received == 9
    assert figures.received_closed == 6
    assert figures.closed == 7
    assert figures.closed_on_time == 6
    assert figures.rated == 6
    assert figures.returns == 1


def test_daily_volume_per_local_day(platform: Platform, week: Week) -> None:
    with platform.sessions() as session:
        days = hs.daily_volume(session, unit_scope(platform, "leader1", LEAD), the_week(week))
    assert [d.day for d in days] == [MONDAY + timedelta(days=i) for i in range(5)]
    assert [d.received for d in days] == RECEIVED_PER_DAY
    assert [d.closed for d in days] == CLOSED_PER_DAY


def test_a_call_after_midnight_counts_on_the_local_day(
    platform: Platform, server: ServerThread, clock: FakeClock
) -> None:
    # 00:30 in 株洲 is 16:30 UTC the day before: the day must be the local one.
    sunday, monday = date(2024, 10, 27), date(2024, 10, 28)
    clock.set(at(monday, 0, 30))
    case_id = api_client(server, clock, "operator1").register(content="深夜来电（测试合成数据）")[
        "id"
    ]
    scope = unit_scope(platform, "supervisor1", None)
    with platform.sessions() as session:
        days = hs.daily_volume(session, scope, hs.Period(sunday, monday))
        grids = hs.grid_counts(session, scope, hs.Period(monday, monday))
    assert [(d.day, d.received) for d in days] == [(sunday, 0), (monday, 1)]
    assert grids == {None: 1}, case_id


def test_unit_ranking_rows(platform: Platform, week: Week) -> None:
    directory = platform.directory()
    with platform.sessions() as session:
        rows = hs.unit_ranking(
            session, unit_scope(platform, "leader1", None), the_week(week), directory
        )
    by_code = {r.unit.code if r.unit else None: r for r in rows}
    lead = by_code[LEAD]
    assert (lead.received, lead.closed, lead.closed_on_time, lead.returns) == (7, 6, 5, 1)
    assert lead.received_closed == 5
    assert (lead.satisfied, lead.basically_satisfied, lead.rated) == (3, 1, 6)
    assert lead.on_time_rate == pytest.approx(5 / 6)
    assert lead.satisfaction_rate == pytest.approx(4 / 6)
    intake = by_code[None]
    assert (intake.received, intake.closed, intake.closed_on_time, intake.rated) == (1, 1, 1, 0)
    assert intake.satisfaction_rate is None
    assert intake.name == "未派单（含即时办结）"
    assert (by_code[OTHER].received, by_code[OTHER].closed) == (1, 0)
    assert rows[0].unit is not None and rows[0].unit.code == LEAD  # most received first


def test_unit_ranking_sorts_by_any_column() -> None:
    a = hs.UnitRow(None, received=3, closed=2, closed_on_time=1, returns=0)
    b = hs.UnitRow(None, received=1, closed=1, closed_on_time=1, returns=4)
    c = hs.UnitRow(None, received=2)  # nothing closed: no rate, sorts last
    assert hs.sort_units([a, b, c], "received") == [a, c, b]
    assert hs.sort_units([a, b, c], "on_time_rate") == [b, a, c]
    assert hs.sort_units([a, b, c], "on_time_rate", ascending=True) == [c, a, b]
    assert hs.sort_units([a, b, c], "returns") == [b, a, c]
    assert hs.sort_units([a, b, c], "no-such-column") == [a, c, b]


def test_a_unit_leader_sees_only_its_own_orders(platform: Platform, week: Week) -> None:
    period = the_week(week)
    with platform.sessions() as session:
        own = hs.overview(session, unit_scope(platform, "cgj_leader", None), period)
        street = hs.overview(session, unit_scope(platform, "tx_leader", None), period)
        categories = hs.category_counts(session, unit_scope(platform, "tx_leader", None), period)
    assert own.received == 7 and own.closed == 6  # not F (no lead unit), not J (田心街道)
    assert (street.received, street.closed, street.returns) == (1, 0, 0)
    assert categories == {"CITY_APPEARANCE": 1}


def test_street_counts_roll_grids_up_to_streets(platform: Platform) -> None:
    directory = platform.directory()
    grid = {u.code: u.id for u in directory.by_id.values() if u.kind == "grid"}
    counts: dict[int | None, int] = {
        grid["SF-TX-C01-G01"]: 3,
        grid["SF-QST-C01-G01"]: 1,
        grid["SF-QST-C02-G01"]: 1,
        None: 4,
    }
    rows = [(s.code if s else None, n) for s, n in hs.street_counts(counts, directory)]
    assert rows[0] == ("SF-TX", 3)
    assert rows[1] == ("SF-QST", 2)
    assert rows[-1] == (None, 4)
    streets = [u for u in directory.by_id.values() if u.kind == "street"]
    assert len(rows) == len(streets) + 1
    assert sum(n for _, n in rows) == 9


@pytest.mark.parametrize(
    "now",
    [
        datetime(2024, 10, 24, 10, 0, tzinfo=LOCAL_TZ),  # Thursday
        datetime(2024, 10, 25, 17, 30, tzinfo=LOCAL_TZ),  # Friday evening
        datetime(2024, 9, 30, 9, 0, tzinfo=LOCAL_TZ),  # before 国庆
        datetime(2024, 10, 12, 9, 0, tzinfo=LOCAL_TZ),  # a make-up Saturday
    ],
)
def test_at_risk_bound_agrees_with_due_status(platform: Platform, now: datetime) -> None:
    calendar = platform.calendar()
    bound = board.at_risk_bound(now, calendar)
    for hours in range(-30, 24 * 12, 1):
        due = now + timedelta(hours=hours, minutes=7)
        flagged = due_status(due, now, calendar) in ("overdue", "due_soon")
        assert flagged == (due < bound), (now, due, bound)


@pytest.mark.parametrize(
    ("username", "code"), [("leader1", None), ("leader1", LEAD), ("tx_leader", None)]
)
def test_the_ranking_sums_to_the_overview(
    platform: Platform, week: Week, username: str, code: str | None
) -> None:
    scope, period = unit_scope(platform, username, code), the_week(week)
    with platform.sessions() as session:
        rows = hs.unit_ranking(session, scope, period, platform.directory())
        assert hs.summarise(rows, hs.reopenings(session, scope, period)) == hs.overview(
            session, scope, period
        )


# Issue 10: the 2023 statistics showed 满意率 100.0% beside 259 reopenings — a dissatisfied
# rating was forgotten once the order was reopened and rated again.
def test_a_dissatisfied_rating_that_led_to_a_reopening_still_counts(
    platform: Platform, week: Week
) -> None:
    c_only = hs.Period(week.monday + timedelta(days=1), week.monday + timedelta(days=1))
    with platform.sessions() as session:
        tuesday = hs.overview(session, unit_scope(platform, "leader1", LEAD), c_only)
    # Tuesday's ratings: C dissatisfied (reopened the same day), I dissatisfied.
    assert (tuesday.rated, tuesday.satisfied + tuesday.basically_satisfied) == (2, 0)
    assert tuesday.satisfaction_rate == 0.0
    assert tuesday.reopenings == 1


STREET_WEEK = date(2024, 12, 2)


# Issue 10: streets showed more returns than orders received — an order sent to a street by
# mistake and returned counted as the street's return but, once reassigned, as another unit's
# order. The ranking counts what was dispatched to each unit, which its returns never exceed.
def test_a_unit_never_returns_more_orders_than_were_dispatched_to_it(
    platform: Platform, server: ServerThread, clock: FakeClock
) -> None:
    desk = make_desk(server, clock)
    clock.set(at(STREET_WEEK, 9))
    case_id = int(desk.operator.register(content="占道经营，误派街道（测试合成数据）")["id"])
    clock.set(at(STREET_WEEK, 9, 5))
    desk.dispatcher.act(case_id, "dispatch", lead_unit=OTHER)
    clock.set(at(STREET_WEEK, 10))
    api_client(server, clock, "tx_leader").act(case_id, "return", reason="不属本街道职责（测试）")
    clock.set(at(STREET_WEEK, 10, 30))
    desk.dispatcher.act(case_id, "reassign", lead_unit=LEAD)
    period = hs.Period(STREET_WEEK, STREET_WEEK)
    with platform.sessions() as session:
        rows = hs.unit_ranking(
            session, unit_scope(platform, "supervisor1", None), period, platform.directory()
        )
    by_code = {r.unit.code if r.unit else None: r for r in rows}
    street, lead = by_code[OTHER], by_code[LEAD]
    assert (street.dispatched, street.returns) == (1, 1)
    assert (lead.dispatched, lead.returns) == (1, 0)
    assert all(r.returns <= r.dispatched for r in rows)
