"""Which rollup counters an event increments (DESIGN §6): a pure mapping, no I/O.

The actions call `metric_deltas` right after appending an event and add each (metric, +n) to
the `rollup_daily` row of the event's local day and the case's dimensions *as the action
leaves them* (lead unit, category, grid). `fazhi analytics rebuild` calls the same function
with facts read back from the stored events, so a rebuilt table equals the live one.

Metrics (all counts of events, not of cases):

- received: a case was created (any create action, including 即时办结).
- dispatched: dispatch or reassign (派单 / 改派) — attributed to the new lead unit.
- acknowledged / acknowledged_on_time: 签收; on time when the `acknowledge` clock stopped by
  this action was met.
- returned: 退单 — attributed to the lead unit that returned it (return keeps the lead).
- replied / replied_on_time / resolved: 答复; on time when the `handle` clock stopped at the
  reply was met; resolved when the reply's result is `resolved`.
- rated / satisfied / dissatisfied: 回访; satisfied counts satisfied + basically_satisfied.
- reopened: 重办.   supervised: 督办 or 揭榜挂帅 (a supervision mark was added).
- closed / closed_on_time: the case reached a terminal state from a non-terminal one; on time
  when no `handle` clock of the case ever stopped after its due time (an order with no handle
  clock, e.g. 即时办结, counts as on time — the same rule as the 统计 page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

HANDLE_CLOCK = "handle"  # the hotline's 办理时限, which decides on-time closure
SATISFIED_RATINGS = frozenset({"satisfied", "basically_satisfied"})
SUPERVISION_ACTIONS = frozenset({"supervise", "post_challenge"})
DISPATCH_ACTIONS = frozenset({"dispatch", "reassign"})

METRICS = (
    "received",
    "dispatched",
    "acknowledged",
    "acknowledged_on_time",
    "returned",
    "replied",
    "replied_on_time",
    "resolved",
    "rated",
    "satisfied",
    "dissatisfied",
    "reopened",
    "supervised",
    "closed",
    "closed_on_time",
)


@dataclass(frozen=True)
class RollupFacts:
    """What the mapping needs to know about one event.

    `stopped` lists (clock name, met) for the clocks this action stopped; `late_handle` is
    whether any handle clock of the case has stopped late (only read when the case closes).
    """

    case_type: str
    action: str
    created: bool
    from_terminal: bool
    to_terminal: bool
    stopped: Sequence[tuple[str, bool]] = ()
    result: str | None = None
    rating: str | None = None
    late_handle: bool = False
    extra: tuple[str, ...] = field(default=())


def _met(facts: RollupFacts, clock: str) -> bool:
    return any(name == clock and met for name, met in facts.stopped)


def metric_deltas(facts: RollupFacts) -> list[tuple[str, int]]:
    """The counters this event adds to, each with +1, in a stable order, no duplicates."""
    out: list[str] = []
    action = facts.action
    if facts.created:
        out.append("received")
    if action in DISPATCH_ACTIONS:
        out.append("dispatched")
    elif action == "acknowledge":
        out.append("acknowledged")
        if _met(facts, "acknowledge"):
            out.append("acknowledged_on_time")
    elif action == "return":
        out.append("returned")
    elif action == "reply":
        out.append("replied")
        if _met(facts, "handle"):
            out.append("replied_on_time")
        if facts.result == "resolved":
            out.append("resolved")
    elif action == "revisit" and facts.rating:
        out.append("rated")
        out.append("satisfied" if facts.rating in SATISFIED_RATINGS else "dissatisfied")
    elif action == "reopen":
        out.append("reopened")
    elif action in SUPERVISION_ACTIONS:
        out.append("supervised")
    if facts.to_terminal and not facts.from_terminal:
        out.append("closed")
        if not facts.late_handle:
            out.append("closed_on_time")
    out.extend(m for m in facts.extra if m not in out)
    return [(metric, 1) for metric in dict.fromkeys(out)]


def needs_late_handle(created: bool, from_terminal: bool, to_terminal: bool) -> bool:
    """Whether the caller must look up `late_handle` (only when the case closes now)."""
    return to_terminal and not from_terminal and not created
