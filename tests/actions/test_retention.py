"""Retention (fazhi.actions.retention): a case closed longer ago than the retention period keeps
no personal value anywhere in its rows, its chain still verifies — also when its events were
sealed the plain way before the keyed seal — and open or recent cases are left alone."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select, text, update

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext, create_case, perform_action
from fazhi.actions.platform import Platform
from fazhi.actions.retention import (
    ANONYMISE_ACTION,
    check_anonymise_case,
    do_anonymise_case,
    due_case_ids,
    retention_cutoff,
    run_retention,
)
from fazhi.actions.system_account import system_actor
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.domain.seal import SEAL_PLAIN, SEAL_WITNESSED
from fazhi.domain.trail import GENESIS, event_content, event_hash, first_break
from fazhi.store.audit import chained
from fazhi.store.db import transaction
from fazhi.store.models import Case, Event, User
from tests.support import FakeClock

ID_NUMBER = "11010519491231002X"
LATER = datetime(2033, 12, 1, 9, 0, tzinfo=LOCAL_TZ)  # ten years on: cut-off 2023-12-01


def _actor(platform: Platform, username: str) -> Any:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(platform, user)


def _order(platform: Platform, clock: FakeClock, phone: str, close: bool = True) -> int:
    """A hotline order with a caller's name, phone and ID number, taken to 办结."""
    steps = [
        ("dispatcher1", "dispatch", {"lead_unit": "SF-CGJ"}),
        ("cgj_handler", "acknowledge", {}),
        ("cgj_handler", "reply", {"reply": "已处理（测试）", "result": "resolved"}),
        ("operator1", "revisit", {"rating": "satisfied", "note": "回访（测试）"}),
        ("operator1", "close", {}),
    ]
    with transaction(platform.sessions) as session:
        fields = {
            "request_kind": "complaint",
            "category": "CITY_APPEARANCE",
            "content": "流动摊贩占道经营（测试合成数据）",
            "caller_name": "留存测试",
            "caller_phone": phone,
            "caller_id_number": ID_NUMBER,
        }
        ctx = ActionContext(platform, _actor(platform, "operator1"), clock())
        case_id = create_case(session, ctx, "hotline", fields).id
    for username, action, inputs in steps if close else ():
        clock.advance(hours=1)
        with transaction(platform.sessions) as session:
            ctx = ActionContext(platform, _actor(platform, username), clock())
            perform_action(session, ctx, case_id, action, inputs)
    return case_id


def _rows(platform: Platform, case_id: int) -> str:
    """Every row the case owns, read straight from the database, as one text."""
    parts = []
    with platform.engine.connect() as conn:
        for table in ("cases", "events", "documents", "outbox"):
            column = "id" if table == "cases" else "case_id"
            rows = conn.execute(
                text(f"SELECT * FROM {table} WHERE {column} = :id"), {"id": case_id}
            )
            parts.extend(json.dumps(list(r), ensure_ascii=False, default=str) for r in rows)
    return "\n".join(parts)


def _chain_ok(platform: Platform, case_id: int) -> bool:
    with platform.sessions() as session:
        rows = session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.seq))
        broken = first_break([chained(e, platform.secret) for e in rows], platform.secret)
        assert broken is None, broken
        return True


def _anonymise(platform: Platform, case_id: int) -> None:
    actor = system_actor(platform)
    with transaction(platform.sessions) as session:
        case = session.get(Case, case_id)
        assert case is not None
        ctx = ActionContext(platform, actor, LATER)
        do_anonymise_case(session, ctx, case, check_anonymise_case(session, ctx, case), 10)


def test_an_old_closed_case_keeps_no_personal_value_and_its_chain_verifies(
    platform: Platform, clock: FakeClock
) -> None:
    case_id = _order(platform, clock, "17000007001")
    assert "17000007001" in _rows(platform, case_id)
    _anonymise(platform, case_id)
    rows = _rows(platform, case_id)
    for value in ("17000007001", ID_NUMBER, "留存测试"):
        assert value not in rows
    assert _chain_ok(platform, case_id)
    with platform.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.contact_key is None
        assert case.fields["content"] == "流动摊贩占道经营（测试合成数据）"
        last = session.scalars(
            select(Event).where(Event.case_id == case_id).order_by(Event.seq.desc())
        ).first()
        assert last is not None and last.action == ANONYMISE_ACTION
        assert last.payload["fields"] == 3
    # Done once: the case is no longer due.
    with platform.sessions() as session:
        due = due_case_ids(session, platform.region_code, retention_cutoff(LATER, 10))
    assert case_id not in due


def test_events_sealed_the_plain_way_are_anonymised_under_a_keyed_witness(
    platform: Platform, clock: FakeClock
) -> None:
    case_id = _order(platform, clock, "17000007002")
    # Turn the chain into one written before the keyed seal (seal 0, plain SHA-256).
    with transaction(platform.sessions) as session:
        prev = GENESIS
        for event in session.scalars(
            select(Event).where(Event.case_id == case_id).order_by(Event.seq)
        ).all():
            content = event_content(
                case_id,
                event.seq,
                event.action,
                event.at,
                event.actor,
                event.from_state,
                event.to_state,
                event.payload,
            )
            hash_ = event_hash(prev, content)
            session.execute(
                update(Event)
                .where(Event.id == event.id)
                .values(seal=SEAL_PLAIN, sealed=None, prev_hash=prev, hash=hash_)
            )
            prev = hash_
    assert _chain_ok(platform, case_id)
    _anonymise(platform, case_id)
    assert "17000007002" not in _rows(platform, case_id)
    assert _chain_ok(platform, case_id)
    with platform.sessions() as session:
        register = session.scalar(select(Event).where(Event.case_id == case_id, Event.seq == 1))
        assert register is not None and register.seal == SEAL_WITNESSED
        # The witness vouches for this content only.
        session.execute(
            update(Event)
            .where(Event.id == register.id)
            .values(payload={**register.payload, "inputs": {"content": "改过"}})
        )
        rows = session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.seq))
        assert first_break([chained(e, platform.secret) for e in rows], platform.secret)
        session.rollback()


def test_open_and_recent_cases_are_not_due_and_a_dry_run_changes_nothing(
    platform: Platform, clock: FakeClock
) -> None:
    old = _order(platform, clock, "17000007003")
    still_open = _order(platform, clock, "17000007004", close=False)
    clock.set(datetime(2024, 3, 1, 9, 0, tzinfo=LOCAL_TZ))
    recent = _order(platform, clock, "17000007005")
    with platform.sessions() as session:
        due = due_case_ids(session, platform.region_code, retention_cutoff(LATER, 10))
    assert old in due and still_open not in due and recent not in due
    before = {c: _rows(platform, c) for c in (old, still_open, recent)}
    report = run_retention(platform, system_actor(platform), LATER, 10, dry_run=True)
    assert old in report.due and report.anonymised == 0
    assert {c: _rows(platform, c) for c in (old, still_open, recent)} == before
    actor = system_actor(platform)
    with transaction(platform.sessions) as session:
        case = session.get(Case, still_open)
        assert case is not None
        ctx = ActionContext(platform, actor, LATER)
        try:
            check_anonymise_case(session, ctx, case)
        except DomainError as exc:
            assert exc.code == "case_open"
        else:
            raise AssertionError("an open case was accepted")
