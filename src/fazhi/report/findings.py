"""The findings the problems section phrases, from the platform's own reads: the year's
case-file review defects by class (the enforcement package's review tasks) and the units
whose on-time rate falls below the template's threshold (the analytics rollups), and the
indicator values below their targets. Other findings come through the same `Finding`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.context import ActionContext
from fazhi.analytics import rollups as ru
from fazhi.analytics.period import Period
from fazhi.enforcement.review.registry import DEFECT_LABELS
from fazhi.enforcement.store import CaseFileReview
from fazhi.report.template import OverdueRule, Template
from fazhi.report.values import Finding, IndicatorValue

REVIEWS_LEDGER = "/case-file-reviews"


def review_defects(session: Session, region_code: str, year: int) -> list[Finding]:
    """Per defect class, the machine findings of the files whose review task was opened in
    the year, most frequent first; the detail names how many files were reviewed."""
    period = Period.year(year)
    reviews = list(
        session.scalars(
            select(CaseFileReview).where(
                CaseFileReview.region_code == region_code,
                period.contains(CaseFileReview.created_at),
            )
        )
    )
    counts = Counter(f["defect"] for r in reviews for f in (r.machine or {}).get("findings", []))
    return [
        Finding(
            "review_defect",
            DEFECT_LABELS.get(defect, defect),
            n,
            "处",
            {"files": len(reviews)},
            REVIEWS_LEDGER,
        )
        for defect, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def overdue_units(
    session: Session, ctx: ActionContext, rules: Iterable[OverdueRule], year: int
) -> list[Finding]:
    """Per rule, the lead units below the threshold (worst first), overdue = 1 − rate."""
    out: list[Finding] = []
    for rule in rules:
        case_type = ctx.platform.types.get(rule.type)
        spec = (
            next((r for r in case_type.rates if r.name == rule.rate), None) if case_type else None
        )
        if case_type is None or spec is None:
            continue  # a deployment without the type (or the rate) has nothing to report
        scope = ru.Scope(ctx.actor.region_code, case_type)
        rows = ru.unit_performance(session, scope, Period.year(year), ctx.directory)
        below = [
            (u, u.rates[rule.rate])
            for u in rows
            if u.rates.get(rule.rate) is not None
            and u.counts.get(spec.denominator, 0) >= rule.min_volume
            and (u.rates[rule.rate] or 0) < rule.threshold
        ]
        below.sort(key=lambda pair: (pair[1] or 0, pair[0].name))
        for unit, value in below:
            out.append(
                Finding(
                    "overdue",
                    unit.name,
                    1 - (value or 0),
                    "ratio",
                    {"rate_label": spec.label, "threshold": (rule.threshold, "ratio")},
                    f"/analytics/units?type={rule.type}&from={year}-01-01&to={year}-12-31",
                )
            )
    return out


def below_target(values: Mapping[str, IndicatorValue]) -> list[Finding]:
    """Indicator values that miss their target: as the indicator judges it (`met`, which
    knows a lower-is-better target), else below it."""
    out = []
    for v in values.values():
        if v.target is None:
            continue
        missed = (
            v.met is False
            if v.met is not None
            else (Decimal(str(v.value)) < Decimal(str(v.target)))
        )
        if not missed:
            continue
        subject = f"{v.name}（{v.owner}）" if v.owner else v.name
        out.append(
            Finding(
                "below_target",
                subject,
                v.value,
                v.unit,
                {"target": (v.target, v.unit)},
                v.ledger,
            )
        )
    return out


def findings_for(
    session: Session,
    ctx: ActionContext,
    template: Template,
    year: int,
    values: Mapping[str, IndicatorValue],
) -> list[Finding]:
    return [
        *review_defects(session, ctx.actor.region_code, year),
        *overdue_units(session, ctx, template.overdue, year),
        *below_target(values),
    ]
