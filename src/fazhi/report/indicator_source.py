"""The indicator package as the report's source of values: every indicator of the catalogue
for the district-year (`fazhi.analytics.indicators.values`), as `IndicatorValue`s — the
value as the indicator is written (its precision and rounding: 高达99% is 99.83% rounded
down), a percentage as a fraction (`ratio`), its ledger page as the route, its target and
whether it is met; the charted indicators also month by month. An indicator without a value
(a figure not imported yet) is left out, so its sentences are too."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from itertools import pairwise

from sqlalchemy.orm import Session

from fazhi.actions.context import ActionContext
from fazhi.analytics import indicators as ix
from fazhi.analytics.period import Period as AnalyticsPeriod
from fazhi.domain.indicators.formulas import Value
from fazhi.report.template import annual_template
from fazhi.report.values import IndicatorValue, Number, Period


def _months(year: int) -> list[tuple[date, date]]:
    """(first day, last day) of each month of the year."""
    starts = [date(year, m, 1) for m in range(1, 13)] + [date(year + 1, 1, 1)]
    return [(a, b - timedelta(days=1)) for a, b in pairwise(starts)]


def _scope(ctx: ActionContext, start: date, end: date) -> ix.Scope:
    return ix.Scope(ctx.actor.region_code, AnalyticsPeriod(start, end), None, None)


def indicator_values(
    session: Session, ctx: ActionContext, year: int, charted: Iterable[str] | None = None
) -> dict[str, IndicatorValue]:
    """The year's values of every indicator with one; `charted` (default: the template's
    charts) also per month."""
    catalog = ix.catalog_of(ctx.platform)
    directory = ctx.directory
    found = ix.values(session, ctx.platform, directory, _scope(ctx, *_year(year)), None, catalog)
    if charted is None:
        charted = [n.chart.indicator for n in annual_template().nodes() if n.chart]
    charted = [i for i in charted if catalog.indicator(i) is not None]
    months: dict[str, list[tuple[str, Number]]] = {i: [] for i in charted}
    if charted:
        for start, end in _months(year):
            month = _scope(ctx, start, end)
            got = ix.values(session, ctx.platform, directory, month, charted, catalog)
            for ident in charted:
                shown = got[ident].rounded
                months[ident].append((f"{start.month}月", shown if shown is not None else 0))
    out: dict[str, IndicatorValue] = {}
    for ident, value in found.items():
        shown = value.rounded
        if shown is None:
            continue
        ind = value.indicator
        owner = directory.resolve(ind.owner) if ind.owner else None
        out[ident] = IndicatorValue(
            ident,
            ind.name,
            shown,
            "ratio" if ind.percent else ind.unit,
            Period.year(year),
            f"/indicators/ledger/{ident}?year={year}",
            target=_target(value),
            series=tuple(months.get(ident, ())),
            owner=owner.name if owner else "",
            decimals=ind.precision,
            met=value.met,
        )
    return out


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _target(value: Value) -> Number | None:
    """The target in the value's own unit: a completion's target is of what is completed
    (260件), so its own is 100%."""
    if value.target is None:
        return None
    if value.indicator.formula.kind == "completion":
        return 1
    return value.target
