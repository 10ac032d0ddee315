"""The monthly assessment (考核) of the units handling 12345 orders.

For one month (local dates) and each unit: response (acknowledged within the 签收时限),
on-time replies (within the 办理时限), satisfaction (ratings of its orders), objections
rejected against it (its returns the hotline centre sent back) and reopenings — each a rate,
weighted by `catalog/hotline_assessment.yaml` into a score out of 100.

Orders judged unreasonable (the `unreasonable` field set by 诉求不合理认定) are excluded,
so a unit is not punished for them. That is why this reads the month's events rather than
the rollups: a rollup cell cannot tell an excluded order from another. The month bounds the
scan (the `(action, at)` index), so the cost follows the month's volume, not history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.cases import visible_clause
from fazhi.analytics.period import Period
from fazhi.domain.units import Actor
from fazhi.org.directory import UnitDirectory
from fazhi.store.models import Case, Event

HOTLINE = "hotline"
COUNTED = ("acknowledge", "reply", "revisit", "reopen", "dispatch", "reassign")
GIVEN = ("dispatch", "reassign", "uphold_return", "reject_return")


@dataclass(frozen=True)
class Component:
    name: str
    label: str
    weight: float
    formula: str
    lower_is_better: bool = False


@cache
def components() -> tuple[Component, ...]:
    text = (resources.files("fazhi.catalog") / "hotline_assessment.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return tuple(Component(name=k, **v) for k, v in data["components"].items())


def month_period(month: str) -> Period:
    """'2023-05' → the local days of May 2023; ValueError when it is not a month."""
    year, mon = (int(p) for p in month.split("-", 1))
    start = date(year, mon, 1)
    end = date(year + mon // 12, mon % 12 + 1, 1) - timedelta(days=1)
    return Period(start, end)


@dataclass
class UnitAssessment:
    unit_id: int
    name: str = ""
    acknowledged: int = 0
    acknowledged_on_time: int = 0
    replied: int = 0
    replied_on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    given: int = 0  # orders given to the unit (dispatch, reassign, ruling)
    objections_rejected: int = 0
    reopened: int = 0
    excluded: int = 0  # events on unreasonable orders left out
    rates: dict[str, float | None] = field(default_factory=dict)
    score: float | None = None
    rank: int = 0

    def compute(self, specs: tuple[Component, ...]) -> None:
        def ratio(a: int, b: int) -> float | None:
            return a / b if b else None

        self.rates = {
            "response": ratio(self.acknowledged_on_time, self.acknowledged),
            "on_time": ratio(self.replied_on_time, self.replied),
            "satisfaction": ratio(self.satisfied, self.rated),
            "objections_rejected": ratio(self.objections_rejected, self.given),
            "reopened": ratio(self.reopened, self.replied),
        }
        total = weight = 0.0
        for spec in specs:
            value = self.rates.get(spec.name)
            if value is None or spec.weight <= 0:
                continue
            total += spec.weight * ((1 - value) if spec.lower_is_better else value)
            weight += spec.weight
        self.score = round(100 * total / weight, 1) if weight else None


def _met(payload: dict[str, Any], clock: str) -> bool:
    stopped = (payload.get("clocks") or {}).get("stopped") or []
    return any(c.get("name") == clock and c.get("met") for c in stopped)


def assess(
    session: Session, actor: Actor, period: Period, directory: UnitDirectory
) -> list[UnitAssessment]:
    """Every unit with work in the period, ranked by score (ties: more work first)."""
    unreasonable = Case.fields["unreasonable"].as_string()
    rows = session.execute(
        select(
            Event.case_id,
            Event.seq,
            Event.action,
            Event.actor,
            Event.payload,
            Case.lead_unit_id,
            unreasonable.is_not(None),
        )
        .join(Case, (Case.region_code == Event.region_code) & (Case.id == Event.case_id))
        .where(
            Event.action.in_({*COUNTED, *GIVEN, "return"}),
            period.contains(Event.at),
            Case.type == HOTLINE,
            visible_clause(actor),
        )
        .order_by(Event.case_id, Event.seq)
    ).all()
    units: dict[int, UnitAssessment] = {}

    def unit(unit_id: int | None) -> UnitAssessment | None:
        if not unit_id:
            return None
        return units.setdefault(int(unit_id), UnitAssessment(int(unit_id)))

    returned_by: dict[int, int] = {}  # case id → the unit whose return awaits a ruling
    for case_id, _seq, action, who, payload, lead_id, excluded in rows:
        acting = unit((who.get("unit") or {}).get("id"))
        given_to = (payload.get("inputs") or {}).get("lead_unit") or {}
        if excluded:
            row = acting if action in ("acknowledge", "reply", "return") else unit(lead_id)
            if row is not None:
                row.excluded += 1
            continue
        if action == "acknowledge" and acting:
            acting.acknowledged += 1
            acting.acknowledged_on_time += _met(payload, "acknowledge")
        elif action == "reply" and acting:
            acting.replied += 1
            acting.replied_on_time += _met(payload, "handle")
        elif action == "revisit" and (lead := unit(lead_id)):
            lead.rated += 1
            rating = (payload.get("inputs") or {}).get("rating")
            lead.satisfied += rating in ("satisfied", "basically_satisfied")
        elif action == "reopen" and (lead := unit(lead_id)):
            lead.reopened += 1
        elif action == "return" and acting:
            returned_by[case_id] = acting.unit_id
        if action in GIVEN:
            target = unit(given_to.get("id") if given_to else None)
            if action == "reject_return":
                target = unit(returned_by.get(case_id))
                if target is not None:
                    target.objections_rejected += 1
            if target is not None:
                target.given += 1
    specs = components()
    out = []
    for row in units.values():
        ref = directory.by_id.get(row.unit_id)
        row.name = ref.name if ref else str(row.unit_id)
        row.compute(specs)
        out.append(row)
    out.sort(key=lambda r: (r.score is None, -(r.score or 0), -r.given, r.name))
    for i, row in enumerate(out, 1):
        row.rank = i
    return out
