"""Clock operations: start, stop, extend, suspend (中止), resume (恢复), repeating windows.

**Limits.** A clock's limit is counted from the day after its starting action (期间开始之日
不计算在内): `wd` counts working days, `cd` calendar days and `mo` months (民法典 第二百零二
条: the corresponding day, or the month's last day), each ending at 23:59:59 local time
and rolled forward past a last day that is not a working day; `h` and `min` run on the wall
clock from the starting instant.

**Suspension (中止) and resumption (恢复).** An action in a clock's `suspend` stops its
counting without closing it and records what is left of the limit in the clock's own unit:
- `wd`: the working days after the day of suspension up to the due date — the day of
  suspension counts as used, however early in the day the suspension came;
- `cd` and `mo`: the calendar days after the day of suspension up to the (rolled-forward)
  due date — a month-based limit becomes the concrete number of days it still had;
- `h` and `min`: the exact seconds from the instant of suspension to the due instant.
While suspended the clock's `due_at` is not a deadline (nothing counts it as the next due,
and it is not overdue — unless it was already late when suspended). An action in `resume`
sets `due_at = due_at(resumption instant, remaining)`: day-based rests count again from the
day after resumption (期间开始之日不计算在内), across holidays and make-up workdays as any
limit does; hour-based rests continue from the resuming instant. A clock with nothing left
is due at the resuming instant (or keeps its due date when it was late already). So the
time a clock grants never exceeds its limit: exactly the limit for `h`/`min`; for day-based
limits the day of suspension and the day of resumption are not granted twice.
Suspending a suspended clock is refused (`clock_not_running`), resuming a counting one too
(`clock_not_suspended`); an action naming a clock that is not open does nothing to it.
An extension of a suspended clock adds to its remaining (working days to a `wd` rest,
days to a `cd` rest, the days of N more months to a `mo` rest, the hours of N more working
days to an hour-based rest, measured from the due date it had); after a resumption an
extension of a day-based clock is counted from the resumption like the rest.

**Repeating windows** (`repeat:`). A start action opens window 1, from the starting instant
to 23:59:59 local of the last day of `every` (1cd: the same day; 1wd: the first working day
from that day on). An action in `close_on` closes the open window as met and opens the next,
from 00:00 local of the day after the window's last day — not at once, so a second `close_on`
action in the same window finds only a window that has not begun and is refused
(`window_already_met`). A window that ran out is closed as missed by `plan_clock_tick` (the
scheduler), which also opens every window after it up to the one of `now` and owes the
type's `expire_action` once per missed window (with the window's last day as the input the
rule's `expire_input` names); a `close_on` action that finds its window run out before the
scheduler came does the same catch-up (listing the expire actions as `follow_up`, which the
action layer takes at once) and then counts for the window of its own instant. Stop actions
end the series.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from fazhi.domain.calendar import CalendarYearUnknown, WorkCalendar
from fazhi.domain.case_type import ActionSpec, CaseType, ClockSpec, RepeatRule
from fazhi.domain.durations import (
    LOCAL_TZ,
    Duration,
    due_at,
    end_of_local_day,
    local_date,
    shift_months,
    start_of_local_day,
)
from fazhi.domain.errors import DomainError
from fazhi.domain.hooks import ScheduledAction
from fazhi.domain.records import CaseSnapshot, ClockRecord

_ONE_DAY = timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Single clocks


def start_clock(
    spec: ClockSpec, action: str, fields: Mapping[str, Any], now: datetime, calendar: WorkCalendar
) -> ClockRecord:
    """A new clock from `now`; a repeating clock opens its first window."""
    if spec.repeat is not None:
        every = spec.repeat.every
        return ClockRecord(
            name=spec.name,
            label=spec.label,
            basis=spec.basis,
            limit=str(every),
            started_at=now,
            due_at=window_due(now, every, calendar),
            start_action=action,
            window=1,
        )
    limit = spec.limit_for(action, fields)
    return ClockRecord(
        name=spec.name,
        label=spec.label,
        basis=spec.basis,
        limit=str(limit),
        started_at=now,
        due_at=due_at(now, limit, calendar),
        start_action=action,
    )


def remaining_at(clock: ClockRecord, now: datetime, calendar: WorkCalendar) -> Duration:
    """What is left of a counting clock's limit at `now`, in its own unit (never negative)."""
    unit = clock.unit
    if unit == "wd":
        left = calendar.workdays_between(local_date(now), local_date(clock.due_at))
        return Duration(max(0, left), "wd")
    if unit in ("cd", "mo"):
        return Duration(max(0, (local_date(clock.due_at) - local_date(now)).days), "cd")
    return Duration(max(0, math.floor((clock.due_at - now).total_seconds())), "s")


