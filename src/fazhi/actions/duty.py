"""The duty list (职责清单) and the gazetteer admins keep: area rules for a category's lead
unit, and place names that place an address.

Rules are never edited in place: a change retires the old row and inserts a new one. Each
change is checked, done in the caller's transaction, logged in `admin_log`, and drops the
unit directory (which holds the active rules and names) now and again once it commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.admin import _forget_units, record, require_admin
from fazhi.actions.cases import ActionContext
from fazhi.catalog.categories import load_categories
from fazhi.domain.errors import DomainError, Problem, not_found
from fazhi.org.directory import AREA_KINDS
from fazhi.org.gazetteer import normalise
from fazhi.store.models import DutyRule, GazetteerEntry, Unit

# Units that may lead a category in an area: a department (also one under a street, such
# as a 执法中队), a centre, a company, or the street or community itself.
RULE_UNIT_KINDS = ("department", "centre", "company", "street", "community")
MAX_NAME = 100


def _unit_by_code(session: Session, ctx: ActionContext, code: str) -> Unit | None:
    if not code:
        return None
    return session.scalar(
        select(Unit).where(Unit.region_code == ctx.actor.region_code, Unit.code == code.strip())
    )


# ---------------------------------------------------------------------------------------------
# Duty rules


def active_rules(session: Session, region_code: str) -> list[DutyRule]:
    return list(
        session.scalars(
            select(DutyRule)
            .where(DutyRule.region_code == region_code, DutyRule.active.is_(True))
            .order_by(DutyRule.category, DutyRule.id)
        )
    )


def rule_history(session: Session, region_code: str) -> list[DutyRule]:
    """Every rule, retired ones included, newest first."""
    return list(
        session.scalars(
            select(DutyRule)
            .where(DutyRule.region_code == region_code)
            .order_by(DutyRule.category, DutyRule.id.desc())
        )
    )


def add_duty_rule(
    session: Session, ctx: ActionContext, category: str, area_code: str, unit_code: str
) -> DutyRule:
    """Make `unit_code` lead `category` in the street or community `area_code`; an active
    rule for the same area is retired (the change stays in the history)."""
    require_admin(ctx)
    names = {c.code: c.name for c in load_categories()}
    if category not in names:
        raise not_found("分类")
    problems: list[Problem] = []
    area = _unit_by_code(session, ctx, area_code)
    if not area_code.strip():
        problems.append(Problem("required", "请选择街道或社区", "area"))
    elif area is None or not area.active or area.kind not in AREA_KINDS:
        problems.append(Problem("unknown_area", "区域应为在用的街道（镇）或社区（村）", "area"))
    unit = _unit_by_code(session, ctx, unit_code)
    if not unit_code.strip():
        problems.append(Problem("required", "请选择承办单位", "unit"))
    elif unit is None or not unit.active:
        problems.append(Problem("unknown_unit", "单位不存在或已停用", "unit"))
    elif unit.kind not in RULE_UNIT_KINDS:
        problems.append(Problem("unit_kind", "承办单位不能是区或网格", "unit"))
    if problems:
        raise DomainError.from_problems(problems, 422)
    assert area is not None and unit is not None
    before = session.scalar(
        select(DutyRule).where(
            DutyRule.region_code == ctx.actor.region_code,
            DutyRule.category == category,
            DutyRule.area_unit_id == area.id,
            DutyRule.active.is_(True),
        )
    )
    if before is not None and before.unit_id == unit.id:
        return before
    if before is not None:
        _retire(before, ctx)
    rule = DutyRule(
        region_code=ctx.actor.region_code,
        category=category,
        area_unit_id=area.id,
        unit_id=unit.id,
        active=True,
        created_at=ctx.now,
        created_by=ctx.actor.user_id,
    )
    session.add(rule)
    session.flush()
    previous = session.get(Unit, before.unit_id) if before is not None else None
    record(
        session,
        ctx,
        "duty_rule_change" if before is not None else "duty_rule_add",
        f"category:{category}",
        {
            "category": category,
            "name": names[category],
            "area": area.code,
            "before": previous.code if previous is not None else None,
            "after": unit.code,
            "rule": rule.id,
        },
    )
    _forget_units(session, ctx.platform)
    return rule


def _retire(rule: DutyRule, ctx: ActionContext) -> None:
    rule.active = False
    rule.retired_at = ctx.now
    rule.retired_by = ctx.actor.user_id


def retire_duty_rule(session: Session, ctx: ActionContext, rule_id: int) -> DutyRule:
    """Stop an area rule: the area falls back to the next rule or the district default."""
    require_admin(ctx)
    rule = session.get(DutyRule, rule_id)
    if rule is None or rule.region_code != ctx.actor.region_code:
        raise not_found("职责规则")
    if not rule.active:
        raise DomainError("already_retired", "该规则已停用", 409)
    _retire(rule, ctx)
    area = session.get(Unit, rule.area_unit_id) if rule.area_unit_id else None
    unit = session.get(Unit, rule.unit_id)
    record(
        session,
        ctx,
        "duty_rule_retire",
        f"category:{rule.category}",
        {
            "category": rule.category,
            "area": area.code if area is not None else None,
            "before": unit.code if unit is not None else None,
            "after": None,
            "rule": rule.id,
        },
    )
    _forget_units(session, ctx.platform)
    return rule


# ---------------------------------------------------------------------------------------------
# Gazetteer entries


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


def add_gazetteer_entry(session: Session, ctx: ActionContext, form: EntryForm) -> GazetteerEntry:
    """A place name (estate, road, building, landmark) in a community, optionally on one of
    its grids."""
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
    community = _unit_by_code(session, ctx, form.community)
    if not form.community.strip():
        problems.append(Problem("required", "请选择社区（村）", "community"))
    elif community is None or not community.active or community.kind != "community":
        problems.append(Problem("unknown_unit", "社区不存在或已停用", "community"))
        community = None
    grid = _unit_by_code(session, ctx, form.grid)
    if form.grid.strip():
        if grid is None or not grid.active or grid.kind != "grid":
            problems.append(Problem("unknown_unit", "网格不存在或已停用", "grid"))
        elif community is not None and grid.parent_id != community.id:
            problems.append(Problem("wrong_grid", "网格不属于所选社区", "grid"))
    if problems:
        raise DomainError.from_problems(problems, 422)
    assert community is not None
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
    _forget_units(session, ctx.platform)
    return entry


def deactivate_gazetteer_entry(
    session: Session, ctx: ActionContext, entry_id: int
) -> GazetteerEntry:
    require_admin(ctx)
    entry = session.get(GazetteerEntry, entry_id)
    if entry is None or entry.region_code != ctx.actor.region_code:
        raise not_found("地名")
    if not entry.active:
        raise DomainError("already_inactive", "该地名已停用", 409)
    entry.active = False
    record(session, ctx, "gazetteer_deactivate", f"gazetteer:{entry.id}", {"name": entry.name})
    _forget_units(session, ctx.platform)
    return entry
