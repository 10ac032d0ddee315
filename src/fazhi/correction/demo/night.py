"""The scheduler's night work done inside the demo's one transaction: close a subject's
daily windows that ran out (the missed check-ins, `actions.schedule.do_tick_clocks` with the
type's expire action) and run the anomaly rule on the case, taking what it owes through the
one door as the platform's account — the same steps `fazhi schedule run` takes, at the
demo's chosen instant (it cannot run the scheduler itself: that opens transactions of its
own, and the demo's single transaction holds SQLite's one writer)."""

from __future__ import annotations

from datetime import datetime

from fazhi.actions.cases import perform_action, snapshot
from fazhi.actions.context import ActionContext
from fazhi.actions.demo_desk import Desk
from fazhi.actions.schedule import do_tick_clocks
from fazhi.actions.system_account import system_actor_in
from fazhi.domain.clocks import plan_clock_tick
from fazhi.domain.hooks import RuleContext, rule_hook
from fazhi.store.models import Case


def night(desk: Desk, case_id: int, when: datetime, rule: str | None = None) -> int:
    """Tick the case's repeating clocks at `when`, then run `rule`; answers actions taken."""
    session, platform = desk.session, desk.platform
    ctx = ActionContext(platform, system_actor_in(session, platform), when)
    case = session.get(Case, case_id)
    if case is None or case.terminal:
        return 0
    case_type = platform.types.get(case.type)
    assert case_type is not None
    taken = 0
    tick = plan_clock_tick(
        case_type, snapshot(session, case, ctx.directory), when, platform.calendar()
    )
    if not tick.empty:
        do_tick_clocks(session, ctx, case, tick)
        for item in tick.actions:
            perform_action(session, ctx, case_id, item.action, dict(item.inputs))
            taken += 1
    hook = rule_hook(rule) if rule else None
    if hook is not None:
        case = session.get(Case, case_id)
        assert case is not None
        view = snapshot(session, case, ctx.directory)
        for item in hook(RuleContext(view, when, platform.calendar())):
            perform_action(session, ctx, case_id, item.action, dict(item.inputs))
            taken += 1
    return taken