def suspend_clock(clock: ClockRecord, now: datetime, calendar: WorkCalendar) -> None:
    """中止: keep the time used, record the rest (the caller checked it is counting)."""
    clock.remaining = str(remaining_at(clock, now, calendar))
    clock.suspended_at = now


def resume_clock(clock: ClockRecord, now: datetime, calendar: WorkCalendar) -> None:
    """恢复: the rest of the limit runs on from `now` (the caller checked it is suspended)."""
    rest = Duration.parse(clock.remaining or "0s")
    late = clock.suspended_at is not None and clock.suspended_at > clock.due_at
    if rest.amount > 0:
        clock.due_at = due_at(now, rest, calendar)
    elif not late:
        clock.due_at = now
    clock.suspended_at = None
    clock.resumed_at = now
    clock.remaining = str(rest)


def _grow(
    rest: Duration, base: Duration, days: int, end: datetime, calendar: WorkCalendar
) -> Duration:
    """A rest (in the unit `remaining_at` gives) with `days` of extension added, measured
    from `end`, the due date the clock had."""
    if base.unit in ("wd", "cd"):
        return rest.plus(days)
    if base.unit == "mo":
        last = local_date(end)
        return rest.plus((shift_months(last, days) - last).days)
    later = due_at(end, Duration(days, "wd"), calendar)
    return rest.plus(math.floor((later - end).total_seconds()))


def extend_clock(clock: ClockRecord, days: int, calendar: WorkCalendar) -> None:
    """An approved extension of `days` (the caller checked the maximum)."""
    base = Duration.parse(clock.limit)
    clock.extended += days
    if clock.suspended:
        rest = Duration.parse(clock.remaining or "0s")
        clock.remaining = str(_grow(rest, base, days, clock.due_at, calendar))
    elif clock.resumed_at is not None and base.day_based:
        rest = _grow(Duration.parse(clock.remaining or "0wd"), base, days, clock.due_at, calendar)
        clock.remaining = str(rest)
        if rest.amount:
            clock.due_at = due_at(clock.resumed_at, rest, calendar)
    elif base.unit in ("s", "min", "h"):
        # Extensions are granted in days: an hour-based limit (urgent orders' 24 h) moves by
        # working days from its due date, not by `days` hours.
        clock.due_at = due_at(clock.due_at, Duration(days, "wd"), calendar)
    else:
        clock.due_at = due_at(clock.started_at, base.plus(clock.extended), calendar)


# ---------------------------------------------------------------------------------------------
# Repeating windows


def window_due(start: datetime, every: Duration, calendar: WorkCalendar) -> datetime:
    """The end of a window opened at `start`: 23:59:59 local of its last day."""
    if not every.day_based:
        return due_at(start, every, calendar)
    first = local_date(start)
    n = max(1, every.amount)
    if every.unit == "cd":
        last = first + timedelta(days=n - 1)
    elif every.unit == "wd":
        last = calendar.add_workdays(first - _ONE_DAY, n)
    else:
        last = shift_months(first, n) - _ONE_DAY
    return end_of_local_day(max(first, last))


def next_window(window: ClockRecord, every: Duration, calendar: WorkCalendar) -> ClockRecord:
    """The window after `window`: from 00:00 local of the day after its last day."""
    start = (
        start_of_local_day(local_date(window.due_at) + _ONE_DAY)
        if every.day_based
        else window.due_at
    )
    return ClockRecord(
        name=window.name,
        label=window.label,
        basis=window.basis,
        limit=window.limit,
        started_at=start,
        due_at=window_due(start, every, calendar),
        start_action=window.start_action,
        window=(window.window or 1) + 1,
    )


@dataclass(frozen=True)
class SkippedWindows:
    """Windows that ran out beyond the repeat rule's `catch_up` bound: closed as missed
    without their expire actions, and named in the event that closed them (a notice, never
    silence). `first`/`last` are window numbers, `from_day`/`to_day` their local days."""

    name: str
    first: int
    last: int
    from_day: str
    to_day: str

    def brief(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "windows": [self.first, self.last],
            "from": self.from_day,
            "to": self.to_day,
            "reason": "catch_up_bound",
        }


