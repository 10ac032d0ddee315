"""Which rollup counters an event adds to (DESIGN §6): a pure mapping over the type's own
metric declarations (`metrics:` in the type file, `MetricSpec`), no I/O.

The actions call `metric_deltas` right after appending an event and add each (metric, n) to
the `rollup_daily` row of the event's local day and the case's dimensions *as the action
leaves them* (lead unit, category, grid). `fazhi analytics rebuild` calls the same function
with facts read back from the stored events, so a rebuilt table equals the live one.

The engine names no metric, action or clock of any type: a metric counts an event when every
condition its declaration states holds (see `MetricSpec`):

- `on`: the action is one of these; `create`: the event created the case; `terminal`: the
  case entered a terminal state with this event (from a non-terminal one, or at creation);
- `clock` (+ `met`): this action stopped that clock, met (`met: true`) or missed (`false`);
- `field` + `values`: the field, as the action leaves the case, has one of the values;
- `case_flag`: that flag of the case is set (e.g. `repeat_call`, decided at registration);
- `never_late`: no clock of that name of the case ever stopped after its due time — the one
  fact that needs a lookup, asked for only when the rest of the metric already holds.

It adds 1, or with `sum` the field's value (money in fen, other numbers as integers), or with
`elapsed: working_days` the working days from the case's creation day to the event's day
(the calendar is the caller's: `dated_deltas(..., workdays=...)`); with `by` the counter is
`name:value`, one per value of that field.

`day` says which day's cell receives the count (`counting_day`): the event's local day, or
with `day: created` the local day the case was created. Such a cohort counter summed over a
period counts what happened to the cases *received* in the period ("received in 2023 and
concluded"), where the day-of-event counters count what happened in the period to any case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from fazhi.domain.calendar import CalendarYearUnknown, WorkCalendar
from fazhi.domain.case_type.spec import MAX_METRIC_NAME, ActionSpec, CaseType, MetricSpec

# Working days d with a < d <= b (WorkCalendar.workdays_between).
Workdays = Callable[[date, date], int]


@dataclass(frozen=True)
class RollupFacts:
    """What the mapping needs to know about one event.

    `stopped` lists (clock name, met) for the clocks this action stopped; `fields` are the
    case's fields as the action leaves them; `flags` the case's flags (`case_flag`); `late`
    says, per clock name asked for by a `never_late` metric, whether any clock of that name
    of the case has stopped late (filled in by the caller from `late_clocks_needed`).
    """

    action: str
    created: bool
    from_terminal: bool
    to_terminal: bool
    stopped: Sequence[tuple[str, bool]] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)
    flags: Mapping[str, bool] = field(default_factory=dict)
    late: Mapping[str, bool] = field(default_factory=dict)

    @property
    def closes(self) -> bool:
        return self.to_terminal and not self.from_terminal


def _clock_holds(metric: MetricSpec, facts: RollupFacts) -> bool:
    if metric.clock is None:
        return True
    results = [met for name, met in facts.stopped if name == metric.clock]
    if not results:
        return False  # the action did not stop this clock
    return metric.met is None or any(met is metric.met for met in results)


def _holds_without_lateness(metric: MetricSpec, facts: RollupFacts) -> bool:
    """Every condition of the metric except `never_late`."""
    if metric.on and facts.action not in metric.on:
        return False
    if metric.create and not facts.created:
        return False
    if metric.terminal and not facts.closes:
        return False
    if not _clock_holds(metric, facts):
        return False
    if metric.field is not None and facts.fields.get(metric.field) not in metric.values:
        return False
    return metric.case_flag is None or bool(facts.flags.get(metric.case_flag))


def late_clocks_needed(metrics: Iterable[MetricSpec], facts: RollupFacts) -> frozenset[str]:
    """The clock names whose lateness the caller must look up for this event: those of the
    `never_late` metrics whose other conditions hold (usually only when a case closes)."""
    return frozenset(
        m.never_late
        for m in metrics
        if m.never_late is not None and _holds_without_lateness(m, facts)
    )


def fen(value: Any) -> int | None:
    """A money value ("1234.50", 1234.5) in fen; None when it is not a number."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite():
        return None
    return int((amount * 100).to_integral_value())


def weekdays_between(a: date, b: date) -> int:
    """Mondays to Fridays d with a < d <= b (b >= a): the working days of a year whose holiday
    notice is not known, so a duration is still counted, if without the holidays."""
    days = (b - a).days
    whole, rest = divmod(days, 7)
    return whole * 5 + sum(1 for i in range(1, rest + 1) if (a + timedelta(days=i)).weekday() < 5)


def elapsed_workdays(calendar: WorkCalendar) -> Workdays:
    """The calendar's working days between two days, Mon–Fri for a year it does not know."""

    def count(a: date, b: date) -> int:
        if b <= a:
            return 0
        try:
            return calendar.workdays_between(a, b)
        except CalendarYearUnknown:
            return weekdays_between(a, b)

    return count


