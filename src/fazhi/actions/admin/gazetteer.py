"""The place names admins add to the gazetteer: an estate, road, building or landmark in a
community, optionally on one of its grids. Each change drops the unit directory (which holds
the active names) now and again once it commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.admin.common import fail_on, forget_units, record, require_admin
from fazhi.actions.admin.duty import unit_by_code
from fazhi.actions.context import ActionContext
from fazhi.domain.errors import DomainError, Problem, not_found
from fazhi.org.gazetteer import normalise
from fazhi.store.models import GazetteerEntry, Unit

MAX_NAME = 100


@dataclass(frozen=True)
class EntryForm:
    name: str
    community: str
    grid: str = ""


def gazetteer_entries(session: Session, region_code: str) -> list[GazetteerEntry]:
    return list(
        session.scalars(
            select(GazetteerEntry)
            .where(GazetteerEntry.region_code == region_code)
            .order_by(GazetteerEntry.active.desc(), GazetteerEntry.name, GazetteerEntry.id)
        )
    )


def check_add_gazetteer_entry(
    session: Session, ctx: ActionContext, form: EntryForm
) -> GazetteerEntry:
    """A name of 2 to MAX_NAME characters no active entry has (compared normalised), an
    active community, and optionally an active grid of that community; then
    `do_add_gazetteer_entry`."""
    require_admin(ctx)
    problems: list[Problem] = []
    name = form.name.strip()
    key = normalise(name)
    if not name:
        problems.append(Problem("required", "请填写地名", "name"))
    elif len(name) > MAX_NAME:
        problems.append(Problem("too_long", f"地名不能超过{MAX_NAME}字", "name"))
    elif len(key) < 2:
        problems.append(Problem("too_short", "地名至少2个字", "name"))
    else:
        for other in session.scalars(
            select(GazetteerEntry).where(
                GazetteerEntry.region_code == ctx.actor.region_code,
                GazetteerEntry.active.is_(True),
            )
        ):
            if normalise(other.name) == key:
                problems.append(Problem("duplicate", "该地名已登记，请先停用原条目", "name"))
                break
    community = unit_by_code(session, ctx, form.community)
    if not form.community.strip():
        problems.append(Problem("required", "请选择社区（村）", "community"))
    elif community is None or not community.active or community.kind != "community":
        problems.append(Problem("unknown_unit", "社区不存在或已停用", "community"))
        community = None
    grid = unit_by_code(session, ctx, form.grid)
    if form.grid.strip():
        if grid is None or not grid.active or grid.kind != "grid":
            problems.append(Problem("unknown_unit", "网格不存在或已停用", "grid"))
        elif community is not None and grid.parent_id != community.id:
            problems.append(Problem("wrong_grid", "网格不属于所选社区", "grid"))
    fail_on(problems)
    assert community is not None
    return do_add_gazetteer_entry(session, ctx, name, community, grid)


def do_add_gazetteer_entry(
    session: Session, ctx: ActionContext, name: str, community: Unit, grid: Unit | None
) -> GazetteerEntry:
    """Insert the entry, log it and drop the directory.

    Preconditions: ctx.actor is an admin; the values passed `check_add_gazetteer_entry`."""
    entry = GazetteerEntry(
        region_code=ctx.actor.region_code,
        name=name,
        community_id=community.id,
        grid_id=grid.id if grid is not None else None,
        created_at=ctx.now,
        created_by=ctx.actor.user_id,
        active=True,
    )
    session.add(entry)
    session.flush()
    record(
        session,
        ctx,
        "gazetteer_add",
        f"gazetteer:{entry.id}",
        {
            "name": name,
            "community": community.code,
            "grid": grid.code if grid is not None else None,
        },
    )
    forget_units(session, ctx.platform)
    return entry


def check_deactivate_gazetteer_entry(
    session: Session, ctx: ActionContext, entry_id: int
) -> GazetteerEntry:
    """Stop an active entry of the region; then `do_deactivate_gazetteer_entry`."""
    require_admin(ctx)
    entry = session.get(GazetteerEntry, entry_id)
    if entry is None or entry.region_code != ctx.actor.region_code:
        raise not_found("地名")
    if not entry.active:
        raise DomainError("already_inactive", "该地名已停用", 409)
    return do_deactivate_gazetteer_entry(session, ctx, entry)


def do_deactivate_gazetteer_entry(
    session: Session, ctx: ActionContext, entry: GazetteerEntry
) -> GazetteerEntry:
    """Deactivate the entry, log it and drop the directory.

    Preconditions: ctx.actor is an admin; the entry is active."""
    entry.active = False
    record(session, ctx, "gazetteer_deactivate", f"gazetteer:{entry.id}", {"name": entry.name})
    forget_units(session, ctx.platform)
    return entry
