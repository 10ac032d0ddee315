"""Planned inspection items, the proposed plan, visits and their results.

A department registers planned items (target, supervision item, window, note); the plan
merges the open items with the pure planner; accepting it makes the visits. A visit records
one result per item (合格 / 责令整改 / 移送立案 with a note) and is done when every item has
one."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fazhi.actions.admin.common import record
from fazhi.domain.calendar import CalendarYearUnknown
from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError, not_found
from fazhi.enforcement.inspections import planner
from fazhi.enforcement.inspections.registers import EDIT_ROLES, may_edit_for, unit_names
from fazhi.enforcement.inspections.store import (
    InspectionPlanItem,
    InspectionResult,
    InspectionTarget,
    InspectionVisit,
    SupervisionItem,
)
from fazhi.store.models import Unit

if TYPE_CHECKING:
    from fazhi.actions.context import ActionContext

READER_ROLES = (*EDIT_ROLES, "supervisor", "district_leader")
# Accepting the plan commits several departments: the administrator or a unit leader.
ACCEPT_ROLES = ("admin", "unit_leader")
RESULTS = {"passed": "合格", "rectify": "责令整改", "refer": "移送立案"}
# At most this many visits a day per lead unit unless the deployment says otherwise.
DEFAULT_CAPACITY = 3
# The street's "1": its 综合行政执法 team in the organisation directory.
STREET_TEAM_MARK = "综合行政执法"


def parse_date(value: Any, field: str, label: str) -> date:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise DomainError("invalid_date", f"{label}应为 YYYY-MM-DD 日期", 422, field) from None


def check_plan_item(session: Session, ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """The planned item as it will be stored; DomainError naming the field at fault."""
    if not ctx.actor.has_role(*EDIT_ROLES):
        raise DomainError("forbidden_role", "当前角色无权登记检查计划", 403)
    region = ctx.actor.region_code
    target = session.get(InspectionTarget, as_int(data.get("target_id")))
    if target is None or target.region_code != region:
        raise DomainError("unknown_target", "检查对象不在检查对象名录中", 422, "target_id")
    item = session.get(SupervisionItem, as_int(data.get("supervision_item_id")))
    if item is None or item.region_code != region:
        raise DomainError("unknown_item", "监管事项不在监管事项清单中", 422, "supervision_item_id")
    department = session.get(Unit, item.department_id)
    if department is None or not may_edit_for(ctx, department):
        raise DomainError(
            "forbidden_unit", "只能登记本单位监管事项的检查计划", 403, "supervision_item_id"
        )
    start = parse_date(data.get("window_from"), "window_from", "计划开始日期")
    end = parse_date(data.get("window_to"), "window_to", "计划结束日期")
    if end < start:
        raise DomainError("invalid_window", "计划结束日期早于开始日期", 422, "window_to")
    if (end - start).days > 366:
        raise DomainError("invalid_window", "计划时段不能超过一年", 422, "window_to")
    note = str(data.get("note") or "").strip()
    if len(note) > 500:
        raise DomainError("too_long", "备注不能超过500字", 422, "note")
    return {
        "target_id": target.id,
        "supervision_item_id": item.id,
        "department_id": item.department_id,
        "window_from": start,
        "window_to": end,
        "note": note,
    }


def as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def do_add_plan_item(
    session: Session, ctx: ActionContext, data: dict[str, Any]
) -> InspectionPlanItem:
    """Store a planned item, open (on no visit yet).

    Preconditions: `data` came from `check_plan_item` for this actor."""
    row = InspectionPlanItem(
        region_code=ctx.actor.region_code, created_by=ctx.actor.user_id, created_at=ctx.now, **data
    )
    session.add(row)
    session.flush()
    record(session, ctx, "inspection_item_planned", f"inspection_plan_items/{row.id}", {})
    return row


def open_items(session: Session, region_code: str) -> list[InspectionPlanItem]:
    return list(
        session.scalars(
            select(InspectionPlanItem)
            .where(
                InspectionPlanItem.region_code == region_code, InspectionPlanItem.visit_id.is_(None)
            )
            .order_by(InspectionPlanItem.id)
        )
    )


def street_teams(session: Session, region_code: str) -> dict[int, int]:
    """Street unit id → its enforcement team's unit id (the first by code where several)."""
    teams: dict[int, int] = {}
    rows = session.scalars(
        select(Unit)
        .where(Unit.region_code == region_code, Unit.name.contains(STREET_TEAM_MARK), Unit.active)
        .order_by(Unit.code)
    )
    streets = {
        u.id
        for u in session.scalars(
            select(Unit).where(Unit.region_code == region_code, Unit.kind == "street")
        )
    }
    for team in rows:
        if team.parent_id in streets:
            teams.setdefault(team.parent_id, team.id)
    return teams


