"""What one process keeps in memory (units, calendar, deadline settings) follows a change
made by another at that process's next transaction (Platform.watch_caches), and a change
that rolls back makes nobody reload. Two platforms on one database stand for two processes;
tests/cli/test_serving.py does the same with real server processes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import select

from fazhi.actions.admin.deadlines import check_reset_clock_setting, check_save_clock_setting
from fazhi.actions.admin.units import check_rename_unit
from fazhi.actions.calendar import remove_override, set_override
from fazhi.actions.platform import Platform
from fazhi.catalog.registry import default_case_types
from fazhi.domain.durations import Duration
from fazhi.store.db import make_engine, session_factory, transaction
from fazhi.store.models import Unit
from tests.actions.test_admin import _form, _handle_normal, ctx_for, run
from tests.support import FakeClock

# A Tuesday of an ordinary week: the next working day after Monday 2023-06-05.
DAY = date(2023, 6, 6)


@pytest.fixture
def other(platform: Platform, clock: FakeClock) -> Iterator[Platform]:
    """A second process's platform: its own engine and caches, watching the versions."""
    engine = make_engine(platform.settings.database_url)
    p = Platform(
        settings=platform.settings,
        engine=engine,
        sessions=session_factory(engine),
        types=default_case_types(),
        clock=clock,
    )
    p.reload_types()
    p.watch_caches()
    yield p
    engine.dispose()


@contextmanager
def request_in(p: Platform) -> Iterator[None]:
    """A request's transaction: its first statement (the token lookup) reads the versions."""
    with transaction(p.sessions) as session:
        session.execute(select(1))
        yield


def next_workday(p: Platform) -> date:
    with request_in(p):
        return p.calendar().add_workdays(date(2023, 6, 5), 1)


def test_a_calendar_change_counts_in_the_other_process_at_its_next_transaction(
    platform: Platform, other: Platform
) -> None:
    assert next_workday(other) == DAY  # cached now
    try:
        with platform.writing(), transaction(platform.sessions) as session:
            set_override(session, DAY, "holiday", "测试假日（合成）", "测试")
        assert next_workday(other) == date(2023, 6, 7)
    finally:
        with platform.writing(), transaction(platform.sessions) as session:
            remove_override(session, DAY)
        platform.forget_calendar()
    assert next_workday(other) == DAY


def test_a_change_that_rolls_back_reloads_nothing(platform: Platform, other: Platform) -> None:
    assert next_workday(other) == DAY
    cached = other.calendar()
    with pytest.raises(RuntimeError), platform.writing(), transaction(platform.sessions) as s:
        set_override(s, DAY, "holiday", "测试假日（合成）", "测试")
        raise RuntimeError("the request failed after the change")
    assert next_workday(other) == DAY
    assert other.calendar() is cached


def test_a_renamed_unit_and_a_changed_deadline_count_in_the_other_process(
    platform: Platform, other: Platform, clock: FakeClock
) -> None:
    ctx = ctx_for(platform, clock)
    with platform.sessions() as session:
        unit = session.scalars(select(Unit).where(Unit.code == "SF-MZJ")).one()
    old_name, old_short = unit.name, unit.short_name or ""
    with request_in(other):
        assert other.directory().resolve("SF-MZJ").name == old_name  # type: ignore[union-attr]
    assert _handle_normal(other) == Duration(5, "wd")
    try:
        run(platform, lambda s: check_rename_unit(s, ctx, unit.id, "民政局（改名测试）", ""))
        form = _form(values={"normal": "3wd", "urgent": "24h", "complex": "15wd"})
        run(platform, lambda s: check_save_clock_setting(s, ctx, "hotline", "handle", form))
        with request_in(other):
            renamed = other.directory().resolve("SF-MZJ")
            assert renamed is not None and renamed.name == "民政局（改名测试）"
            assert _handle_normal(other) == Duration(3, "wd")
    finally:
        run(platform, lambda s: check_rename_unit(s, ctx, unit.id, old_name, old_short))
        run(platform, lambda s: check_reset_clock_setting(s, ctx, "hotline", "handle"))
    with request_in(other):
        assert other.directory().resolve("SF-MZJ").name == old_name  # type: ignore[union-attr]
        assert _handle_normal(other) == Duration(5, "wd")
