"""The yearly target of legal-aid cases (民生实事任务数: 260 in 2023): the target of the
indicator `legal_aid.accepted`, so the centre's statistics and the indicators (the
completion rate `legal_aid.completion`) read one and the same number. The centre or the
administrator sets it here; it is written as a one-row batch of the platform's `targets`
source (the same rows a `targets` template import writes, newest batch winning), and every
change is in the admin log as well."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from fazhi.actions.admin.common import record
from fazhi.actions.context import ActionContext
from fazhi.actions.figure_imports import FigureRow, ImportPlan, do_import_figures
from fazhi.analytics import indicators as ix
from fazhi.analytics.period import Period
from fazhi.domain.errors import DomainError
from fazhi.domain.indicators.parse import TARGETS

EDIT_ROLES = ("legal_aid_officer", "admin", "system")
MAX_TARGET = 1_000_000
INDICATOR = "legal_aid.accepted"  # 受理审批法律援助案件: the count the target is of


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


def _district_scope(ctx: ActionContext, year: int) -> ix.Scope:
    return ix.Scope(ctx.actor.region_code, Period.year(year), None, None)


def target_of(session: Session, ctx: ActionContext, year: int) -> int | None:
    """The year's target as the indicators read it (an imported or set `targets` figure,
    else the catalogue's), None when there is none."""
    catalog = ix.catalog_of(ctx.platform)
    found = ix.targets(session, ctx.directory, catalog, _district_scope(ctx, year), [INDICATOR])
    value = found.get(INDICATOR)
    return None if value is None else int(value)


def do_set_target(session: Session, ctx: ActionContext, year: int, target: int) -> int:
    """Set (or change) the year's target; returns it.

    Preconditions: `year` and `target` came from `check_target` for this actor; the caller's
    transaction is open (batch, row and log entry commit together)."""
    catalog = ix.catalog_of(ctx.platform)
    source = catalog.source(TARGETS)
    figure = catalog.figure(f"{TARGETS}.{INDICATOR}")
    root = ix.root_unit(ctx.directory)
    if source is None or figure is None or root is None:
        raise DomainError("no_target_indicator", f"指标目录中没有指标 {INDICATOR}", 422)
    before = target_of(session, ctx, year)
    text = f"{figure.code},{year}-01-01,{year}-12-31,{root.code},{target}"
    row = FigureRow(
        0,
        figure,
        date(year, 1, 1),
        date(year, 12, 31),
        root.id,
        Decimal(target),
        "法律援助中心设定的年度任务数",
    )
    plan = ImportPlan(
        source,
        f"法律援助{year}年度任务数（法律援助中心设定）",
        hashlib.sha256(text.encode()).hexdigest(),
        (row,),
        0,
    )
    do_import_figures(session, ctx, plan)
    record(
        session,
        ctx,
        "legal_aid_target_set",
        f"{TARGETS}:{INDICATOR}:{year}",
        {"year": year, "before": before, "target": target},
    )
    return target
