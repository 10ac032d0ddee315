"""The year's figures of petitions and of disclosure requests (never writes): every metric and
rate each type file declares, from the rollups the actions keep
(`fazhi.analytics.figures.metrics_body`), scoped to what the reader may see — region-wide
roles the region, a unit's staff (the disclosure request's handlers) its unit's subtree — so
the page costs the same whatever the history.

The disclosure report (政府信息公开工作年度报告, 第三部分) also needs two stocks the rollups
count only as flows: the requests carried over from last year are those received before the
year began less those concluded before it, and the requests carried into next year are those
plus the year's received less the year's concluded. Both are read from the same declared
counters (`received`, `concluded`), so the table adds up by construction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fazhi.actions.context import Work
from fazhi.analytics import figures as fg
from fazhi.analytics import rollups as ru
from fazhi.analytics.period import Period

PETITION = "petition"
DISCLOSURE = "disclosure_request"
# The first day the platform's rollups can hold (the calendar knows 2004 on).
EPOCH = date(2000, 1, 1)


def sees(w: Work, type_name: str) -> bool:
    return w.actor.sight.view(type_name) is not None and w.platform.types.get(type_name) is not None


def type_figures(w: Work, type_name: str, year: int) -> dict[str, Any]:
    """The declared metrics and rates of `type_name` for the local calendar year `year`."""
    return fg.type_year_figures(w, type_name, year)


def petition_figures(w: Work, year: int) -> dict[str, Any]:
    """The petitions' figures of `year` (KeyError when the reader cannot see petitions)."""
    return type_figures(w, PETITION, year)


def _counted_before(w: Work, year: int, metric: str) -> int:
    f = fg.reader_filters(w, DISCLOSURE, Period(EPOCH, date(year - 1, 12, 31)))
    return ru.totals(w.session, f.scope(w), f.period).get(metric, 0)


def disclosure_report(w: Work, year: int) -> dict[str, Any]:
    """The disclosure report's figures of `year`: the declared metrics and rates, and the
    table of 第三部分 and 第四部分 built from them (KeyError when the reader cannot see
    disclosure requests)."""
    body = type_figures(w, DISCLOSURE, year)
    values, by = body["values"], body["by"]
    carried_over = _counted_before(w, year, "received") - _counted_before(w, year, "concluded")
    concluded = by.get("by_conclusion", {})
    body["report"] = {
        "received": {
            "natural_person": values.get("received_natural", 0),
            "organisation": values.get("received_organisation", 0),
            "total": values.get("received", 0),
        },
        "carried_over": carried_over,
        "concluded": {
            "disclosed": concluded.get("disclosed", 0),
            "partly_disclosed": concluded.get("partly_disclosed", 0),
            "refused": concluded.get("refused", 0),
            "refused_by_ground": by.get("refused_by_ground", {}),
            "not_held": concluded.get("not_held", 0),
            "not_handled": concluded.get("not_handled", 0),
            "not_handled_by_reason": by.get("not_handled_by_reason", {}),
            "other": concluded.get("other", 0),
            "total": values.get("concluded", 0),
        },
        "carried_forward": carried_over + values.get("received", 0) - values.get("concluded", 0),
        "reconsiderations": {
            **by.get("reconsiderations", {}),
            "total": values.get("reconsiderations", 0),
        },
        "lawsuits": {
            **by.get("lawsuits", {}),
            "direct": by.get("lawsuits_by_route", {}).get("direct", 0),
            "after_reconsideration": by.get("lawsuits_by_route", {}).get(
                "after_reconsideration", 0
            ),
            "total": values.get("lawsuits", 0),
        },
    }
    return body
