"""The register of lawyers and law firms (律师名册) the legal aid centre assigns from, and the
rule it carries: an assignment names a lawyer of the register, still practising (active),
under the register's own name and firm (法律援助法 arts.12–13: aid is given by lawyers and
others the centre assigns).

The register is imported as CSV, all or nothing: every bad row is reported (`rows[N].column`,
N counting rows after the header), none written; a licence number already held is updated
(a lawyer who moved firm, or stopped practising: `active` 否). Each import is in the admin log.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.action_checks import register_check
from fazhi.actions.admin.common import record
from fazhi.domain.errors import DomainError, Problem
from fazhi.legal_aid.store import Lawyer

if TYPE_CHECKING:
    from fazhi.actions.context import ActionContext
    from fazhi.domain.workflow import Plan
    from fazhi.store.models import Case

TYPE = "legal_aid"
# The centre keeps its register; the administrator may too; `system`: an import at the terminal.
EDIT_ROLES = ("legal_aid_officer", "admin", "system")
READ_ROLES = ("legal_aid_officer", "supervisor", "district_leader", "admin")
COLUMNS: dict[str, tuple[str, str]] = {
    "licence_number": ("licence_number", "执业证号"),
    "name": ("name", "姓名"),
    "law_firm": ("law_firm", "律师事务所"),
    "practice_areas": ("practice_areas", "执业领域"),
    "active": ("active", "在册"),
}
REQUIRED = ("licence_number", "name", "law_firm")
MAX_ROWS = 5000
TRUE_WORDS = {"", "是", "在册", "true", "1", "yes", "y"}
FALSE_WORDS = {"否", "停止执业", "注销", "false", "0", "no", "n"}


@dataclass(frozen=True)
class LawyerInput:
    licence_number: str
    name: str
    law_firm: str
    practice_areas: str
    active: bool


def parse_csv(text: str) -> list[dict[str, str]]:
    """The rows by column key, values stripped, under English or Chinese headers;
    DomainError for an unknown header or a missing required column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        headers = [h.strip() for h in reader.fieldnames or []]
        body = list(reader)
    except csv.Error:  # a field beyond the csv module's limit …
        raise DomainError(
            "bad_csv",
            "CSV 文件格式有误（字段过长或格式不符），请另存为 UTF-8 CSV 后重试",
            422,
            "file",
        ) from None
    names = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    unknown = [h for h in headers if h not in names]
    if unknown:
        raise DomainError("unknown_columns", f"不认识的列：{'、'.join(unknown)}", 422, "file")
    missing = [COLUMNS[k][1] for k in REQUIRED if k not in {names[h] for h in headers}]
    if missing:
        raise DomainError("missing_columns", f"缺少列：{'、'.join(missing)}", 422, "file")
    return [
        {names[k.strip()]: (v or "").strip() for k, v in row.items() if k is not None}
        for row in body
    ]


def _problem(row: int, column: str, message: str) -> Problem:
    return Problem("invalid_row", f"第{row}行：{message}", f"rows[{row}].{column}")


def _row_faults(row: dict[str, str], seen: set[str]) -> list[tuple[str, str]]:
    licence, name, firm = (
        row.get("licence_number", ""),
        row.get("name", ""),
        row.get("law_firm", ""),
    )
    faults = []
    if not licence or len(licence) > 40:
        faults.append(("licence_number", "执业证号为空或超过40位"))
    elif licence in seen:
        faults.append(("licence_number", f"执业证号 {licence} 在文件中重复"))
    if not name or len(name) > 50:
        faults.append(("name", "姓名为空或超过50字"))
    if not firm or len(firm) > 100:
        faults.append(("law_firm", "律师事务所为空或超过100字"))
    if len(row.get("practice_areas", "")) > 200:
        faults.append(("practice_areas", "执业领域超过200字"))
    if row.get("active", "").lower() not in TRUE_WORDS | FALSE_WORDS:
        faults.append(("active", "在册应为“是”或“否”"))
    return faults


def check_may_edit(ctx: ActionContext) -> None:
    if not ctx.actor.has_role(*EDIT_ROLES):
        raise DomainError("forbidden_role", "只有法律援助工作人员和系统管理员可以维护律师名册", 403)


