"""Links between cases: the `case_links` table kept in step with `case_link` fields, and the
linked cases of a case in both directions, as far as the viewer may see them.

`sync_links` is not an action of its own: the one door (actions/cases.py) calls it after it
writes a plan, in the same transaction, so the link changes with the event that set the
field (the event's `changes` already record the field's old and new value).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import bindparam, delete, insert, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from fazhi.domain.case_links import case_id_from_reference, format_case_number, link_targets
from fazhi.domain.case_type import CaseType, FieldSpec
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.store.models import Case, CaseLink

# One case rarely has more; the page and the API show at most this many per direction.
LINKS_SHOWN = 100
_INSERT_LINK = insert(CaseLink)


def sync_links(
    session: Session,
    case_id: int,
    region: str,
    case_type: CaseType,
    fields_before: Mapping[str, Any],
    fields_after: Mapping[str, Any],
    actor: Actor | None = None,
) -> None:
    """Keep case_links equal to the case's link fields after a plan is written.

    A new target must be a case of the same region whose type is one of the field's
    `link_types`, not the case itself, and (given `actor`) one the actor may see; otherwise
    the whole change is refused (422, tied to the field), so a link never confirms that a
    case one may not see exists. Costs nothing for a type without link fields.
    """
    before = link_targets(case_type, fields_before)
    after = link_targets(case_type, fields_after)
    if before == after:
        return
    conn = session.connection()
    changed = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
    new_targets = {after[name] for name in changed if name in after}
    found: dict[int, str] = {}
    if new_targets:
        query = select(Case.id, Case.type).where(
            Case.region_code == region, Case.id.in_(new_targets)
        )
        if actor is not None:
            from fazhi.actions.cases import visible_clause  # circular at module level

            query = query.where(visible_clause(actor))
        found = dict(conn.execute(query).all())
    for name in sorted(changed):
        spec = case_type.field(name)
        assert spec is not None  # link_targets reads only the type's own link fields
        target = after.get(name)
        if target is not None and (target == case_id or found.get(target) not in spec.link_types):
            raise DomainError(
                "invalid_link",
                f"{spec.label}：关联的案件不存在或类型不符",
                422,
                name,
            )
        conn.execute(
            delete(CaseLink).where(
                CaseLink.region_code == region,
                CaseLink.from_case_id == case_id,
                CaseLink.field == name,
            )
        )
        if target is not None:
            conn.execute(
                _INSERT_LINK,
                {
                    "from_case_id": case_id,
                    "region_code": region,
                    "field": name,
                    "to_case_id": target,
                },
            )


@dataclass(frozen=True)
class LinkedCase:
    """Another case linked to the one asked about.

    `outgoing`: this case's field `field` points to `case`; `incoming`: `case`'s field
    `field` points to this case (a case opened from it). `case` is a row of the columns the
    caller asked for, named like the case's attributes."""

    direction: Literal["outgoing", "incoming"]
    field: str
    case: Any


_LINKED: dict[Any, Any] = {}
_LINKED_MAX = 512


def _linked_statement(actor: Actor, columns: Sequence[Any]) -> Any:
    """Both directions in one statement, built once per viewer's visibility and columns
    (the case id is a parameter): this runs on every case request."""
    from fazhi.actions.cases import visible_clause  # circular at module level

    # Columns by identity: comparing SQL expressions with == builds a clause, not a bool.
    key = (actor.sight.groups, actor.unit.id, actor.region_code, tuple(map(id, columns)))
    statement = _LINKED.get(key)
    if statement is None:
        case_id = bindparam("case_id")
        outgoing = CaseLink.from_case_id == case_id
        other = sql_case((outgoing, CaseLink.to_case_id), else_=CaseLink.from_case_id)
        statement = (
            select(outgoing.label("link_outgoing"), CaseLink.field.label("link_field"), *columns)
            .join(Case, Case.id == other)
            .where(
                CaseLink.region_code == actor.region_code,
                or_(outgoing, CaseLink.to_case_id == case_id),
                visible_clause(actor),
            )
            .order_by(sql_case((outgoing, 0), else_=1), Case.id)
            .limit(2 * LINKS_SHOWN)
        )
        if len(_LINKED) >= _LINKED_MAX:
            _LINKED.clear()
        _LINKED[key] = statement
    return statement


def linked_cases(
    session: Session, actor: Actor, case_id: int, columns: Sequence[Any]
) -> list[LinkedCase]:
    """Both directions, only cases `actor` may see (the caller has checked `case_id`), at
    most LINKS_SHOWN of each, by case id; each linked case as a row of `columns` (of Case).

    One statement for both: a link row is outgoing when it starts at `case_id`, and its
    other end is the case shown. A case has at most one outgoing link per link field of its
    type, far fewer than LINKS_SHOWN, so with the outgoing rows first a limit of twice
    LINKS_SHOWN keeps every outgoing row and the first LINKS_SHOWN incoming ones."""
    rows = session.execute(_linked_statement(actor, columns), {"case_id": case_id}).all()
    found: dict[str, list[LinkedCase]] = {"outgoing": [], "incoming": []}
    for row in rows:
        direction: Literal["outgoing", "incoming"] = "outgoing" if row.link_outgoing else "incoming"
        if len(found[direction]) < LINKS_SHOWN:
            found[direction].append(LinkedCase(direction, row.link_field, row))
    return found["outgoing"] + found["incoming"]


@dataclass(frozen=True)
class LinkTarget:
    id: int
    type: str
    number: str


LinkResolver = Callable[[FieldSpec, Any], LinkTarget | None]


def make_link_resolver(
    session: Session, actor: Actor, types: Mapping[str, CaseType]
) -> LinkResolver:
    """resolve(spec, value) → the case `value` (an id or a case number) names, when `actor`
    may see it and its type is one of `spec.link_types`; else None. A number must match the
    case whole (prefix, date and id), not only its id."""
    from fazhi.actions.cases import visible_clause

    def resolve(spec: FieldSpec, value: Any) -> LinkTarget | None:
        case_id = case_id_from_reference(value)
        if case_id is None:
            return None
        case = session.scalar(select(Case).where(Case.id == case_id, visible_clause(actor)))
        if case is None or case.type not in spec.link_types:
            return None
        case_type = types.get(case.type)
        number = format_case_number(
            case_type.number_prefix if case_type else "AJ", case.created_at, case.id
        )
        text = str(value).strip().upper()
        if not text.isdigit() and text != number:
            return None
        return LinkTarget(case.id, case.type, number)

    return resolve


def visible_link_resolver(
    session: Session, actor: Actor
) -> Callable[[int], tuple[int, str] | None]:
    """A case id → (id, type) when `actor` may see that case, else None: what the domain's
    case_link validation asks (a hidden case answers like a missing one)."""
    from fazhi.actions.cases import visible_clause

    def resolve(case_id: int) -> tuple[int, str] | None:
        row = session.execute(
            select(Case.id, Case.type).where(Case.id == case_id, visible_clause(actor))
        ).first()
        return (row[0], row[1]) if row else None

    return resolve
