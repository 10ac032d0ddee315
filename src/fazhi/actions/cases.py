"""Create cases and take actions on them: the one door through which every case changes.

Each action comes in two halves: `check_*` looks up and validates (visibility, the expected
version, and the domain's `plan_action` for permission, state and inputs); `do_*` writes
the case's new current state and appends exactly one hash-chained event, inside the
caller's transaction. The rows beside the case are kept by `case_state`, the event by
`trail`, the counters by `rollups`, the messages by `notify`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fazhi.actions.action_checks import after_for, checks_for
from fazhi.actions.case_state import case_title, new_case_values, sync_units, write_clocks
from fazhi.actions.context import ActionContext
from fazhi.actions.document_files import document_records
from fazhi.actions.links import sync_links, visible_link_resolver
from fazhi.actions.notify import EventFacts, enqueue_for_event
from fazhi.actions.platform import Platform
from fazhi.actions.repeat_calls import repeat_call
from fazhi.actions.rollups import case_flags, counting_workdays, do_count_event
from fazhi.actions.system_account import system_actor_in
from fazhi.actions.trail import append_event, event_payload, stopped_clocks
from fazhi.actions.visibility import (  # noqa: F401  (importable from here, for now)
    load_visible_case,
    read_visible_case,
    visible_clause,
)
from fazhi.domain.case_type import ActionSpec, CaseType, NotifySpec
from fazhi.domain.errors import DomainError
from fazhi.domain.hooks import ScheduledAction
from fazhi.domain.rollup import RollupFacts
from fazhi.domain.workflow import CaseSnapshot, ClockRecord, Plan, plan_action
from fazhi.org.directory import UnitDirectory
from fazhi.org.locate import locate_grid
from fazhi.store.models import Case, CaseUnit, Clock

# Built once: statements whose values come as parameters skip per-call coercion.
_INSERT_CASE = insert(Case).returning(Case.id)


def case_type_or_error(platform: Platform, name: str) -> CaseType:
    case_type = platform.types.get(name)
    if case_type is None:
        raise DomainError("unknown_case_type", f"没有案件类型 {name}", 422, "type")
    return case_type


# Each names the case's region besides its id (tests/test_region_scope.py).
_UNITS_OF_CASE = select(CaseUnit.unit_id, CaseUnit.role).where(
    CaseUnit.region_code == bindparam("region"), CaseUnit.case_id == bindparam("case_id")
)
_RUNNING_CLOCKS = select(Clock.__table__).where(
    Clock.region_code == bindparam("region"),
    Clock.case_id == bindparam("case_id"),
    Clock.stopped_at.is_(None),
)
_UPDATE_CASE = update(Case).where(
    Case.region_code == bindparam("b_region"),
    Case.id == bindparam("b_id"),
    Case.version == bindparam("b_version"),
)


# ---------------------------------------------------------------------------------------------
# Snapshot


def snapshot(session: Session, case: Case, directory: UnitDirectory) -> CaseSnapshot:
    conn = session.connection()
    key = {"region": case.region_code, "case_id": case.id}
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
            suspended_at=c.suspended_at,
            remaining=c.remaining,
            resumed_at=c.resumed_at,
            window=c.window,
        )
        for c in conn.execute(_RUNNING_CLOCKS, key)
    ]
    documents = document_records(session, case)
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
        documents=documents,
    )


# ---------------------------------------------------------------------------------------------
# Writing


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
    grid = locate_grid(ctx.directory, point)
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
        inputs=plan.inputs,
    )
    enqueue_for_event(session, case_type, specs, facts, ctx.now)


@dataclass(frozen=True)
class Created:
    """A new case as written, with its clocks and assisting units, so the caller can answer
    without reading them back."""

    case: Case
    clocks: list[ClockRecord]
    assisting: list[int]


def check_create_case(
    session: Session,
    ctx: ActionContext,
    type_name: str,
    fields: dict[str, Any],
    action_name: str | None = None,
    external_source: str | None = None,
    external_id: str | None = None,
) -> Created:
    """Create a case of `type_name` with `fields` by its create action (the first one, or
    `action_name`): the type and action are looked up, the case is placed on its grid from
    its coordinates, and the domain plans the action (role, inputs, guards); then
    `do_create_case` writes it and the action's after-actions run, as after any action."""
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
        resolve_link=visible_link_resolver(session, ctx.actor),
    )
    created = do_create_case(session, ctx, case_type, action, plan, external_source, external_id)
    for after in after_for(case_type.name, action.name):
        after(session, ctx, created.case)
    return created


