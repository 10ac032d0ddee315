"""A grid worker's own latest reports."""

from __future__ import annotations

from sqlalchemy import select

from fazhi.actions.context import Work
from fazhi.hotline.actions.reports import CHANNEL, HOTLINE, RECENT_LIMIT
from fazhi.store.models import Case


def recent_reports(w: Work, limit: int = RECENT_LIMIT) -> list[Case]:
    """This worker's latest reports, newest first."""
    stmt = (
        select(Case)
        .where(
            Case.region_code == w.actor.region_code,
            Case.type == HOTLINE,
            Case.created_by == w.actor.user_id,
            Case.fields["channel"].as_string() == CHANNEL,
        )
        .order_by(Case.created_at.desc(), Case.id.desc())
        .limit(limit)
    )
    return list(w.session.scalars(stmt))
