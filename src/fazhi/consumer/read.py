"""The consumer types' figures of a year, their themed campaigns and the abnormal-operation
listings (never writes).

- The figures are each visible type's declared metrics and rates, summed from the rollups the
  actions keep (`fazhi.analytics.figures.metrics_body`), so they cost the same whatever the
  history. A reader whose role sees its own unit's cases (the consumer officer) gets its
  unit's subtree — the bureau sees its stations' work; region-wide roles the region.
- A campaign groups the complaints and reports whose `campaign` link names it (`case_links`,
  read by its index on the target). Its counts are taken over those cases' fields: a campaign
  holds at most a few thousand cases, and the counts depend on the link, which no rollup keys.
- The listings are the year's `list_abnormal` events (indexed by action and instant) on the
  complaints the reader may see.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from fazhi.actions.context import Work
from fazhi.actions.visibility import visible_clause
from fazhi.analytics import figures as fg
from fazhi.domain.durations import LOCAL_TZ
from fazhi.read.presenters import case_number
from fazhi.store.models import Case, CaseLink, Event

COMPLAINT, REPORT, CAMPAIGN = "consumer_complaint", "consumer_report", "consumer_campaign"
TYPES = (COMPLAINT, REPORT, CAMPAIGN)


def visible_types(w: Work) -> list[str]:
    return fg.readable_types(w, TYPES)


def type_figures(w: Work, type_name: str, year: int) -> dict[str, Any]:
    """The declared metrics and rates of `type_name` for the local calendar year `year`."""
    return fg.type_year_figures(w, type_name, year)


def consumer_figures(w: Work, year: int) -> dict[str, Any]:
    """Every visible consumer type's figures of `year`, by type name."""
    return {"year": year, "types": {t: type_figures(w, t, year) for t in visible_types(w)}}


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    start = datetime(year, 1, 1, tzinfo=LOCAL_TZ)
    return start, datetime(year + 1, 1, 1, tzinfo=LOCAL_TZ)


def _money(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except ArithmeticError:
        return Decimal(0)


@dataclass(frozen=True)
class CampaignFigures:
    """What a campaign groups: its linked complaints and reports, counted."""

    id: int
    number: str
    theme: str
    state: str
    complaints: int
    complaints_by_channel: dict[str, int]
    complaints_closed: int
    reports: int
    reports_filed: int
    abnormal_listed: int
    amount_in_dispute: str
    amount_recovered_by_complaints: str
    amount_recovered: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _campaign_figures(w: Work, campaign: Case) -> CampaignFigures:
    linked = w.session.execute(
        select(Case.type, Case.state, Case.terminal, Case.fields)
        .join(CaseLink, CaseLink.from_case_id == Case.id)
        .where(CaseLink.to_case_id == campaign.id, CaseLink.field == "campaign")
        .where(visible_clause(w.actor))
    ).all()
    complaints = [row for row in linked if row.type == COMPLAINT]
    reports = [row for row in linked if row.type == REPORT]
    channels = Counter(str(row.fields.get("channel") or "") for row in complaints)
    dispute = sum((_money(r.fields.get("amount_in_dispute")) for r in complaints), Decimal(0))
    recovered = sum((_money(r.fields.get("amount_recovered")) for r in complaints), Decimal(0))
    return CampaignFigures(
        id=campaign.id,
        number=case_number(w.platform.types.get(CAMPAIGN), campaign),
        theme=str(campaign.fields.get("theme") or campaign.title),
        state=campaign.state,
        complaints=len(complaints),
        complaints_by_channel=dict(sorted(channels.items())),
        complaints_closed=sum(1 for r in complaints if r.terminal and r.state == "closed"),
        reports=len(reports),
        reports_filed=sum(1 for r in reports if r.state == "filed"),
        abnormal_listed=sum(1 for r in complaints if r.fields.get("abnormal_listed") is True),
        amount_in_dispute=f"{dispute:.2f}",
        amount_recovered_by_complaints=f"{recovered:.2f}",
        amount_recovered=f"{_money(campaign.fields.get('amount_recovered')):.2f}",
    )


def campaigns(w: Work, year: int) -> list[dict[str, Any]]:
    """The campaigns the reader may see that ran during `year` (started before its end and
    not ended before its start), each with what it groups."""
    if w.actor.sight.view(CAMPAIGN) is None:
        return []
    rows = w.session.scalars(
        select(Case)
        .where(Case.type == CAMPAIGN, visible_clause(w.actor))
        .order_by(Case.created_at, Case.id)
    ).all()
    first, last = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
    running = [
        c
        for c in rows
        if str(c.fields.get("starts_on") or "") <= last
        and str(c.fields.get("ends_on") or "9999") >= first
    ]
    return [_campaign_figures(w, c).as_dict() for c in running]


def abnormal_listings(w: Work, year: int) -> list[dict[str, Any]]:
    """The businesses listed in the abnormal-operation register during `year` from the
    complaints the reader may see, in the order they were listed."""
    if w.actor.sight.view(COMPLAINT) is None:
        return []
    start, end = _year_bounds(year)
    rows = w.session.execute(
        select(Event.at, Case)
        .join(Case, (Case.region_code == Event.region_code) & (Case.id == Event.case_id))
        .where(Event.action == "list_abnormal", Event.at >= start, Event.at < end)
        .where(Case.type == COMPLAINT, visible_clause(w.actor))
        .order_by(Event.at, Event.id)
    ).all()
    complaint_type = w.platform.types.get(COMPLAINT)
    return [
        {
            "case_id": case.id,
            "number": case_number(complaint_type, case),
            "business_name": case.fields.get("business_name"),
            "business_credit_code": case.fields.get("business_credit_code"),
            "listed_on": (at.astimezone(LOCAL_TZ)).date().isoformat(),
            "decision": case.fields.get("abnormal_decision"),
            "topic": case.fields.get("topic"),
        }
        for at, case in rows
    ]


def year_overview(w: Work, year: int) -> dict[str, Any]:
    """The console page's and the API's body: figures, campaigns and listings of `year`."""
    body = consumer_figures(w, year)
    body["campaigns"] = campaigns(w, year)
    body["abnormal_listings"] = abnormal_listings(w, year)
    return body