def _amount(
    metric: MetricSpec,
    case_type: CaseType | None,
    facts: RollupFacts,
    elapsed: Callable[[], int] | None,
) -> int | None:
    """What the event adds to the metric; None when it cannot say (an `elapsed` metric
    without the days and calendar to count them)."""
    if metric.elapsed is not None:
        return elapsed() if elapsed is not None else None
    if metric.sum is None:
        return 1
    value = facts.fields.get(metric.sum)
    if value is None or value == "" or isinstance(value, bool):
        return 0
    spec = case_type.field(metric.sum) if case_type else None
    if spec is not None and spec.type == "money":
        return fen(value) or 0
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return 0


def counter_name(metric: MetricSpec, facts: RollupFacts) -> str | None:
    """The counter an event adds to for `metric`: its name, or `name:value` with `by`."""
    if metric.by is None:
        return metric.name
    value = facts.fields.get(metric.by)
    if value is None or value == "":
        return None
    return f"{metric.name}:{value}"[:MAX_METRIC_NAME]


def _counts(
    metrics: Sequence[MetricSpec],
    facts: RollupFacts,
    case_type: CaseType | None,
    elapsed: Callable[[], int] | None = None,
) -> Iterator[tuple[MetricSpec, str, int]]:
    """(metric, counter, amount) of every metric the event counts for, in declaration order;
    `elapsed` gives the working days since the case was created (for `elapsed` metrics)."""
    for metric in metrics:
        if not _holds_without_lateness(metric, facts):
            continue
        if metric.never_late is not None and facts.late.get(metric.never_late, False):
            continue
        name = counter_name(metric, facts)
        if name is None:
            continue
        amount = _amount(metric, case_type, facts, elapsed)
        if amount is not None:
            yield metric, name, amount


def metric_deltas(
    metrics: Sequence[MetricSpec], facts: RollupFacts, case_type: CaseType | None = None
) -> list[tuple[str, int]]:
    """The counters this event adds to with their amounts, in declaration order, no
    duplicates and no zeros. `case_type` tells money fields (summed in fen) from numbers.
    Without the event's days, `elapsed` metrics are left out (`dated_deltas` counts them)."""
    out: dict[str, int] = {}
    for _, name, n in _counts(metrics, facts, case_type):
        out[name] = out.get(name, 0) + n
    return [(name, n) for name, n in out.items() if n]


def counting_day(metric: MetricSpec, event_day: date, created_day: date) -> date:
    """The day whose cell receives the metric's count of an event (`MetricSpec.day`)."""
    return created_day if metric.day == "created" else event_day


def dated_deltas(
    metrics: Sequence[MetricSpec],
    facts: RollupFacts,
    case_type: CaseType | None,
    event_day: date,
    created_day: date,
    workdays: Workdays | None = None,
) -> list[tuple[date, str, int]]:
    """`metric_deltas` with the day each counter is filed under: the event's local day, or
    the case's creation day for a `day: created` metric. What the live count, the rebuild and
    the ledgers all use, so the three agree. `workdays` counts an `elapsed` metric's working
    days (without it such metrics are left out)."""
    out: dict[tuple[date, str], int] = {}
    elapsed = (lambda: workdays(created_day, event_day)) if workdays is not None else None
    for metric, name, n in _counts(metrics, facts, case_type, elapsed):
        key = (counting_day(metric, event_day, created_day), name)
        out[key] = out.get(key, 0) + n
    return [(day, name, n) for (day, name), n in out.items() if n]


# ---------------------------------------------------------------------------------------------
# Derived from the declarations: what the analytics pages count as a type's volume


def _assigns_lead(actions: Iterable[ActionSpec]) -> bool:
    found = list(actions)
    return bool(found) and all(a.effects.assign_lead for a in found)


def _plain(metric: MetricSpec) -> bool:
    """Counts events of its actions on their own day, whatever they hold (no clock, field,
    flag, sum, cohort day …)."""
    return not (
        metric.terminal
        or metric.clock
        or metric.field
        or metric.case_flag
        or metric.sum
        or metric.by
        or metric.never_late
        or metric.elapsed
        or metric.day != "event"
    )


def volume_metric(case_type: CaseType, unit_scope: bool) -> str | None:
    """The counter of cases coming in: region-wide, the first plain `create` metric; for a
    unit's subtree, the first plain metric whose events all assign a lead unit (a case
    counts for the unit it is given to — registration may have no unit yet)."""
    plain = [m for m in case_type.metrics if _plain(m)]
    for metric in plain:
        actions = (
            [a for a in case_type.create_actions if not metric.on or a.name in metric.on]
            if metric.create
            else [a for a in case_type.actions if a.name in metric.on]
        )
        if not actions:
            continue
        if not unit_scope and metric.create:
            return metric.name
        if unit_scope and _assigns_lead(actions):
            return metric.name
    return None
