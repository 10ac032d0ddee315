"""Create cases and take actions on them: the one door through which every case changes.

Each public function checks (visibility, permission, state, input — via the domain's
`plan_action`), then does: it writes the case's new current state and appends exactly one
hash-chained event, inside the caller's transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import bindparam, exists, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fazhi.actions.directory import UnitDirectory
from fazhi.actions.notify import EventFacts, enqueue_for_event
from fazhi.actions.platform import Platform
from fazhi.actions.visibility import (  # noqa: F401  (importable from here, for now)
    load_visible_case,
    read_visible_case,
    visible_clause,
)
from fazhi.domain.case_type import CaseType, NotifySpec
from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError
from fazhi.domain.rollup import (
    DISPATCH_ACTIONS,
    HANDLE_CLOCK,
    RollupFacts,
    metric_deltas,
    needs_late_handle,
)
from fazhi.domain.trail import GENESIS, event_hash
from fazhi.domain.units import Actor, UnitRef
from fazhi.domain.workflow import CaseSnapshot, ClockRecord, Plan, plan_action
from fazhi.routing.locate import locate_grid
from fazhi.store.models import Case, CaseAccess, CaseUnit, Clock, Document, Event, RollupDaily

# Built once: statements whose values come as parameters skip per-call coercion.
_INSERT_CASE = insert(Case).returning(Case.id)
_INSERT_EVENT = insert(Event)


@dataclass(frozen=True)
class ActionContext:
    """Who acts, when, and with which services."""

    platform: Platform
    actor: Actor
    now: datetime

    @property
    def directory(self) -> UnitDirectory:
        return self.platform.directory()


def case_type_or_error(platform: Platform, name: str) -> CaseType:
    case_type = platform.types.get(name)
    if case_type is None:
        raise DomainError("unknown_case_type", f"没有案件类型 {name}", 422, "type")
    return case_type


_UNITS_OF_CASE = select(CaseUnit.unit_id, CaseUnit.role).where(
    CaseUnit.case_id == bindparam("case_id")
)
_RUNNING_CLOCKS = select(Clock.__table__).where(
    Clock.case_id == bindparam("case_id"), Clock.stopped_at.is_(None)
)
_DOCUMENT_KINDS = select(Document.kind).where(Document.case_id == bindparam("case_id")).distinct()
_LAST_EVENT = (
    select(Event.seq, Event.hash)
    .where(Event.case_id == bindparam("case_id"))
    .order_by(Event.seq.desc())
    .limit(1)
)
_ACCESS_UNITS = select(CaseAccess.unit_id).where(CaseAccess.case_id == bindparam("case_id"))
_INSERT_ACCESS = insert(CaseAccess)
_INSERT_CASE_UNIT = insert(CaseUnit)
_INSERT_CLOCK = insert(Clock)
_SET_UNIT_ROLE = update(CaseUnit).where(
    CaseUnit.case_id == bindparam("b_case_id"), CaseUnit.unit_id == bindparam("b_unit_id")
)
_STOP_CLOCK = update(Clock).where(Clock.id == bindparam("b_id"))
# Same caller (by contact key) within the window before this call: a repeat request.
REPEAT_CALL_WINDOW = timedelta(days=30)
_EARLIER_CALL = (
    select(Case.id)
    .where(
        Case.region_code == bindparam("region"),
        Case.contact_key == bindparam("key"),
        Case.created_at >= bindparam("since"),
        Case.created_at <= bindparam("until"),
    )
    .limit(1)
)
_UPDATE_CASE = update(Case).where(
    Case.id == bindparam("b_id"), Case.version == bindparam("b_version")
)
ROLLUP_KEY = ("region_code", "day", "case_type", "lead_unit_id", "category", "grid_id", "metric")


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
_LATE_HANDLE = select(
    exists().where(
        Clock.case_id == bindparam("case_id"),
        Clock.name == HANDLE_CLOCK,
        Clock.stopped_at > Clock.due_at,
    )
)


# ---------------------------------------------------------------------------------------------
# Snapshot


def snapshot(session: Session, case: Case, directory: UnitDirectory) -> CaseSnapshot:
    conn = session.connection()
    key = {"case_id": case.id}
    unit_rows = conn.execute(_UNITS_OF_CASE, key).all()
    assisting = tuple(
        directory.by_id[u] for u, role in unit_rows if role == "assisting" and u in directory.by_id
    )
    involved = tuple(directory.by_id[u] for u, _ in unit_rows if u in directory.by_id)
    clocks = [
        ClockRecord(
            name=c.name,
            label=c.label,
            basis=c.basis,
            limit=c.limit,
            started_at=c.started_at,
            due_at=c.due_at,
            start_action=c.start_action,
            stopped_at=c.stopped_at,
            extended=c.extended,
            id=c.id,
        )
        for c in conn.execute(_RUNNING_CLOCKS, key)
    ]
    kinds = frozenset(conn.execute(_DOCUMENT_KINDS, key).scalars())
    lead = directory.by_id.get(case.lead_unit_id) if case.lead_unit_id else None
    return CaseSnapshot(
        state=case.state,
        fields=dict(case.fields),
        lead_unit=lead,
        assisting_units=assisting,
        involved_units=involved,
        clocks=clocks,
        marks=list(case.marks or []),
        open_to_units=case.open_to_units,
        document_kinds=kinds,
    )


# ---------------------------------------------------------------------------------------------
# Writing


def _jsonable(value: Any) -> Any:
    """The value as it will read back from a JSON column, so the hash seals what is stored."""
    return orjson.loads(orjson.dumps(value, default=str))


def _title(case_type: CaseType, fields: dict[str, Any]) -> str:
    text = str(fields.get(case_type.title_field, "")) if case_type.title_field else ""
    text = " ".join(text.split())
    return text[:60] + ("…" if len(text) > 60 else "") if text else case_type.label


def _clock_brief(clock: ClockRecord) -> dict[str, Any]:
    return {
        "name": clock.name,
        "limit": clock.limit,
        "due_at": clock.due_at.isoformat(),
        "extended": clock.extended,
    }


def append_event(
    session: Session,
    case_id: int,
    action: str,
    ctx: ActionContext,
    from_state: str | None,
    to_state: str,
    payload: dict[str, Any],
    first: bool = False,
) -> int:
    """Append the next link of the case's chain; return its seq."""
    last = (
        None if first else session.connection().execute(_LAST_EVENT, {"case_id": case_id}).first()
    )
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    actor = {
        "id": ctx.actor.user_id,
        "username": ctx.actor.username,
        "name": ctx.actor.name,
        "role": ctx.actor.role,
        "unit": ctx.actor.unit.brief(),
    }
    if len(ctx.actor.roles) > 1:
        # Which roles the actor held when acting (the first is the primary one).
        actor["roles"] = list(ctx.actor.roles)
    payload = _jsonable(payload)
    content = event_content(case_id, seq, action, ctx.now, actor, from_state, to_state, payload)
    session.connection().execute(
        _INSERT_EVENT,
        {
            "case_id": case_id,
            "seq": seq,
            "action": action,
            "at": ctx.now,
            "actor_id": ctx.actor.user_id,
            "actor": actor,
            "from_state": from_state,
            "to_state": to_state,
            "payload": payload,
            "prev_hash": prev,
            "hash": event_hash(prev, content),
        },
    )
    return seq


