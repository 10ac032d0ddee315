"""The duty list (职责清单): each category's default lead unit (the mapping), and area rules
that give a category another lead unit in a street or community.

Rules are never edited in place: a change retires the old row and inserts a new one. Every
change drops the unit directory (which holds the mapping and the active rules) now and again
once it commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.admin.common import fail_on, forget_units, record, require_admin, text
from fazhi.actions.context import ActionContext
from fazhi.catalog.categories import load_categories
from fazhi.domain.errors import DomainError, Problem, not_found
from fazhi.org.directory import AREA_KINDS
from fazhi.store.models import DutyRule, Unit

# Units that may be a category's default lead unit; a category may be left without one only
# when routing has its own answer (矛盾纠纷 goes to the street where it happens).
DUTY_KINDS = ("department", "centre", "company")
MAY_BE_UNASSIGNED = frozenset({"DISPUTE"})
# Units that may lead a category in an area: a department (also one under a street, such
# as a 执法中队), a centre, a company, or the street or community itself.
RULE_UNIT_KINDS = ("department", "centre", "company", "street", "community")


def unit_by_code(session: Session, ctx: ActionContext, code: str) -> Unit | None:
    if not code:
        return None
    return session.scalar(
        select(Unit).where(Unit.region_code == ctx.actor.region_code, Unit.code == code.strip())
    )


def _category_names() -> dict[str, str]:
    return {c.code: c.name for c in load_categories()}


# ---------------------------------------------------------------------------------------------
# The mapping (分类 → 默认主办单位)


def duty_mapping(session: Session, region_code: str) -> dict[str, Unit]:
    """Category code → the unit whose `categories` lists it (active or not)."""
    found: dict[str, Unit] = {}
    for unit in session.scalars(
        select(Unit).where(Unit.region_code == region_code).order_by(Unit.id)
    ):
        for code in unit.categories or []:
            found.setdefault(code, unit)
    return found


def check_set_duty(
    session: Session, ctx: ActionContext, category: str, unit_code: str
) -> Unit | None:
    """Make `unit_code` the category's default lead unit ("" for none, where allowed): an
    active department, centre or company; then `do_set_duty`."""
    require_admin(ctx)
    if category not in _category_names():
        raise not_found("分类")
    unit_code = text(unit_code)
    target: Unit | None = None
    if not unit_code:
        if category not in MAY_BE_UNASSIGNED:
            raise DomainError("required", "该分类必须有默认主办单位", 422, "unit")
    else:
        target = unit_by_code(session, ctx, unit_code)
        if target is None or not target.active:
            raise DomainError("unknown_unit", "单位不存在或已停用", 422, "unit")
        if target.kind not in DUTY_KINDS:
            raise DomainError(
                "unit_kind", "默认主办单位应为部门、中心或公用事业与运营商", 422, "unit"
            )
    return do_set_duty(session, ctx, category, target)


def do_set_duty(
    session: Session, ctx: ActionContext, category: str, target: Unit | None
) -> Unit | None:
    """Move the category to `target` (None: no default unit), log it, drop the directory;
    nothing happens when it is already so.

    Preconditions: ctx.actor is an admin; the category and unit passed `check_set_duty`."""
    holders = [
        u
        for u in session.scalars(select(Unit).where(Unit.region_code == ctx.actor.region_code))
        if category in (u.categories or [])
    ]
    if [u.id for u in holders] == ([target.id] if target else []):
        return target
    for unit in holders:
        if unit is not target:
            # A new list, not an edit in place: the JSON column must see the change.
            unit.categories = [c for c in unit.categories if c != category]
    if target is not None and category not in (target.categories or []):
        target.categories = [*(target.categories or []), category]
    record(
        session,
        ctx,
        "duty_change",
        f"category:{category}",
        {
            "category": category,
            "name": _category_names()[category],
            "before": [u.code for u in holders],
            "after": target.code if target else None,
        },
    )
    forget_units(session, ctx.platform)
    return target


# ---------------------------------------------------------------------------------------------
# Area rules


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


def check_add_duty_rule(
    session: Session, ctx: ActionContext, category: str, area_code: str, unit_code: str
) -> DutyRule:
    """Make `unit_code` lead `category` in the street or community `area_code`: an active
    area of those kinds and an active unit that may lead; then `do_add_duty_rule`."""
    require_admin(ctx)
    if category not in _category_names():
        raise not_found("分类")
    problems: list[Problem] = []
    area = unit_by_code(session, ctx, area_code)
    if not area_code.strip():
        problems.append(Problem("required", "请选择街道或社区", "area"))
    elif area is None or not area.active or area.kind not in AREA_KINDS:
        problems.append(Problem("unknown_area", "区域应为在用的街道（镇）或社区（村）", "area"))
    unit = unit_by_code(session, ctx, unit_code)
    if not unit_code.strip():
        problems.append(Problem("required", "请选择承办单位", "unit"))
    elif unit is None or not unit.active:
        problems.append(Problem("unknown_unit", "单位不存在或已停用", "unit"))
    elif unit.kind not in RULE_UNIT_KINDS:
        problems.append(Problem("unit_kind", "承办单位不能是区或网格", "unit"))
    fail_on(problems)
    assert area is not None and unit is not None
    return do_add_duty_rule(session, ctx, category, area, unit)


def do_add_duty_rule(
    session: Session, ctx: ActionContext, category: str, area: Unit, unit: Unit
) -> DutyRule:
    """Insert the rule, retiring an active rule for the same area (the change stays in the
    history); log it and drop the directory. The same rule again changes nothing.

    Preconditions: ctx.actor is an admin; the values passed `check_add_duty_rule`."""
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
            "name": _category_names()[category],
            "area": area.code,
            "before": previous.code if previous is not None else None,
            "after": unit.code,
            "rule": rule.id,
        },
    )
    forget_units(session, ctx.platform)
    return rule


def _retire(rule: DutyRule, ctx: ActionContext) -> None:
    rule.active = False
    rule.retired_at = ctx.now
    rule.retired_by = ctx.actor.user_id


def check_retire_duty_rule(session: Session, ctx: ActionContext, rule_id: int) -> DutyRule:
    """Stop an active area rule of the region; then `do_retire_duty_rule`."""
    require_admin(ctx)
    rule = session.get(DutyRule, rule_id)
    if rule is None or rule.region_code != ctx.actor.region_code:
        raise not_found("职责规则")
    if not rule.active:
        raise DomainError("already_retired", "该规则已停用", 409)
    return do_retire_duty_rule(session, ctx, rule)


def do_retire_duty_rule(session: Session, ctx: ActionContext, rule: DutyRule) -> DutyRule:
    """Retire the rule (the area falls back to the next rule or the district default), log
    it and drop the directory.

    Preconditions: ctx.actor is an admin; the rule is active (`check_retire_duty_rule`)."""
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
    forget_units(session, ctx.platform)
    return rule
