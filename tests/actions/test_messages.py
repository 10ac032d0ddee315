"""Internal messages (站内消息): written with the event that causes them, to the lead unit or
to the hotline centre's desks as the type file says, read or unread per user, and counted
for the navigation.

The database is shared by the session: each test looks at its own orders' messages, and at
unread counts as differences."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext, create_case, perform_action
from fazhi.actions.messages import check_mark_read, do_mark_all_read
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError
from fazhi.read.messages import UNREAD_CAP, count_label, inbox, unread_count
from fazhi.store.db import transaction
from fazhi.store.messages import Message
from fazhi.store.models import User

T = TypeVar("T")
LEAD = "SF-CGJ"
_serial = itertools.count(1)


def as_user(platform: Platform, username: str, work: Callable[[Session, ActionContext], T]) -> T:
    with platform.writing(), transaction(platform.sessions) as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        ctx = ActionContext(platform, actor_for(platform, user), platform.now())
        return work(session, ctx)


def act(platform: Platform, username: str, case_id: int, action: str, **inputs: Any) -> None:
    as_user(platform, username, lambda s, c: perform_action(s, c, case_id, action, inputs))


def register(platform: Platform) -> int:
    body = {
        "request_kind": "complaint",
        "category": "CITY_APPEARANCE",
        "content": f"消息测试：路灯不亮（测试合成数据）{next(_serial)}",
    }
    return as_user(platform, "operator1", lambda s, c: create_case(s, c, "hotline", body).id)


def messages(platform: Platform, case_id: int) -> list[tuple[str, str, str]]:
    """(recipient, topic, body) of an order's messages, oldest first."""
    with platform.sessions() as session:
        rows = session.execute(
            select(Message.recipient, Message.topic, Message.body)
            .where(Message.case_id == case_id)
            .order_by(Message.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def unread(platform: Platform, username: str) -> int:
    return as_user(platform, username, lambda s, c: unread_count(s, c.actor))


def test_every_step_of_the_loop_that_needs_someone_tells_them(platform: Platform) -> None:
    case_id = register(platform)
    assert messages(platform, case_id) == []  # registration concerns nobody yet

    act(platform, "dispatcher1", case_id, "dispatch", lead_unit=LEAD)
    ((to, topic, body),) = messages(platform, case_id)
    assert (to, topic) == (f"unit:{LEAD}", "dispatched")
    assert "已派单贵单位主办" in body

    act(platform, "cgj_handler", case_id, "return", reason="不属本单位职责（测试）")
    to, topic, body = messages(platform, case_id)[-1]
    assert (to, topic) == ("role:dispatcher", "returned")
    assert "城市管理和综合执法局" in body and "退单理由：不属本单位职责（测试）" in body

    act(platform, "dispatcher1", case_id, "reassign", lead_unit=LEAD)
    act(platform, "cgj_handler", case_id, "acknowledge")
    act(platform, "cgj_handler", case_id, "request_extension", days=3, reason="需协调供电公司")
    to, topic, body = messages(platform, case_id)[-1]
    assert (to, topic) == ("role:dispatcher", "extension_requested")
    assert "延期3个工作日" in body and "需协调供电公司" in body

    act(platform, "dispatcher1", case_id, "approve_extension", days=3)
    to, topic, body = messages(platform, case_id)[-1]
    assert (to, topic) == (f"unit:{LEAD}", "extension_approved")
    assert "延期3个工作日" in body and "新的办理时限" in body

    act(platform, "cgj_handler", case_id, "reply", reply="已修复（测试）", result="resolved")
    act(platform, "operator1", case_id, "revisit", rating="dissatisfied")
    act(platform, "operator1", case_id, "reopen", reason="路灯仍不亮（测试）")
    to, topic, body = messages(platform, case_id)[-1]
    assert (to, topic) == (f"unit:{LEAD}", "reopened")
    assert "路灯仍不亮（测试）" in body


def test_a_rejected_extension_tells_the_unit_why(platform: Platform) -> None:
    case_id = register(platform)
    act(platform, "dispatcher1", case_id, "dispatch", lead_unit=LEAD)
    act(platform, "cgj_handler", case_id, "acknowledge")
    act(platform, "cgj_handler", case_id, "request_extension", days=2, reason="材料未齐")
    act(platform, "dispatcher1", case_id, "reject_extension", reason="可在时限内办结（测试）")
    to, topic, body = messages(platform, case_id)[-1]
    assert (to, topic) == (f"unit:{LEAD}", "extension_rejected")
    assert "可在时限内办结（测试）" in body


def test_a_refused_action_writes_no_message(platform: Platform) -> None:
    case_id = register(platform)
    with pytest.raises(DomainError):
        act(platform, "cgj_handler", case_id, "dispatch", lead_unit=LEAD)  # not a dispatcher
    assert messages(platform, case_id) == []


def test_read_state_is_per_user_and_mark_all_read_clears_the_count(platform: Platform) -> None:
    handler, leader = unread(platform, "cgj_handler"), unread(platform, "cgj_leader")
    case_id = register(platform)
    act(platform, "dispatcher1", case_id, "dispatch", lead_unit=LEAD)
    # Both users of the lead unit get it; the dispatcher (another unit) does not.
    assert unread(platform, "cgj_handler") == min(handler + 1, UNREAD_CAP)
    assert unread(platform, "cgj_leader") == min(leader + 1, UNREAD_CAP)

    with platform.sessions() as session:
        message_id = session.scalar(select(Message.id).where(Message.case_id == case_id))
    assert message_id is not None
    first = as_user(
        platform, "cgj_handler", lambda s, c: check_mark_read(s, c.actor, message_id, c.now)
    )
    again = as_user(
        platform, "cgj_handler", lambda s, c: check_mark_read(s, c.actor, message_id, c.now)
    )
    assert (first, again) == (True, False)
    mine = as_user(platform, "cgj_handler", lambda s, c: inbox(s, c.actor, limit=5))
    assert next(m for m in mine if m.id == message_id).read
    theirs = as_user(platform, "cgj_leader", lambda s, c: inbox(s, c.actor, limit=5))
    assert not next(m for m in theirs if m.id == message_id).read

    # Another unit cannot open it: as if it did not exist.
    with pytest.raises(DomainError) as refused:
        as_user(
            platform, "zjj_handler", lambda s, c: check_mark_read(s, c.actor, message_id, c.now)
        )
    assert refused.value.code == "message_not_found" and refused.value.status == 404

    as_user(platform, "cgj_leader", lambda s, c: do_mark_all_read(s, c.actor, c.now))
    assert unread(platform, "cgj_leader") == 0
    unread_only = as_user(platform, "cgj_leader", lambda s, c: inbox(s, c.actor, True))
    assert unread_only == []
    # Newer messages are unread again.
    act(platform, "cgj_handler", case_id, "acknowledge")
    act(platform, "supervisor1", case_id, "supervise", kind="key_supervision", reason="测试")
    assert unread(platform, "cgj_leader") == 1


def test_role_messages_reach_every_holder_of_the_role(platform: Platform) -> None:
    before = unread(platform, "dispatcher1")
    case_id = register(platform)
    act(platform, "dispatcher1", case_id, "dispatch", lead_unit=LEAD)
    act(platform, "cgj_handler", case_id, "return", reason="测试退单")
    assert unread(platform, "dispatcher1") == min(before + 1, UNREAD_CAP)
    # Not addressed to operators, nor to the unit that returned it.
    rows = as_user(platform, "operator1", lambda s, c: inbox(s, c.actor, limit=200))
    assert all(m.case_id != case_id for m in rows)


def test_the_count_label_is_capped() -> None:
    assert count_label(3) == "3"
    assert count_label(UNREAD_CAP) == "99+"
