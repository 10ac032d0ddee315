"""The case's trail: appending the next hash-chained event, and what an action's event says.

Every action appends exactly one event in its own transaction (`actions.cases`); events that
change no state come through `do_record_access_event`. The hash seals the content as it will
read back from the JSON column (`fazhi.domain.trail.event_content`), each personal value
through HMAC of the server secret (`fazhi.domain.seal`, seal 1): the trail can be shown to a
role that sees personal data masked without its hashes giving the values away.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import orjson
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from fazhi.actions.context import ActionContext
from fazhi.domain.case_type import CaseType
from fazhi.domain.case_type.spec import FieldSpec
from fazhi.domain.seal import SEAL_KEYED, SealPath, payload_paths, sealed_content
from fazhi.domain.trail import GENESIS, event_content, event_hash
from fazhi.domain.workflow import ClockRecord, Plan
from fazhi.store.models import Case, Event

_INSERT_EVENT = insert(Event)
_LAST_EVENT = (
    select(Event.seq, Event.hash)
    .where(Event.region_code == bindparam("region"), Event.case_id == bindparam("case_id"))
    .order_by(Event.seq.desc())
    .limit(1)
)


def _jsonable(value: Any) -> Any:
    """The value as it will read back from a JSON column, so the hash seals what is stored."""
    return orjson.loads(orjson.dumps(value, default=str))


def _clock_brief(clock: ClockRecord) -> dict[str, Any]:
    brief: dict[str, Any] = {
        "name": clock.name,
        "limit": clock.limit,
        "due_at": clock.due_at.isoformat(),
        "extended": clock.extended,
    }
    if clock.window is not None:
        brief["window"] = clock.window
    if clock.remaining is not None:
        brief["remaining"] = clock.remaining
    return brief


def _clock_met(clock: ClockRecord) -> dict[str, Any]:
    met: dict[str, Any] = {"name": clock.name, "met": clock.met}
    if clock.window is not None:
        met["window"] = clock.window
    return met


def personal_paths(
    case_type: CaseType | None, action: str, payload: dict[str, Any]
) -> list[SealPath]:
    """Where the event's payload holds personal values, by the case type's field kinds (the
    ones `fazhi.domain.privacy` masks), the action's inputs and the documents' fields."""
    if case_type is None:
        return []
    spec = case_type.action(action)
    specs = (*case_type.fields, *(spec.inputs if spec else ()))

    def document_fields(kind: str) -> tuple[FieldSpec, ...]:
        found = case_type.document(kind)
        return found.fields if found else ()

    return payload_paths(payload, specs, document_fields)


def append_event(
    session: Session,
    case_id: int,
    action: str,
    ctx: ActionContext,
    from_state: str | None,
    to_state: str,
    payload: dict[str, Any],
    first: bool = False,
    case_type: CaseType | None = None,
) -> int:
    """Append the next link of the case's chain; return its seq. `case_type` names the
    personal fields to seal (looked up from the case when not given)."""
    # The actor's region is the case's: the one door shows an actor only its region's cases.
    region = ctx.actor.region_code
    last = (
        None
        if first
        else session.connection()
        .execute(_LAST_EVENT, {"region": region, "case_id": case_id})
        .first()
    )
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    if case_type is None:
        type_name = session.connection().scalar(
            select(Case.type).where(Case.region_code == region, Case.id == case_id)
        )
        case_type = ctx.platform.types.get(type_name) if type_name else None
    row = event_row(case_id, seq, prev, action, ctx, from_state, to_state, payload, case_type)
    session.connection().execute(_INSERT_EVENT, row)
    return seq


def event_row(
    case_id: int,
    seq: int,
    prev: str,
    action: str,
    ctx: ActionContext,
    from_state: str | None,
    to_state: str,
    payload: dict[str, Any],
    case_type: CaseType | None,
) -> dict[str, Any]:
    """The `events` row of link `seq` after `prev` (the previous link's hash, or GENESIS),
    sealed and hashed; no I/O, so a bulk writer (`fazhi.actions.bulk`) chains the same way."""
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
    paths = personal_paths(case_type, action, payload)
    # The moment as it reads back (UTC): a caller's local-time `now` (`schedule run
    # --once-at`, a transfer's or import's reception time) would otherwise seal an isoformat
    # the verifier never sees again.
    at = ctx.now.astimezone(UTC)
    content = sealed_content(
        event_content(case_id, seq, action, at, actor, from_state, to_state, payload),
        paths,
        ctx.platform.secret,
    )
    return {
        "case_id": case_id,
        # The actor's region is the case's: the one door shows an actor only its region's cases.
        "region_code": ctx.actor.region_code,
        "seq": seq,
        "action": action,
        "at": at,
        "actor_id": ctx.actor.user_id,
        "actor": actor,
        "from_state": from_state,
        "to_state": to_state,
        "payload": payload,
        "prev_hash": prev,
        "hash": event_hash(prev, content),
        "seal": SEAL_KEYED,
        "sealed": [list(p) for p in paths],
    }


def stopped_clocks(plan: Plan) -> tuple[tuple[str, bool], ...]:
    """(clock name, met) for each clock the plan closes (a repeating clock's windows too); a
    window the end of its series closed before it began counts neither way."""
    closed = (*plan.clocks_stopped, *plan.clocks_recorded)
    return tuple((c.name, bool(c.met)) for c in closed if c.met is not None)


def event_payload(plan: Plan) -> dict[str, Any]:
    payload: dict[str, Any] = {"inputs": plan.inputs, "changes": plan.changes}
    clocks = {
        "started": [_clock_brief(c) for c in plan.clocks_started],
        "stopped": [_clock_met(c) for c in (*plan.clocks_stopped, *plan.clocks_recorded)],
        "extended": [_clock_brief(c) for c in plan.clocks_extended],
        "suspended": [_clock_brief(c) for c in plan.clocks_suspended],
        "resumed": [_clock_brief(c) for c in plan.clocks_resumed],
        "skipped": [c.brief() for c in plan.clocks_skipped],
    }
    if any(clocks.values()):
        payload["clocks"] = {k: v for k, v in clocks.items() if v}
    return payload


def event_count(session: Session, case_id: int) -> int:
    return int(session.scalar(select(func.count()).where(Event.case_id == case_id)) or 0)
