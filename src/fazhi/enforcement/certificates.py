"""The enforcement certificate register (执法证件) and the rule it carries: every officer on a
penalty case holds a certificate of the register, not revoked, valid on the day the case is
filed or decided on the spot, under the officer's own name (行政处罚法 art.42: penalties are
imposed by officers holding enforcement certificates, at least two of them).

The register is imported as CSV (all or nothing: every bad row is reported, none written); a
number already held is updated (a renewed certificate). Each import is in the admin log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.action_checks import register_check
from fazhi.actions.admin.common import record
from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError, Problem
from fazhi.enforcement import register_csv
from fazhi.enforcement.store import Certificate
from fazhi.store.models import Unit

if TYPE_CHECKING:
    from fazhi.actions.context import ActionContext
    from fazhi.domain.workflow import Plan
    from fazhi.store.models import Case

# The administrator in the console; the platform's own account for `fazhi certificates
# import` at the terminal (whoever has the shell runs the deployment).
EDIT_ROLES = ("admin", "system")
COLUMNS = {
    "number": ("number", "执法证号"),
    "holder_name": ("holder_name", "姓名"),
    "unit": ("unit", "单位"),
    "valid_from": ("valid_from", "有效期起"),
    "valid_to": ("valid_to", "有效期止"),
}
MAX_ROWS = 5000


@dataclass(frozen=True)
class CertificateInput:
    number: str
    holder_name: str
    unit_id: int | None
    valid_from: date
    valid_to: date


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        return None


def check_rows(
    session: Session, ctx: ActionContext, rows: list[dict[str, str]]
) -> list[CertificateInput]:
    """The rows as certificates, or DomainError listing every bad row (1-based, after the
    header: the line a spreadsheet shows is the row number + 1)."""
    if not ctx.actor.has_role(*EDIT_ROLES):
        raise DomainError("forbidden_role", "只有系统管理员可以维护执法证件库", 403)
    if not rows:
        raise DomainError("empty_file", "文件中没有证件记录", 422, "file")
    if len(rows) > MAX_ROWS:
        raise DomainError("too_many_records", f"每次最多导入 {MAX_ROWS} 条", 422, "file")
    units = {
        u.code: u.id
        for u in session.scalars(select(Unit).where(Unit.region_code == ctx.actor.region_code))
    }
    problems: list[Problem] = []
    out: list[CertificateInput] = []
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1):
        number = (row.get("number") or "").strip()
        name = (row.get("holder_name") or "").strip()
        unit_code = (row.get("unit") or "").strip()
        start, end = _date(row.get("valid_from") or ""), _date(row.get("valid_to") or "")
        faults = []
        if not number or len(number) > 40:
            faults.append(("number", "执法证号为空或超过40位"))
        elif number in seen:
            faults.append(("number", f"执法证号 {number} 在文件中重复"))
        if not name or len(name) > 50:
            faults.append(("holder_name", "姓名为空或超过50字"))
        if unit_code and unit_code not in units:
            faults.append(("unit", f"没有单位 {unit_code}"))
        if start is None:
            faults.append(("valid_from", "有效期起应为 YYYY-MM-DD 日期"))
        if end is None:
            faults.append(("valid_to", "有效期止应为 YYYY-MM-DD 日期"))
        if start and end and end < start:
            faults.append(("valid_to", "有效期止早于有效期起"))
        problems.extend(register_csv.row_problem(i, field, message) for field, message in faults)
        seen.add(number)
        if not faults and start and end:
            out.append(CertificateInput(number, name, units.get(unit_code), start, end))
    register_csv.refuse_bad_rows(problems)
    return out


def parse_csv(text: str) -> list[dict[str, str]]:
    """CSV rows under English or Chinese headers; DomainError for unknown or missing ones."""
    return register_csv.parse_csv(
        text, COLUMNS, ("number", "holder_name", "valid_from", "valid_to")
    )


def do_import(
    session: Session, ctx: ActionContext, data: list[CertificateInput]
) -> tuple[int, int]:
    """Insert new certificates and update those whose number is held; (added, updated).

    Preconditions: `data` came from `check_rows` for this actor."""
    held = {
        c.number: c
        for c in session.scalars(
            select(Certificate).where(Certificate.region_code == ctx.actor.region_code)
        )
    }
    added = updated = 0
    for item in data:
        cert = held.get(item.number)
        if cert is None:
            cert = Certificate(region_code=ctx.actor.region_code, number=item.number, revoked=False)
            session.add(cert)
            added += 1
        else:
            updated += 1
        cert.holder_name, cert.unit_id = item.holder_name, item.unit_id
        cert.valid_from, cert.valid_to = item.valid_from, item.valid_to
        cert.updated_by, cert.updated_at = ctx.actor.user_id, ctx.now
    session.flush()
    record(
        session,
        ctx,
        "certificates_imported",
        "enforcement_certificates",
        {"added": added, "updated": updated},
    )
    return added, updated


def certificates(session: Session, region_code: str) -> list[Certificate]:
    return list(
        session.scalars(
            select(Certificate)
            .where(Certificate.region_code == region_code)
            .order_by(Certificate.number)
        )
    )


def certificate_faults(
    session: Session, region_code: str, officers: list[dict[str, Any]], on: date
) -> list[Problem]:
    """What is wrong with the officers' certificates on day `on`, each at its field."""
    numbers = [str(o.get("certificate_number") or "").strip() for o in officers]
    found = {
        c.number: c
        for c in session.scalars(
            select(Certificate).where(
                Certificate.region_code == region_code, Certificate.number.in_(numbers)
            )
        )
    }
    problems: list[Problem] = []
    for i, (officer, number) in enumerate(zip(officers, numbers, strict=True)):
        where = f"officers[{i}].certificate_number"
        name = str(officer.get("name") or "")
        cert = found.get(number)
        if cert is None:
            message = f"执法人员{name}的执法证号 {number} 不在执法证件库中"
        elif cert.revoked:
            message = f"执法人员{name}的执法证 {number} 已注销"
        elif not cert.valid_from <= on <= cert.valid_to:
            message = (
                f"执法人员{name}的执法证 {number} 不在有效期内"
                f"（{cert.valid_from.isoformat()}至{cert.valid_to.isoformat()}）"
            )
        elif name and cert.holder_name != name:
            message = f"执法证 {number} 的持证人为{cert.holder_name}，不是{name}"
        else:
            continue
        problems.append(Problem("invalid_certificate", message, where))
    return problems


@register_check("penalty_case", "file", "summary_decide")
def check_officers_certified(session: Session, ctx: ActionContext, case: Case, plan: Plan) -> None:
    """Refuse filing, or deciding on the spot, with an officer not validly certified."""
    officers = list(plan.fields.get("officers") or [])
    problems = certificate_faults(session, case.region_code, officers, local_date(ctx.now))
    if problems:
        raise DomainError.from_problems(problems)
