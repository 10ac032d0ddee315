"""Clocks kept in storage: a suspended limit keeps the time used and runs on after
resumption across holidays; a daily check-in window closes as met on a check-in, and the
scheduler closes missed windows, takes the type's expire action and runs its rules — each
change through the one door, with its event."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import select

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext, create_case, perform_action
from fazhi.actions.platform import Platform
from fazhi.actions.schedule import run_schedules
from fazhi.catalog.registry import load_case_types
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.hooks import RuleContext, ScheduledAction, register_rule
from fazhi.domain.units import Actor
from fazhi.store.db import transaction
from fazhi.store.models import Case, Clock, Event, User

PERMIT = """
type: permit_like
label: 许可申请（测试类型）
number_prefix: XK
visibility: {roles: [unit_handler, admin]}
title_field: summary
fields:
  summary: {type: text, label: 申请事项, required: true}
states:
  open: {label: 审查中}
  done: {label: 已决定, terminal: true}
actions:
  apply:
    {label: 申请, create: true, to: open, roles: [unit_handler], effects: {assign_lead: actor_unit}}
  suspend: {label: 中止, from: [open], roles: [unit_handler], party: lead_unit}
  resume: {label: 恢复, from: [open], roles: [unit_handler], party: lead_unit}
  decide: {label: 决定, from: [open], to: done, roles: [unit_handler], party: lead_unit}
clocks:
  review:
    label: 审查期限
    basis: 测试规则：20个工作日，中止期间不计
    primary: true
    start: [apply]
    stop: [decide]
    suspend: [suspend]
    resume: [resume]
    limit: 20wd
"""

CHECKIN = """
type: checkin_like
label: 每日报到（测试类型）
number_prefix: BD
visibility: {roles: [unit_handler, admin]}
title_field: subject
fields:
  subject: {type: string, label: 报到对象, required: true}
  missed: {type: int, label: 漏报次数, internal: true}
  flagged: {type: bool, label: 已提醒, internal: true}
states:
  supervising: {label: 报到中}
  released: {label: 已解除, terminal: true}
actions:
  enrol:
    label: 登记
    create: true
    to: supervising
    roles: [unit_handler]
    effects: {assign_lead: actor_unit}
  check_in: {label: 报到, from: [supervising], roles: [unit_handler]}
  miss_check_in:
    {label: 记录漏报, from: [supervising], system: true, effects: {increment: [missed]}}
  flag:
    label: 漏报提醒
    from: [supervising]
    system: true
    inputs: {note: {type: text, label: 说明, required: true}}
    effects: {set: {flagged: {value: true}}}
  release: {label: 解除, from: [supervising], to: released, roles: [unit_handler]}
clocks:
  check_in:
    label: 每日报到
    basis: 测试规则：每日报到一次
    start: [enrol]
    stop: [release]
    limit: 1cd
    repeat: {every: 1cd, close_on: [check_in], expire_action: miss_check_in}
schedules:
  flag_missed: {label: 漏报提醒, every: 1cd, rule: test_flag_twice_missed}
"""


@register_rule("test_flag_twice_missed")
def flag_twice_missed(ctx: RuleContext) -> list[ScheduledAction]:
    """Flag a subject who missed two check-ins, once."""
    fields = ctx.case.fields
    if int(fields.get("missed") or 0) >= 2 and not fields.get("flagged"):
        return [ScheduledAction("flag", {"note": "已两次未按时报到"})]
    return []


@pytest.fixture(scope="module")
def typed(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> Platform:
    folder = tmp_path_factory.mktemp("clock_types")
    (folder / "permit_like.yaml").write_text(PERMIT, encoding="utf-8")
    (folder / "checkin_like.yaml").write_text(CHECKIN, encoding="utf-8")
    return replace(platform, types=load_case_types(folder), base_types=None)


def _actor(platform: Platform, username: str) -> Actor:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(platform, user)


@pytest.fixture(scope="module")
def system(typed: Platform) -> Actor:
    """The platform's own account, as `fazhi schedule run` uses it."""
    admin = _actor(typed, "admin")
    with transaction(typed.sessions) as session:
        user = session.scalar(select(User).where(User.username == "test_scheduler"))
        if user is None:
            user = User(
                region_code=admin.region_code,
                username="test_scheduler",
                display_name="调度程序（测试）",
                role="system",
                unit_id=admin.unit.id,
                password_hash="!",
                active=True,
            )
            session.add(user)
            session.flush()
        user_id = user.id
    return replace(admin, user_id=user_id, username="test_scheduler", role="system")


def _at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=LOCAL_TZ)


