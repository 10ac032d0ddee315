"""The synthetic city (`fazhi demo generate`): orders written through the bulk path are what
the one door would have left — every trail verifies, the rollups equal a full rebuild, the
counts add up — and the live actions carry on from them (on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fazhi.actions.cases import create_case, perform_action
from fazhi.actions.context import ActionContext
from fazhi.actions.org import load_org_into
from fazhi.actions.platform import Platform
from fazhi.actions.rollups import do_rebuild_rollups
from fazhi.catalog.city import city_region_code, synthetic_district
from fazhi.catalog.org_file import load_demo_org
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.trail import first_break
from fazhi.hotline.demo.city import CITY_SOURCE, district_platform, generate_city
from fazhi.hotline.demo.generate import ensure_cast
from fazhi.store.audit import chained
from fazhi.store.db import transaction
from fazhi.store.models import Case, CaseAccess, CaseUnit, Clock, Event, RollupDaily
from tests.support import FakeClock
from tests.test_cli import env_for, run

# The end of the generated history: a working Tuesday.
NOW = datetime(2023, 6, 6, 10, 0, tzinfo=LOCAL_TZ)
ORDERS = {city_region_code(1): 140, city_region_code(2): 60}


@pytest.fixture(scope="module")
def city(platform: Platform, clock: FakeClock) -> Iterator[tuple[int, int]]:
    clock.set(NOW)
    demo = load_demo_org()
    with transaction(platform.sessions) as session:
        for k in (1, 2):
            load_org_into(session, synthetic_district(demo, k))
    yield generate_city(platform, ORDERS, seed=7, years=2)


def _generated(session: Session, region: str | None = None) -> list[Case]:
    query = select(Case).where(Case.external_source == CITY_SOURCE).order_by(Case.id)
    if region:
        query = query.where(Case.region_code == region)
    return list(session.scalars(query))


def test_every_district_gets_its_orders_and_the_counts_add_up(
    platform: Platform, city: tuple[int, int]
) -> None:
    made, events = city
    with platform.sessions() as session:
        for region, count in ORDERS.items():
            assert len(_generated(session, region)) == count
        ids = [c.id for c in _generated(session)]
        assert made == len(ids) == sum(ORDERS.values())
        stored = session.scalar(select(func.count()).where(Event.case_id.in_(ids)))
        assert stored == events and events > 4 * made  # register … close: several each
        # The external id keeps the order's number within its district.
        assert {c.external_id for c in _generated(session, city_region_code(2))} == {
            f"CITY-{n:07d}" for n in range(1, 61)
        }


def test_every_generated_trail_verifies(platform: Platform, city: tuple[int, int]) -> None:
    with platform.sessions() as session:
        ids = [c.id for c in _generated(session)]
        chains: dict[int, list[Event]] = {}
        for event in session.scalars(
            select(Event).where(Event.case_id.in_(ids)).order_by(Event.case_id, Event.seq)
        ):
            chains.setdefault(event.case_id, []).append(event)
    assert set(chains) == set(ids)
    for case_id, events in chains.items():
        assert first_break([chained(e, platform.secret) for e in events], platform.secret) is None
        assert events[0].action in {"register", "resolve_at_intake"}, case_id


def test_the_rollups_equal_a_full_rebuild(platform: Platform, city: tuple[int, int]) -> None:
    regions = set(ORDERS)

    def cells(session: Session) -> dict[tuple[object, ...], int]:
        rows = session.scalars(select(RollupDaily).where(RollupDaily.region_code.in_(regions)))
        return {
            (r.region_code, r.day, r.case_type, r.lead_unit_id, r.category, r.grid_id, r.metric): (
                r.value
            )
            for r in rows
        }

    with platform.sessions() as session:
        counted = cells(session)
        do_rebuild_rollups(session, platform)
        rebuilt = cells(session)
        session.rollback()
    assert counted and counted == rebuilt


def test_the_history_has_a_hotlines_shape(platform: Platform, city: tuple[int, int]) -> None:
    with platform.sessions() as session:
        cases = _generated(session, city_region_code(1))
        actions = Counter(
            session.scalars(select(Event.action).where(Event.case_id.in_([c.id for c in cases])))
        )
        units = session.scalar(
            select(func.count()).where(CaseUnit.case_id.in_([c.id for c in cases]))
        )
        access = session.scalar(
            select(func.count()).where(CaseAccess.case_id.in_([c.id for c in cases]))
        )
        clocks = session.scalar(
            select(func.count()).where(Clock.case_id.in_([c.id for c in cases]))
        )
    years = Counter(c.created_at.astimezone(LOCAL_TZ).year for c in cases)
    assert set(years) == {2022, 2023} and years[2022] > years[2023]  # 2023 only to June
    assert all(c.created_at <= NOW for c in cases)
    assert len({c.category for c in cases}) >= 10
    assert len({c.grid_id for c in cases}) >= 20
    assert sum(c.terminal for c in cases) > 0.8 * len(cases)  # the past is closed
    assert any(not c.terminal for c in cases)  # the last days' orders are in hand
    for action in ("dispatch", "acknowledge", "reply", "revisit", "close"):
        assert actions[action] > 0, action
    assert units and access and clocks and access > units


def test_the_live_actions_carry_on_from_generated_orders(
    platform: Platform, city: tuple[int, int], clock: FakeClock
) -> None:
    """A generated open order takes its next action through the one door, and a new order
    takes ids after the generated ones (PostgreSQL: the sequences were moved on)."""
    clock.set(NOW)
    region = city_region_code(1)
    view = district_platform(platform, region)
    with transaction(platform.sessions) as session:
        cast = ensure_cast(session, view)
        waiting = session.scalar(
            select(Case).where(
                Case.region_code == region,
                Case.external_source == CITY_SOURCE,
                Case.state == "registered",
            )
        )
        top = session.scalar(select(func.max(Case.id)))
        if waiting is not None:
            lead = view.directory().default_unit_for(str(waiting.category))
            if lead is not None:
                ctx = ActionContext(view, cast.dispatcher, NOW)
                done = perform_action(session, ctx, waiting.id, "dispatch", {"lead_unit": lead.id})
                assert done.state == "dispatched"
        fields = {
            "channel": "phone",
            "request_kind": "complaint",
            "category": "CITY_APPEARANCE",
            "content": "小区门口垃圾堆放多日无人清运，请尽快处理（合成数据）",
            "caller_name": "测试乙",
            "caller_phone": "17000009876",
        }
        new = create_case(session, ActionContext(view, cast.operator, NOW), "hotline", fields)
        assert top is not None and new.id > top
    with platform.sessions() as session:
        events = list(
            session.scalars(select(Event).where(Event.case_id == new.id).order_by(Event.seq))
        )
        assert first_break([chained(e, platform.secret) for e in events], platform.secret) is None


def test_generating_again_leaves_a_district_as_it_is(
    platform: Platform, city: tuple[int, int]
) -> None:
    with platform.sessions() as session:
        before = len(_generated(session))
    assert generate_city(platform, {city_region_code(2): 10}, seed=8, years=1) == (0, 0)
    with platform.sessions() as session:
        assert len(_generated(session)) == before


@pytest.mark.sqlite_only
def test_the_command_writes_the_city_and_its_trail_verifies(tmp_path: Path) -> None:
    env = {**env_for(tmp_path / "city.db"), "FAZHI_NOW": "2024-03-05T10:00:00+08:00"}
    made = run(env, "demo", "generate", "--orders", "50", "--districts", "3", "--years", "2")
    assert made.exit_code == 0, made.output
    output = "".join(made.output.split())
    assert "已批量写入合成工单50件" in output and "件/秒" in output
    assert "云岭区（合成数据）（439901）" in output
    checked = run(env, "trail", "verify")
    assert checked.exit_code == 0, checked.output
    assert "校验通过：50个案件" in "".join(checked.output.split())
    refused = run(env, "demo", "generate", "--districts", "100")
    assert refused.exit_code != 0 and "1–99" in refused.output