def create_case(
    session: Session,
    ctx: ActionContext,
    type_name: str,
    fields: dict[str, Any],
    action_name: str | None = None,
    external_source: str | None = None,
    external_id: str | None = None,
) -> Case:
    """`check_create_case`, answering only the case row (kept for its many callers)."""
    return check_create_case(
        session, ctx, type_name, fields, action_name, external_source, external_id
    ).case


def do_create_case(
    session: Session,
    ctx: ActionContext,
    case_type: CaseType,
    action: ActionSpec,
    plan: Plan,
    external_source: str | None = None,
    external_id: str | None = None,
) -> Created:
    """Write a new case: its row, units, access, clocks, its first event, its rollup counters
    and its outbox messages, in the caller's transaction.

    Preconditions: `plan` is `plan_action` for `action` (a create action of `case_type`) on an
    empty snapshot by `ctx.actor` at `ctx.now`, so role, inputs and guards are checked; the
    caller has made sure `external_id` is new for `external_source` (the unique index refuses
    a duplicate)."""
    values = new_case_values(case_type, plan, ctx.actor, ctx.now, external_source, external_id)
    terminal = values["terminal"]
    values["contact_key"], values["repeat_call"] = repeat_call(session, ctx, case_type, plan)
    case_id = session.connection().execute(_INSERT_CASE, values).scalar_one()
    sync_units(session, case_id, plan, ctx, new_case=True)
    write_clocks(session, case_id, ctx.actor.region_code, plan)
    sync_links(session, case_id, ctx.actor.region_code, case_type, {}, plan.fields, ctx.actor)
    payload = event_payload(plan)
    if external_id:
        payload["external"] = {"source": external_source, "id": external_id}
    seq = append_event(
        session,
        case_id,
        action.name,
        ctx,
        None,
        plan.to_state,
        payload,
        first=True,
        case_type=case_type,
    )
    do_count_event(
        session,
        ctx.actor.region_code,
        ctx.now,
        case_type,
        case_id,
        values["created_at"],
        (
            case_type.name,
            values["lead_unit_id"] or 0,
            str(values["category"] or ""),
            values["grid_id"] or 0,
        ),
        RollupFacts(
            action.name,
            True,
            False,
            terminal,
            fields=plan.fields,
            flags=case_flags(values),
        ),
        counting_workdays(ctx.platform, case_type),
    )
    specs = case_type.notifications(action.name)
    if specs:
        facts = (case_id, seq, action.name, values["region_code"], ctx.now, values["title"])
        _notify(session, ctx, case_type, specs, facts, plan)
    # A detached record of what was written, so callers need not read it back.
    return Created(
        Case(id=case_id, **values), plan.clocks_started, [u.id for u in plan.assisting_units]
    )


def check_perform_action(
    session: Session,
    ctx: ActionContext,
    case_id: int,
    action_name: str,
    inputs: dict[str, Any],
    expected_version: int | None = None,
) -> Case:
    """Take `action_name` on a case: 404 unless the actor may see it, 409 when
    `expected_version` is stale, then the domain plans the action on the case's snapshot
    (role, party, state, guards, documents, inputs), then the type package's checks
    (`fazhi.actions.action_checks`) read what they need; `do_perform_action` writes it."""
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
        resolve_link=visible_link_resolver(session, ctx.actor),
    )
    for check in checks_for(case.type, action_name):
        check(session, ctx, case, plan)
    written = do_perform_action(session, ctx, case, case_type, plan)
    for after in after_for(written.type, action_name):
        after(session, ctx, written)
    if plan.follow_up:
        written = _take_follow_ups(session, ctx, written, plan.follow_up)
    return written


