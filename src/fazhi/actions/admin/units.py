"""Units of the organisation tree: add one under a parent of a fitting kind, rename it,
deactivate it (only when nothing depends on it) or reactivate it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fazhi.actions.admin.common import (
    CODE_RE,
    KIND_LABELS,
    check_text,
    fail_on,
    forget_units,
    record,
    require_admin,
    text,
)
from fazhi.actions.context import ActionContext
from fazhi.catalog.categories import load_categories
from fazhi.domain.errors import DomainError, Problem, not_found
from fazhi.store.models import Case, Unit, User

# Where a new unit may sit. Departments may also sit under a department or a street (the
# demo's 区政府督查室 under 区政府办, 司法所 under 区司法局, 执法中队 under a street).
PARENT_KINDS: dict[str, tuple[str, ...]] = {
    "department": ("district", "department", "street"),
    "centre": ("district",),
    "company": ("district",),
    "street": ("district",),
    "community": ("street",),
    "grid": ("community",),
}


def region_units(session: Session, region_code: str) -> list[Unit]:
    """Every unit of the region, active or not."""
    return list(session.scalars(select(Unit).where(Unit.region_code == region_code)))


def unit_tree(units: list[Unit]) -> list[Unit]:
    """Parents before children, siblings by kind then code: the order to show the tree in."""
    rank = {kind: i for i, kind in enumerate(KIND_LABELS)}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    for members in children.values():
        members.sort(key=lambda u: (rank.get(u.kind, 99), u.code))
    ids = {u.id for u in units}
    roots = [u for u in units if u.parent_id is None or u.parent_id not in ids]
    roots.sort(key=lambda u: (rank.get(u.kind, 99), u.code))
    ordered: list[Unit] = []
    stack = list(reversed(roots))
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        stack.extend(reversed(children.get(unit.id, [])))
    return ordered


def _unit(session: Session, ctx: ActionContext, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.region_code != ctx.actor.region_code:
        raise not_found("单位")
    return unit


# ---------------------------------------------------------------------------------------------
# Add


def check_add_unit(
    session: Session,
    ctx: ActionContext,
    parent_code: str,
    kind: str,
    code: str,
    name: str,
    short_name: str = "",
) -> Unit:
    """A new unit: an active parent whose kind fits (a community under a street, ...), a
    well-formed code not yet used, a name; then `do_add_unit`."""
    require_admin(ctx)
    parent_code, code, name, short_name = map(text, (parent_code, code, name, short_name))
    problems: list[Problem] = []
    parent = None
    if not parent_code:
        problems.append(Problem("required", "请选择上级单位", "parent"))
    else:
        parent = session.scalar(
            select(Unit).where(Unit.region_code == ctx.actor.region_code, Unit.code == parent_code)
        )
        if parent is None or not parent.active:
            problems.append(Problem("unknown_unit", "上级单位不存在或已停用", "parent"))
            parent = None
    if kind not in PARENT_KINDS:
        problems.append(Problem("required", "请选择单位类型", "kind"))
    elif parent is not None and parent.kind not in PARENT_KINDS[kind]:
        allowed = "或".join(KIND_LABELS[k] for k in PARENT_KINDS[kind])
        problems.append(
            Problem(
                "kind_misfit",
                f"{KIND_LABELS[kind]}的上级应为{allowed}，「{parent.name}」是"
                f"{KIND_LABELS.get(parent.kind, parent.kind)}",
                "kind",
            )
        )
    if not code:
        problems.append(Problem("required", "请填写单位编码", "code"))
    elif len(code) > 64 or not CODE_RE.match(code):
        problems.append(
            Problem(
                "invalid_code",
                "编码只能由字母、数字、- 和 _ 组成，以字母或数字开头，不超过64位",
                "code",
            )
        )
    else:
        taken = session.scalar(
            select(Unit).where(Unit.region_code == ctx.actor.region_code, Unit.code == code)
        )
        if taken is not None:
            problems.append(
                Problem("duplicate_code", f"编码 {code} 已被「{taken.name}」使用", "code")
            )
    check_text(problems, "name", name, "单位名称", 200)
    check_text(problems, "short_name", short_name, "简称", 100, required=False)
    fail_on(problems)
    assert parent is not None
    return do_add_unit(session, ctx, parent, kind, code, name, short_name)


def do_add_unit(
    session: Session,
    ctx: ActionContext,
    parent: Unit,
    kind: str,
    code: str,
    name: str,
    short_name: str,
) -> Unit:
    """Insert the unit below `parent` (its path from the new id), log it, drop the unit
    directory; a code taken meanwhile is refused.

    Preconditions: ctx.actor is an admin; the values passed `check_add_unit`."""
    unit = Unit(
        region_code=ctx.actor.region_code,
        code=code,
        name=name,
        short_name=short_name or None,
        kind=kind,
        parent_id=parent.id,
        path="",
        depth=parent.depth + 1,
        categories=[],
        polygon=None,
        address_hints=[],
        active=True,
    )
    try:
        with session.begin_nested():
            session.add(unit)
            session.flush()
    except IntegrityError:
        raise DomainError("duplicate_code", f"编码 {code} 已被使用", 422, "code") from None
    unit.path = f"{parent.path}{unit.id}/"
    record(
        session,
        ctx,
        "unit_create",
        f"unit:{code}",
        {"code": code, "name": name, "kind": kind, "parent": parent.code},
    )
    forget_units(session, ctx.platform)
    return unit


# ---------------------------------------------------------------------------------------------
# Rename


def check_rename_unit(
    session: Session, ctx: ActionContext, unit_id: int, name: str, short_name: str = ""
) -> Unit:
    """A name and an optional short name within their lengths; then `do_rename_unit`."""
    require_admin(ctx)
    unit = _unit(session, ctx, unit_id)
    name, short_name = text(name), text(short_name)
    problems: list[Problem] = []
    check_text(problems, "name", name, "单位名称", 200)
    check_text(problems, "short_name", short_name, "简称", 100, required=False)
    fail_on(problems)
    return do_rename_unit(session, ctx, unit, name, short_name)


def do_rename_unit(
    session: Session, ctx: ActionContext, unit: Unit, name: str, short_name: str
) -> Unit:
    """Write what changed, log it and drop the unit directory.

    Preconditions: ctx.actor is an admin; the names passed `check_rename_unit`."""
    changes: dict[str, list[Any]] = {}
    if name != unit.name:
        changes["name"] = [unit.name, name]
    if (short_name or None) != unit.short_name:
        changes["short_name"] = [unit.short_name, short_name or None]
    if not changes:
        return unit
    unit.name, unit.short_name = name, short_name or None
    record(session, ctx, "unit_rename", f"unit:{unit.code}", {"changes": changes})
    forget_units(session, ctx.platform)
    return unit


# ---------------------------------------------------------------------------------------------
# Deactivate and reactivate


def deactivation_blockers(session: Session, unit: Unit) -> list[str]:
    """Why the unit cannot be deactivated now (empty when it can)."""
    reasons = []
    if unit.parent_id is None:
        reasons.append("根单位（区）不能停用")
    users = list(
        session.scalars(
            select(User.username).where(User.unit_id == unit.id, User.active.is_(True)).limit(6)
        )
    )
    if users:
        count = session.scalar(
            select(func.count()).where(User.unit_id == unit.id, User.active.is_(True))
        )
        shown = "、".join(users[:5]) + ("等" if len(users) > 5 else "")
        reasons.append(f"还有{count}个在用账号（{shown}），请先停用这些账号或调整其所属单位")
    children = session.scalar(
        select(func.count()).where(Unit.parent_id == unit.id, Unit.active.is_(True))
    )
    if children:
        reasons.append(f"还有{children}个在用的下级单位，请先停用下级单位")
    if unit.categories:
        names = {c.code: c.name for c in load_categories()}
        listed = "、".join(names.get(c, c) for c in unit.categories)
        reasons.append(f"是「{listed}」的默认主办单位，请先在职责映射中调整")
    open_cases = session.scalar(
        select(func.count()).where(Case.lead_unit_id == unit.id, Case.terminal.is_(False))
    )
    if open_cases:
        reasons.append(f"还在主办{open_cases}件未办结的案件，请先改派")
    return reasons


def check_set_unit_active(session: Session, ctx: ActionContext, unit_id: int, active: bool) -> Unit:
    """Reactivate (its parent must be active) or deactivate (nothing may depend on it:
    `deactivation_blockers`); then `do_set_unit_active`. Nothing happens when it already is
    so."""
    require_admin(ctx)
    unit = _unit(session, ctx, unit_id)
    if unit.active == active:
        return unit
    if active:
        parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
        if parent is not None and not parent.active:
            raise DomainError(
                "parent_inactive", f"上级单位「{parent.name}」已停用，请先启用上级单位", 422
            )
    else:
        reasons = deactivation_blockers(session, unit)
        if reasons:
            raise DomainError.from_problems(
                [Problem("unit_in_use", f"不能停用「{unit.name}」：{r}") for r in reasons]
            )
    return do_set_unit_active(session, ctx, unit, active)


def do_set_unit_active(session: Session, ctx: ActionContext, unit: Unit, active: bool) -> Unit:
    """Write the flag, log it and drop the unit directory.

    Preconditions: ctx.actor is an admin; the change passed `check_set_unit_active`."""
    unit.active = active
    record(
        session,
        ctx,
        "unit_reactivate" if active else "unit_deactivate",
        f"unit:{unit.code}",
        {"name": unit.name},
    )
    forget_units(session, ctx.platform)
    return unit
