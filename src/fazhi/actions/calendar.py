"""Changes to the holiday calendar: imported notices and single-day overrides."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fazhi.domain.holiday_notice import NoticeArrangement
from fazhi.store.cache_versions import bump
from fazhi.store.models import CalendarDay, CalendarYear


def save_arrangement(
    session: Session, arrangement: NoticeArrangement, source: str, now: datetime
) -> int:
    """Replace the year's overrides with the notice's; the year becomes known."""
    bump(session, "calendar")
    year = arrangement.year
    session.execute(
        delete(CalendarDay).where(
            CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
        )
    )
    overrides = arrangement.overrides()
    for override in overrides:
        existing = session.get(CalendarDay, override.day)
        if existing is not None:  # e.g. a 元旦 day of the next year listed in this notice
            session.delete(existing)
            session.flush()
        session.add(
            CalendarDay(
                day=override.day, kind=override.kind, name=override.name, source=source[:200]
            )
        )
    row = session.get(CalendarYear, year)
    if row is None:
        session.add(CalendarYear(year=year, source=source[:200], imported_at=now))
    else:
        row.source, row.imported_at = source[:200], now
    return len(overrides)


def set_override(session: Session, day: date, kind: str, name: str, source: str) -> None:
    bump(session, "calendar")
    existing = session.get(CalendarDay, day)
    if existing is None:
        session.add(CalendarDay(day=day, kind=kind, name=name, source=source))
    else:
        existing.kind, existing.name, existing.source = kind, name, source


def remove_override(session: Session, day: date) -> bool:
    bump(session, "calendar")
    return session.execute(delete(CalendarDay).where(CalendarDay.day == day)).rowcount > 0  # type: ignore[attr-defined]


def list_overrides(session: Session) -> list[CalendarDay]:
    return list(session.scalars(select(CalendarDay).order_by(CalendarDay.day)))