def propose(session: Session, ctx: ActionContext, capacity: int = DEFAULT_CAPACITY) -> planner.Plan:
    """The plan of the open items, from today on, counting the visits already scheduled."""
    if not ctx.actor.has_role(*READER_ROLES):
        raise DomainError("forbidden_role", "当前角色无权查看检查计划", 403)
    region = ctx.actor.region_code
    streets = dict(
        session.execute(
            select(InspectionTarget.id, InspectionTarget.street_id).where(
                InspectionTarget.region_code == region
            )
        ).all()
    )
    items = [
        planner.PlanItem(
            i.id,
            i.target_id,
            i.department_id,
            i.supervision_item_id,
            i.window_from,
            i.window_to,
            streets.get(i.target_id),
        )
        for i in open_items(session, region)
    ]
    busy = {
        (lead, day): n
        for lead, day, n in session.execute(
            select(InspectionVisit.lead_unit_id, InspectionVisit.day, func.count())
            .where(InspectionVisit.region_code == region, InspectionVisit.day.is_not(None))
            .group_by(InspectionVisit.lead_unit_id, InspectionVisit.day)
        ).all()
    }
    try:
        return planner.plan(
            items,
            ctx.platform.calendar(),
            street_teams(session, region),
            capacity,
            local_date(ctx.now),
            busy,
        )
    except CalendarYearUnknown as exc:
        raise DomainError(exc.code, exc.message, 422) from None


def check_capacity(value: Any) -> int:
    capacity = as_int(value if value not in (None, "") else DEFAULT_CAPACITY)
    if not 1 <= capacity <= 50:
        raise DomainError("invalid_capacity", "每日走访上限应为1至50的整数", 422, "capacity")
    return capacity


def do_accept_plan(session: Session, ctx: ActionContext, capacity: int) -> list[InspectionVisit]:
    """Make the proposed visits (those with a day) and put their items on them; items
    without a day stay open for the next plan.

    Preconditions: the caller holds the writer's turn (the plan is proposed and accepted in
    one transaction, so no other acceptance can take the same items)."""
    if not ctx.actor.has_role(*ACCEPT_ROLES):
        raise DomainError("forbidden_role", "只有单位负责人或系统管理员可以确认检查计划", 403)
    proposal = propose(session, ctx, capacity)
    made: list[InspectionVisit] = []
    for proposed in proposal.visits:
        if proposed.day is None:
            continue
        visit = InspectionVisit(
            region_code=ctx.actor.region_code,
            source="plan",
            target_id=proposed.target_id,
            lead_unit_id=proposed.lead_unit_id,
            day=proposed.day,
            window_from=proposed.window_from,
            window_to=proposed.window_to,
            inspectors=[],
            status="open",
            created_at=ctx.now,
        )
        session.add(visit)
        session.flush()
        for item in session.scalars(
            select(InspectionPlanItem).where(InspectionPlanItem.id.in_(proposed.item_ids))
        ):
            item.visit_id = visit.id
            session.add(
                InspectionResult(
                    visit_id=visit.id,
                    supervision_item_id=item.supervision_item_id,
                    department_id=item.department_id,
                    plan_item_id=item.id,
                    note="",
                )
            )
        made.append(visit)
    session.flush()
    record(
        session,
        ctx,
        "inspection_plan_accepted",
        "inspection_visits",
        {"visits": len(made), **proposal.report.as_json()},
    )
    return made


def load_visit(session: Session, ctx: ActionContext, visit_id: int) -> InspectionVisit:
    if not ctx.actor.has_role(*READER_ROLES):
        raise DomainError("forbidden_role", "当前角色无权查看检查", 403)
    visit = session.get(InspectionVisit, visit_id)
    if visit is None or visit.region_code != ctx.actor.region_code:
        raise not_found("检查")
    return visit


def may_record(session: Session, ctx: ActionContext, visit: InspectionVisit) -> bool:
    """The lead unit's staff and the staff of a department with an item on it record."""
    if ctx.actor.has_role("admin"):
        return True
    if not ctx.actor.has_role(*EDIT_ROLES):
        return False
    units = {visit.lead_unit_id, *(r.department_id for r in results_of(session, visit))}
    return any(
        u is not None and may_edit_for(ctx, u) for u in (session.get(Unit, i) for i in units)
    )


def results_of(session: Session, visit: InspectionVisit) -> list[InspectionResult]:
    return list(
        session.scalars(
            select(InspectionResult)
            .where(InspectionResult.visit_id == visit.id)
            .order_by(InspectionResult.id)
        )
    )