def _act(platform: Platform, actor: Actor, at: datetime, case_id: int, action: str) -> Case:
    with transaction(platform.sessions) as session:
        return perform_action(session, ActionContext(platform, actor, at), case_id, action, {})


def _clocks(platform: Platform, case_id: int) -> list[Clock]:
    with platform.sessions() as session:
        return list(
            session.scalars(select(Clock).where(Clock.case_id == case_id).order_by(Clock.id))
        )


def test_a_suspension_across_national_day_keeps_the_working_days_already_used(
    typed: Platform,
) -> None:
    handler = _actor(typed, "tx_handler")
    with transaction(typed.sessions) as session:
        case = create_case(
            session,
            ActionContext(typed, handler, _at("2023-09-11")),
            "permit_like",
            {"summary": "户外广告设置许可（合成数据）"},
        )
    # 20 working days from Mon 11 Sep 2023 would end on 13 Oct. Suspended on Mon 25 Sep,
    # 10 were used (12–15, 18–22, 25 Sep: the day of suspension counts as used); resumed on
    # Mon 9 Oct, the other 10 run from the 10th: 10–13 and 16–20 Oct are 9, 23 Oct the 10th.
    # The National Day holiday (29 Sep – 6 Oct) and its make-up days fall inside the pause.
    _act(typed, handler, _at("2023-09-25"), case.id, "suspend")
    with typed.sessions() as session:
        paused = session.get(Case, case.id)
        assert paused is not None and paused.due_at is None
    resumed = _act(typed, handler, _at("2023-10-09"), case.id, "resume")
    (clock,) = _clocks(typed, case.id)
    assert clock.due_at.astimezone(LOCAL_TZ).date().isoformat() == "2023-10-23"
    assert resumed.due_at == clock.due_at
    with typed.sessions() as session:
        actions = [
            (e.action, sorted(e.payload.get("clocks", {})))
            for e in session.scalars(
                select(Event).where(Event.case_id == case.id).order_by(Event.seq)
            )
        ]
    assert actions == [
        ("apply", ["started"]),
        ("suspend", ["suspended"]),
        ("resume", ["resumed"]),
    ]


def test_a_second_suspension_is_refused_in_chinese(typed: Platform) -> None:
    handler = _actor(typed, "tx_handler")
    with transaction(typed.sessions) as session:
        case = create_case(
            session,
            ActionContext(typed, handler, _at("2023-06-05")),
            "permit_like",
            {"summary": "占道施工许可（合成数据）"},
        )
    _act(typed, handler, _at("2023-06-06"), case.id, "suspend")
    with pytest.raises(Exception) as refused:
        _act(typed, handler, _at("2023-06-07"), case.id, "suspend")
    assert getattr(refused.value, "code", None) == "clock_not_running"


def test_daily_windows_are_met_by_a_check_in_and_missed_days_are_caught_up(
    typed: Platform, system: Actor
) -> None:
    handler = _actor(typed, "tx_handler")
    with transaction(typed.sessions) as session:
        case = create_case(
            session,
            ActionContext(typed, handler, _at("2023-07-03")),
            "checkin_like",
            {"subject": "报到对象甲（合成数据）"},
        )
    _act(typed, handler, _at("2023-07-03", 15), case.id, "check_in")  # window 1 met
    # Nobody checks in on 4, 5 or 6 July; the scheduler runs on the 7th at 01:00.
    report = run_schedules(typed, system, _at("2023-07-07", 1))
    # Other suites' cases may share the database (and this test's account sees no
    # restricted type): only this case's windows are this test's.
    assert [r for r in report.refused if r[0] == case.id] == []
    windows = [(c.window, c.stopped_at is not None) for c in _clocks(typed, case.id)]
    assert windows == [(1, True), (2, True), (3, True), (4, True), (5, False)]
    with typed.sessions() as session:
        row = session.get(Case, case.id)
        assert row is not None
        # Three missed windows: three expire actions, then the rule flags the subject once.
        assert row.fields["missed"] == 3 and row.fields["flagged"] is True
        due = row.due_at
        events = [
            e.action
            for e in session.scalars(
                select(Event).where(Event.case_id == case.id).order_by(Event.seq)
            )
        ]
    assert due is not None and due.astimezone(LOCAL_TZ).date().isoformat() == "2023-07-07"
    assert events == [
        "enrol",
        "check_in",
        "clocks_ticked",
        "miss_check_in",
        "miss_check_in",
        "miss_check_in",
        "flag",
    ]
    # Running again the same day changes nothing: windows, actions and rules are idempotent.
    again = run_schedules(typed, system, _at("2023-07-07", 2))
    mine = [r for r in again.refused if r[0] == case.id]
    assert (again.ticked, again.actions, mine) == (0, 0, [])