def event_content(
    case_id: int,
    seq: int,
    action: str,
    at: datetime,
    actor: dict[str, Any],
    from_state: str | None,
    to_state: str,
    payload: dict[str, Any],
) -> dict[str, Any]:
    """What an event's hash seals: everything it says."""
    return {
        "case_id": case_id,
        "seq": seq,
        "action": action,
        "at": at.isoformat(),
        "actor": actor,
        "from_state": from_state,
        "to_state": to_state,
        "payload": payload,
    }


def _grant_access(
    session: Session, case_id: int, units: list[UnitRef], directory: UnitDirectory, known: set[int]
) -> None:
    rows = []
    for unit in units:
        for ancestor in directory.ancestors(unit):
            if ancestor.id not in known:
                known.add(ancestor.id)
                rows.append({"case_id": case_id, "unit_id": ancestor.id})
    if rows:
        session.connection().execute(_INSERT_ACCESS, rows)


def _sync_units(
    session: Session, case_id: int, plan: Plan, ctx: ActionContext, new_case: bool = False
) -> None:
    """Keep case_units (lead / assisting / former) and case_access in step with the plan."""
    if not new_case and not plan.units_changed:
        return
    wanted: dict[int, str] = {u.id: "assisting" for u in plan.assisting_units}
    if plan.lead_unit:
        wanted[plan.lead_unit.id] = "lead"
    conn = session.connection()
    current: dict[int, str] = (
        {} if new_case else dict(conn.execute(_UNITS_OF_CASE, {"case_id": case_id}).all())
    )
    for unit_id, role in current.items():
        target = wanted.get(unit_id, "former")
        if target != role:
            conn.execute(
                _SET_UNIT_ROLE, {"b_case_id": case_id, "b_unit_id": unit_id, "role": target}
            )
    added = [unit_id for unit_id in wanted if unit_id not in current]
    if added:
        conn.execute(
            _INSERT_CASE_UNIT,
            [
                {"case_id": case_id, "unit_id": u, "role": wanted[u], "since": ctx.now}
                for u in added
            ],
        )
    # Whoever registers a case keeps sight of it, as does every unit ever involved.
    grant = [ctx.directory.by_id[u] for u in added]
    if new_case:
        grant.append(ctx.actor.unit)
    if grant:
        known: set[int] = (
            set() if new_case else set(conn.execute(_ACCESS_UNITS, {"case_id": case_id}).scalars())
        )
        _grant_access(session, case_id, grant, ctx.directory, known)


