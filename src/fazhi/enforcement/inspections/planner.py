"""The joint-inspection planner (1+N 综合查一次, "变多次查为一次查"): pure, deterministic, no
I/O. Items planned by departments for the same target whose windows share a working day
become one joint visit led by one unit; each visit gets a working day inside its common
window, at most `capacity` visits a day per lead unit; an item that can join none stays a
visit of its own. The report says how many separate visits the merge saves.

Separate visits "that would have been made" are the distinct department × target × window
triples: a department already checks its own items of one target in one window at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from fazhi.domain.calendar import WorkCalendar

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class PlanItem:
    """One planned inspection item: a department checks a supervision item of a target
    some working day between `window_from` and `window_to` (both included)."""

    id: int
    target_id: int
    department_id: int
    supervision_item_id: int
    window_from: date
    window_to: date
    # The target's street (None when the register does not say).
    street_id: int | None = None


@dataclass(frozen=True)
class ProposedVisit:
    target_id: int
    lead_unit_id: int
    window_from: date  # the common window of its items
    window_to: date
    item_ids: tuple[int, ...]
    department_ids: tuple[int, ...]
    day: date | None  # None: no working day with room left in the window
    reason: str = ""  # why `day` is None: no_workday | over_capacity

    @property
    def joint(self) -> bool:
        return len(self.department_ids) > 1


@dataclass(frozen=True)
class PlanReport:
    items: int
    separate_visits: int
    joint_visits: int
    visits: int
    unscheduled: int

    @property
    def saved(self) -> int:
        return self.separate_visits - self.visits

    def as_json(self) -> dict[str, int]:
        return {
            "items": self.items,
            "separate_visits": self.separate_visits,
            "joint_visits": self.joint_visits,
            "visits": self.visits,
            "visits_saved": self.saved,
            "unscheduled": self.unscheduled,
        }


@dataclass(frozen=True)
class Plan:
    visits: tuple[ProposedVisit, ...]
    report: PlanReport
    busy: Mapping[tuple[int, date], int] = field(default_factory=dict)


def workdays_in(calendar: WorkCalendar, start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if calendar.is_workday(day):
            days.append(day)
        day += _ONE_DAY
    return days


def _groups(items: Sequence[PlanItem], calendar: WorkCalendar) -> list[list[PlanItem]]:
    """One target's items in groups whose common window holds a working day: earliest
    deadline first, each item joins the first group it still fits (greedy interval
    stabbing, which needs the fewest visits when windows are intervals)."""
    groups: list[tuple[date, date, list[PlanItem]]] = []
    for item in sorted(items, key=lambda i: (i.window_to, i.window_from, i.id)):
        for n, (lo, hi, members) in enumerate(groups):
            new_lo, new_hi = max(lo, item.window_from), min(hi, item.window_to)
            if new_lo <= new_hi and workdays_in(calendar, new_lo, new_hi):
                groups[n] = (new_lo, new_hi, [*members, item])
                break
        else:
            groups.append((item.window_from, item.window_to, [item]))
    return [members for _, _, members in groups]


def lead_unit(members: Sequence[PlanItem], street_teams: Mapping[int, int]) -> int:
    """The "1" of a joint visit: the enforcement team of the target's street where there is
    one, else the department with most items (the lowest id among equals, so the answer
    never depends on order); a single department leads its own visit."""
    departments = Counter(i.department_id for i in members)
    street = members[0].street_id
    if len(departments) > 1 and street is not None and street in street_teams:
        return street_teams[street]
    return min(departments, key=lambda d: (-departments[d], d))


def plan(
    items: Sequence[PlanItem],
    calendar: WorkCalendar,
    street_teams: Mapping[int, int],
    capacity: int = 3,
    not_before: date | None = None,
    busy: Mapping[tuple[int, date], int] | None = None,
) -> Plan:
    """Merge `items` into visits and give each a day.

    `street_teams` maps a street's unit id to its enforcement team's; `capacity` is the most
    visits a lead unit makes a day; `not_before` the first day that may be proposed (today);
    `busy` the visits each (lead unit, day) already has. Raises CalendarYearUnknown when a
    window lies in a year without a holiday arrangement."""
    if capacity < 1:
        raise ValueError("每日走访上限至少为1")
    load: Counter[tuple[int, date]] = Counter(busy or {})
    by_target: dict[int, list[PlanItem]] = {}
    for item in items:
        by_target.setdefault(item.target_id, []).append(item)
    grouped = [g for target in sorted(by_target) for g in _groups(by_target[target], calendar)]
    # Tightest windows are given days first: they have the fewest days to choose from.
    grouped.sort(
        key=lambda g: (
            min(i.window_to for i in g),
            max(i.window_from for i in g),
            g[0].target_id,
            g[0].id,
        )
    )
    visits: list[ProposedVisit] = []
    for members in grouped:
        lo = max(i.window_from for i in members)
        hi = min(i.window_to for i in members)
        lead = lead_unit(members, street_teams)
        days = workdays_in(calendar, max(lo, not_before) if not_before else lo, hi)
        day = next((d for d in days if load[(lead, d)] < capacity), None)
        reason = "" if day else ("over_capacity" if days else "no_workday")
        if day is not None:
            load[(lead, day)] += 1
        visits.append(
            ProposedVisit(
                target_id=members[0].target_id,
                lead_unit_id=lead,
                window_from=lo,
                window_to=hi,
                item_ids=tuple(sorted(i.id for i in members)),
                department_ids=tuple(sorted({i.department_id for i in members})),
                day=day,
                reason=reason,
            )
        )
    separate = {(i.department_id, i.target_id, i.window_from, i.window_to) for i in items}
    report = PlanReport(
        items=len(items),
        separate_visits=len(separate),
        joint_visits=sum(1 for v in visits if v.joint),
        visits=len(visits),
        unscheduled=sum(1 for v in visits if v.day is None),
    )
    return Plan(tuple(visits), report, dict(load))
