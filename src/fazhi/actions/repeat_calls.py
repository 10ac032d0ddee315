"""Repeat calls, per type: a type that declares `repeat_calls: {field, window}` flags a new
case whose phone was seen on an earlier case *of the same type* within the window.

Decided once, at creation, by one index lookup (ix_cases_contact: region, type, key, time)
on a one-way key of the phone — the number itself is never stored for this. The flag
(`cases.repeat_call`) is what a type's metrics may count (`case_flag: repeat_call`).
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from fazhi.actions.context import ActionContext
from fazhi.domain.case_type import CaseType
from fazhi.domain.durations import window_span
from fazhi.domain.workflow import Plan
from fazhi.store.models import Case

# The same caller (by contact key) on a case of the same type within the type's window
# before this one: a repeat call (index ix_cases_contact).
_EARLIER_CALL = (
    select(Case.id)
    .where(
        Case.region_code == bindparam("region"),
        Case.type == bindparam("type"),
        Case.contact_key == bindparam("key"),
        Case.created_at >= bindparam("since"),
        Case.created_at <= bindparam("until"),
    )
    .limit(1)
)


def contact_key(region: str, phone: Any) -> str | None:
    """A one-way key of a phone number, for repeat-call lookups by index (never the number)."""
    digits = "".join(c for c in str(phone or "") if c.isdigit())
    return hashlib.sha256(f"{region}:{digits}".encode()).hexdigest()[:32] if digits else None


def repeat_call(
    session: Session, ctx: ActionContext, case_type: CaseType, plan: Plan
) -> tuple[str | None, bool]:
    """(contact key, repeat call) for a new case: only for types that declare
    `repeat_calls:`, and only against earlier cases of the same type."""
    rule = case_type.repeat_calls
    if rule is None:
        return None, False
    key = contact_key(ctx.actor.region_code, plan.fields.get(rule.field))
    if key is None:
        return None, False
    window = window_span(rule.window)
    earlier = session.connection().execute(
        _EARLIER_CALL,
        {
            "region": ctx.actor.region_code,
            "type": case_type.name,
            "key": key,
            "since": ctx.now - window,
            "until": ctx.now,
        },
    )
    return key, earlier.first() is not None
