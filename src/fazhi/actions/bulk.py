"""Bulk writing of cases for synthetic history: the same plans as the one door, fewer trips.

`fazhi.actions.cases` writes one action at a time, reading the case back and upserting its
counters in the action's transaction — right for people, far too slow for a city's five
years (millions of orders). A `BulkWriter` plans each action with the same pure
`plan_action` on a case it keeps in memory (`BulkCase`), keeps the rows beside the case as
`case_state` would (units, access, clocks), chains and seals each event with the same
`trail.event_row`, counts the rollups by the same replay as `do_rebuild_rollups`, and
writes everything with one executemany per table per flush.

What it leaves out, and why that is right for history only: the type packages' checks and
after-actions (the caller picks inputs that satisfy them), outbox messages (the history's
messages were delivered long ago), documents and links (the caller's types need none).
Ids are allocated here (one writer: nobody else may write cases meanwhile), and on
PostgreSQL the sequences are moved past them at the end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from fazhi.actions.case_state import case_title, clock_row, new_case_values
from fazhi.actions.context import ActionContext
from fazhi.actions.platform import Platform
from fazhi.actions.repeat_calls import contact_key
from fazhi.actions.rollups import ROLLUP_KEY, CaseReplay, case_flags, upsert_rollups
from fazhi.actions.trail import event_payload, event_row
from fazhi.domain.case_type import CaseType
from fazhi.domain.durations import local_date, window_span
from fazhi.domain.errors import DomainError
from fazhi.domain.rollup import dated_deltas, elapsed_workdays
from fazhi.domain.trail import GENESIS
from fazhi.domain.units import Actor, UnitRef
from fazhi.domain.workflow import CaseSnapshot, ClockRecord, Plan, plan_action
from fazhi.org.directory import UnitDirectory
from fazhi.store.models import Case, CaseAccess, CaseUnit, Clock, Event

_TABLES = (Case, CaseUnit, CaseAccess, Clock, Event)


def _no_links(_case_id: int) -> tuple[int, str] | None:
    return None  # the bulk path writes no case_link fields


@dataclass
class BulkCase:
    """One case as its actions leave it, in memory until the writer flushes it."""

    id: int
    case_type: CaseType
    region_code: str
    values: dict[str, Any]
    units: dict[int, tuple[str, datetime]] = field(default_factory=dict)  # id → (role, since)
    access: set[int] = field(default_factory=set)
    clocks: dict[int, ClockRecord] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    replay: CaseReplay | None = None

    @property
    def state(self) -> str:
        return str(self.values["state"])

    @property
    def terminal(self) -> bool:
        return bool(self.values["terminal"])

    @property
    def category(self) -> str | None:
        return self.values.get("category")

    @property
    def fields(self) -> dict[str, Any]:
        return dict(self.values["fields"])

    def snapshot(self, directory: UnitDirectory) -> CaseSnapshot:
        lead_id = self.values.get("lead_unit_id")
        return CaseSnapshot(
            state=self.state,
            fields=dict(self.values["fields"]),
            lead_unit=directory.by_id.get(lead_id) if lead_id else None,
            assisting_units=tuple(
                directory.by_id[u]
                for u, (role, _) in self.units.items()
                if role == "assisting" and u in directory.by_id
            ),
            involved_units=tuple(directory.by_id[u] for u in self.units if u in directory.by_id),
            # Copies: plan_action changes the records it is given in place.
            clocks=[replace(c) for c in self.clocks.values() if c.stopped_at is None],
            marks=list(self.values.get("marks") or []),
            open_to_units=bool(self.values.get("open_to_units")),
            documents=[],
        )


class BulkWriter:
    """Plans actions on in-memory cases and writes them in batches (see the module doc).

    Use: `create` a case, `perform` its actions in time order, `flush` every few thousand
    cases, `finish` once at the end (rollups, PostgreSQL sequences)."""

    def __init__(self, session: Session, platform: Platform) -> None:
        self.session = session
        self.platform = platform
        self.calendar = platform.calendar()
        self.workdays = elapsed_workdays(self.calendar)  # `elapsed` metrics (办理时长)
        conn = session.connection()
        self._next = {
            model.__tablename__: int(conn.scalar(select(func.max(model.id))) or 0) + 1
            for model in (Case, Clock, Event)
        }
        self.pending: list[BulkCase] = []
        self.cells: dict[tuple[Any, ...], int] = defaultdict(int)
        # (region, type, contact key) → when that caller last called (repeat calls).
        self._last_call: dict[tuple[str, str, str], datetime] = {}
        self.cases = self.events = 0

    def _id(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value

    def _plan(
        self,
        case_type: CaseType,
        snapshot: CaseSnapshot,
        actor: Actor,
        directory: UnitDirectory,
        action: str,
        inputs: dict[str, Any],
        at: datetime,
    ) -> Plan:
        plan = plan_action(
            case_type,
            snapshot,
            actor,
            action,
            inputs,
            at,
            self.calendar,
            directory.resolve,
            resolve_link=_no_links,
        )
        if plan.follow_up:
            raise DomainError("bulk_follow_up", f"批量写入不支持带补做动作的「{action}」", 422)
        return plan

    def create(
        self,
        case_type: CaseType,
        actor: Actor,
        directory: UnitDirectory,
        action: str,
        inputs: dict[str, Any],
        at: datetime,
        external: tuple[str, str] | None = None,
    ) -> BulkCase:
        """A new case by its create action `action`, as `do_create_case` would write it."""
        plan = self._plan(case_type, CaseSnapshot(), actor, directory, action, inputs, at)
        values = new_case_values(case_type, plan, actor, at, *(external or (None, None)))
        values["contact_key"], values["repeat_call"] = self._repeat_call(
            case_type, plan, actor.region_code, at
        )
        case = BulkCase(self._id("cases"), case_type, actor.region_code, values)
        case.values["id"] = case.id
        case.replay = CaseReplay(
            case_type,
            actor.region_code,
            values["grid_id"] or 0,
            case_flags(values),
            local_date(at),
        )
        self._units(case, plan, actor, directory, at, new_case=True)
        self._clocks(case, plan)
        payload = event_payload(plan)
        if external:
            payload["external"] = {"source": external[0], "id": external[1]}
        self._event(case, action, actor, at, None, plan.to_state, payload)
        self.pending.append(case)
        return case

    def perform(
        self,
        case: BulkCase,
        actor: Actor,
        directory: UnitDirectory,
        action: str,
        inputs: dict[str, Any],
        at: datetime,
    ) -> BulkCase:
        """Take `action` on `case`, as `do_perform_action` would write it."""
        case_type = case.case_type
        plan = self._plan(case_type, case.snapshot(directory), actor, directory, action, inputs, at)
        state = case_type.state(plan.to_state)
        terminal = bool(state and state.terminal)
        values = case.values
        values.update(
            {
                "state": plan.to_state,
                "terminal": terminal,
                "version": values["version"] + 1,
                "fields": plan.fields,
                "marks": plan.marks,
                "open_to_units": plan.open_to_units,
                "due_at": plan.next_due,
                "updated_at": at,
                "lead_unit_id": plan.lead_unit.id if plan.lead_unit else None,
                "title": case_title(case_type, plan.fields),
                "category": plan.fields.get(case_type.category_field)
                if case_type.category_field
                else values["category"],
                "closed_at": (values["closed_at"] or at) if terminal else None,
            }
        )
        self._units(case, plan, actor, directory, at)
        self._clocks(case, plan)
        self._event(case, action, actor, at, plan.from_state, plan.to_state, event_payload(plan))
        return case

    # --- the rows beside the case, as actions.case_state keeps them ---------------------------

    def _repeat_call(
        self, case_type: CaseType, plan: Plan, region: str, at: datetime
    ) -> tuple[str | None, bool]:
        """As `actions.repeat_calls.repeat_call`, against the calls this writer made: cases
        are created in time order per region and type, so the last call is the one to ask."""
        rule = case_type.repeat_calls
        if rule is None:
            return None, False
        key = contact_key(region, plan.fields.get(rule.field))
        if key is None:
            return None, False
        slot = (region, case_type.name, key)
        last = self._last_call.get(slot)
        self._last_call[slot] = at
        return key, last is not None and at - window_span(rule.window) <= last <= at

    def _units(
        self,
        case: BulkCase,
        plan: Plan,
        actor: Actor,
        directory: UnitDirectory,
        at: datetime,
        new_case: bool = False,
    ) -> None:
        if not new_case and not plan.units_changed:
            return
        wanted: dict[int, str] = {u.id: "assisting" for u in plan.assisting_units}
        if plan.lead_unit:
            wanted[plan.lead_unit.id] = "lead"
        for unit_id, (role, since) in list(case.units.items()):
            target = wanted.get(unit_id, "former")
            if target != role:
                case.units[unit_id] = (target, since)
        added = [unit_id for unit_id in wanted if unit_id not in case.units]
        for unit_id in added:
            case.units[unit_id] = (wanted[unit_id], at)
        grant: list[UnitRef] = [directory.by_id[u] for u in added]
        if new_case:
            grant.append(actor.unit)
        for unit in grant:
            case.access.update(a.id for a in directory.ancestors(unit))

    def _clocks(self, case: BulkCase, plan: Plan) -> None:
        """`write_clock_changes` in memory: each operation changes only the columns it owns."""
        for clock in plan.clocks_stopped:
            assert clock.id is not None
            case.clocks[clock.id] = replace(case.clocks[clock.id], stopped_at=clock.stopped_at)
        for clock in (*plan.clocks_extended, *plan.clocks_suspended, *plan.clocks_resumed):
            assert clock.id is not None
            case.clocks[clock.id] = replace(
                case.clocks[clock.id],
                due_at=clock.due_at,
                extended=clock.extended,
                suspended_at=clock.suspended_at,
                remaining=clock.remaining,
                resumed_at=clock.resumed_at,
            )
        for clock in (*plan.clocks_started, *plan.clocks_recorded):
            new_id = self._id("clocks")
            case.clocks[new_id] = replace(clock, id=new_id)

    def _event(
        self,
        case: BulkCase,
        action: str,
        actor: Actor,
        at: datetime,
        from_state: str | None,
        to_state: str,
        payload: dict[str, Any],
    ) -> None:
        seq = len(case.events) + 1
        prev = case.events[-1]["hash"] if case.events else GENESIS
        ctx = ActionContext(self.platform, actor, at)
        row = event_row(
            case.id, seq, prev, action, ctx, from_state, to_state, payload, case.case_type
        )
        row["id"] = self._id("events")
        case.events.append(row)
        self._count(case, row)

    def _count(self, case: BulkCase, row: dict[str, Any]) -> None:
        """The event's rollup counters, by the replay `do_rebuild_rollups` uses."""
        replay = case.replay
        assert replay is not None
        facts, (type_name, lead, category, grid) = replay.facts(SimpleNamespace(**row))
        for day, metric, n in dated_deltas(
            replay.case_type.metrics,
            facts,
            replay.case_type,
            local_date(row["at"]),
            replay.created,
            self.workdays,
        ):
            self.cells[(replay.region, day, type_name, lead, category, grid, metric)] += n

    # --- writing ------------------------------------------------------------------------------

    def flush(self) -> None:
        """Write the pending cases and everything beside them (one executemany per table)."""
        if not self.pending:
            return
        conn = self.session.connection()
        cases, units, access, clocks, events = [], [], [], [], []
        for case in self.pending:
            cases.append(case.values)
            units.extend(
                {
                    "case_id": case.id,
                    "region_code": case.region_code,
                    "unit_id": u,
                    "role": role,
                    "since": since,
                }
                for u, (role, since) in case.units.items()
            )
            access.extend(
                {"case_id": case.id, "region_code": case.region_code, "unit_id": u}
                for u in case.access
            )
            clocks.extend(
                {"id": c.id, **clock_row(case.id, case.region_code, c)}
                for c in case.clocks.values()
            )
            events.extend(case.events)
        for model, rows in zip(_TABLES, (cases, units, access, clocks, events), strict=True):
            if rows:
                conn.execute(insert(model), rows)
        self.cases += len(cases)
        self.events += len(events)
        self.pending.clear()

    def finish(self) -> None:
        """Flush, add the counted rollup cells, and on PostgreSQL move the id sequences past
        the ids allocated here."""
        self.flush()
        keys = ROLLUP_KEY[:-1]
        rows = [
            {**dict(zip(keys, key[:-1], strict=True)), "metric": key[-1], "value": n}
            for key, n in self.cells.items()
        ]
        for start in range(0, len(rows), 20_000):
            upsert_rollups(self.session, rows[start : start + 20_000])
        self.cells.clear()
        conn = self.session.connection()
        if conn.dialect.name == "postgresql":
            for model in (Case, Clock, Event):
                table = model.__tablename__
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
                )
