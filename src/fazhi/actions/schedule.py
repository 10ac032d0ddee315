"""The scheduler: repeating windows that ran out, and the rules types run on a timer.

`fazhi schedule run` calls `run_schedules` (a cron job or a systemd timer runs it every few
minutes; it is idempotent, so running it late or twice does no harm):

1. For every open case of a type with a repeating clock (a daily check-in), the pure
   `plan_clock_tick` says which windows ran out; `do_tick_clocks` closes them as missed,
   records the windows nobody looked at, opens the current one and appends ONE event
   (`clocks_ticked`) — then each owed `expire_action` is taken through the one door, in
   the same transaction (with the missed window's day when the clock names an
   `expire_input`).
2. For every schedule of a type whose period has come round, its rule hook looks at each
   open case and returns the system actions to take; each goes through `perform_action`.

Each case is handled in its own transaction, so one refusal (a hook asking for an action
the case's state does not allow) is reported and does not undo the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fazhi.actions.case_state import write_clock_changes
from fazhi.actions.cases import ActionContext, perform_action, snapshot
from fazhi.actions.daily import run_daily
from fazhi.actions.platform import Platform
from fazhi.actions.trail import append_event
from fazhi.domain.case_type import CaseType, ScheduleSpec
from fazhi.domain.clocks import TickPlan, plan_clock_tick
from fazhi.domain.errors import DomainError
from fazhi.domain.hooks import RuleContext, ScheduledAction, rule_hook
from fazhi.domain.records import ClockRecord
from fazhi.domain.schedules import schedule_due
from fazhi.domain.units import Actor
from fazhi.store.db import transaction
from fazhi.store.models import Case, ScheduleRun

TICK_ACTION = "clocks_ticked"
_PAGE = 500


@dataclass
class ScheduleReport:
    """What one run did: cases ticked, actions taken, and refusals with their case ids."""

    ticked: int = 0
    actions: int = 0
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # case, action, message
    anchored: bool = False  # the day's anchor of the chain heads was written (actions.daily)
    anonymised: int = 0  # cases past retention anonymised (actions.retention)


def _open_case_ids(session: Session, region: str, type_name: str) -> Iterator[int]:
    """Open cases of a type, in id order, a keyset page at a time (bounded memory)."""
    last = 0
    while True:
        ids = session.scalars(
            select(Case.id)
            .where(
                Case.region_code == region,
                Case.type == type_name,
                Case.terminal.is_(False),
                Case.id > last,
            )
            .order_by(Case.id)
            .limit(_PAGE)
        ).all()
        if not ids:
            return
        yield from ids
        last = ids[-1]


def _clock_brief(clock: ClockRecord) -> dict[str, Any]:
    return {"name": clock.name, "window": clock.window, "due_at": clock.due_at.isoformat()}


def do_tick_clocks(session: Session, ctx: ActionContext, case: Case, tick: TickPlan) -> None:
    """Write a tick: close the windows that ran out (missed), record the ones nobody looked
    at, open the current ones, move the case's nearest deadline, and append one event.

    Preconditions: `case` was loaded in this transaction by a system actor, `tick` is
    `plan_clock_tick` on its snapshot at `ctx.now`, and `tick.empty` is false."""
    # A tick bumps the version like any change: a form opened before it answers 409 rather
    # than acting on a window that has since closed.
    conn = session.connection()
    result = conn.execute(
        update(Case)
        .where(
            Case.region_code == case.region_code,
            Case.id == case.id,
            Case.version == case.version,
        )
        .values(version=case.version + 1, due_at=tick.next_due, updated_at=ctx.now)
    )
    if result.rowcount != 1:
        raise DomainError("version_conflict", "案件已被他人同时更新，请稍后重试", 409)
    write_clock_changes(
        session,
        case.id,
        case.region_code,
        stopped=tick.stopped,
        new=(*tick.recorded, *tick.started),
    )
    payload = {
        "clocks": {
            "stopped": [
                {"name": c.name, "window": c.window, "met": False}
                for c in (*tick.stopped, *tick.recorded)
            ],
            "started": [_clock_brief(c) for c in tick.started],
        }
    }
    if tick.skipped:  # windows past the rule's catch-up bound: closed, not owed — said so
        payload["clocks"]["skipped"] = [s.brief() for s in tick.skipped]
    append_event(
        session,
        case.id,
        TICK_ACTION,
        ctx,
        case.state,
        case.state,
        payload,
        case_type=ctx.platform.types.get(case.type),
    )
    case.version += 1


def _take(
    platform: Platform,
    actor: Actor,
    now: datetime,
    case_id: int,
    owed: list[ScheduledAction],
    report: ScheduleReport,
) -> None:
    for item in owed:
        try:
            with transaction(platform.sessions) as session:
                perform_action(
                    session,
                    ActionContext(platform, actor, now),
                    case_id,
                    item.action,
                    dict(item.inputs),
                )
            report.actions += 1
        except DomainError as exc:
            report.refused.append((case_id, item.action, exc.message))


def _tick_case(
    platform: Platform,
    actor: Actor,
    now: datetime,
    case_type: CaseType,
    case_id: int,
    report: ScheduleReport,
) -> None:
    ctx = ActionContext(platform, actor, now)
    with transaction(platform.sessions) as session:
        case = session.get(Case, case_id)
        if case is None or case.terminal:
            return
        tick = plan_clock_tick(
            case_type, snapshot(session, case, ctx.directory), now, platform.calendar()
        )
        if tick.empty:
            return
        do_tick_clocks(session, ctx, case, tick)
        report.ticked += 1
        # The expire actions join the tick's transaction, each in a savepoint (a refusal is
        # reported and undoes neither the tick nor the others): a window closed as missed
        # always has its action taken, exactly once — a crash cannot keep one and lose the
        # other, and the next run finds nothing to close again.
        for item in tick.actions:
            try:
                with session.begin_nested():
                    perform_action(session, ctx, case_id, item.action, dict(item.inputs))
                report.actions += 1
            except DomainError as exc:
                report.refused.append((case_id, item.action, exc.message))


def _run_rule(
    platform: Platform,
    actor: Actor,
    now: datetime,
    case_type: CaseType,
    rule: str,
    case_id: int,
    report: ScheduleReport,
) -> None:
    hook = rule_hook(rule)
    if hook is None:
        raise DomainError("unknown_rule_hook", f"没有注册规则 {rule}", 500)
    with platform.sessions() as session:
        case = session.get(Case, case_id)
        if case is None or case.terminal:
            return
        view = snapshot(session, case, platform.directory())
    owed = hook(RuleContext(view, now, platform.calendar()))
    _take(platform, actor, now, case_id, owed, report)


def has_repeating_clock(case_type: CaseType) -> bool:
    return any(c.repeat is not None for c in case_type.clocks)


def run_schedules(
    platform: Platform, actor: Actor, now: datetime, rules: bool = True
) -> ScheduleReport:
    """One pass of the scheduler over the actor's region (see the module docstring).

    `actor` is the platform's system account (a holder of the `system` role); every change
    it makes carries it in the trail. `rules=False` only ticks the repeating clocks."""
    report = ScheduleReport()
    for case_type in platform.types:
        repeating = has_repeating_clock(case_type)
        schedules = _due_schedules(platform, actor.region_code, case_type, now) if rules else ()
        if not (repeating or schedules):
            continue
        with platform.sessions() as session:
            ids = list(_open_case_ids(session, actor.region_code, case_type.name))
        for case_id in ids:
            if repeating:
                _tick_case(platform, actor, now, case_type, case_id, report)
            for schedule in schedules:
                _run_rule(platform, actor, now, case_type, schedule.rule, case_id, report)
        if schedules:
            _record_runs(platform, actor.region_code, case_type, schedules, now)
    if rules:
        daily = run_daily(platform, actor, now)
        report.anchored, report.anonymised = daily.anchored, daily.anonymised
    return report


def _due_schedules(
    platform: Platform, region: str, case_type: CaseType, now: datetime
) -> tuple[ScheduleSpec, ...]:
    if not case_type.schedules:
        return ()
    with platform.sessions() as session:
        last = dict(
            session.execute(
                select(ScheduleRun.schedule, ScheduleRun.ran_at).where(
                    ScheduleRun.region_code == region, ScheduleRun.case_type == case_type.name
                )
            ).all()
        )
    calendar = platform.calendar()
    return tuple(
        s for s in case_type.schedules if schedule_due(last.get(s.name), s.every, now, calendar)
    )


def _record_runs(
    platform: Platform,
    region: str,
    case_type: CaseType,
    schedules: tuple[ScheduleSpec, ...],
    now: datetime,
) -> None:
    with transaction(platform.sessions) as session:
        for spec in schedules:
            key = (region, case_type.name, spec.name)
            row = session.get(ScheduleRun, key)
            if row is None:
                session.add(
                    ScheduleRun(
                        region_code=region, case_type=case_type.name, schedule=spec.name, ran_at=now
                    )
                )
            else:
                row.ran_at = now
