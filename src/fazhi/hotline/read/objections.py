"""Dispatch objections (派单异议) per unit: every return (退单) is an objection the hotline
centre rules on — upheld (异议成立改派) or rejected (异议不成立退回).

Read-only. The objection belongs to the unit that returned the order (the acting user's
unit on the `return` event); its ruling is the next ruling event of the same order. Returns
are a few per cent of orders, so pairing them in Python over one period's returns stays
small whatever the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.cases import visible_clause
from fazhi.analytics.period import Period
from fazhi.domain.units import Actor
from fazhi.store.models import Case, Event

HOTLINE = "hotline"
RULINGS = {"uphold_return": "upheld", "reject_return": "rejected"}


@dataclass
class ObjectionRow:
    unit_id: int
    raised: int = 0
    upheld: int = 0
    rejected: int = 0

    @property
    def pending(self) -> int:
        return self.raised - self.upheld - self.rejected


def objections_by_unit(session: Session, actor: Actor, period: Period) -> dict[int, ObjectionRow]:
    """Per returning unit: objections raised in the period and how they were ruled."""
    unit = Event.actor[("unit", "id")].as_integer()
    returns = session.execute(
        select(Event.case_id, Event.seq, unit)
        .join(Case, (Case.region_code == Event.region_code) & (Case.id == Event.case_id))
        .where(
            Event.action == "return",
            period.contains(Event.at),
            Case.type == HOTLINE,
            visible_clause(actor),
        )
        .order_by(Event.case_id, Event.seq)
    ).all()
    rows: dict[int, ObjectionRow] = {}
    if not returns:
        return rows
    rulings: dict[int, list[tuple[int, str]]] = {}
    for case_id, seq, action in session.execute(
        select(Event.case_id, Event.seq, Event.action).where(
            Event.case_id.in_({r.case_id for r in returns}), Event.action.in_(RULINGS)
        )
    ):
        rulings.setdefault(case_id, []).append((seq, action))
    for case_id, seq, unit_id in returns:
        if unit_id is None:
            continue
        row = rows.setdefault(int(unit_id), ObjectionRow(int(unit_id)))
        row.raised += 1
        later = sorted(r for r in rulings.get(case_id, []) if r[0] > seq)
        if later:
            setattr(row, RULINGS[later[0][1]], getattr(row, RULINGS[later[0][1]]) + 1)
    return rows


def pending_objection(session: Session, case_id: int) -> dict[str, Any] | None:
    """The return awaiting a ruling on an order: who returned it, when, and why."""
    event = session.scalar(
        select(Event).where(Event.case_id == case_id).order_by(Event.seq.desc()).limit(1)
    )
    if event is None or event.action != "return":
        return None
    return {
        "unit": (event.actor.get("unit") or {}).get("name", ""),
        "reason": (event.payload.get("inputs") or {}).get("reason", ""),
        "at": event.at,
    }
