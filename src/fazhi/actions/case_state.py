"""A case's row as a create plan writes it (title, columns), and the rows beside a case that
an action keeps in step with its plan: the units of the case (lead / assisting / former), the
units that may see it (`case_access`, every ancestor of each unit ever involved), and its
clocks. The one door and the bulk writer (`fazhi.actions.bulk`) both build them here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from fazhi.actions.context import ActionContext
from fazhi.domain.case_type import CaseType
from fazhi.domain.records import ClockRecord
from fazhi.domain.units import Actor, UnitRef
from fazhi.domain.workflow import Plan
from fazhi.org.directory import UnitDirectory
from fazhi.store.models import CaseAccess, CaseUnit, Clock

# Every statement names the case's region as well as its id: the rule of a multi-district
# deployment (tests/store/test_region_scope.py), and what lets PostgreSQL prune partitions.
_CASE_UNITS = select(CaseUnit.unit_id, CaseUnit.role).where(
    CaseUnit.region_code == bindparam("region"), CaseUnit.case_id == bindparam("case_id")
)
_ACCESS_UNITS = select(CaseAccess.unit_id).where(
    CaseAccess.region_code == bindparam("region"), CaseAccess.case_id == bindparam("case_id")
)
_INSERT_ACCESS = insert(CaseAccess)
_INSERT_CASE_UNIT = insert(CaseUnit)
_INSERT_CLOCK = insert(Clock)
_SET_UNIT_ROLE = update(CaseUnit).where(
    CaseUnit.region_code == bindparam("b_region"),
    CaseUnit.case_id == bindparam("b_case_id"),
    CaseUnit.unit_id == bindparam("b_unit_id"),
)
_STOP_CLOCK = update(Clock).where(
    Clock.region_code == bindparam("b_region"), Clock.id == bindparam("b_id")
)


def case_title(case_type: CaseType, fields: dict[str, Any]) -> str:
    text = str(fields.get(case_type.title_field, "")) if case_type.title_field else ""
    text = " ".join(text.split())
    return text[:60] + ("…" if len(text) > 60 else "") if text else case_type.label


def new_case_values(
    case_type: CaseType,
    plan: Plan,
    actor: Actor,
    at: datetime,
    external_source: str | None = None,
    external_id: str | None = None,
) -> dict[str, Any]:
    """The `cases` row a create plan writes (without its repeat-call columns): what
    `do_create_case` and the bulk writer (`fazhi.actions.bulk`) both insert."""
    state = case_type.state(plan.to_state)
    terminal = bool(state and state.terminal)
    grid_id = plan.fields.get("grid") if case_type.field("grid") else None
    return {
        "region_code": actor.region_code,
        "type": case_type.name,
        "state": plan.to_state,
        "terminal": terminal,
        "version": 1,
        "title": case_title(case_type, plan.fields),
        "category": plan.fields.get(case_type.category_field) if case_type.category_field else None,
        "lead_unit_id": plan.lead_unit.id if plan.lead_unit else None,
        "grid_id": grid_id if isinstance(grid_id, int) else None,
        "fields": plan.fields,
        "marks": plan.marks,
        "open_to_units": plan.open_to_units,
        "due_at": plan.next_due,
        "created_at": at,
        "updated_at": at,
        "closed_at": at if terminal else None,
        "created_by": actor.user_id,
        "external_source": external_source,
        "external_id": external_id,
    }


def _grant_access(
    session: Session,
    case_id: int,
    region: str,
    units: list[UnitRef],
    directory: UnitDirectory,
    known: set[int],
) -> None:
    rows = []
    for unit in units:
        for ancestor in directory.ancestors(unit):
            if ancestor.id not in known:
                known.add(ancestor.id)
                rows.append({"case_id": case_id, "region_code": region, "unit_id": ancestor.id})
    if rows:
        session.connection().execute(_INSERT_ACCESS, rows)


def sync_units(
    session: Session, case_id: int, plan: Plan, ctx: ActionContext, new_case: bool = False
) -> None:
    """Keep case_units (lead / assisting / former) and case_access in step with the plan."""
    if not new_case and not plan.units_changed:
        return
    wanted: dict[int, str] = {u.id: "assisting" for u in plan.assisting_units}
    if plan.lead_unit:
        wanted[plan.lead_unit.id] = "lead"
    conn = session.connection()
    region = ctx.actor.region_code  # the one door shows an actor only cases of its region
    keys = {"region": region, "case_id": case_id}
    current: dict[int, str] = {} if new_case else dict(conn.execute(_CASE_UNITS, keys).all())
    for unit_id, role in current.items():
        target = wanted.get(unit_id, "former")
        if target != role:
            conn.execute(
                _SET_UNIT_ROLE,
                {"b_region": region, "b_case_id": case_id, "b_unit_id": unit_id, "role": target},
            )
    added = [unit_id for unit_id in wanted if unit_id not in current]
    if added:
        conn.execute(
            _INSERT_CASE_UNIT,
            [
                {
                    "case_id": case_id,
                    "region_code": region,
                    "unit_id": u,
                    "role": wanted[u],
                    "since": ctx.now,
                }
                for u in added
            ],
        )
    # Whoever registers a case keeps sight of it, as does every unit ever involved.
    grant = [ctx.directory.by_id[u] for u in added]
    if new_case:
        grant.append(ctx.actor.unit)
    if grant:
        known: set[int] = set() if new_case else set(conn.execute(_ACCESS_UNITS, keys).scalars())
        _grant_access(session, case_id, region, grant, ctx.directory, known)


def clock_row(case_id: int, region: str, c: ClockRecord) -> dict[str, Any]:
    """The `clocks` row of a clock record (without its id): what write_clocks and the bulk
    writer insert."""
    return {
        "case_id": case_id,
        "region_code": region,
        "name": c.name,
        "label": c.label,
        "basis": c.basis,
        "limit": c.limit,
        "start_action": c.start_action,
        "started_at": c.started_at,
        "due_at": c.due_at,
        "stopped_at": c.stopped_at,
        "extended": c.extended,
        "suspended_at": c.suspended_at,
        "remaining": c.remaining,
        "resumed_at": c.resumed_at,
        "window": c.window,
    }


def write_clocks(session: Session, case_id: int, region: str, plan: Plan) -> None:
    """Write an action plan's clock operations (see `write_clock_changes`)."""
    write_clock_changes(
        session,
        case_id,
        region,
        stopped=plan.clocks_stopped,
        changed=(*plan.clocks_extended, *plan.clocks_suspended, *plan.clocks_resumed),
        new=(*plan.clocks_started, *plan.clocks_recorded),
    )


def write_clock_changes(
    session: Session,
    case_id: int,
    region: str,
    *,
    stopped: Sequence[ClockRecord] = (),
    changed: Sequence[ClockRecord] = (),
    new: Sequence[ClockRecord] = (),
) -> None:
    """Stop records (by id), update the due date, extension and suspension of others, and
    insert new ones (open, or already closed windows of a repeating clock).

    A record may be in both `changed` and `stopped` (extended, then stopped); each update
    writes only the columns its operation owns, so the order does not matter."""
    conn = session.connection()
    for clock in stopped:
        conn.execute(
            _STOP_CLOCK, {"b_region": region, "b_id": clock.id, "stopped_at": clock.stopped_at}
        )
    for clock in changed:
        conn.execute(
            _STOP_CLOCK,
            {
                "b_region": region,
                "b_id": clock.id,
                "due_at": clock.due_at,
                "extended": clock.extended,
                "suspended_at": clock.suspended_at,
                "remaining": clock.remaining,
                "resumed_at": clock.resumed_at,
            },
        )
    if new:
        conn.execute(_INSERT_CLOCK, [clock_row(case_id, region, c) for c in new])
