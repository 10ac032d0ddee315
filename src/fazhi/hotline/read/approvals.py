"""待审批: what waits for a dispatcher's decision — extension requests (申请延期, pending until
approved or rejected) and returned orders (退单, until reassigned or ruled on) — each with
what was asked: the days and reason of the request, the returning unit and its reason, read
from the event that asked.

Both are current-state reads: returned orders by the (region, type, state) index, pending
requests among the orders in handling (the open work, not the history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fazhi.actions.visibility import visible_clause
from fazhi.domain.units import Actor
from fazhi.hotline.read.stats import HOTLINE
from fazhi.store.models import Case, Event

APPROVER_ROLES = frozenset({"dispatcher"})
REQUEST_ACTION = "request_extension"
RETURN_ACTION = "return"
PENDING_FIELD = "extension_requested"


@dataclass(frozen=True)
class Asked:
    """What the unit asked, as its event recorded it."""

    at: datetime | None
    unit: str
    who: str
    reason: str
    days: int | None = None


def _pending_extension() -> Any:
    return Case.fields[PENDING_FIELD].as_integer().is_not(None)


def _extensions(actor: Actor) -> Any:
    return select(Case).where(
        visible_clause(actor),
        Case.type == HOTLINE,
        Case.state == "handling",
        _pending_extension(),
    )


def _returns(actor: Actor) -> Any:
    return select(Case).where(visible_clause(actor), Case.type == HOTLINE, Case.state == "returned")


def pending_extensions(session: Session, actor: Actor, limit: int = 200) -> list[Case]:
    """Orders whose extension request waits, the longest waiting first (by due date)."""
    return list(session.scalars(_extensions(actor).order_by(Case.due_at, Case.id).limit(limit)))


def pending_returns(session: Session, actor: Actor, limit: int = 200) -> list[Case]:
    return list(session.scalars(_returns(actor).order_by(Case.updated_at, Case.id).limit(limit)))


def pending_count_query(actor: Actor) -> Any:
    """Requests and returns waiting, as a scalar subquery (the count beside 待审批 in the
    menu, asked with the console's other counts in one statement)."""
    extensions, returns = (
        select(func.count()).select_from(query.subquery()).scalar_subquery()
        for query in (_extensions(actor), _returns(actor))
    )
    return extensions + returns


def pending_count(session: Session, actor: Actor) -> int:
    """Requests and returns waiting."""
    return int(session.scalar(select(pending_count_query(actor))) or 0)


def last_asked(session: Session, case_ids: list[int], action: str) -> dict[int, Asked]:
    """The latest `action` event of each case: when, by which unit and whom, the reason and
    the days asked (one query over the events of these cases)."""
    if not case_ids:
        return {}
    rows = session.execute(
        select(Event.case_id, Event.at, Event.actor, Event.payload)
        .where(Event.case_id.in_(case_ids), Event.action == action)
        .order_by(Event.case_id, Event.seq.desc())
    )
    found: dict[int, Asked] = {}
    for case_id, at, who, payload in rows:
        if case_id in found:
            continue
        inputs = (payload or {}).get("inputs", {})
        unit = (who or {}).get("unit") or {}
        days = inputs.get("days")
        found[case_id] = Asked(
            at=at,
            unit=str(unit.get("name", "")),
            who=str((who or {}).get("name", "")),
            reason=str(inputs.get("reason", "")),
            days=int(days) if isinstance(days, int) else None,
        )
    return found
