"""What a type feeds into the statistics (metrics, rates), its timed rules and repeat-call
rule, who may see it (visibility), and the roles of the roles catalog."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from fazhi.domain.durations import Duration

# The day a metric's count is filed under (`MetricSpec.day`).
MetricDay = Literal["event", "created"]
# What an `elapsed` metric adds: the time from the case's creation to the event.
MetricElapsed = Literal["working_days"]


@dataclass(frozen=True)
class MetricSpec:
    """A counter the type feeds (`metrics:`), kept in the rollups by the one door.

    An event adds to the metric when every declared condition holds: its action is one of
    `on` (or `create` and the event created the case, or `terminal` and the case entered a
    terminal state now); `clock` stopped by this action was met (`met: true`) or missed;
    `field` (as the action leaves the case) has one of `values`; `case_flag` (a current-state
    column such as repeat_call) is true. It adds 1, or the value of the money/number field
    `sum` (money in fen). `by` splits it into one counter per value of that field
    (`name:value`). `never_late` asks that no clock of that name ever stopped late (read
    from the case's clocks when the case closes).

    `day` says which day's cell the count goes to: `event` (the default) the local day of the
    event, `created` the local day the case was created — a cohort counter, so summing it over
    a period counts the events of the cases received in that period, whenever they happen
    (e.g. "received in the year and concluded").

    `elapsed: working_days` adds, instead of 1, the working days from the local day the case
    was created to the local day of the event (Mon–Fri where the holiday calendar does not
    know the year): a terminal one sums the handling time (办理时长) of the cases closed, so
    divided by their count it is the average handling time in working days.
    """

    name: str
    label: str
    on: tuple[str, ...] = ()
    create: bool = False
    terminal: bool = False
    clock: str | None = None
    met: bool | None = None
    field: str | None = None
    values: tuple[Any, ...] = ()
    case_flag: str | None = None
    sum: str | None = None
    by: str | None = None
    never_late: str | None = None
    day: MetricDay = "event"
    elapsed: MetricElapsed | None = None


@dataclass(frozen=True)
class RateSpec:
    """A ratio of two metrics shown with its formula (e.g. 按时办结率 = closed_on_time / closed).

    `formula` says it in words on the analytics pages; `weight` is its share of a unit's
    ranking score (0: shown, not scored); `lower_is_better` scores it as 1 − rate.
    """

    name: str
    label: str
    numerator: str
    denominator: str
    formula: str = ""
    weight: float = 0.0
    lower_is_better: bool = False


@dataclass(frozen=True)
class ScheduleSpec:
    """A rule the scheduler runs over the type's open cases every `every` (`fazhi schedule
    run`): the named rule hook returns the system actions to take, each through the one door."""

    name: str
    label: str
    every: Duration
    rule: str  # a rule hook registered in fazhi.domain.hooks


@dataclass(frozen=True)
class RepeatCallRule:
    """Repeat detection for the type: a case whose `field` (a phone) was seen on a case of
    the same type within `window` is flagged repeat_call at creation."""

    field: str
    window: Duration


@dataclass(frozen=True)
class Visibility:
    """Who may see the type's cases at all; restricted types record every read as an event;
    with `export_watermark`, every export holding one of its cases carries a line naming the
    user who took it and when (`fazhi.read.watermark`)."""

    roles: tuple[str, ...]
    sensitivity: Literal["normal", "restricted"] = "normal"
    export_watermark: bool = False


# ---------------------------------------------------------------------------------------------
# Roles (catalog/roles.yaml)


@dataclass(frozen=True)
class RoleSpec:
    """A role from the roles catalog.

    `scope`: region (every case of the region), subtree (cases the user's unit or a unit
    below it is or was involved in), involved (cases the user's unit itself is involved in).
    `sees`: personal kinds shown whole; `reveals`: kinds it may unmask on purpose (each an
    event). `open_cases`: also sees cases opened to all units (揭榜挂帅). `system`: an
    account of the platform or an outside system, which cannot sign in to the console.
    """

    name: str
    label: str
    scope: Literal["region", "subtree", "involved"]
    sees: frozenset[str] = frozenset()
    reveals: frozenset[str] = frozenset()
    open_cases: bool = False
    nav: tuple[str, ...] = ()
    system: bool = False
    description: str = ""