def _write_clocks(session: Session, case_id: int, plan: Plan) -> None:
    conn = session.connection()
    for clock in plan.clocks_stopped:
        conn.execute(_STOP_CLOCK, {"b_id": clock.id, "stopped_at": clock.stopped_at})
    for clock in plan.clocks_extended:
        conn.execute(
            _STOP_CLOCK, {"b_id": clock.id, "due_at": clock.due_at, "extended": clock.extended}
        )
    if plan.clocks_started:
        conn.execute(
            _INSERT_CLOCK,
            [
                {
                    "case_id": case_id,
                    "name": c.name,
                    "label": c.label,
                    "basis": c.basis,
                    "limit": c.limit,
                    "start_action": c.start_action,
                    "started_at": c.started_at,
                    "due_at": c.due_at,
                    "stopped_at": None,
                    "extended": 0,
                }
                for c in plan.clocks_started
            ],
        )


def upsert_rollups(session: Session, rows: list[dict[str, Any]]) -> None:
    """Add each row's `value` to its rollup_daily cell (created at 0 when missing)."""
    if rows:
        conn = session.connection()
        conn.execute(_UPSERT_ROLLUP[conn.dialect.name], rows)


def _count(
    session: Session,
    ctx: ActionContext,
    case_id: int,
    dims: tuple[str, int, str, int],
    facts: RollupFacts,
) -> None:
    """Keep rollup_daily current for the event just appended (see domain.rollup).

    `dims` is (case type, lead unit id or 0, category or '', grid id or 0) as the action
    leaves the case."""
    if needs_late_handle(facts.created, facts.from_terminal, facts.to_terminal):
        late = bool(session.connection().execute(_LATE_HANDLE, {"case_id": case_id}).scalar())
        facts = replace(facts, late_handle=late)
    deltas = metric_deltas(facts)
    if not deltas:
        return
    case_type, lead, category, grid = dims
    day = local_date(ctx.now)
    upsert_rollups(
        session,
        [
            {
                "region_code": ctx.actor.region_code,
                "day": day,
                "case_type": case_type,
                "lead_unit_id": lead,
                "category": category,
                "grid_id": grid,
                "metric": metric,
                "value": n,
            }
            for metric, n in deltas
        ],
    )


def _stopped(plan: Plan) -> tuple[tuple[str, bool], ...]:
    return tuple((c.name, not c.overdue(c.stopped_at or c.due_at)) for c in plan.clocks_stopped)


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _payload(plan: Plan) -> dict[str, Any]:
    payload: dict[str, Any] = {"inputs": plan.inputs, "changes": plan.changes}
    clocks = {
        "started": [_clock_brief(c) for c in plan.clocks_started],
        "stopped": [
            {"name": c.name, "met": not c.overdue(c.stopped_at or c.due_at)}
            for c in plan.clocks_stopped
        ],
        "extended": [_clock_brief(c) for c in plan.clocks_extended],
    }
    if any(clocks.values()):
        payload["clocks"] = {k: v for k, v in clocks.items() if v}
    return payload


def _add_location(case_type: CaseType, inputs: dict[str, Any], ctx: ActionContext) -> None:
    """Place a case on its grid from its coordinates, when its type has those fields."""
    if not (case_type.field("grid") and case_type.field("longitude")):
        return
    if (
        inputs.get("grid")
        or inputs.get("longitude") in (None, "")
        or inputs.get("latitude") in (None, "")
    ):
        return
    try:
        point = (float(inputs["longitude"]), float(inputs["latitude"]))
    except (TypeError, ValueError, OverflowError):
        return  # the field validation reports the bad number
    grid = locate_grid(ctx.platform, point)
    if grid is not None:
        inputs["grid"] = grid.id