def _catch_up(
    window: ClockRecord, rule: RepeatRule, now: datetime, calendar: WorkCalendar
) -> tuple[list[ClockRecord], ClockRecord, list[ScheduledAction], SkippedWindows | None]:
    """After an open window that ran out by `now`: the windows that also ran out (new
    records, closed at `now` as missed), the window of `now`, the expire actions owed (one
    for `window` and one for each missed window) and, past the rule's `catch_up` bound, the
    older windows skipped: only the newest `catch_up` missed windows are owed and recorded
    (a scheduler stopped for months, or a demo's year served at today's date, does not
    flood the office with a year of misses; the notice says which were not)."""
    missed: list[ClockRecord] = []
    current = next_window(window, rule.every, calendar)
    while now > current.due_at:
        current.stopped_at = now
        missed.append(current)
        current = next_window(current, rule.every, calendar)
    every = [window, *missed]
    skipped = None
    if rule.catch_up is not None and len(every) > rule.catch_up:
        cut = len(every) - rule.catch_up
        old = every[:cut]
        skipped = SkippedWindows(
            window.name,
            old[0].window or 1,
            old[-1].window or 1,
            local_date(old[0].started_at).isoformat(),
            local_date(old[-1].due_at).isoformat(),
        )
        every = every[cut:]
        missed = [w for w in every if w is not window]
    owed = [a for w in every for a in _expired(rule, w)]
    return missed, current, owed, skipped


def _expired(rule: RepeatRule, window: ClockRecord) -> list[ScheduledAction]:
    """The expire action owed for a missed window (with its last day, when asked for)."""
    if not rule.expire_action:
        return []
    inputs = {rule.expire_input: local_date(window.due_at).isoformat()} if rule.expire_input else {}
    return [ScheduledAction(rule.expire_action, inputs)]


@dataclass
class TickPlan:
    """What the scheduler does to a case's repeating clocks at `now`.

    `stopped`: open windows that ran out, closed at `now` (missed) — copies of the case's
    records, with their ids; `recorded`: windows that opened and ran out while nobody
    looked, new records already closed as missed; `started`: the window of `now` for each
    such clock, new and open; `actions`: the expire actions to take, once per missed
    window, in order; `next_due`: the case's nearest deadline afterwards.
    """

    stopped: list[ClockRecord] = field(default_factory=list)
    recorded: list[ClockRecord] = field(default_factory=list)
    started: list[ClockRecord] = field(default_factory=list)
    actions: list[ScheduledAction] = field(default_factory=list)
    next_due: datetime | None = None
    skipped: list[SkippedWindows] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.stopped or self.started)


def next_due(
    clocks: Iterable[ClockRecord], periods: frozenset[str] = frozenset()
) -> datetime | None:
    """The nearest deadline of the clocks that count: suspended ones have none, and the
    `periods` (clocks with `deadline: false`) are no deadline at all."""
    return min((c.due_at for c in clocks if c.ticking and c.name not in periods), default=None)


def plan_clock_tick(
    case_type: CaseType, snapshot: CaseSnapshot, now: datetime, calendar: WorkCalendar
) -> TickPlan:
    """Close the repeating windows of a case that ran out by `now` and open the next ones.

    Pure: the snapshot is not changed; the scheduler writes the plan and takes its actions.
    """
    plan = TickPlan()
    closed: list[ClockRecord] = []
    try:
        for spec in case_type.clocks:
            rule = spec.repeat
            window = snapshot.running_clock(spec.name)
            if rule is None or window is None or window.suspended or now <= window.due_at:
                continue
            closed.append(window)
            plan.stopped.append(replace(window, stopped_at=now))
            missed, current, owed, skipped = _catch_up(window, rule, now, calendar)
            plan.recorded.extend(missed)
            plan.started.append(current)
            plan.actions.extend(owed)
            plan.skipped.extend([skipped] if skipped else [])
    except CalendarYearUnknown as exc:
        raise DomainError("calendar_year_unknown", str(exc), 422) from exc
    still = [c for c in snapshot.clocks if c.running and all(c is not x for x in closed)]
    plan.next_due = next_due([*still, *plan.started], case_type.periods)
    return plan


# ---------------------------------------------------------------------------------------------
# What an action does to the clocks


