"""双随机、一公开: a department draws targets from the register (by street, industry or
supervision item) and two of its validly certified officers per target; the draw keeps its
seed and both pools so `draw.draw` redoes it, makes one visit per target with the items to
check, and is published (targets, items and results; no personal data) on a public page."""

from __future__ import annotations

import secrets
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.admin.common import record
from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError, not_found
from fazhi.enforcement.inspections.draw import draw
from fazhi.enforcement.inspections.registers import EDIT_ROLES, may_edit_for, unit_names
from fazhi.enforcement.inspections.store import (
    InspectionDraw,
    InspectionResult,
    InspectionTarget,
    InspectionVisit,
    SupervisionItem,
)
from fazhi.enforcement.inspections.visits import RESULTS, as_int, parse_date, results_of
from fazhi.enforcement.store import Certificate
from fazhi.store.models import Unit

if TYPE_CHECKING:
    from fazhi.actions.context import ActionContext

MAX_SEED = 2**31 - 1  # fits the column on every database


def check_draw(session: Session, ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """The draw's parameters; DomainError naming the field at fault."""
    if not ctx.actor.has_role(*EDIT_ROLES):
        raise DomainError("forbidden_role", "当前角色无权组织双随机抽查", 403)
    region = ctx.actor.region_code
    department = session.get(Unit, as_int(data.get("department_id")) or ctx.actor.unit.id)
    if department is None or department.region_code != region or not may_edit_for(ctx, department):
        raise DomainError("forbidden_unit", "只能以本单位名义组织抽查", 403, "department_id")
    title = str(data.get("title") or "").strip()
    if not title or len(title) > 200:
        raise DomainError("invalid_title", "请填写抽查任务名称（200字以内）", 422, "title")
    ids = [as_int(i) for i in data.get("item_ids") or []]
    found = list(
        session.scalars(
            select(SupervisionItem).where(
                SupervisionItem.region_code == region, SupervisionItem.id.in_(ids)
            )
        )
    )
    if not ids or len(found) != len(set(ids)):
        raise DomainError("unknown_item", "请选择监管事项清单中的检查事项", 422, "item_ids")
    count = as_int(data.get("count"))
    if not 1 <= count <= 500:
        raise DomainError("invalid_count", "抽取对象数量应为1至500", 422, "count")
    seed_text = str(data.get("seed") if data.get("seed") is not None else "").strip()
    if seed_text and (not seed_text.isdigit() or int(seed_text) > MAX_SEED):
        raise DomainError("invalid_seed", f"随机种子应为0至{MAX_SEED}的整数", 422, "seed")
    start = parse_date(data.get("window_from"), "window_from", "检查开始日期")
    end = parse_date(data.get("window_to"), "window_to", "检查结束日期")
    if end < start:
        raise DomainError("invalid_window", "检查结束日期早于开始日期", 422, "window_to")
    filters = {
        "street_id": as_int(data.get("street_id")) or None,
        "industry": str(data.get("industry") or "").strip(),
    }
    return {
        "department": department,
        "title": title,
        "items": sorted(found, key=lambda i: i.id),
        "count": count,
        # A seed chosen by the platform when none is given (never from the clock).
        "seed": int(seed_text) if seed_text else secrets.randbelow(MAX_SEED),
        "window_from": start,
        "window_to": end,
        "filters": filters,
    }


def target_pool(
    session: Session, region: str, filters: dict[str, Any], items: list[SupervisionItem]
) -> list[int]:
    """The targets a draw may pick: of the street and industry asked for, and of the
    industry the items apply to (an item without one applies to all)."""
    query = select(InspectionTarget.id).where(InspectionTarget.region_code == region)
    if filters.get("street_id"):
        query = query.where(InspectionTarget.street_id == filters["street_id"])
    if filters.get("industry"):
        query = query.where(InspectionTarget.industry == filters["industry"])
    scoped = {i.industry for i in items if i.industry}
    if scoped:
        query = query.where(InspectionTarget.industry.in_(scoped))
    return sorted(session.scalars(query))


def inspector_pool(session: Session, region: str, department: Unit, on: date) -> list[int]:
    """Certificate ids of the department's officers (its units beneath too) valid on `on`."""
    return sorted(
        session.scalars(
            select(Certificate.id)
            .join(Unit, Unit.id == Certificate.unit_id)
            .where(
                Certificate.region_code == region,
                Certificate.revoked.is_(False),
                Certificate.valid_from <= on,
                Certificate.valid_to >= on,
                Unit.path.startswith(department.path),
            )
        )
    )


def do_draw(session: Session, ctx: ActionContext, data: dict[str, Any]) -> InspectionDraw:
    """Draw, record the draw with its pools, and make one visit per target drawn.

    Preconditions: `data` came from `check_draw` for this actor."""
    region, department = ctx.actor.region_code, data["department"]
    targets = target_pool(session, region, data["filters"], data["items"])
    if not targets:
        raise DomainError("empty_pool", "没有符合条件的检查对象", 422, "count")
    inspectors = inspector_pool(session, region, department, local_date(ctx.now))
    try:
        picks = draw(data["seed"], targets, data["count"], inspectors)
    except ValueError as exc:
        raise DomainError("too_few_inspectors", str(exc), 422, "department_id") from None
    row = InspectionDraw(
        region_code=region,
        title=data["title"],
        department_id=department.id,
        seed=data["seed"],
        target_count=data["count"],
        filters=data["filters"],
        item_ids=[i.id for i in data["items"]],
        pool_targets=targets,
        pool_inspectors=inspectors,
        picks=[{"target_id": p.target_id, "inspector_ids": list(p.inspector_ids)} for p in picks],
        window_from=data["window_from"],
        window_to=data["window_to"],
        drawn_by=ctx.actor.user_id,
        drawn_at=ctx.now,
    )
    session.add(row)
    session.flush()
    for pick in picks:
        visit = InspectionVisit(
            region_code=region,
            source="draw",
            draw_id=row.id,
            target_id=pick.target_id,
            lead_unit_id=department.id,
            day=None,
            window_from=row.window_from,
            window_to=row.window_to,
            inspectors=list(pick.inspector_ids),
            status="open",
            created_at=ctx.now,
        )
        session.add(visit)
        session.flush()
        for item in data["items"]:
            session.add(
                InspectionResult(
                    visit_id=visit.id,
                    supervision_item_id=item.id,
                    department_id=department.id,
                    note="",
                )
            )
    session.flush()
    record(
        session,
        ctx,
        "inspection_drawn",
        f"inspection_draws/{row.id}",
        {"seed": row.seed, "targets": len(picks)},
    )
    return row


def draws(session: Session, region: str) -> list[InspectionDraw]:
    return list(
        session.scalars(
            select(InspectionDraw)
            .where(InspectionDraw.region_code == region)
            .order_by(InspectionDraw.id.desc())
        )
    )


def load_draw(session: Session, region: str, draw_id: int) -> InspectionDraw:
    row = session.get(InspectionDraw, draw_id)
    if row is None or row.region_code != region:
        raise not_found("抽查任务")
    return row


def present_draw(session: Session, row: InspectionDraw, staff: bool) -> dict[str, Any]:
    """The draw as published (no personal data); `staff` adds the inspectors' names."""
    names = unit_names(session, row.region_code)
    items = {
        i.id: i
        for i in session.scalars(
            select(SupervisionItem).where(SupervisionItem.id.in_(row.item_ids))
        )
    }
    visits = list(
        session.scalars(
            select(InspectionVisit)
            .where(InspectionVisit.draw_id == row.id)
            .order_by(InspectionVisit.id)
        )
    )
    holders = (
        dict(session.execute(select(Certificate.id, Certificate.holder_name)).all())
        if staff
        else {}
    )
    out_targets = []
    for visit in visits:
        target = session.get(InspectionTarget, visit.target_id)
        entry: dict[str, Any] = {
            "visit_id": visit.id,
            "name": target.name if target else "",
            "credit_code": target.credit_code if target else "",
            "status": visit.status,
            "results": [
                {
                    "item": items[r.supervision_item_id].name,
                    "result": r.result,
                    "result_label": RESULTS.get(r.result or "", "待检查"),
                }
                for r in results_of(session, visit)
            ],
        }
        if staff:
            entry["inspectors"] = [holders.get(i, "") for i in visit.inspectors]
        out_targets.append(entry)
    return {
        "id": row.id,
        "title": row.title,
        "department": names.get(row.department_id),
        "seed": row.seed,
        "count": row.target_count,
        "filters": row.filters,
        "items": [
            {"code": items[i].code, "name": items[i].name} for i in row.item_ids if i in items
        ],
        "pool_targets": row.pool_targets,
        "pool_inspectors": row.pool_inspectors,
        "window": [row.window_from.isoformat(), row.window_to.isoformat()],
        "drawn_at": row.drawn_at.isoformat(),
        "targets": out_targets,
    }
