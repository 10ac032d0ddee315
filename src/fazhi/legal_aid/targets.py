"""The yearly target of legal-aid cases (民生实事任务数: 260 in 2023), which the completion
rate of the statistics is read against: one row per region and year, set by the centre or the
administrator, every change in the admin log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.admin.common import record
from fazhi.actions.context import ActionContext
from fazhi.domain.errors import DomainError
from fazhi.legal_aid.store import AidTarget

EDIT_ROLES = ("legal_aid_officer", "admin", "system")
MAX_TARGET = 1_000_000


def check_target(ctx: ActionContext, year: Any, target: Any) -> tuple[int, int]:
    """(year, target) when the actor may set it and both are sane whole numbers."""
    if not ctx.actor.has_role(*EDIT_ROLES):
        raise DomainError(
            "forbidden_role", "只有法律援助工作人员和系统管理员可以设定年度任务数", 403
        )
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("invalid_value", "年度应为2000至2100之间的整数", 422, "year")
    if isinstance(target, bool) or not isinstance(target, int) or not 0 < target <= MAX_TARGET:
        raise DomainError("invalid_value", "年度任务数应为正整数", 422, "target")
    return year, target


def target_of(session: Session, region_code: str, year: int) -> AidTarget | None:
    return session.scalar(
        select(AidTarget).where(AidTarget.region_code == region_code, AidTarget.year == year)
    )


def do_set_target(session: Session, ctx: ActionContext, year: int, target: int) -> AidTarget:
    """Set (or change) the year's target.

    Preconditions: `year` and `target` came from `check_target` for this actor."""
    row = target_of(session, ctx.actor.region_code, year)
    before = row.target if row is not None else None
    if row is None:
        row = AidTarget(region_code=ctx.actor.region_code, year=year)
        session.add(row)
    row.target, row.updated_by, row.updated_at = target, ctx.actor.user_id, ctx.now
    session.flush()
    record(
        session,
        ctx,
        "legal_aid_target_set",
        f"legal_aid_targets:{year}",
        {"year": year, "before": before, "target": target},
    )
    return row
