"""The operators' call-back list and its figures: open tasks oldest first, with the phone
as the reader's role may see it, and how many calls were called back within the local rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fazhi.actions.platform import Platform
from fazhi.domain.privacy import mask_phone
from fazhi.domain.units import Actor
from fazhi.hotline.actions.missed_calls import (
    CALL_BACK_WITHIN,
    HOTLINE,
    OUTCOMES,
    STATUS_LABELS,
)
from fazhi.hotline.store.missed_calls import CallBackAttempt, MissedCall
from fazhi.read.presenters import shown_personal_kinds

LIST_LIMIT = 200


def sees_phone(platform: Platform, actor: Actor) -> bool:
    case_type = platform.types.get(HOTLINE)
    return case_type is not None and "phone" in shown_personal_kinds(case_type, actor)


def present_call(call: MissedCall, whole: bool, now: datetime) -> dict[str, Any]:
    due = call.called_at + CALL_BACK_WITHIN
    return {
        "id": call.id,
        "call_id": call.call_id,
        "caller_phone": call.caller_phone if whole else mask_phone(call.caller_phone),
        "called_at": call.called_at.isoformat(),
        "call_back_due": due.isoformat(),
        "late": call.status == "open" and now > due,
        "line": call.line,
        "wait_seconds": call.wait_seconds,
        "status": call.status,
        "status_label": STATUS_LABELS.get(call.status, call.status),
        "attempts": call.attempts,
        "outcome": call.outcome,
        "outcome_label": OUTCOMES.get(call.outcome or "", ""),
        "case_id": call.case_id,
    }


def call_list(
    session: Session, platform: Platform, actor: Actor, status: str, now: datetime
) -> list[dict[str, Any]]:
    """Open tasks oldest first (the longest waiting caller first); finished ones newest first."""
    order = MissedCall.called_at.asc() if status == "open" else MissedCall.called_at.desc()
    rows = session.scalars(
        select(MissedCall)
        .where(MissedCall.region_code == actor.region_code, MissedCall.status == status)
        .order_by(order, MissedCall.id)
        .limit(LIST_LIMIT)
    )
    whole = sees_phone(platform, actor)
    return [present_call(row, whole, now) for row in rows]


@dataclass(frozen=True)
class CallBackFigures:
    missed: int
    open: int
    done: int
    abandoned: int
    called_back_in_time: int
    outcomes: dict[str, int]

    @property
    def in_time_rate(self) -> float | None:
        """Share of the missed calls first called back within the rule."""
        return self.called_back_in_time / self.missed if self.missed else None


def figures(session: Session, region: str, start: datetime, end: datetime) -> CallBackFigures:
    """Calls missed in [start, end): by status, reached within the rule, by last outcome."""
    in_period = (
        MissedCall.region_code == region,
        MissedCall.called_at >= start,
        MissedCall.called_at < end,
    )
    by_status = dict(
        session.execute(
            select(MissedCall.status, func.count()).where(*in_period).group_by(MissedCall.status)
        ).all()
    )
    outcomes = dict(
        session.execute(
            select(MissedCall.outcome, func.count())
            .where(*in_period, MissedCall.outcome.is_not(None))
            .group_by(MissedCall.outcome)
        ).all()
    )
    # The first attempt's time decides "in time": a caller waits for the first call back.
    first = (
        select(CallBackAttempt.missed_call_id, func.min(CallBackAttempt.at).label("first_at"))
        .group_by(CallBackAttempt.missed_call_id)
        .subquery()
    )
    attempts = session.execute(
        select(MissedCall.called_at, first.c.first_at)
        .join(first, first.c.missed_call_id == MissedCall.id)
        .where(*in_period)
    ).all()
    in_time = sum(1 for called, at in attempts if at - called <= CALL_BACK_WITHIN)
    return CallBackFigures(
        missed=sum(by_status.values()),
        open=by_status.get("open", 0),
        done=by_status.get("done", 0),
        abandoned=by_status.get("abandoned", 0),
        called_back_in_time=in_time,
        outcomes={str(k): int(v) for k, v in outcomes.items()},
    )
