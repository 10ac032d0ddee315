"""A call from a phone that called within the last 30 days is a repeat call: decided at
registration by an index lookup on a one-way key of the phone, and counted against each
unit the order is dispatched to. Repeat detection is per type: only types that declare
`repeat_calls:` keep a key, and a phone is a repeat only of cases of its own type."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import select

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext, create_case, perform_action
from fazhi.actions.platform import Platform
from fazhi.catalog.registry import load_case_types
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


# ---------------------------------------------------------------------------------------------
# Per type: only types that declare `repeat_calls:`, and only against cases of the same type

MEDIATION_LIKE = """
type: mediation_like
label: 调解申请（测试类型）
number_prefix: TJ
visibility: {roles: [unit_handler, operator, dispatcher, admin]}
title_field: summary
repeat_calls: {field: applicant_phone, window: 30cd}
fields:
  summary: {type: text, label: 纠纷概要, required: true}
  applicant_phone: {type: phone, label: 申请人电话, personal: phone}
states:
  applied: {label: 已申请}
  closed: {label: 已结案, terminal: true}
actions:
  apply:
    label: 申请
    create: true
    to: applied
    roles: [unit_handler]
    effects: {assign_lead: actor_unit}
  conclude: {label: 结案, from: [applied], to: closed, roles: [unit_handler], party: lead_unit}
"""
NO_REPEATS = """
type: letter_like
label: 来信（测试类型）
number_prefix: LX
visibility: {roles: [unit_handler, operator, dispatcher, admin]}
title_field: summary
fields:
  summary: {type: text, label: 来信内容, required: true}
  writer_phone: {type: phone, label: 来信人电话, personal: phone}
states:
  open: {label: 办理中}
actions:
  receive:
    {label: 收信, create: true, to: open, roles: [unit_handler], effects: {assign_lead: actor_unit}}
"""


@pytest.fixture(scope="module")
def with_extra_types(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> Platform:
    """The suite's database with two more types loaded from a deployment folder."""
    folder = tmp_path_factory.mktemp("types")
    (folder / "mediation_like.yaml").write_text(MEDIATION_LIKE, encoding="utf-8")
    (folder / "letter_like.yaml").write_text(NO_REPEATS, encoding="utf-8")
    return replace(platform, types=load_case_types(folder), base_types=None)


def _create(platform: Platform, type_name: str, fields: dict[str, str], at: datetime) -> Case:
    actor = _actor(platform, "tx_handler" if type_name != "hotline" else "operator1")
    with transaction(platform.sessions) as session:
        return create_case(session, ActionContext(platform, actor, at), type_name, fields)


def _flags(platform: Platform, *cases: Case) -> list[tuple[bool, bool]]:
    with platform.sessions() as session:
        rows = dict(
            session.execute(
                select(Case.id, Case.contact_key).where(Case.id.in_([c.id for c in cases]))
            ).all()
        )
        repeat = dict(
            session.execute(
                select(Case.id, Case.repeat_call).where(Case.id.in_([c.id for c in cases]))
            ).all()
        )
    return [(rows[c.id] is not None, repeat[c.id]) for c in cases]


def test_another_types_phone_does_not_make_the_next_hotline_call_a_repeat(
    with_extra_types: Platform,
) -> None:
    phone = "17055501004"
    day = datetime(2025, 8, 4, 9, tzinfo=LOCAL_TZ)
    mediation = _create(
        with_extra_types,
        "mediation_like",
        {"summary": "邻里漏水纠纷（测试合成数据）", "applicant_phone": phone},
        day,
    )
    call = _create(
        with_extra_types,
        "hotline",
        {
            "request_kind": "complaint",
            "category": "PROPERTY_MGMT",
            "content": "楼上漏水（重复来电测试，合成数据）",
            "caller_phone": phone,
        },
        day.replace(hour=10),
    )
    again = _create(
        with_extra_types,
        "mediation_like",
        {"summary": "同一纠纷再次申请（测试合成数据）", "applicant_phone": phone},
        day.replace(hour=11),
    )
    # Each type keeps its own callers: the hotline order is a first call, the second
    # mediation application is a repeat of the first.
    assert _flags(with_extra_types, mediation, call, again) == [
        (True, False),
        (True, False),
        (True, True),
    ]


def test_a_type_without_repeat_calls_keeps_no_contact_key(with_extra_types: Platform) -> None:
    day = datetime(2025, 8, 5, 9, tzinfo=LOCAL_TZ)
    fields = {"summary": "来信（测试合成数据）", "writer_phone": "17055501005"}
    first = _create(with_extra_types, "letter_like", fields, day)
    second = _create(with_extra_types, "letter_like", fields, day.replace(hour=10))
    assert _flags(with_extra_types, first, second) == [(False, False), (False, False)]