def check_rows(ctx: ActionContext, rows: list[dict[str, str]]) -> list[LawyerInput]:
    """The rows as lawyers, or DomainError `invalid_rows` listing every bad row."""
    check_may_edit(ctx)
    if not rows:
        raise DomainError("empty_file", "文件中没有律师记录", 422, "file")
    if len(rows) > MAX_ROWS:
        raise DomainError("too_many_records", f"每次最多导入 {MAX_ROWS} 条", 422, "file")
    problems: list[Problem] = []
    out: list[LawyerInput] = []
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1):
        faults = _row_faults(row, seen)
        problems.extend(_problem(i, column, message) for column, message in faults)
        seen.add(row.get("licence_number", ""))
        if not faults:
            out.append(
                LawyerInput(
                    row["licence_number"],
                    row["name"],
                    row["law_firm"],
                    row.get("practice_areas", ""),
                    row.get("active", "").lower() in TRUE_WORDS,
                )
            )
    if problems:
        bad = len({p.field.split(".")[0] for p in problems if p.field})
        raise DomainError(
            "invalid_rows",
            f"{bad}行有误，未导入任何记录：" + "；".join(p.message for p in problems[:5]),
            422,
            problems[0].field,
            problems,
        )
    return out


def do_import(session: Session, ctx: ActionContext, data: list[LawyerInput]) -> tuple[int, int]:
    """Insert new lawyers and update those whose licence number is held; (added, updated).

    Preconditions: `data` came from `check_rows` for this actor."""
    held = {lawyer.licence_number: lawyer for lawyer in lawyers(session, ctx.actor.region_code)}
    added = updated = 0
    for item in data:
        lawyer = held.get(item.licence_number)
        if lawyer is None:
            lawyer = Lawyer(region_code=ctx.actor.region_code, licence_number=item.licence_number)
            session.add(lawyer)
            added += 1
        else:
            updated += 1
        lawyer.name, lawyer.law_firm = item.name, item.law_firm
        lawyer.practice_areas, lawyer.active = item.practice_areas, item.active
        lawyer.updated_by, lawyer.updated_at = ctx.actor.user_id, ctx.now
    session.flush()
    record(
        session, ctx, "lawyers_imported", "legal_aid_lawyers", {"added": added, "updated": updated}
    )
    return added, updated


def lawyers(session: Session, region_code: str) -> list[Lawyer]:
    return list(
        session.scalars(
            select(Lawyer).where(Lawyer.region_code == region_code).order_by(Lawyer.licence_number)
        )
    )


def assignment_faults(
    session: Session, region_code: str, licence: str, name: str, firm: str
) -> list[Problem]:
    """What is wrong with assigning the lawyer under `licence`, each at its input."""
    lawyer = session.scalar(
        select(Lawyer).where(Lawyer.region_code == region_code, Lawyer.licence_number == licence)
    )
    if lawyer is None:
        return [Problem("unknown_lawyer", f"律师名册中没有执业证号 {licence}", "lawyer_licence")]
    if not lawyer.active:
        message = f"{lawyer.name}（执业证号 {licence}）已不在册，不能指派"
        return [Problem("inactive_lawyer", message, "lawyer_licence")]
    problems = []
    if name != lawyer.name:
        message = f"执业证号 {licence} 的律师为{lawyer.name}，不是{name}"
        problems.append(Problem("lawyer_mismatch", message, "lawyer_name"))
    if firm != lawyer.law_firm:
        message = f"{lawyer.name}的执业机构为{lawyer.law_firm}，不是{firm}"
        problems.append(Problem("lawyer_mismatch", message, "law_firm"))
    return problems


@register_check(TYPE, "assign")
def check_lawyer_assignable(session: Session, ctx: ActionContext, case: Case, plan: Plan) -> None:
    """Refuse assigning a lawyer the register does not know, no longer lists as practising,
    or under another name or firm."""
    inputs = plan.inputs
    problems = assignment_faults(
        session,
        case.region_code,
        str(inputs.get("lawyer_licence") or "").strip(),
        str(inputs.get("lawyer_name") or "").strip(),
        str(inputs.get("law_firm") or "").strip(),
    )
    if problems:
        raise DomainError.from_problems(problems)
