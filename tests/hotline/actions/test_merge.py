"""并单 (fazhi.hotline.actions.merge): duplicates close pointing to the lead, one event each,
the lead records what it received; a lead that is missing, invisible, closed, merged or the
duplicate itself is refused with nothing written. All data is synthetic."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext, create_case, perform_action
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.hotline.actions.merge import check_merge_cases
from fazhi.store.db import transaction
from fazhi.store.models import Case, Clock, Event, User
from tests.support import FakeClock


def actor(platform: Platform, username: str) -> Actor:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(platform, user)


@pytest.fixture(autouse=True)
def _december(clock: FakeClock) -> None:
    clock.set("2024-12-24T10:00:00+08:00")


def ctx(platform: Platform, clock: FakeClock, username: str = "dispatcher1") -> ActionContext:
    return ActionContext(platform, actor(platform, username), clock())


def register(platform: Platform, clock: FakeClock, who: Actor | None = None, **fields: Any) -> int:
    body = {
        "request_kind": "complaint",
        "category": "CITY_APPEARANCE",
        "content": f"小区门口流动摊贩占道经营（合并测试 {uuid.uuid4().hex[:6]}）",
        "caller_phone": "17000005678",
        **fields,
    }
    context = ctx(platform, clock, "operator1")
    if who is not None:
        context = dataclasses.replace(context, actor=who)
    with transaction(platform.sessions) as session:
        return create_case(session, context, "hotline", body).id


def state_of(platform: Platform, case_id: int) -> tuple[str, int, int, dict[str, Any]]:
    with platform.sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        events = session.scalar(select(func.count()).where(Event.case_id == case_id))
        return case.state, case.version, int(events or 0), dict(case.fields)


def events(platform: Platform, case_id: int) -> list[Event]:
    with platform.sessions() as session:
        return list(
            session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.seq))
        )


def merge(
    platform: Platform, clock: FakeClock, lead: int, dups: list[int], who: str = "dispatcher1"
) -> None:
    with transaction(platform.sessions) as session:
        check_merge_cases(
            session, ctx(platform, clock, who), lead, dups, "同一摊贩占道，重复来电（测试）"
        )


def test_duplicates_close_into_the_lead_one_event_each(
    platform: Platform, clock: FakeClock
) -> None:
    lead, first, second = (register(platform, clock) for _ in range(3))
    with transaction(platform.sessions) as session:
        perform_action(session, ctx(platform, clock), second, "dispatch", {"lead_unit": "SF-CGJ"})
    lead_before = state_of(platform, lead)

    merge(platform, clock, lead, [first, second, first])

    for dup in (first, second):
        state, _, _, fields = state_of(platform, dup)
        assert state == "closed" and fields["merged_into"] == lead
        last = events(platform, dup)[-1]
        assert (last.action, last.to_state) == ("merge", "closed")
        assert last.payload["inputs"] == {
            "lead_case": lead,
            "reason": "同一摊贩占道，重复来电（测试）",
        }
    assert len([e for e in events(platform, first) if e.action == "merge"]) == 1
    with platform.sessions() as session:  # the dispatched one's clocks stopped with it
        running = session.scalar(
            select(func.count()).where(Clock.case_id == second, Clock.stopped_at.is_(None))
        )
        assert running == 0
        closed = session.get(Case, second)
        assert closed is not None and closed.terminal and closed.due_at is None
    state, version, count, _ = state_of(platform, lead)
    assert (state, version, count) == (lead_before[0], lead_before[1], lead_before[2] + 1)
    received = events(platform, lead)[-1]
    assert received.action == "merge_received"
    assert received.payload["duplicates"] == [first, second]
    assert received.from_state == received.to_state == "registered"


def refused(
    platform: Platform, clock: FakeClock, lead: int, dups: list[int], who: str = "dispatcher1"
) -> DomainError:
    watched = [i for i in (lead, *dups) if i > 0]
    before = {i: state_of(platform, i) for i in watched if _exists(platform, i)}
    with pytest.raises(DomainError) as caught:
        merge(platform, clock, lead, dups, who)
    assert {i: state_of(platform, i) for i in before} == before, "a refused merge wrote something"
    assert caught.value.message and any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)
    return caught.value


def _exists(platform: Platform, case_id: int) -> bool:
    with platform.sessions() as session:
        return session.get(Case, case_id) is not None


def test_merging_into_itself_is_refused(platform: Platform, clock: FakeClock) -> None:
    lead, other = register(platform, clock), register(platform, clock)
    assert refused(platform, clock, lead, [other, lead]).code == "merge_self"


def test_merging_into_a_missing_order_is_refused(platform: Platform, clock: FakeClock) -> None:
    dup = register(platform, clock)
    error = refused(platform, clock, 10**9, [dup])
    assert (error.code, error.status) == ("not_found", 404)


def test_merging_into_an_order_the_actor_cannot_see_is_refused(
    platform: Platform, clock: FakeClock
) -> None:
    elsewhere = dataclasses.replace(actor(platform, "operator1"), region_code="999999")
    hidden = register(platform, clock, who=elsewhere)
    dup = register(platform, clock)
    error = refused(platform, clock, hidden, [dup])
    assert (error.code, error.status) == ("not_found", 404)
    assert "主工单" in error.message


def test_merging_into_a_closed_or_merged_order_is_refused(
    platform: Platform, clock: FakeClock
) -> None:
    lead, merged, dup = (register(platform, clock) for _ in range(3))
    merge(platform, clock, lead, [merged])
    assert refused(platform, clock, merged, [dup]).code == "lead_merged"
    closed = register(platform, clock)
    with transaction(platform.sessions) as session:
        create = ctx(platform, clock, "operator1")
        closed = create_case(
            session,
            create,
            "hotline",
            {
                "request_kind": "consultation",
                "category": "CITY_APPEARANCE",
                "content": "咨询（测试）",
                "answer": "已答复（测试）",
            },
            "resolve_at_intake",
        ).id
    assert refused(platform, clock, closed, [dup]).code == "lead_closed"


def test_a_closed_duplicate_fails_the_whole_merge(platform: Platform, clock: FakeClock) -> None:
    lead, open_one, already = (register(platform, clock) for _ in range(3))
    other_lead = register(platform, clock)
    merge(platform, clock, other_lead, [already])
    error = refused(platform, clock, lead, [open_one, already])
    assert error.code == "already_closed"
    assert state_of(platform, open_one)[0] == "registered"


def test_only_dispatchers_and_operators_merge_and_a_reason_is_required(
    platform: Platform, clock: FakeClock
) -> None:
    lead, dup = register(platform, clock), register(platform, clock)
    assert refused(platform, clock, lead, [dup], who="supervisor1").code == "forbidden_role"
    with pytest.raises(DomainError) as caught, transaction(platform.sessions) as session:
        check_merge_cases(session, ctx(platform, clock, "operator1"), lead, [dup], "  ")
    assert caught.value.field == "reason"
    assert refused(platform, clock, lead, []).code == "required"
    merge(platform, clock, lead, [dup], who="operator1")
    assert state_of(platform, dup)[3]["merged_into"] == lead
