"""The registers inspections draw on: the inspection targets (企业/场所, with a validated
unified social credit code) and the supervision items register (监管事项清单: code, name,
department, legal basis, way of checking). Both are imported as CSV, all or nothing (every
bad row reported, none written), or kept one record at a time in the console; a credit code
or item code already held is updated. Each change is in the admin log."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.admin.common import record
from fazhi.domain.errors import DomainError, Problem
from fazhi.enforcement import register_csv
from fazhi.enforcement.inspections.codes import credit_code_fault
from fazhi.enforcement.inspections.store import InspectionTarget, SupervisionItem
from fazhi.store.models import Unit

if TYPE_CHECKING:
    from fazhi.actions.context import ActionContext

# Department staff and the street's team keep the registers; the platform's own account
# imports at the terminal.
EDIT_ROLES = ("admin", "system", "unit_leader", "unit_handler", "enforcement_officer")
# Who may change records of any unit (the others only their own unit and those below it).
ALL_UNITS_ROLES = ("admin", "system")
MAX_ROWS = 5000
KINDS = {"company": "企业", "place": "场所"}
TARGET_COLUMNS = {
    "name": ("name", "名称"),
    "credit_code": ("credit_code", "统一社会信用代码"),
    "kind": ("kind", "类型"),
    "address": ("address", "地址"),
    "street": ("street", "所属街道"),
    "industry": ("industry", "行业"),
}
ITEM_COLUMNS = {
    "code": ("code", "事项编码"),
    "name": ("name", "事项名称"),
    "department": ("department", "实施部门"),
    "legal_basis": ("legal_basis", "设定依据"),
    "method": ("method", "检查方式"),
    "industry": ("industry", "适用行业"),
}
Faults = list[tuple[str, str]]


def parse_csv(text: str, columns: Mapping[str, tuple[str, str]]) -> list[dict[str, str]]:
    """CSV rows under English or Chinese headers (every column is required)."""
    return register_csv.parse_csv(text, columns)


def may_edit_for(ctx: ActionContext, unit: Unit) -> bool:
    """Whether the actor may keep records of `unit` (their own unit or one beneath it)."""
    return ctx.actor.has_role(*ALL_UNITS_ROLES) or unit.path.startswith(ctx.actor.unit.path)


def _require_editor(ctx: ActionContext) -> None:
    if not ctx.actor.has_role(*EDIT_ROLES):
        raise DomainError("forbidden_role", "当前角色无权维护检查名录和监管事项清单", 403)


def _units(session: Session, region_code: str) -> dict[str, Unit]:
    """Units by code and by full name (a spreadsheet names them either way)."""
    found: dict[str, Unit] = {}
    for unit in session.scalars(select(Unit).where(Unit.region_code == region_code)):
        found.setdefault(unit.code, unit)
        found.setdefault(unit.name, unit)
    return found


def _target_faults(row: dict[str, str], units: dict[str, Unit]) -> Faults:
    faults: Faults = []
    if not row.get("name") or len(row["name"]) > 200:
        faults.append(("name", "名称为空或超过200字"))
    code = (row.get("credit_code") or "").upper()
    fault = credit_code_fault(code)
    if fault:
        faults.append(("credit_code", fault))
    if (row.get("kind") or "") not in (*KINDS, *KINDS.values()):
        faults.append(("kind", "类型应为 企业 或 场所"))
    if not row.get("address") or len(row["address"]) > 300:
        faults.append(("address", "地址为空或超过300字"))
    street = units.get(row.get("street") or "")
    if row.get("street") and (street is None or street.kind != "street"):
        faults.append(("street", f"没有街道（镇）{row['street']}"))
    if len(row.get("industry") or "") > 50:
        faults.append(("industry", "行业超过50字"))
    return faults


def _item_faults(ctx: ActionContext, row: dict[str, str], units: dict[str, Unit]) -> Faults:
    faults: Faults = []
    if not row.get("code") or len(row["code"]) > 40:
        faults.append(("code", "事项编码为空或超过40位"))
    if not row.get("name") or len(row["name"]) > 200:
        faults.append(("name", "事项名称为空或超过200字"))
    unit = units.get(row.get("department") or "")
    if unit is None:
        faults.append(("department", f"没有单位 {row.get('department') or '（空）'}"))
    elif not may_edit_for(ctx, unit):
        faults.append(("department", f"只能登记本单位的监管事项，不能登记{unit.name}的"))
    if not row.get("legal_basis"):
        faults.append(("legal_basis", "设定依据为空"))
    if not row.get("method") or len(row["method"]) > 200:
        faults.append(("method", "检查方式为空或超过200字"))
    if len(row.get("industry") or "") > 50:
        faults.append(("industry", "适用行业超过50字"))
    return faults


def _check(
    rows: list[dict[str, str]], faults_of: Callable[[dict[str, str]], Faults], key: str
) -> list[dict[str, str]]:
    """The rows, or DomainError listing every bad row (1-based after the header, as the
    certificate register counts); a single row (the console form) names bare fields."""
    if not rows:
        raise DomainError("empty_file", "文件中没有记录", 422, "file")
    if len(rows) > MAX_ROWS:
        raise DomainError("too_many_records", f"每次最多导入 {MAX_ROWS} 条", 422, "file")
    problems: list[Problem] = []
    seen: set[str] = set()
    single = len(rows) == 1
    for i, row in enumerate(rows, start=1):
        faults = faults_of(row)
        value = (row.get(key) or "").upper()
        if value and value in seen:
            faults.append((key, f"{value} 在文件中重复"))
        seen.add(value)
        for field, message in faults:
            problems.append(
                Problem("invalid_row", message, field)
                if single
                else register_csv.row_problem(i, field, message)
            )
    if problems and single:
        raise DomainError.from_problems(problems)
    register_csv.refuse_bad_rows(problems)
    return rows


def check_targets(
    session: Session, ctx: ActionContext, rows: list[dict[str, str]]
) -> list[dict[str, str]]:
    _require_editor(ctx)
    units = _units(session, ctx.actor.region_code)
    return _check(rows, lambda r: _target_faults(r, units), "credit_code")


def check_items(
    session: Session, ctx: ActionContext, rows: list[dict[str, str]]
) -> list[dict[str, str]]:
    _require_editor(ctx)
    units = _units(session, ctx.actor.region_code)
    checked = _check(rows, lambda r: _item_faults(ctx, r, units), "code")
    held = {
        i.code: i
        for i in session.scalars(
            select(SupervisionItem).where(SupervisionItem.region_code == ctx.actor.region_code)
        )
    }
    for row in checked:
        item = held.get(row["code"])
        if item is not None and not ctx.actor.has_role(*ALL_UNITS_ROLES):
            owner = session.get(Unit, item.department_id)
            if owner is not None and not may_edit_for(ctx, owner):
                raise DomainError(
                    "forbidden_unit",
                    f"监管事项 {item.code} 属于{owner.name}，不能修改",
                    403,
                    "code",
                )
    return checked


def do_import_targets(
    session: Session, ctx: ActionContext, rows: list[dict[str, str]]
) -> tuple[int, int]:
    """Insert new targets, update those whose credit code is held; (added, updated).

    Preconditions: `rows` came from `check_targets` for this actor."""
    units = _units(session, ctx.actor.region_code)
    held = {
        t.credit_code: t
        for t in session.scalars(
            select(InspectionTarget).where(InspectionTarget.region_code == ctx.actor.region_code)
        )
    }
    added = updated = 0
    for row in rows:
        code = row["credit_code"].upper()
        target = held.get(code)
        if target is None:
            target = InspectionTarget(region_code=ctx.actor.region_code, credit_code=code)
            session.add(target)
            held[code] = target
            added += 1
        else:
            updated += 1
        street = units.get(row.get("street") or "")
        target.name, target.address = row["name"], row["address"]
        target.kind = row["kind"] if row["kind"] in KINDS else _kind_of(row["kind"])
        target.street_id = street.id if street else None
        target.industry = row.get("industry") or ""
        target.updated_by, target.updated_at = ctx.actor.user_id, ctx.now
    session.flush()
    record(
        session,
        ctx,
        "inspection_targets_saved",
        "inspection_targets",
        {"added": added, "updated": updated},
    )
    return added, updated


def _kind_of(label: str) -> str:
    return next(k for k, v in KINDS.items() if v == label)


def do_import_items(
    session: Session, ctx: ActionContext, rows: list[dict[str, str]]
) -> tuple[int, int]:
    """Insert new supervision items, update those whose code is held; (added, updated).

    Preconditions: `rows` came from `check_items` for this actor."""
    units = _units(session, ctx.actor.region_code)
    held = {
        i.code: i
        for i in session.scalars(
            select(SupervisionItem).where(SupervisionItem.region_code == ctx.actor.region_code)
        )
    }
    added = updated = 0
    for row in rows:
        item = held.get(row["code"])
        if item is None:
            item = SupervisionItem(region_code=ctx.actor.region_code, code=row["code"])
            session.add(item)
            held[row["code"]] = item
            added += 1
        else:
            updated += 1
        item.name, item.department_id = row["name"], units[row["department"]].id
        item.legal_basis, item.method = row["legal_basis"], row["method"]
        item.industry = row.get("industry") or ""
        item.updated_by, item.updated_at = ctx.actor.user_id, ctx.now
    session.flush()
    record(
        session,
        ctx,
        "supervision_items_saved",
        "supervision_items",
        {"added": added, "updated": updated},
    )
    return added, updated


def targets(session: Session, region_code: str) -> list[InspectionTarget]:
    return list(
        session.scalars(
            select(InspectionTarget)
            .where(InspectionTarget.region_code == region_code)
            .order_by(InspectionTarget.name, InspectionTarget.id)
        )
    )


def items(session: Session, region_code: str) -> list[SupervisionItem]:
    return list(
        session.scalars(
            select(SupervisionItem)
            .where(SupervisionItem.region_code == region_code)
            .order_by(SupervisionItem.code)
        )
    )


def unit_names(session: Session, region_code: str) -> dict[int, str]:
    return {
        u.id: u.short_name or u.name
        for u in session.scalars(select(Unit).where(Unit.region_code == region_code))
    }


def present_target(t: InspectionTarget, names: Mapping[int, str]) -> dict[str, Any]:
    return {
        "id": t.id,
        "kind": t.kind,
        "kind_label": KINDS.get(t.kind, t.kind),
        "name": t.name,
        "credit_code": t.credit_code,
        "address": t.address,
        "street": names.get(t.street_id) if t.street_id else None,
        "street_id": t.street_id,
        "industry": t.industry,
    }


def present_item(i: SupervisionItem, names: Mapping[int, str]) -> dict[str, Any]:
    return {
        "id": i.id,
        "code": i.code,
        "name": i.name,
        "department": names.get(i.department_id),
        "department_id": i.department_id,
        "legal_basis": i.legal_basis,
        "method": i.method,
        "industry": i.industry,
    }
