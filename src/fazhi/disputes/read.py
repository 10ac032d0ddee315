"""The year's figures of administrative disputes, from the rollups through the metrics and
rates the two type files declare (reconsideration.yaml, litigation.yaml): nothing here
counts cases itself, so the figures are the ones /api/v1/analytics/metrics gives for the
same type and period. Never writes."""

from __future__ import annotations

from datetime import date
from typing import Any

from fazhi.actions.context import Work
from fazhi.analytics.figures import Filters, metrics_body
from fazhi.analytics.period import Period

TYPES = ("reconsideration", "litigation")


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def type_figures(w: Work, type_name: str, year: int) -> dict[str, Any] | None:
    """The type's declared metrics and rates over the year for the whole region, with each
    metric also by name (`counts`) and each rate by name (`rate_values`) for easy reading;
    None when the deployment has no such type."""
    case_type = w.platform.types.get(type_name)
    if case_type is None:
        return None
    body = metrics_body(w, Filters(case_type, year_period(year), None, None, False, None, []))
    body["counts"] = {m["name"]: m["value"] for m in body["metrics"]}
    body["rate_values"] = {r["name"]: r["value"] for r in body["rates"]}
    return body


def dispute_figures(w: Work, year: int) -> dict[str, Any]:
    """Both types' figures for the year, keyed by type."""
    return {"year": year, **{t: type_figures(w, t, year) for t in TYPES}}
