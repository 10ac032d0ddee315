"""Keeping the narrative blocks (报告撰写内容): who may read and write the annual report,
the blocks of a year, saving one (check_save_narrative / do_save_narrative, each change in
the admin log with the text before and after) and a block's history from that log.

A narrative is not a case: like the dispatch catalogue and the clock settings it is edited
in place and audited through the append-only admin log, not a case trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.admin.common import ACTION_LABELS, record
from fazhi.domain.errors import DomainError, Problem
from fazhi.report.store import ReportNarrative
from fazhi.report.template import Template
from fazhi.store.models import AdminLog

if TYPE_CHECKING:
    from fazhi.actions.context import ActionContext

# The district leaders, the rule-of-law office (依法治区办, which drafts the report) and the
# administrators read, download and write the report; no one else sees it before it is out.
REPORT_ROLES = ("district_leader", "rule_of_law_office", "admin")
# `system`: the terminal (`fazhi report annual` drafts as the platform's own account).
DRAFT_ROLES = (*REPORT_ROLES, "system")
MAX_LENGTH = 20000
YEARS = range(2000, 2101)
ACTION = "report_narrative_saved"
# How the admin log page names the change (the engine's labels know no package's actions).
ACTION_LABELS.setdefault(ACTION, "修改年度报告撰写内容")


def require_reader(ctx: ActionContext) -> None:
    if not ctx.actor.has_role(*DRAFT_ROLES):
        raise DomainError(
            "forbidden_role", "只有区领导、依法治区办和系统管理员可以查看法治政府建设年度报告", 403
        )


def require_writer(ctx: ActionContext) -> None:
    if not ctx.actor.has_role(*REPORT_ROLES):
        raise DomainError(
            "forbidden_role", "只有区领导、依法治区办和系统管理员可以撰写年度报告", 403
        )


def check_year(raw: str | int) -> int:
    text = str(raw).strip()
    if not text.isdigit() or int(text) not in YEARS:
        raise DomainError("invalid_year", "年度应为2000至2100之间的四位数字", 422, "year")
    return int(text)


def narratives(session: Session, region_code: str, year: int) -> dict[str, str]:
    rows = session.scalars(
        select(ReportNarrative).where(
            ReportNarrative.region_code == region_code, ReportNarrative.year == year
        )
    )
    return {r.key: r.text for r in rows}


@dataclass(frozen=True)
class NarrativeEdit:
    year: int
    key: str
    text: str


def _target(region_code: str, year: int, key: str) -> str:
    # The admin log has no region column: the target names it.
    return f"annual_report:{region_code}:{year}:{key}"


def check_save_narrative(
    session: Session, ctx: ActionContext, template: Template, year: str | int, key: str, text: str
) -> ReportNarrative | None:
    """The writer's roles; a known year and a section of the template; at most MAX_LENGTH
    characters (line breaks kept: each line is a paragraph). Then `do_save_narrative`."""
    require_writer(ctx)
    problems: list[Problem] = []
    try:
        chosen = check_year(year)
    except DomainError as exc:
        problems.append(Problem(exc.code, exc.message, "year"))
        chosen = 0
    keys = dict(template.narrative_keys())
    if key not in keys:
        problems.append(Problem("unknown_section", "报告中没有这一部分", "key"))
    cleaned = (text or "").replace("\r\n", "\n").strip()
    if len(cleaned) > MAX_LENGTH:
        problems.append(
            Problem(
                "too_long",
                f"每部分内容不能超过{MAX_LENGTH}字（现为{len(cleaned)}字）",
                f"text.{key}",
            )
        )
    if problems:
        raise DomainError.from_problems(problems)
    return do_save_narrative(session, ctx, NarrativeEdit(chosen, key, cleaned))


def do_save_narrative(
    session: Session, ctx: ActionContext, edit: NarrativeEdit
) -> ReportNarrative | None:
    """Store the block (an empty text removes it) and log the change with who, when, and
    the text before and after; saving the same text again logs nothing.

    Preconditions: `edit` came from `check_save_narrative` for this actor."""
    row = session.scalar(
        select(ReportNarrative).where(
            ReportNarrative.region_code == ctx.actor.region_code,
            ReportNarrative.year == edit.year,
            ReportNarrative.key == edit.key,
        )
    )
    before = row.text if row is not None else ""
    if before == edit.text:
        return row
    if not edit.text:
        assert row is not None
        session.delete(row)
        row = None
    else:
        if row is None:
            row = ReportNarrative(
                region_code=ctx.actor.region_code, year=edit.year, key=edit.key, text=""
            )
            session.add(row)
        row.text = edit.text
        row.updated_by, row.updated_at = ctx.actor.user_id, ctx.now
    record(
        session,
        ctx,
        ACTION,
        _target(ctx.actor.region_code, edit.year, edit.key),
        {"year": edit.year, "key": edit.key, "before": before, "after": edit.text},
    )
    session.flush()
    return row


@dataclass(frozen=True)
class Revision:
    at: datetime
    username: str
    key: str
    length_before: int
    length_after: int


def history(session: Session, region_code: str, year: int, limit: int = 50) -> list[Revision]:
    """The year's edits, newest first, from the admin log (who, when, which section)."""
    rows = session.scalars(
        select(AdminLog)
        .where(
            AdminLog.action == ACTION, AdminLog.target.like(f"annual_report:{region_code}:{year}:%")
        )
        .order_by(AdminLog.id.desc())
        .limit(limit)
    )
    return [
        Revision(
            r.at,
            r.actor_username,
            str(r.details.get("key", "")),
            len(str(r.details.get("before", ""))),
            len(str(r.details.get("after", ""))),
        )
        for r in rows
    ]