@dataclass
class ClockPlan:
    """The clock operations of one action (see Plan for what each list means)."""

    started: list[ClockRecord] = field(default_factory=list)
    stopped: list[ClockRecord] = field(default_factory=list)
    extended: list[ClockRecord] = field(default_factory=list)
    suspended: list[ClockRecord] = field(default_factory=list)
    resumed: list[ClockRecord] = field(default_factory=list)
    recorded: list[ClockRecord] = field(default_factory=list)
    follow_up: list[ScheduledAction] = field(default_factory=list)
    skipped: list[SkippedWindows] = field(default_factory=list)


def _stops(spec: ClockSpec, action: str) -> bool:
    return action in spec.stop or action in spec.start


def _extension_days(spec: ClockSpec, inputs: Mapping[str, Any]) -> int:
    return int(inputs.get(spec.extend.input) or 0) if spec.extend else 0


def _check(
    case: CaseSnapshot,
    action: ActionSpec,
    specs: tuple[ClockSpec, ...],
    inputs: Mapping[str, Any],
    now: datetime,
) -> None:
    """Refuse before anything changes: every clock operation of the action must be possible."""
    for spec in specs:
        clock = case.running_clock(spec.name)
        if clock is None or _stops(spec, action.name):
            continue
        extend = spec.extend
        if (
            extend
            and extend.action == action.name
            and clock.extended + _extension_days(spec, inputs) > extend.max_total
        ):
            raise DomainError(
                "extension_too_long",
                f"延期合计不能超过{extend.max_total}（{spec.label}）",
                422,
                extend.input,
            )
        if action.name in spec.suspend and clock.suspended:
            raise DomainError("clock_not_running", f"{spec.label}已中止计算，不能再次中止", 409)
        if action.name in spec.resume and clock.ticking:
            raise DomainError(
                "clock_not_suspended", f"{spec.label}正在计算，没有中止，无需恢复", 409
            )
        if spec.repeat and action.name in spec.repeat.close_on and clock.started_at > now:
            start = clock.started_at.astimezone(LOCAL_TZ)
            raise DomainError(
                "window_already_met",
                f"{spec.label}本期已完成，下一期自{start:%Y-%m-%d %H:%M}起",
                409,
            )


def _close_window(
    clock: ClockRecord, rule: RepeatRule, now: datetime, calendar: WorkCalendar, out: ClockPlan
) -> None:
    """A `close_on` action: the window of `now` is met, the next one opens."""
    clock.stopped_at = now
    out.stopped.append(clock)
    current = clock
    if now > clock.due_at:  # ran out before the scheduler closed it: catch up first
        missed, current, owed, skipped = _catch_up(clock, rule, now, calendar)
        current.stopped_at = now
        out.recorded.extend([*missed, current])
        out.follow_up.extend(owed)
        out.skipped.extend([skipped] if skipped else [])
    out.started.append(next_window(current, rule.every, calendar))


def plan_clocks(
    case_type: CaseType,
    action: ActionSpec,
    case: CaseSnapshot,
    fields: Mapping[str, Any],
    inputs: Mapping[str, Any],
    now: datetime,
    calendar: WorkCalendar,
) -> ClockPlan:
    """Every clock operation of `action`; the case's open clock records are changed in place
    (the Plan lists them), new ones are returned."""
    _check(case, action, case_type.clocks, inputs, now)
    out = ClockPlan()
    try:
        for spec in case_type.clocks:
            clock = case.running_clock(spec.name)
            if clock is not None and _stops(spec, action.name):
                clock.stopped_at = now
                out.stopped.append(clock)
                clock = None
            if clock is not None:
                if spec.extend and spec.extend.action == action.name:
                    extend_clock(clock, _extension_days(spec, inputs), calendar)
                    out.extended.append(clock)
                if action.name in spec.suspend:
                    suspend_clock(clock, now, calendar)
                    out.suspended.append(clock)
                if action.name in spec.resume:
                    resume_clock(clock, now, calendar)
                    out.resumed.append(clock)
                if spec.repeat and action.name in spec.repeat.close_on and clock.ticking:
                    _close_window(clock, spec.repeat, now, calendar, out)
            if action.name in spec.start:
                out.started.append(start_clock(spec, action.name, fields, now, calendar))
    except CalendarYearUnknown as exc:
        raise DomainError("calendar_year_unknown", str(exc), 422) from exc
    return out
