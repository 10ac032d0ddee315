"""Who may see which case: one SQL clause for every read, and the record of restricted reads.

A case is visible iff its type is visible to one of the actor's roles (the type's
`visibility` names it) AND the scope allows it. The scope for a type is the broadest among
the actor's roles that the type names (domain.roles): `region` — every case of the region;
`subtree` — a `case_access` row for the actor's unit (written for every unit ever involved
and all its ancestors, so a unit sees its subtree's cases); `involved` — a `case_units` row
of the actor's unit itself; roles with `open_cases` also see cases opened to all units.

The actor carries its `Sight` (built at sign-in from the loaded types and the roles
catalog): the types it sees grouped by (scope, open_cases). The clause is an OR over those
groups, so lists, search, exports and counts share it; the detail lookup, which runs on
every case request, is one prebuilt statement per group shape — a primary-key lookup with
at most one indexed EXISTS per group.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, bindparam, exists, or_, select
from sqlalchemy.orm import Session

from fazhi.catalog.roles import UNDECLARED_VISIBILITY
from fazhi.domain.errors import not_found
from fazhi.domain.roles import Sight, sight_of
from fazhi.domain.units import Actor
from fazhi.store.db import transaction
from fazhi.store.models import Case, CaseAccess, CaseUnit

if TYPE_CHECKING:
    from fazhi.actions.cases import ActionContext
    from fazhi.actions.platform import Platform

# The action name of the event that records a read of a restricted case.
READ_EVENT = "read"
_CACHE_MAX = 512
_DETAIL: dict[tuple[tuple[str, bool, tuple[str, ...]], ...], Any] = {}
_CLAUSES: dict[tuple[Any, ...], Any] = {}


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(cache) >= _CACHE_MAX:
        cache.clear()
    cache[key] = value
    return value


def sight_for(platform: Platform, roles: Sequence[str]) -> Sight:
    """What holders of `roles` see of the platform's types. Built when an actor is looked
    up (remembered per token row content: actions.auth.authenticate), not cached here."""
    return sight_of(platform.types, roles, platform.roles, UNDECLARED_VISIBILITY)


def _reach(scope: str, open_cases: bool, unit_id: Any) -> Any:
    """The scope's condition for one group of types (None: the whole region)."""
    if scope == "region":
        return None
    # Joined on the region too (the rows of a case carry its region): a co-located join on
    # a sharded or partitioned store (docs/scaling.md).
    if scope == "subtree":
        reach = exists().where(
            CaseAccess.region_code == Case.region_code,
            CaseAccess.case_id == Case.id,
            CaseAccess.unit_id == unit_id,
        )
    else:
        reach = exists().where(
            CaseUnit.region_code == Case.region_code,
            CaseUnit.case_id == Case.id,
            CaseUnit.unit_id == unit_id,
        )
    return reach | Case.open_to_units.is_(True) if open_cases else reach


def _groups_clause(groups: tuple[tuple[str, bool, tuple[str, ...]], ...], unit_id: Any) -> Any:
    parts = []
    for scope, open_cases, types in groups:
        of_types = Case.type == types[0] if len(types) == 1 else Case.type.in_(types)
        reach = _reach(scope, open_cases, unit_id)
        parts.append(of_types if reach is None else of_types & reach)
    if not parts:
        # No type at all; not false(), which would fold the region condition away with it.
        return Case.type.in_(())
    return parts[0] if len(parts) == 1 else or_(*parts)


def visible_clause(actor: Actor) -> Any:
    """A WHERE clause limiting cases to what `actor` may see."""
    groups = actor.sight.groups
    key = (groups, actor.unit.id, actor.region_code)
    clause = _CLAUSES.get(key)
    if clause is None:
        clause = (Case.region_code == actor.region_code) & _groups_clause(groups, actor.unit.id)
        _remember(_CLAUSES, key, clause)
    return clause


def _detail_statement(groups: tuple[tuple[str, bool, tuple[str, ...]], ...]) -> Select[Any]:
    statement = _DETAIL.get(groups)
    if statement is None:
        statement = select(Case).where(
            Case.id == bindparam("case_id"),
            Case.region_code == bindparam("region"),
            _groups_clause(groups, bindparam("unit_id")),
        )
        _remember(_DETAIL, groups, statement)
    return statement


def load_visible_case(session: Session, actor: Actor, case_id: int) -> Case:
    """The case, or a 404 both when it does not exist and when the actor may not see it."""
    groups = actor.sight.groups
    if not groups:
        raise not_found()
    case = session.scalar(
        _detail_statement(groups),
        {"case_id": case_id, "region": actor.region_code, "unit_id": actor.unit.id},
    )
    if case is None:
        raise not_found()
    return case


def is_restricted(actor: Actor, case: Case) -> bool:
    view = actor.sight.view(case.type)
    return view is not None and view.restricted


def record_read(
    session: Session,
    ctx: ActionContext,
    case: Case,
    what: str,
    details: dict[str, Any] | None = None,
) -> None:
    """When the case's type is restricted, record this request's read of it as one event.

    Called once per request that shows a restricted case (its page, detail, events,
    documents, a download, an export row). In a request that already writes (it holds the
    writer's turn, or runs on PostgreSQL) the event joins the request's transaction; a
    read-only request on SQLite writes it in a short transaction of its own, committed
    before anything of the case is returned.
    """
    if not is_restricted(ctx.actor, case):
        return
    from fazhi.actions.cases import do_record_access_event

    payload = {"read": what, **(details or {})}
    platform = ctx.platform
    if platform.engine.dialect.name != "sqlite" or platform.holds_writer():
        do_record_access_event(session, ctx, case, READ_EVENT, payload)
        return
    with platform.writing(), transaction(platform.sessions) as own:
        do_record_access_event(own, ctx, case, READ_EVENT, payload)


def read_visible_case(
    session: Session,
    ctx: ActionContext,
    case_id: int,
    what: str,
    details: dict[str, Any] | None = None,
) -> Case:
    """load_visible_case for a request that shows the case; a restricted read is recorded."""
    case = load_visible_case(session, ctx.actor, case_id)
    record_read(session, ctx, case, what, details)
    return case
