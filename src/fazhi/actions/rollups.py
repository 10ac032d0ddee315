"""Keep `rollup_daily` current: the counters of each event, added in the event's transaction,
and the rebuild that replays every stored event through the same mapping.

Which counters an event adds to is the type's own declaration (`metrics:` in the type file),
read by the pure `fazhi.domain.rollup.metric_deltas`; this module only gathers the facts it
needs and writes the cells.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, exists, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fazhi.actions.platform import Platform
from fazhi.domain.case_type import CASE_FLAGS, CaseType
from fazhi.domain.durations import local_date
from fazhi.domain.rollup import (
    RollupFacts,
    Workdays,
    dated_deltas,
    elapsed_workdays,
    late_clocks_needed,
)
from fazhi.store.models import Case, Clock, Event, RollupDaily

ROLLUP_KEY = ("region_code", "day", "case_type", "lead_unit_id", "category", "grid_id", "metric")
# (case type, lead unit id or 0, category or '', grid id or 0): "none" is stored as 0 or ''
# so the cell's unique key holds on both databases (NULLs never conflict).
Dims = tuple[str, int, str, int]


def _rollup_upsert(dialect_insert: Any) -> Any:
    """INSERT … ON CONFLICT (the cell) DO UPDATE SET value = value + excluded.value: one
    statement per event (executemany over its metrics), correct under concurrent writers."""
    statement = dialect_insert(RollupDaily)
    return statement.on_conflict_do_update(
        index_elements=list(ROLLUP_KEY),
        set_={"value": RollupDaily.value + statement.excluded.value},
    )


_UPSERT_ROLLUP = {
    "sqlite": _rollup_upsert(sqlite_insert),
    "postgresql": _rollup_upsert(postgresql_insert),
}
_LATE_CLOCK = select(
    exists().where(
        Clock.region_code == bindparam("region"),
        Clock.case_id == bindparam("case_id"),
        Clock.name == bindparam("clock"),
        Clock.stopped_at > Clock.due_at,
    )
)


def upsert_rollups(session: Session, rows: list[dict[str, Any]]) -> None:
    """Add each row's `value` to its rollup_daily cell (created at 0 when missing)."""
    if rows:
        conn = session.connection()
        conn.execute(_UPSERT_ROLLUP[conn.dialect.name], rows)


def case_flags(source: Any) -> dict[str, bool]:
    """The flags a metric may require (`case_flag:`), read from a case row or its values."""
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name, None)
    return {name: bool(get(name)) for name in CASE_FLAGS}


def counting_workdays(platform: Platform, case_type: CaseType) -> Workdays | None:
    """The working-day count an `elapsed` metric of the type needs (None when it has none, so
    the common event does not touch the calendar)."""
    if not any(m.elapsed for m in case_type.metrics):
        return None
    return elapsed_workdays(platform.calendar())


def do_count_event(
    session: Session,
    region_code: str,
    at: datetime,
    case_type: CaseType,
    case_id: int,
    created_at: datetime,
    dims: Dims,
    facts: RollupFacts,
    workdays: Workdays | None = None,
) -> None:
    """Add the counters of the event just appended (at `at`) to its cells: the event's day,
    or for a `day: created` metric the day of the case's `created_at`.

    Preconditions: called in the event's transaction, after its clock rows were written (a
    `never_late` metric reads the clocks this very action stopped), with `facts` and `dims`
    as the action leaves the case."""
    needed = late_clocks_needed(case_type.metrics, facts)
    if needed:
        # A case's clocks only exist once it does: at creation none can have run late.
        late = {
            name: False
            if facts.created
            else bool(
                session.connection()
                .execute(_LATE_CLOCK, {"region": region_code, "case_id": case_id, "clock": name})
                .scalar()
            )
            for name in needed
        }
        facts = RollupFacts(
            facts.action,
            facts.created,
            facts.from_terminal,
            facts.to_terminal,
            facts.stopped,
            facts.fields,
            facts.flags,
            late,
        )
    deltas = dated_deltas(
        case_type.metrics, facts, case_type, local_date(at), local_date(created_at), workdays
    )
    if not deltas:
        return
    type_name, lead, category, grid = dims
    upsert_rollups(
        session,
        [
            {
                "region_code": region_code,
                "day": day,
                "case_type": type_name,
                "lead_unit_id": lead,
                "category": category,
                "grid_id": grid,
                "metric": metric,
                "value": n,
            }
            for day, metric, n in deltas
        ],
    )


# ---------------------------------------------------------------------------------------------
# Rebuild from the events


