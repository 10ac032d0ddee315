"""Read the deployment's clock settings (table clock_settings) as overrides of the types'
limits (`fazhi.catalog.settings` applies them)."""

from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from fazhi.catalog.settings import ClockOverride
from fazhi.store.models import ClockSetting


def load_clock_overrides(session: Session) -> list[ClockOverride]:
    """The stored overrides; none before migration 0002 has run (e.g. `fazhi init` itself)."""
    if not inspect(session.connection()).has_table(ClockSetting.__tablename__):
        return []
    rows = session.scalars(select(ClockSetting).order_by(ClockSetting.type, ClockSetting.clock))
    return [
        ClockOverride.from_stored(
            row.type, row.clock, row.default_limit, row.values, row.action_limits, row.basis_note
        )
        for row in rows
    ]