def _take_follow_ups(
    session: Session, ctx: ActionContext, case: Case, owed: list[ScheduledAction]
) -> Case:
    """Take the expire actions of the repeating windows the action found run out before the
    scheduler came (a late check-in after days missed), at once, in the caller's
    transaction, as the platform's account: each missed window is answered exactly once,
    whether the scheduler's tick or an action closed it. Answers the case as left."""
    system = ctx.actor if ctx.actor.has_role("system") else system_actor_in(session, ctx.platform)
    follow = ActionContext(ctx.platform, system, ctx.now)
    for item in owed:
        case = check_perform_action(session, follow, case.id, item.action, dict(item.inputs))
    return case


# The one door's name for its many callers (the API, the console, imports, tests).
perform_action = check_perform_action


def do_perform_action(
    session: Session, ctx: ActionContext, case: Case, case_type: CaseType, plan: Plan
) -> Case:
    """Write the planned change: the case's new current state (one UPDATE guarded by its
    version — a lost race is a 409), units, access, clocks, one event, rollup counters and
    outbox messages, in the caller's transaction; answers the case brought up to date.

    Preconditions: `case` was loaded in this transaction with `load_visible_case` for
    `ctx.actor`, and `plan` is `plan_action` on its snapshot by that actor at `ctx.now`."""
    action_name = plan.action.name
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
        "title": case_title(case_type, plan.fields),
        "category": plan.fields.get(case_type.category_field)
        if case_type.category_field
        else case.category,
        "closed_at": (case.closed_at or ctx.now) if terminal else None,
    }
    result = session.connection().execute(
        _UPDATE_CASE,
        {**values, "b_region": case.region_code, "b_id": case.id, "b_version": case.version},
    )
    if result.rowcount != 1:
        raise DomainError("version_conflict", "案件已被他人同时更新，请刷新后重试", 409)
    sync_units(session, case.id, plan, ctx)
    write_clocks(session, case.id, case.region_code, plan)
    sync_links(session, case.id, case.region_code, case_type, case.fields, plan.fields, ctx.actor)
    seq = append_event(
        session,
        case.id,
        action_name,
        ctx,
        plan.from_state,
        plan.to_state,
        event_payload(plan),
        case_type=case_type,
    )
    do_count_event(
        session,
        case.region_code,
        ctx.now,
        case_type,
        case.id,
        case.created_at,
        (case.type, values["lead_unit_id"] or 0, str(values["category"] or ""), case.grid_id or 0),
        RollupFacts(
            action_name,
            False,
            case.terminal,
            terminal,
            stopped_clocks(plan),
            plan.fields,
            case_flags(case),
        ),
        counting_workdays(ctx.platform, case_type),
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


def do_record_access_event(
    session: Session, ctx: ActionContext, case: Case, action: str, payload: dict[str, Any]
) -> int:
    """Append an event that changes no state (a document added, personal data shown).

    It does not bump the version, so it cannot make someone else's edit stale; the unique
    (case, seq) pair still serialises the chain, and a lost race is retried once.

    Preconditions: `case` was loaded with `load_visible_case` for `ctx.actor`, and the caller
    has checked that the actor may do what the event records (upload, reveal)."""
    for attempt in (1, 2):
        try:
            with session.begin_nested():
                seq = append_event(
                    session,
                    case.id,
                    action,
                    ctx,
                    case.state,
                    case.state,
                    payload,
                    case_type=ctx.platform.types.get(case.type),
                )
            return seq
        except IntegrityError:
            if attempt == 2:
                raise DomainError("busy", "案件正在被同时操作，请稍后重试", 409) from None
    raise AssertionError("unreachable")
