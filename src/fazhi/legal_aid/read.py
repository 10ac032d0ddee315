"""The read side of legal aid (never writes): the year's figures the annual report cites
(cases approved and handled by kind, against the year's target; the provincial excellent
cases), read from the type's declared metrics (`metrics:` of legal_aid.yaml, kept in the
rollups by the one door), and the lawyer register with each lawyer's assignments.

Figures are region-wide for region roles; a unit's legal-aid officer sees its subtree's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.context import ActionContext
from fazhi.actions.visibility import visible_clause
from fazhi.analytics.period import Period
from fazhi.analytics.rollups import Scope, totals
from fazhi.domain.errors import DomainError
from fazhi.legal_aid.lawyers import lawyers
from fazhi.legal_aid.targets import target_of
from fazhi.store.models import Case

TYPE = "legal_aid"
READER_ROLES = frozenset({"legal_aid_officer", "supervisor", "district_leader", "admin"})


def check_may_read(ctx: ActionContext) -> None:
    if not ctx.actor.has_role(*READER_ROLES):
        raise DomainError(
            "forbidden_role", "只有法律援助工作人员、督办人员、区领导和管理员可以查看", 403
        )


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _scope(ctx: ActionContext) -> Scope:
    case_type = ctx.platform.types.get(TYPE)
    if case_type is None:
        raise DomainError("unknown_case_type", "未载入法律援助案件类型", 422)
    unit_ids = None
    if ctx.actor.sight.widest != "region":
        unit_ids = tuple(ctx.directory.subtree_ids(ctx.actor.unit))
    return Scope(ctx.actor.region_code, case_type, unit_ids)


def excellent_cases(session: Session, ctx: ActionContext, year: int) -> list[dict[str, Any]]:
    """The cases of `year`'s numbers marked provincial excellent (全省优秀案件)."""
    start = datetime(year - 1, 1, 1, tzinfo=UTC)  # accepted in `year`, maybe applied before
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    rows = session.scalars(
        select(Case)
        .where(visible_clause(ctx.actor), Case.type == TYPE)
        .where(Case.created_at >= start, Case.created_at < end)
        .order_by(Case.id)
    )
    prefix = f"({year})"
    return [
        {
            "case_id": c.id,
            "aid_number": (c.fields or {}).get("aid_number", ""),
            "matter": (c.fields or {}).get("matter", ""),
            "note": (c.fields or {}).get("provincial_note", ""),
        }
        for c in rows
        if (c.fields or {}).get("provincial_excellent")
        and str((c.fields or {}).get("aid_number", "")).startswith(prefix)
    ]


def statistics(session: Session, ctx: ActionContext, year: int) -> dict[str, Any]:
    """The year's figures: approved and handled (受理审批) by kind and channel, against the
    target; reviews and assignments on time; closings; grades; provincial excellent cases."""
    scope = _scope(ctx)
    case_type = scope.case_type
    counts = totals(session, scope, Period.year(year))
    kinds = dict(case_type.field("matter_kind").choices)  # type: ignore[union-attr]
    channels = dict(case_type.field("channel").choices)  # type: ignore[union-attr]
    grades = dict(case_type.field("grade").choices)  # type: ignore[union-attr]
    accepted = counts.get("accepted", 0)
    target = target_of(session, ctx, year)
    return {
        "year": year,
        "received": counts.get("received", 0),
        "accepted": accepted,
        "by_kind": [
            {"kind": k, "label": v, "count": counts.get(f"accepted_by_kind:{k}", 0)}
            for k, v in kinds.items()
        ],
        "by_channel": [
            {"channel": k, "label": v, "count": counts.get(f"accepted_by_channel:{k}", 0)}
            for k, v in channels.items()
        ],
        "target": target,
        "completion_rate": _rate(accepted, target) if target else None,
        "by_notice": counts.get("by_notice", 0),
        "refused": counts.get("refused", 0),
        "reviewed": counts.get("reviewed", 0),
        "review_on_time_rate": _rate(counts.get("reviewed_on_time", 0), counts.get("reviewed", 0)),
        "assigned": counts.get("assigned", 0),
        "assign_on_time_rate": _rate(counts.get("assigned_on_time", 0), counts.get("assigned", 0)),
        "closed": counts.get("closed", 0),
        "evaluated": counts.get("evaluated", 0),
        "by_grade": [
            {"grade": k, "label": v, "count": counts.get(f"by_grade:{k}", 0)}
            for k, v in grades.items()
        ],
        "provincial_excellent": counts.get("provincial_excellent", 0),
        "excellent_cases": excellent_cases(session, ctx, year),
        "scope": "region" if scope.unit_ids is None else "subtree",
    }


def lawyer_rows(session: Session, ctx: ActionContext, year: int) -> list[dict[str, Any]]:
    """The register, each lawyer with the number of `year`'s cases (by creation) assigned to
    them that the reader may see (one year of one type is read, never the whole history)."""
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    assigned: dict[str, int] = {}
    for fields in session.scalars(
        select(Case.fields)
        .where(visible_clause(ctx.actor), Case.type == TYPE)
        .where(Case.created_at >= start, Case.created_at < end)
    ):
        licence = (fields or {}).get("lawyer_licence")
        if licence:
            assigned[licence] = assigned.get(licence, 0) + 1
    return [
        {
            "licence_number": lawyer.licence_number,
            "name": lawyer.name,
            "law_firm": lawyer.law_firm,
            "practice_areas": lawyer.practice_areas,
            "active": lawyer.active,
            "assigned": assigned.get(lawyer.licence_number, 0),
        }
        for lawyer in lawyers(session, ctx.actor.region_code)
    ]
