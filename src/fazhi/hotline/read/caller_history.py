"""A caller's history (来电人历史): the earlier hotline orders from the same phone, found by
the one-way contact key (never the number itself) through the index
`(region_code, type, contact_key, created_at)`, with their outcomes and ratings — only the
orders the reader may see, in the form the reader may see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fazhi.actions.platform import Platform
from fazhi.actions.repeat_calls import contact_key
from fazhi.actions.visibility import visible_clause
from fazhi.domain.units import Actor
from fazhi.read.presenters import case_number
from fazhi.store.models import Case

HOTLINE = "hotline"
HISTORY_LIMIT = 10
# Who reads a caller's history: the hotline centre and the units handling the order.
HISTORY_ROLES = frozenset({"operator", "dispatcher", "supervisor", "unit_handler", "unit_leader"})


@dataclass
class CallerHistory:
    total: int = 0
    open: int = 0
    satisfied: int = 0
    dissatisfied: int = 0
    reopened: int = 0
    items: list[dict[str, Any]] = field(default_factory=list)


def key_of_phone(region: str, phone: str) -> str | None:
    digits = "".join(c for c in phone if c.isdigit())
    return contact_key(region, digits) if len(digits) >= 7 else None


def caller_history(
    session: Session,
    platform: Platform,
    actor: Actor,
    key: str | None,
    before: datetime | None = None,
    exclude: int | None = None,
    limit: int = HISTORY_LIMIT,
) -> CallerHistory:
    """The caller's visible earlier orders (before `before`, without `exclude`), newest
    first, with counts over all of them."""
    history = CallerHistory()
    case_type = platform.types.get(HOTLINE)
    if key is None or case_type is None:
        return history
    where = [
        Case.region_code == actor.region_code,
        Case.type == HOTLINE,
        Case.contact_key == key,
        visible_clause(actor),
    ]
    if before is not None:
        where.append(Case.created_at <= before)
    if exclude is not None:
        where.append(Case.id != exclude)
    rating = Case.fields["rating"].as_string()
    reopens = Case.fields["reopen_count"].as_integer()
    counts = session.execute(
        select(
            func.count(),
            func.count().filter(Case.terminal.is_(False)),
            func.count().filter(rating.in_(("satisfied", "basically_satisfied"))),
            func.count().filter(rating == "dissatisfied"),
            func.count().filter(reopens > 0),
        ).where(*where)
    ).one()
    history.total, history.open, history.satisfied, history.dissatisfied, history.reopened = (
        int(n or 0) for n in counts
    )
    directory = platform.directory()
    labels = {spec.name: dict(spec.choices) for spec in case_type.fields if spec.choices}
    rows = session.scalars(
        select(Case).where(*where).order_by(Case.created_at.desc(), Case.id.desc()).limit(limit)
    )
    for case in rows:
        fields = case.fields or {}
        lead = directory.by_id.get(case.lead_unit_id) if case.lead_unit_id else None
        history.items.append(
            {
                "id": case.id,
                "number": case_number(case_type, case),
                "created_at": case.created_at,
                "title": case.title,
                "category": labels.get("category", {}).get(case.category or "", ""),
                "state_label": case_type.state_label(case.state),
                "terminal": case.terminal,
                "unit": lead.name if lead else "",
                "result": labels.get("result", {}).get(str(fields.get("result") or ""), ""),
                "rating": str(fields.get("rating") or ""),
                "rating_label": labels.get("rating", {}).get(str(fields.get("rating") or ""), ""),
                "reopened": int(fields.get("reopen_count") or 0),
            }
        )
    return history