class CaseReplay:
    """One case as its events replay: what the live count saw at each event. `created` is
    the local day the case was created (the cell of its `day: created` metrics)."""

    def __init__(
        self,
        case_type: CaseType,
        region: str,
        grid: int,
        flags: dict[str, bool],
        created: date,
    ):
        self.case_type = case_type
        self.region = region
        self.grid = grid
        self.flags = flags
        self.created = created
        self.lead = 0
        self.terminal = False
        self.fields: dict[str, Any] = {}
        self.late: set[str] = set()  # clocks of the case that have stopped late
        # Read once per case, not per event (a rebuild or a bulk write replays millions).
        self._names = case_type.fields_names()
        self._late_names = late_names(case_type)

    def facts(self, event: Any) -> tuple[RollupFacts, Dims]:
        payload = event.payload or {}
        changes = payload.get("changes") or {}
        names = self._names
        for name, pair in changes.items():
            if name in names and isinstance(pair, list) and len(pair) == 2:
                if pair[1] is None:
                    self.fields.pop(name, None)
                else:
                    self.fields[name] = pair[1]
        lead = changes.get("lead_unit")
        if isinstance(lead, list) and len(lead) == 2:
            self.lead = int((lead[1] or {}).get("id") or 0)
        stopped = tuple(
            (str(c.get("name")), bool(c.get("met")))
            for c in (payload.get("clocks") or {}).get("stopped", [])
        )
        self.late.update(name for name, met in stopped if not met)
        spec = self.case_type.state(event.to_state)
        to_terminal = bool(spec and spec.terminal)
        facts = RollupFacts(
            event.action,
            event.seq == 1,
            self.terminal,
            to_terminal,
            stopped,
            dict(self.fields),
            self.flags,
            {name: name in self.late for name in self._late_names},
        )
        self.terminal = to_terminal
        field = self.case_type.category_field
        category = str(self.fields.get(field) or "") if field else ""
        return facts, (self.case_type.name, self.lead, category, self.grid)


def late_names(case_type: CaseType) -> frozenset[str]:
    return frozenset(m.never_late for m in case_type.metrics if m.never_late)


def do_rebuild_rollups(session: Session, platform: Platform, flush_every: int = 20_000) -> int:
    """Recompute rollup_daily from the events (replaying each case's chain in order), in
    bounded memory: events are streamed, cells are flushed every `flush_every` cells, and only
    the case being replayed is held. Returns the number of events read.

    Preconditions: nothing else writes cases meanwhile (the table is emptied first, in the
    caller's transaction)."""
    session.execute(delete(RollupDaily))
    cells: dict[tuple[Any, ...], int] = defaultdict(int)

    def flush() -> None:
        keys = ROLLUP_KEY[:-1]
        rows = [
            {**dict(zip(keys, key[:-1], strict=True)), "metric": key[-1], "value": n}
            for key, n in cells.items()
        ]
        upsert_rollups(session, rows)
        cells.clear()

    statement = (
        select(
            Event.case_id,
            Event.seq,
            Event.action,
            Event.at,
            Event.to_state,
            Event.payload,
            Case.type,
            Case.region_code,
            Case.grid_id,
            Case.created_at,
            *(getattr(Case, name) for name in sorted(CASE_FLAGS)),
        )
        .join(Case, (Case.region_code == Event.region_code) & (Case.id == Event.case_id))
        .order_by(Event.case_id, Event.seq)
        .limit(5000)
    )
    current: CaseReplay | None = None
    current_id = -1
    read = 0
    workdays = elapsed_workdays(platform.calendar())
    # Keyset pages of (case_id, seq): the session's connection both reads and writes.
    last_case, last_seq = 0, 0
    while True:
        page = session.execute(
            statement.where(
                or_(
                    Event.case_id > last_case,
                    (Event.case_id == last_case) & (Event.seq > last_seq),
                )
            )
        ).all()
        if not page:
            break
        for event in page:
            read += 1
            if event.case_id != current_id:
                current_id = event.case_id
                case_type = platform.types.get(event.type)
                current = (
                    CaseReplay(
                        case_type,
                        event.region_code,
                        event.grid_id or 0,
                        case_flags(event),
                        local_date(event.created_at),
                    )
                    if case_type is not None
                    else None
                )
            if current is None:
                continue
            facts, (type_name, lead, category, grid) = current.facts(event)
            for day, metric, n in dated_deltas(
                current.case_type.metrics,
                facts,
                current.case_type,
                local_date(event.at),
                current.created,
                workdays,
            ):
                cells[(current.region, day, type_name, lead, category, grid, metric)] += n
            if len(cells) >= flush_every:
                flush()
        last_case, last_seq = page[-1].case_id, page[-1].seq
    flush()
    return read
