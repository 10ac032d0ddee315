"""A call from a phone that called within the last 30 days is a repeat call: decided at
registration by an index lookup on a one-way key of the phone, and counted against each
unit the order is dispatched to."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext, create_case, perform_action
from fazhi.actions.platform import Platform
from fazhi.domain.durations import LOCAL_TZ
from fazhi.store.db import transaction
from fazhi.store.models import Case, RollupDaily, User

# Phones no other test uses, in a week no other test touches.
FIRST, SECOND = "17055501001", "17055501002"
LEAD = "SF-ZJJ"


def _actor(platform: Platform, username: str):  # type: ignore[no-untyped-def]
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(platform, user)


def _register_and_dispatch(platform: Platform, phone: str, at: datetime) -> Case:
    operator, dispatcher = _actor(platform, "operator1"), _actor(platform, "dispatcher1")
    with transaction(platform.sessions) as session:
        case = create_case(
            session,
            ActionContext(platform, operator, at),
            "hotline",
            {
                "request_kind": "complaint",
                "category": "PROPERTY_MGMT",
                "content": "电梯又坏了（重复来电测试，合成数据）",
                "caller_phone": phone,
            },
        )
        perform_action(
            session,
            ActionContext(platform, dispatcher, at),
            case.id,
            "dispatch",
            {"lead_unit": LEAD},
        )
        return case


def test_a_second_call_within_30_days_is_a_repeat_and_counts_for_the_unit(
    platform: Platform,
) -> None:
    first = _register_and_dispatch(platform, FIRST, datetime(2025, 7, 7, 9, tzinfo=LOCAL_TZ))
    again = _register_and_dispatch(platform, FIRST, datetime(2025, 7, 9, 9, tzinfo=LOCAL_TZ))
    other = _register_and_dispatch(platform, SECOND, datetime(2025, 7, 9, 10, tzinfo=LOCAL_TZ))
    with platform.sessions() as session:
        flags = dict(
            session.execute(
                select(Case.id, Case.repeat_call).where(Case.id.in_([first.id, again.id, other.id]))
            ).all()
        )
        assert flags == {first.id: False, again.id: True, other.id: False}
        # The key is one-way: the phone itself is not in it.
        keys = session.scalars(select(Case.contact_key).where(Case.id == again.id)).all()
        assert keys and FIRST not in keys[0]
        unit_id = platform.directory().by_code[LEAD].id
        counted = session.execute(
            select(RollupDaily.day, RollupDaily.value).where(
                RollupDaily.metric == "repeat_caller",
                RollupDaily.lead_unit_id == unit_id,
                RollupDaily.day.between(date(2025, 7, 7), date(2025, 7, 11)),
            )
        ).all()
    assert counted == [(date(2025, 7, 9), 1)]


def test_a_call_after_more_than_30_days_is_not_a_repeat(platform: Platform) -> None:
    phone = "17055501003"
    _register_and_dispatch(platform, phone, datetime(2025, 5, 5, 9, tzinfo=LOCAL_TZ))
    late = _register_and_dispatch(platform, phone, datetime(2025, 6, 9, 9, tzinfo=LOCAL_TZ))
    with platform.sessions() as session:
        assert session.scalar(select(Case.repeat_call).where(Case.id == late.id)) is False