def _notify(
    session: Session,
    ctx: ActionContext,
    case_type: CaseType,
    specs: tuple[NotifySpec, ...],
    written: tuple[int, int, str, str, datetime, str],
    plan: Plan,
) -> None:
    """Outbox rows for the event just appended, in the same transaction (see actions.notify).

    `written` is (case id, event seq, action, region, case created at, title)."""
    case_id, seq, action, region_code, created_at, title = written
    facts = EventFacts(
        case_id=case_id,
        event_seq=seq,
        action=action,
        region_code=region_code,
        created_at=created_at,
        title=title,
        state=plan.to_state,
        fields=plan.fields,
        due_at=plan.next_due,
        lead_unit=plan.lead_unit,
    )
    enqueue_for_event(session, case_type, specs, facts, ctx.now)


@dataclass(frozen=True)
class Created:
    """A new case as written, with its clocks and assisting units, so the caller can answer
    without reading them back."""

    case: Case
    clocks: list[ClockRecord]
    assisting: list[int]


def create_case(
    session: Session,
    ctx: ActionContext,
    type_name: str,
    fields: dict[str, Any],
    action_name: str | None = None,
    external_source: str | None = None,
    external_id: str | None = None,
) -> Case:
    return create_case_written(
        session, ctx, type_name, fields, action_name, external_source, external_id
    ).case


def create_case_written(
    session: Session,
    ctx: ActionContext,
    type_name: str,
    fields: dict[str, Any],
    action_name: str | None = None,
    external_source: str | None = None,
    external_id: str | None = None,
) -> Created:
    case_type = case_type_or_error(ctx.platform, type_name)
    creators = case_type.create_actions
    action = case_type.action(action_name) if action_name else creators[0]
    if action is None or not action.create:
        raise DomainError(
            "unknown_action", f"「{case_type.label}」没有创建动作 {action_name}", 422, "action"
        )
    inputs = dict(fields)
    _add_location(case_type, inputs, ctx)
    plan = plan_action(
        case_type,
        CaseSnapshot(),
        ctx.actor,
        action.name,
        inputs,
        ctx.now,
        ctx.platform.calendar(),
        ctx.directory.resolve,
    )
    state = case_type.state(plan.to_state)
    terminal = bool(state and state.terminal)
    grid_id = plan.fields.get("grid") if case_type.field("grid") else None
    values: dict[str, Any] = {
        "region_code": ctx.actor.region_code,
        "type": case_type.name,
        "state": plan.to_state,
        "terminal": terminal,
        "version": 1,
        "title": _title(case_type, plan.fields),
        "category": plan.fields.get(case_type.category_field) if case_type.category_field else None,
        "lead_unit_id": plan.lead_unit.id if plan.lead_unit else None,
        "grid_id": grid_id if isinstance(grid_id, int) else None,
        "fields": plan.fields,
        "marks": plan.marks,
        "open_to_units": plan.open_to_units,
        "due_at": plan.next_due,
        "created_at": ctx.now,
        "updated_at": ctx.now,
        "closed_at": ctx.now if terminal else None,
        "created_by": ctx.actor.user_id,
        "external_source": external_source,
        "external_id": external_id,
    }
    values["contact_key"] = _contact_key(case_type, plan.fields, ctx.actor.region_code)
    values["repeat_call"] = values["contact_key"] is not None and (
        session.connection()
        .execute(
            _EARLIER_CALL,
            {
                "region": values["region_code"],
                "key": values["contact_key"],
                "since": ctx.now - REPEAT_CALL_WINDOW,
                "until": ctx.now,
            },
        )
        .first()
        is not None
    )
    case_id = session.connection().execute(_INSERT_CASE, values).scalar_one()
    _sync_units(session, case_id, plan, ctx, new_case=True)
    _write_clocks(session, case_id, plan)
    payload = _payload(plan)
    if external_id:
        payload["external"] = {"source": external_source, "id": external_id}
    seq = append_event(session, case_id, action.name, ctx, None, plan.to_state, payload, first=True)
    _count(
        session,
        ctx,
        case_id,
        (
            case_type.name,
            values["lead_unit_id"] or 0,
            str(values["category"] or ""),
            values["grid_id"] or 0,
        ),
        RollupFacts(case_type.name, action.name, True, False, terminal),
    )
    specs = case_type.notifications(action.name)
    if specs:
        facts = (case_id, seq, action.name, values["region_code"], ctx.now, values["title"])
        _notify(session, ctx, case_type, specs, facts, plan)
    # A detached record of what was written, so callers need not read it back.
    return Created(
        Case(id=case_id, **values), plan.clocks_started, [u.id for u in plan.assisting_units]
    )


