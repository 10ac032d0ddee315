"""The dispatch catalogue (派单目录) and the rule it carries at dispatch.

国办函〔2025〕66号 asks that the hotline's dispatch rest on a catalogue built from the
departments' 三定 duties and the street duty lists, and that departmental duties not be pushed
down to streets. Here: the hotline centre (supervisors, administrators) keeps the catalogue;
every change is in the admin log. A dispatch, reassignment or upheld objection that gives a
street, community or grid an order whose item is departmental is refused unless the
dispatcher records why (`street_reason`, kept in the event's inputs).

The order's item is the one the dispatcher names (`catalogue_item`), else the one recorded
on the order if it is of the order's category; with neither, the category decides when
every active item of it is departmental (a category with street items too is left to the
dispatcher's choice of item).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.action_checks import register_check
from fazhi.actions.admin.common import record
from fazhi.catalog.categories import load_categories
from fazhi.domain.errors import DomainError, Problem
from fazhi.hotline.store.catalogue import DEPARTMENT, LEVELS, STREET, CatalogueItem
from fazhi.store.models import Unit

if TYPE_CHECKING:
    from fazhi.actions.context import ActionContext
    from fazhi.domain.workflow import Plan
    from fazhi.store.models import Case

EDIT_ROLES = ("supervisor", "admin")
# Units that are the street level: an order given to one of these is pushed down.
STREET_KINDS = frozenset({"street", "community", "grid"})
# Kinds that may lead a department item (a street's own 执法中队 is a department too).
LEAD_KINDS = ("department", "centre", "company")
ITEM_FIELD = "catalogue_item"
REASON_INPUT = "street_reason"
CHECKED_ACTIONS = ("dispatch", "reassign", "uphold_return")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")


# ---------------------------------------------------------------------------------------------
# Reading (what the check, the pages and the API share)


def active_items(session: Session, region_code: str) -> list[CatalogueItem]:
    return list(
        session.scalars(
            select(CatalogueItem)
            .where(CatalogueItem.region_code == region_code, CatalogueItem.active.is_(True))
            .order_by(CatalogueItem.category, CatalogueItem.code)
        )
    )


def item_by_code(session: Session, region_code: str, code: str) -> CatalogueItem | None:
    return session.scalar(
        select(CatalogueItem).where(
            CatalogueItem.region_code == region_code, CatalogueItem.code == code.strip()
        )
    )


def category_level(items: list[CatalogueItem], category: str) -> str | None:
    """DEPARTMENT when every active item of the category is departmental, else None."""
    levels = {i.level for i in items if i.category == category and i.active}
    return DEPARTMENT if levels == {DEPARTMENT} else None


# ---------------------------------------------------------------------------------------------
# Keeping the catalogue


@dataclass(frozen=True)
class ItemInput:
    code: str
    name: str
    category: str
    level: str
    unit: Unit | None
    basis: str
    covers: str


def require_editor(ctx: ActionContext) -> None:
    if not ctx.actor.has_role(*EDIT_ROLES):
        raise DomainError(
            "forbidden_role", "只有热线中心（督办人员、系统管理员）可以维护派单目录", 403
        )


def check_item(
    session: Session, ctx: ActionContext, raw: dict[str, Any], item_id: int | None = None
) -> ItemInput:
    """An item the actor may save: every problem at once (a code is unique in the region)."""
    require_editor(ctx)

    def text(name: str) -> str:
        return str(raw.get(name) or "").strip()

    code, name, category, level = text("code"), text("name"), text("category"), text("level")
    basis, covers, unit_code = text("basis"), text("covers"), text("unit")
    problems: list[Problem] = []
    if not code:
        problems.append(Problem("required", "请填写事项编号", "code"))
    elif not _CODE.match(code):
        problems.append(
            Problem("invalid_value", "事项编号只能由字母、数字、-和_组成，至多20位", "code")
        )
    else:
        same = item_by_code(session, ctx.actor.region_code, code)
        if same is not None and same.id != item_id:
            problems.append(
                Problem("duplicate", f"事项编号 {code} 已被「{same.name}」使用", "code")
            )
    if not name:
        problems.append(Problem("required", "请填写事项名称", "name"))
    elif len(name) > 100:
        problems.append(Problem("too_long", "事项名称不能超过100个字", "name"))
    if category not in {c.code for c in load_categories()}:
        problems.append(Problem("invalid_value", "请选择诉求分类", "category"))
    if level not in LEVELS:
        problems.append(
            Problem("invalid_value", "请选择职责层级（部门职责或属地街道职责）", "level")
        )
    unit: Unit | None = None
    if level == DEPARTMENT:
        unit = (
            session.scalar(
                select(Unit).where(
                    Unit.region_code == ctx.actor.region_code, Unit.code == unit_code
                )
            )
            if unit_code
            else None
        )
        if not unit_code:
            problems.append(Problem("required", "部门职责事项须指定主办单位", "unit"))
        elif unit is None or not unit.active:
            problems.append(Problem("unknown_unit", "单位不存在或已停用", "unit"))
        elif unit.kind not in LEAD_KINDS:
            problems.append(
                Problem("unit_kind", "部门职责事项的主办单位应为部门、中心或公用事业单位", "unit")
            )
    if not basis:
        problems.append(Problem("required", "请填写法律依据或“三定”来源", "basis"))
    elif len(basis) > 500:
        problems.append(Problem("too_long", "依据不能超过500个字", "basis"))
    if len(covers) > 500:
        problems.append(Problem("too_long", "常见诉求不能超过500个字", "covers"))
    if problems:
        raise DomainError.from_problems(problems)
    return ItemInput(
        code, name, category, level, unit if level == DEPARTMENT else None, basis, covers
    )


def _describe(item: CatalogueItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "category": item.category,
        "level": item.level,
        "unit_id": item.unit_id,
        "basis": item.basis,
        "active": item.active,
    }


def load_item(session: Session, ctx: ActionContext, item_id: int) -> CatalogueItem:
    item = session.get(CatalogueItem, item_id)
    if item is None or item.region_code != ctx.actor.region_code:
        raise DomainError("not_found", "派单目录中没有该事项", 404)
    return item


def do_save_item(
    session: Session, ctx: ActionContext, data: ItemInput, item_id: int | None = None
) -> CatalogueItem:
    """Add an item, or change `item_id` in place (a retired item saved again is in use
    again); the admin log keeps what it was.

    Preconditions: `data` came from `check_item` for this actor and `item_id`."""
    before: dict[str, Any] | None = None
    if item_id is None:
        item = CatalogueItem(region_code=ctx.actor.region_code, covers="")
        session.add(item)
    else:
        item = load_item(session, ctx, item_id)
        before = _describe(item)
    item.code, item.name, item.category, item.level = (
        data.code,
        data.name,
        data.category,
        data.level,
    )
    item.unit_id = data.unit.id if data.unit is not None else None
    item.basis, item.covers, item.active = data.basis, data.covers, True
    item.updated_by, item.updated_at = ctx.actor.user_id, ctx.now
    session.flush()
    record(
        session,
        ctx,
        "catalogue_item_saved",
        f"catalogue:{item.code}",
        {"before": before, "after": _describe(item)},
    )
    return item


def do_retire_item(session: Session, ctx: ActionContext, item: CatalogueItem) -> None:
    """Take an item out of the published catalogue (kept, and orders keep naming it).

    Preconditions: the actor passed `require_editor`; `item` came from `load_item`."""
    if not item.active:
        return
    item.active = False
    item.updated_by, item.updated_at = ctx.actor.user_id, ctx.now
    record(session, ctx, "catalogue_item_retired", f"catalogue:{item.code}", _describe(item))


def seed_items(session: Session, ctx: ActionContext, rows: list[dict[str, Any]]) -> int:
    """Load rows (the demo file's shape) into an empty catalogue; 0 when it has items."""
    if session.scalar(
        select(CatalogueItem.id).where(CatalogueItem.region_code == ctx.actor.region_code)
    ):
        return 0
    for row in rows:
        do_save_item(session, ctx, check_item(session, ctx, row))
    return len(rows)


# ---------------------------------------------------------------------------------------------
# The rule at dispatch


def order_item(
    session: Session,
    region_code: str,
    inputs: dict[str, Any],
    fields: dict[str, Any],
    category: str,
) -> tuple[CatalogueItem | None, str | None]:
    """The order's catalogue item (or None) and its level, by the rule in the docstring."""
    named = str(inputs.get(ITEM_FIELD) or "").strip()
    if named:
        item = item_by_code(session, region_code, named)
        if item is None or not item.active:
            raise DomainError("unknown_item", f"派单目录中没有事项 {named}", 422, ITEM_FIELD)
        if item.category != category:
            raise DomainError(
                "item_category",
                f"事项「{item.name}」不属于该工单的诉求分类，请更正分类或另选事项",
                422,
                ITEM_FIELD,
            )
        return item, item.level
    recorded = str(fields.get(ITEM_FIELD) or "")
    item = item_by_code(session, region_code, recorded) if recorded else None
    if item is not None and item.category == category:
        return item, item.level
    return None, category_level(
        [i for i in active_items(session, region_code) if i.category == category], category
    )


@register_check("hotline", *CHECKED_ACTIONS)
def check_not_pushed_down(session: Session, ctx: ActionContext, case: Case, plan: Plan) -> None:
    """Refuse giving a departmental item to a street level unit without a recorded reason."""
    lead = plan.lead_unit
    category = str(plan.fields.get("category") or case.category or "")
    item, level = order_item(session, case.region_code, plan.inputs, plan.fields, category)
    if lead is None or lead.kind not in STREET_KINDS or level != DEPARTMENT:
        return
    if str(plan.inputs.get(REASON_INPUT) or "").strip():
        return
    what = f"「{item.name}」" if item is not None else "该分类的事项"
    owner = ""
    if item is not None and item.unit_id:
        unit = session.get(Unit, item.unit_id)
        owner = f"（派单目录：{unit.name}）" if unit is not None else ""
    raise DomainError(
        "departmental_item",
        f"{what}属部门职责{owner}，不得下推街道；确需由街道办理的，请填写派至街道的理由",
        422,
        REASON_INPUT,
    )


__all__ = ["DEPARTMENT", "LEVELS", "STREET", "CatalogueItem"]