def check_results(
    session: Session, ctx: ActionContext, visit: InspectionVisit, data: dict[str, Any]
) -> dict[int, tuple[str, str]]:
    """{result id: (result, note)} for the items given; a blank result is left unrecorded."""
    if not may_record(session, ctx, visit):
        raise DomainError("forbidden_role", "只有牵头单位或事项所属部门可以登记检查结果", 403)
    given = data.get("results")
    if not isinstance(given, dict):
        raise DomainError(
            "invalid_results", "results 应为 {事项结果编号: {result, note}}", 422, "results"
        )
    ids = {r.id for r in results_of(session, visit)}
    out: dict[int, tuple[str, str]] = {}
    for key, value in given.items():
        rid, value = as_int(key), value if isinstance(value, dict) else {}
        result, note = str(value.get("result") or ""), str(value.get("note") or "").strip()
        if rid not in ids:
            raise DomainError("unknown_result", f"本次检查没有事项 {key}", 422, f"results.{key}")
        if result and result not in RESULTS:
            raise DomainError(
                "invalid_result", "检查结果应为 合格、责令整改 或 移送立案", 422, f"result_{rid}"
            )
        if result in ("rectify", "refer") and not note:
            raise DomainError("note_required", "责令整改或移送立案须写明情况", 422, f"note_{rid}")
        if len(note) > 1000:
            raise DomainError("too_long", "说明不能超过1000字", 422, f"note_{rid}")
        if result:
            out[rid] = (result, note)
    if not out:
        raise DomainError("no_results", "请至少登记一项检查结果", 422, "results")
    return out


def do_record_results(
    session: Session, ctx: ActionContext, visit: InspectionVisit, data: dict[int, tuple[str, str]]
) -> InspectionVisit:
    """Record the results; the visit is done once every item has one.

    Preconditions: `data` came from `check_results` for this visit and actor."""
    rows = results_of(session, visit)
    for row in rows:
        if row.id in data:
            row.result, row.note = data[row.id]
            row.recorded_by, row.recorded_at = ctx.actor.user_id, ctx.now
    if all(r.result for r in rows):
        visit.status, visit.done_at = "done", visit.done_at or ctx.now
    session.flush()
    record(
        session,
        ctx,
        "inspection_results_recorded",
        f"inspection_visits/{visit.id}",
        {"items": len(data)},
    )
    return visit


def visits(
    session: Session, ctx: ActionContext, unit_id: int | None = None
) -> list[InspectionVisit]:
    """Visits led by `unit_id`, or with an item of it; all the region's when None."""
    if not ctx.actor.has_role(*READER_ROLES):
        raise DomainError("forbidden_role", "当前角色无权查看检查", 403)
    query = select(InspectionVisit).where(InspectionVisit.region_code == ctx.actor.region_code)
    if unit_id is not None:
        with_items = select(InspectionResult.visit_id).where(
            InspectionResult.department_id == unit_id
        )
        query = query.where(
            or_(InspectionVisit.lead_unit_id == unit_id, InspectionVisit.id.in_(with_items))
        )
    return list(session.scalars(query.order_by(InspectionVisit.day, InspectionVisit.id)))


def present_visit(
    session: Session, visit: InspectionVisit, names: dict[int, str]
) -> dict[str, Any]:
    target = session.get(InspectionTarget, visit.target_id)
    rows = results_of(session, visit)
    items = {
        i.id: i
        for i in session.scalars(
            select(SupervisionItem).where(
                SupervisionItem.id.in_([r.supervision_item_id for r in rows])
            )
        )
    }
    return {
        "id": visit.id,
        "source": visit.source,
        "draw_id": visit.draw_id,
        "target": {"id": visit.target_id, "name": target.name if target else ""},
        "lead_unit": {"id": visit.lead_unit_id, "name": names.get(visit.lead_unit_id)},
        "day": visit.day.isoformat() if visit.day else None,
        "window": [visit.window_from.isoformat(), visit.window_to.isoformat()],
        "status": visit.status,
        "joint": len({r.department_id for r in rows}) > 1,
        "items": [
            {
                "id": r.id,
                "supervision_item": {
                    "id": r.supervision_item_id,
                    "code": items[r.supervision_item_id].code,
                    "name": items[r.supervision_item_id].name,
                },
                "department": names.get(r.department_id),
                "result": r.result,
                "result_label": RESULTS.get(r.result or "", "待检查"),
                "note": r.note,
            }
            for r in rows
        ],
    }


def present_plan(session: Session, proposal: planner.Plan, region_code: str) -> dict[str, Any]:
    names = unit_names(session, region_code)
    target_names = dict(
        session.execute(
            select(InspectionTarget.id, InspectionTarget.name).where(
                InspectionTarget.region_code == region_code
            )
        ).all()
    )
    return {
        "report": proposal.report.as_json(),
        "visits": [
            {
                "target": {"id": v.target_id, "name": target_names.get(v.target_id)},
                "lead_unit": {"id": v.lead_unit_id, "name": names.get(v.lead_unit_id)},
                "departments": [names.get(d) for d in v.department_ids],
                "item_ids": list(v.item_ids),
                "window": [v.window_from.isoformat(), v.window_to.isoformat()],
                "day": v.day.isoformat() if v.day else None,
                "joint": v.joint,
                "reason": v.reason,
            }
            for v in proposal.visits
        ],
    }
