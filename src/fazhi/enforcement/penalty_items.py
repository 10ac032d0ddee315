"""The penalty-item register (行政处罚事项清单) with each item's discretion benchmark (裁量基准:
for every circumstance the range of the fine), and the rule it carries: a decision that names
an item and a circumstance with a fine outside that range is refused until the officer states
why (the warning at decision time); the file's review then reports it (rule
`benchmark.range`), because the export carries the benchmark in the manifest.

Imported as CSV, one row per circumstance (all or nothing: every bad row is reported, none
written); an item whose code is held is replaced whole. Each import is in the admin log.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.action_checks import register_check
from fazhi.actions.admin.common import record
from fazhi.domain.errors import DomainError, Problem
from fazhi.enforcement import register_csv
from fazhi.enforcement.store import PenaltyItem
from fazhi.store.models import Unit

if TYPE_CHECKING:
    from fazhi.actions.context import ActionContext
    from fazhi.domain.workflow import Plan
    from fazhi.store.models import Case

EDIT_ROLES = ("admin", "system")
# Who works with the register: the officers who decide, the reviewers who check, leaders.
READ_ROLES = (
    "enforcement_officer",
    "legal_reviewer",
    "case_file_reviewer",
    "unit_leader",
    "supervisor",
    "district_leader",
    "admin",
)
COLUMNS = {
    "code": ("code", "事项编码"),
    "name": ("name", "事项名称"),
    "unit": ("unit", "实施单位"),
    "basis": ("basis", "处罚依据"),
    "circumstance": ("circumstance", "违法情形"),
    "min": ("min", "罚款下限"),
    "max": ("max", "罚款上限"),
}
REQUIRED = ("code", "name", "basis", "circumstance", "min", "max")
MAX_ROWS = 5000


@dataclass(frozen=True)
class ItemInput:
    code: str
    name: str
    unit_id: int | None
    basis: str
    benchmarks: tuple[dict[str, Any], ...]


def _yuan(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None


def parse_csv(text: str) -> list[dict[str, str]]:
    """CSV rows under English or Chinese headers; DomainError for unknown or missing ones."""
    return register_csv.parse_csv(text, COLUMNS, REQUIRED)


def check_rows(session: Session, ctx: ActionContext, rows: list[dict[str, str]]) -> list[ItemInput]:
    """The rows grouped into items (in first-seen order), or DomainError listing every bad row
    (1-based after the header). Rows of one code must agree on its name, unit and basis."""
    if not ctx.actor.has_role(*EDIT_ROLES):
        raise DomainError("forbidden_role", "只有系统管理员可以维护行政处罚事项清单", 403)
    if not rows:
        raise DomainError("empty_file", "文件中没有事项记录", 422, "file")
    if len(rows) > MAX_ROWS:
        raise DomainError("too_many_records", f"每次最多导入 {MAX_ROWS} 行", 422, "file")
    units = {
        u.code: u.id
        for u in session.scalars(select(Unit).where(Unit.region_code == ctx.actor.region_code))
    }
    problems: list[Problem] = []
    heads: dict[str, tuple[str, str, str]] = {}
    ranges: dict[str, list[dict[str, Any]]] = {}
    for i, row in enumerate(rows, start=1):
        code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
        unit, basis = (row.get("unit") or "").strip(), (row.get("basis") or "").strip()
        circumstance = (row.get("circumstance") or "").strip()
        low, high = _yuan(row.get("min") or ""), _yuan(row.get("max") or "")
        faults: list[tuple[str, str]] = []
        if not code or len(code) > 40:
            faults.append(("code", "事项编码为空或超过40位"))
        if not name or len(name) > 200:
            faults.append(("name", "事项名称为空或超过200字"))
        if unit and unit not in units:
            faults.append(("unit", f"没有单位 {unit}"))
        if not basis or len(basis) > 2000:
            faults.append(("basis", "处罚依据为空或超过2000字"))
        if not circumstance or len(circumstance) > 200:
            faults.append(("circumstance", "违法情形为空或超过200字"))
        if low is None:
            faults.append(("min", "罚款下限应为不小于0的数字（元）"))
        if high is None:
            faults.append(("max", "罚款上限应为不小于0的数字（元）"))
        if low is not None and high is not None and high < low:
            faults.append(("max", "罚款上限小于下限"))
        if code and code in heads and not faults and heads[code] != (name, unit, basis):
            faults.append(("code", f"事项 {code} 的名称、单位或依据与前面的行不一致"))
        if code and any(b["circumstance"] == circumstance for b in ranges.get(code, [])):
            faults.append(("circumstance", f"事项 {code} 的情形「{circumstance}」重复"))
        problems.extend(register_csv.row_problem(i, field, message) for field, message in faults)
        if not faults and low is not None and high is not None:
            heads.setdefault(code, (name, unit, basis))
            ranges.setdefault(code, []).append(
                {"circumstance": circumstance, "min": float(low), "max": float(high)}
            )
    register_csv.refuse_bad_rows(problems)
    return [
        ItemInput(code, name, units.get(unit) if unit else None, basis, tuple(ranges[code]))
        for code, (name, unit, basis) in heads.items()
    ]


def do_import(session: Session, ctx: ActionContext, data: list[ItemInput]) -> tuple[int, int]:
    """Insert new items and replace those whose code is held; (added, updated).

    Preconditions: `data` came from `check_rows` for this actor."""
    held = {i.code: i for i in items(session, ctx.actor.region_code)}
    added = updated = 0
    for entry in data:
        item = held.get(entry.code)
        if item is None:
            item = PenaltyItem(region_code=ctx.actor.region_code, code=entry.code)
            session.add(item)
            added += 1
        else:
            updated += 1
        item.name, item.unit_id, item.basis = entry.name, entry.unit_id, entry.basis
        item.benchmarks = [dict(b) for b in entry.benchmarks]
        item.updated_by, item.updated_at = ctx.actor.user_id, ctx.now
    session.flush()
    record(
        session,
        ctx,
        "penalty_items_imported",
        "penalty_items",
        {"added": added, "updated": updated},
    )
    return added, updated


def check_may_read_items(ctx: ActionContext) -> None:
    if not ctx.actor.has_role(*READ_ROLES):
        raise DomainError("forbidden_role", "无权查看行政处罚事项清单", 403)


def items(session: Session, region_code: str) -> list[PenaltyItem]:
    return list(
        session.scalars(
            select(PenaltyItem)
            .where(PenaltyItem.region_code == region_code)
            .order_by(PenaltyItem.code)
        )
    )


def item_by_code(session: Session, region_code: str, code: str) -> PenaltyItem | None:
    return session.scalar(
        select(PenaltyItem).where(PenaltyItem.region_code == region_code, PenaltyItem.code == code)
    )


def benchmark_of(item: PenaltyItem, circumstance: str) -> dict[str, Any] | None:
    return next((b for b in item.benchmarks if b.get("circumstance") == circumstance), None)


def manifest_benchmark(
    session: Session, region_code: str, fields: dict[str, Any]
) -> dict[str, Any] | None:
    """The case's item and circumstance with its range, as the export's `penalty.benchmark`
    (a Fazhi extension of fazhi-case-file/1), or None when the case names none."""
    code = str(fields.get("penalty_item") or "").strip()
    if not code:
        return None
    item = item_by_code(session, region_code, code)
    found = benchmark_of(item, str(fields.get("circumstance") or "")) if item else None
    if item is None or found is None:
        return None
    return {
        "item": item.code,
        "name": item.name,
        "circumstance": found["circumstance"],
        "min": found["min"],
        "max": found["max"],
        **({"reason": fields["benchmark_reason"]} if fields.get("benchmark_reason") else {}),
    }


def _yuan_text(value: float) -> str:
    return f"{Decimal(str(value)).normalize():f}"


@register_check("penalty_case", "decide", "summary_decide")
def check_within_benchmark(session: Session, ctx: ActionContext, case: Case, plan: Plan) -> None:
    """A named item must be in the register and the circumstance one of its own; a fine
    outside the circumstance's range needs the officer's reason (`benchmark_reason`)."""
    inputs = plan.inputs
    code = str(inputs.get("penalty_item") or "").strip()
    circumstance = str(inputs.get("circumstance") or "").strip()
    if not code:
        if circumstance:
            raise DomainError(
                "penalty_item_required",
                "填写违法情形的，须同时填写处罚事项编码",
                422,
                "penalty_item",
            )
        return
    item = item_by_code(session, case.region_code, code)
    if item is None:
        raise DomainError(
            "unknown_penalty_item", f"行政处罚事项清单中没有事项 {code}", 422, "penalty_item"
        )
    found = benchmark_of(item, circumstance)
    if found is None:
        offered = "、".join(str(b.get("circumstance")) for b in item.benchmarks)
        raise DomainError(
            "unknown_circumstance",
            f"事项「{item.name}」的裁量基准中没有情形「{circumstance}」，可选：{offered}",
            422,
            "circumstance",
        )
    if inputs.get("penalty_kind") != "fine" or inputs.get("fine_amount") in (None, ""):
        return
    amount = Decimal(str(inputs["fine_amount"]))
    low, high = Decimal(str(found["min"])), Decimal(str(found["max"]))
    if low <= amount <= high or str(inputs.get("benchmark_reason") or "").strip():
        return
    raise DomainError(
        "outside_benchmark",
        f"罚款{_yuan_text(float(amount))}元超出「{item.name}」{found['circumstance']}情形的裁量基准"
        f"（{_yuan_text(found['min'])}至{_yuan_text(found['max'])}元）；确需超出的，请填写理由后再提交",
        422,
        "fine_amount",
    )
