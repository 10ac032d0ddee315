"""The trail cannot be rewritten silently: changing a stored event is found by
`verify_all` and by `fazhi audit verify`, which names the case and the event."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext, create_case, perform_action
from fazhi.actions.platform import Platform
from fazhi.actions.rollups import do_rebuild_rollups
from fazhi.catalog.registry import default_case_types
from fazhi.cli import app
from fazhi.settings import Settings
from fazhi.store.audit import verify_all
from fazhi.store.db import make_engine, session_factory, transaction
from fazhi.store.models import Event, RollupDaily, User
from tests.support import FakeClock


def _actor(platform: Platform, username: str) -> Any:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(platform, user)


def _order(platform: Platform, clock: FakeClock) -> int:
    """A hotline order taken through register → dispatch → acknowledge → handle."""
    steps = [
        ("dispatcher1", "dispatch", {"lead_unit": "SF-CGJ", "note": "请核查（测试）"}),
        ("cgj_handler", "acknowledge", {}),
        ("cgj_handler", "handle", {"note": "已到现场劝离摊贩（测试）"}),
    ]
    with transaction(platform.sessions) as session:
        case = create_case(
            session,
            ActionContext(platform, _actor(platform, "operator1"), clock()),
            "hotline",
            {
                "request_kind": "complaint",
                "category": "CITY_APPEARANCE",
                "content": "流动摊贩占道经营（测试合成数据）",
                "caller_phone": "17000001234",
            },
        )
        case_id = case.id
    for username, action, inputs in steps:
        clock.advance(hours=1)
        with transaction(platform.sessions) as session:
            perform_action(
                session,
                ActionContext(platform, _actor(platform, username), clock()),
                case_id,
                action,
                inputs,
            )
    return case_id


def _events(platform: Platform, case_id: int) -> list[Event]:
    with platform.sessions() as session:
        return list(
            session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.seq))
        )


def _set_payload(platform: Platform, event_id: int, payload: dict[str, Any]) -> None:
    with transaction(platform.sessions) as session:
        session.execute(update(Event).where(Event.id == event_id).values(payload=payload))


def test_actions_leave_a_chain_that_verifies(platform: Platform, clock: FakeClock) -> None:
    case_id = _order(platform, clock)
    events = _events(platform, case_id)
    assert [e.action for e in events] == ["register", "dispatch", "acknowledge", "handle"]
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in pairwise(events))
    with platform.sessions() as session:
        result = verify_all(session, platform.secret)
    assert result.ok, result.breaks
    assert result.cases >= 1 and result.events >= 4


def test_a_tampered_payload_is_reported_with_its_case_and_event(
    platform: Platform, clock: FakeClock
) -> None:
    case_id = _order(platform, clock)
    target = _events(platform, case_id)[2]  # the acknowledge
    original = dict(target.payload)
    forged = {**original, "inputs": {"note": "篡改的办理意见"}}
    _set_payload(platform, target.id, forged)
    try:
        with platform.sessions() as session:
            result = verify_all(session, platform.secret)
        assert not result.ok
        assert [(c, b.event_id, b.seq) for c, b in result.breaks] == [(case_id, target.id, 3)]
        assert "内容" in result.breaks[0][1].reason
    finally:
        _set_payload(platform, target.id, original)
    with platform.sessions() as session:
        assert verify_all(session, platform.secret).ok


# --- the CLI ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    path: Path = tmp_path_factory.mktemp("audit") / "fazhi.db"
    env = {"FAZHI_DATABASE_URL": f"sqlite:///{path}", "COLUMNS": "200"}
    # Every module's demo year but the consumer one: its 6,394 cases take the same door as the
    # rest and would double this fixture's time (tests/test_cli.py loads all of them).
    modules = "hotline,legality,enforcement,disputes,legal_aid,labour,petition,correction"
    result = CliRunner().invoke(
        app, ["demo", "--orders", "20", "--current", "0", "--only", modules], env=env
    )
    assert result.exit_code == 0, result.output
    yield env


@pytest.mark.sqlite_only
def test_cli_audit_verify_passes_on_an_untouched_database(demo_db: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["audit", "verify"], env=demo_db)
    assert result.exit_code == 0, result.output
    # 20 orders of 2023 and 4 of 2022 (a fifth), and the other types' demo years: legality 19,
    # enforcement 41, disputes 1,838 (83 reconsiderations, 20 lawsuits, 1,735 mediations), legal aid
    # 466, labour 932, petitions 200 and disclosure requests 18, correction 43 (8 subjects, 29
    # anomalies, 6 resettlement files).
    assert f"校验通过：{20 + 4 + 19 + 41 + 1838 + 466 + 932 + 218 + 43} 个案件" in result.output


@pytest.mark.sqlite_only
def test_the_demo_years_rollups_equal_a_full_rebuild(demo_db: dict[str, str]) -> None:
    """Issue 15: the counters each action added live, over the demo years of every type
    above (a seeded random mix of all their actions), are what a full recomputation from
    the events gives — cell by cell."""
    url = demo_db["FAZHI_DATABASE_URL"]
    engine = make_engine(url)
    platform = Platform(
        settings=Settings(database_url=url),
        engine=engine,
        sessions=session_factory(engine),
        types=default_case_types(),
    )

    def cells(session: Session) -> dict[tuple[Any, ...], int]:
        rows = session.scalars(select(RollupDaily))
        return {
            (r.region_code, r.day, r.case_type, r.lead_unit_id, r.category, r.grid_id, r.metric): (
                r.value
            )
            for r in rows
        }

    try:
        with platform.sessions() as session:
            live = cells(session)
            do_rebuild_rollups(session, platform)
            rebuilt = cells(session)
            session.rollback()
        assert {key[2] for key in live} >= {
            "hotline",
            "legality_review",
            "penalty_case",
            "mediation",
            "legal_aid",
            "labour_arbitration",
            "petition",
        }
        assert live == rebuilt
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
def test_cli_audit_verify_exits_1_naming_the_changed_event(demo_db: dict[str, str]) -> None:
    engine = create_engine(demo_db["FAZHI_DATABASE_URL"])
    try:
        with engine.begin() as conn:
            case_id, event_id, seq = conn.execute(
                text("SELECT case_id, id, seq FROM events WHERE seq = 2 ORDER BY case_id LIMIT 1")
            ).one()
            conn.execute(
                text(
                    "UPDATE events SET payload = json_set(payload, '$.inputs.note', "
                    "'被改过的派单意见') WHERE id = :id"
                ),
                {"id": event_id},
            )
        result = CliRunner().invoke(app, ["audit", "verify"], env=demo_db)
        assert result.exit_code == 1, result.output
        output = "".join(result.output.split())
        assert f"案件{case_id}：事件{event_id}（第{seq}条）" in output
        assert "校验失败：1个案件的记录链断裂" in output
    finally:
        engine.dispose()
