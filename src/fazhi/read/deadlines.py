"""The running clock behind each case's deadline (`cases.due_at` is the nearest running
clock's due moment), so lists badge and count down by that clock — its unit, its span —
rather than by the bare moment; one indexed query (`ix_clocks_case`) per page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.domain.records import ClockRecord
from fazhi.store.models import Case, Clock


def clock_record(row: Any) -> ClockRecord:
    """A `clocks` row (ORM object or Core row) as the domain's record."""
    return ClockRecord(
        name=row.name,
        label=row.label,
        basis=row.basis,
        limit=row.limit,
        started_at=row.started_at,
        due_at=row.due_at,
        start_action=row.start_action,
        stopped_at=row.stopped_at,
        extended=row.extended or 0,
        id=row.id,
        suspended_at=row.suspended_at,
        remaining=row.remaining,
        resumed_at=row.resumed_at,
        window=row.window,
    )


def deadline_clocks(session: Session, cases: Iterable[Any]) -> dict[int, ClockRecord]:
    """Case id → the running clock its `due_at` comes from (open cases with a deadline).
    `cases`: Case objects or rows with their id, region_code, due_at and terminal."""
    open_cases = [c for c in cases if c.due_at is not None and not c.terminal]
    due = {c.id: c.due_at for c in open_cases}
    if not due:
        return {}
    found: dict[int, ClockRecord] = {}
    regions = sorted({c.region_code for c in open_cases})
    # Plain rows: clock_record reads them as it reads ORM objects, without the ORM's cost.
    rows = session.connection().execute(
        select(Clock.__table__).where(
            Clock.region_code.in_(regions), Clock.case_id.in_(list(due)), Clock.stopped_at.is_(None)
        )
    )
    for row in rows:
        # Several clocks may end at the same moment (签收 and 退单时限): any of them will do.
        if row.due_at == due[row.case_id] and row.case_id not in found:
            found[row.case_id] = clock_record(row)
    return found


def deadline_clock(clocks: Iterable[Any], case: Case) -> ClockRecord | None:
    """Among a case's clock rows already read, the running one behind its `due_at`."""
    if case.due_at is None or case.terminal:
        return None
    for row in clocks:
        if row.stopped_at is None and row.due_at == case.due_at:
            return clock_record(row)
    return None
