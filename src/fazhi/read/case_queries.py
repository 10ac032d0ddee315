"""Read model for case lists: indexed current-state columns only (DESIGN.md §6)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from fazhi.actions.cases import visible_clause
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.org.directory import UnitDirectory
from fazhi.read.presenters import parse_case_number
from fazhi.store.models import Case

COUNT_CAP = 10_000
SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "-created_at": (Case.created_at.desc(), Case.id.desc()),
    "created_at": (Case.created_at.asc(), Case.id.asc()),
    "due_at": (Case.due_at.asc().nulls_last(), Case.id.asc()),
    "-updated_at": (Case.updated_at.desc(), Case.id.desc()),
    # A work queue: the most overdue first, then what falls due soonest; cases without a
    # running clock after them, the one waiting longest (unchanged the longest) first.
    "urgency": (Case.due_at.asc().nulls_last(), Case.updated_at.asc(), Case.id.asc()),
}


@dataclass
class CaseFilter:
    type: str | None = None
    state: str | None = None
    unit: str | None = None
    category: str | None = None
    overdue: bool | None = None
    open: bool | None = None
    due_before: datetime | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: str | None = None
    sort: str = "-created_at"


def filtered(
    actor: Actor, f: CaseFilter, directory: UnitDirectory, now: datetime
) -> Select[tuple[Case]]:
    stmt = select(Case).where(visible_clause(actor))
    if f.type:
        stmt = stmt.where(Case.type == f.type)
    if f.state:
        stmt = stmt.where(Case.state.in_([s for s in f.state.split(",") if s]))
    if f.unit:
        unit = directory.resolve(f.unit)
        if unit is None:
            raise DomainError("unknown_unit", f"找不到单位 {f.unit}", 422, "unit")
        stmt = stmt.where(Case.lead_unit_id.in_(directory.subtree_ids(unit)))
    if f.category:
        stmt = stmt.where(Case.category.in_([c for c in f.category.split(",") if c]))
    if f.open is not None:
        stmt = stmt.where(Case.terminal.is_(not f.open))
    if f.overdue is True:
        stmt = stmt.where(Case.terminal.is_(False), Case.due_at < now)
    elif f.overdue is False:
        stmt = stmt.where(or_(Case.due_at.is_(None), Case.due_at >= now))
    if f.due_before:
        stmt = stmt.where(Case.terminal.is_(False), Case.due_at <= f.due_before)
    if f.created_from:
        stmt = stmt.where(Case.created_at >= f.created_from)
    if f.created_to:
        stmt = stmt.where(Case.created_at < f.created_to)
    if f.q:
        text = f.q.strip()
        number = parse_case_number(text)
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions = [Case.title.like(like, escape="\\")]
        if number is not None:
            conditions.append(Case.id == number)
        if text.isdigit():
            conditions.append(Case.id == int(text))
        conditions.append(Case.external_id == text)
        stmt = stmt.where(or_(*conditions))
    return stmt


def _listed(
    actor: Actor,
    f: CaseFilter,
    directory: UnitDirectory,
    now: datetime,
    shape: Callable[[Select[tuple[Case]]], Select[tuple[Case]]] | None,
) -> Select[tuple[Case]]:
    """The list's statement before its order and page (the sort checked first)."""
    if f.sort not in SORTS:
        raise DomainError("invalid_sort", "排序只能是：" + "、".join(SORTS), 422, "sort")
    stmt = filtered(actor, f, directory, now)
    return shape(stmt) if shape is not None else stmt


def _page(stmt: Select[Any], f: CaseFilter, page: int, page_size: int) -> Select[Any]:
    return stmt.order_by(*SORTS[f.sort]).offset((page - 1) * page_size).limit(page_size)


def _counted(
    session: Session, stmt: Select[Any], page: int, page_size: int, rows: list[Any]
) -> tuple[list[Any], int, bool]:
    """The page's rows with the list's total, capped at COUNT_CAP, and whether it was."""
    total = page_total(session, stmt, page, page_size, len(rows))
    return rows, min(total, COUNT_CAP), total > COUNT_CAP


def list_cases(
    session: Session,
    actor: Actor,
    f: CaseFilter,
    directory: UnitDirectory,
    now: datetime,
    page: int,
    page_size: int,
    shape: Callable[[Select[tuple[Case]]], Select[tuple[Case]]] | None = None,
) -> tuple[list[Case], int, bool]:
    stmt = _listed(actor, f, directory, now, shape)
    rows = list(session.scalars(_page(stmt, f, page, page_size)))
    return _counted(session, stmt, page, page_size, rows)


# What a case's brief (read.presenters.present_case_brief) and its deadline clock
# (read.deadlines.deadline_clocks) read: a list selects these as plain rows, without the
# `fields` document or ORM objects.
BRIEF_COLUMNS = (
    Case.id,
    Case.region_code,
    Case.type,
    Case.state,
    Case.terminal,
    Case.version,
    Case.title,
    Case.category,
    Case.lead_unit_id,
    Case.marks,
    Case.due_at,
    Case.created_at,
    Case.updated_at,
    Case.closed_at,
)


def list_case_briefs(
    session: Session,
    actor: Actor,
    f: CaseFilter,
    directory: UnitDirectory,
    now: datetime,
    page: int,
    page_size: int,
    shape: Callable[[Select[tuple[Case]]], Select[tuple[Case]]] | None = None,
) -> tuple[list[Any], int, bool]:
    """`list_cases` answering rows of BRIEF_COLUMNS (attributes named like the case's)."""
    stmt = _listed(actor, f, directory, now, shape)
    rows = list(session.execute(_page(stmt.with_only_columns(*BRIEF_COLUMNS), f, page, page_size)))
    return _counted(session, stmt, page, page_size, rows)


def page_total(
    session: Session, stmt: Select[tuple[Case]], page: int, page_size: int, shown: int
) -> int:
    """How many cases `stmt` finds, counted up to COUNT_CAP + 1. A page that is not full
    (and not past the end) already says it: everything before it plus what it shows."""
    if shown < page_size and (shown or page == 1):
        return (page - 1) * page_size + shown
    capped = select(func.count()).select_from(
        stmt.with_only_columns(Case.id).limit(COUNT_CAP + 1).subquery()
    )
    return int(session.scalar(capped) or 0)


def summary_counts(session: Session, actor: Actor) -> dict[str, Any]:
    rows = session.execute(
        select(Case.type, Case.state, func.count())
        .where(visible_clause(actor), Case.terminal.is_(False))
        .group_by(Case.type, Case.state)
    ).all()
    return {f"{t}:{s}": n for t, s, n in rows}
