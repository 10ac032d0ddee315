"""The labour types' figures of a year (never writes): for each of labour arbitration, wage
arrears and the inspections that the reader may see, every metric and rate its type file
declares, from the rollups the actions keep (`fazhi.analytics.figures.metrics_body`), so the
page costs the same whatever the history. A reader whose role sees its own unit's cases
(the arbitrator, the labour inspector) gets its unit's subtree; region-wide roles the region.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fazhi.actions.context import Work
from fazhi.analytics import figures as fg
from fazhi.analytics.period import Period

TYPES = ("labour_arbitration", "wage_arrears", "labour_inspection")


def visible_types(w: Work) -> list[str]:
    return [t for t in TYPES if w.actor.sight.view(t) is not None and w.platform.types.get(t)]


def type_figures(w: Work, type_name: str, year: int) -> dict[str, Any]:
    """The declared metrics and rates of `type_name` for the local calendar year `year`."""
    case_type = w.platform.types.get(type_name)
    view = w.actor.sight.view(type_name)
    if case_type is None or view is None:
        raise KeyError(type_name)
    region_wide = view.scope == "region"
    unit = None if region_wide else w.actor.unit
    unit_ids = None if unit is None else tuple(w.ctx.directory.subtree_ids(unit))
    period = Period(date(year, 1, 1), date(year, 12, 31))
    filters = fg.Filters(case_type, period, unit, unit_ids, not region_wide, None, [])
    body = fg.metrics_body(w, filters)
    body["values"] = {m["name"]: m["value"] for m in body["metrics"]}
    return body


def labour_figures(w: Work, year: int) -> dict[str, Any]:
    """Every visible labour type's figures of `year`, by type name."""
    return {"year": year, "types": {t: type_figures(w, t, year) for t in visible_types(w)}}