def _contact_key(case_type: CaseType, fields: dict[str, Any], region: str) -> str | None:
    """A one-way key of the case's phone field, for repeat-call lookups by index."""
    for name, kind in case_type.personal_fields.items():
        if kind == "phone" and fields.get(name):
            digits = "".join(c for c in str(fields[name]) if c.isdigit())
            return hashlib.sha256(f"{region}:{digits}".encode()).hexdigest()[:32]
    return None


def repeat_extra(action: str, repeat_call: bool) -> tuple[str, ...]:
    """A repeat call counts against the unit each time it is dispatched to one."""
    return ("repeat_caller",) if repeat_call and action in DISPATCH_ACTIONS else ()


def perform_action(
    session: Session,
    ctx: ActionContext,
    case_id: int,
    action_name: str,
    inputs: dict[str, Any],
    expected_version: int | None = None,
) -> Case:
    case = load_visible_case(session, ctx.actor, case_id)
    if expected_version is not None and expected_version != case.version:
        raise DomainError(
            "version_conflict", f"案件已被他人更新（当前版本 {case.version}），请刷新后重试", 409
        )
    case_type = case_type_or_error(ctx.platform, case.type)
    before = snapshot(session, case, ctx.directory)
    plan = plan_action(
        case_type,
        before,
        ctx.actor,
        action_name,
        inputs,
        ctx.now,
        ctx.platform.calendar(),
        ctx.directory.resolve,
    )
    state_spec = case_type.state(plan.to_state)
    terminal = bool(state_spec and state_spec.terminal)
    values: dict[str, Any] = {
        "state": plan.to_state,
        "terminal": terminal,
        "version": case.version + 1,
        "fields": plan.fields,
        "marks": plan.marks,
        "open_to_units": plan.open_to_units,
        "due_at": plan.next_due,
        "updated_at": ctx.now,
        "lead_unit_id": plan.lead_unit.id if plan.lead_unit else None,
        "title": _title(case_type, plan.fields),
        "category": plan.fields.get(case_type.category_field)
        if case_type.category_field
        else case.category,
        "closed_at": (case.closed_at or ctx.now) if terminal else None,
    }
    result = session.connection().execute(
        _UPDATE_CASE, {**values, "b_id": case.id, "b_version": case.version}
    )
    if result.rowcount != 1:
        raise DomainError("version_conflict", "案件已被他人同时更新，请刷新后重试", 409)
    _sync_units(session, case.id, plan, ctx)
    _write_clocks(session, case.id, plan)
    seq = append_event(
        session, case.id, action_name, ctx, plan.from_state, plan.to_state, _payload(plan)
    )
    _count(
        session,
        ctx,
        case.id,
        (case.type, values["lead_unit_id"] or 0, str(values["category"] or ""), case.grid_id or 0),
        RollupFacts(
            case.type,
            action_name,
            False,
            case.terminal,
            terminal,
            _stopped(plan),
            _text_or_none(plan.inputs.get("result")),
            _text_or_none(plan.inputs.get("rating")),
            extra=repeat_extra(action_name, case.repeat_call),
        ),
    )
    specs = case_type.notifications(action_name)
    if specs:
        facts = (case.id, seq, action_name, case.region_code, case.created_at, values["title"])
        _notify(session, ctx, case_type, specs, facts, plan)
    # The row was written with Core; bring the loaded object up to date without a re-read,
    # detached so the ORM never writes it again.
    session.expunge(case)
    for key, value in values.items():
        setattr(case, key, value)
    return case


def record_access_event(
    session: Session, ctx: ActionContext, case: Case, action: str, payload: dict[str, Any]
) -> int:
    """An event that changes no state (a document added, personal data shown).

    It does not bump the version, so it cannot make someone else's edit stale; the unique
    (case, seq) pair still serialises the chain, and a lost race is retried once.
    """
    for attempt in (1, 2):
        try:
            with session.begin_nested():
                seq = append_event(session, case.id, action, ctx, case.state, case.state, payload)
            return seq
        except IntegrityError:
            if attempt == 2:
                raise DomainError("busy", "案件正在被同时操作，请稍后重试", 409) from None
    raise AssertionError("unreachable")


def event_count(session: Session, case_id: int) -> int:
    return int(session.scalar(select(func.count()).where(Event.case_id == case_id)) or 0)
