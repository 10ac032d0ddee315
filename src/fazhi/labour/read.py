"""The labour types' figures of a year (never writes): for each of labour arbitration, wage
arrears and the inspections that the reader may see, every metric and rate its type file
declares, from the rollups the actions keep (`fazhi.analytics.figures.metrics_body`), so the
page costs the same whatever the history. A reader whose role sees its own unit's cases
(the arbitrator, the labour inspector) gets its unit's subtree; region-wide roles the region.
"""

from __future__ import annotations

from typing import Any

from fazhi.actions.context import Work
from fazhi.analytics import figures as fg

TYPES = ("labour_arbitration", "wage_arrears", "labour_inspection")


def visible_types(w: Work) -> list[str]:
    return fg.readable_types(w, TYPES)


def type_figures(w: Work, type_name: str, year: int) -> dict[str, Any]:
    """The declared metrics and rates of `type_name` for the local calendar year `year`."""
    return fg.type_year_figures(w, type_name, year)


def labour_figures(w: Work, year: int) -> dict[str, Any]:
    """Every visible labour type's figures of `year`, by type name."""
    return {"year": year, "types": {t: type_figures(w, t, year) for t in visible_types(w)}}
