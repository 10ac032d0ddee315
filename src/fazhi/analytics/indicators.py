"""Indicator values for a period and unit (never writes): the readings of every input the
asked indicators need — rollup totals of the types' metrics in one grouped query, the
imported figures in one query, the records of the type packages' record sources
(analytics/record_sources.py), unit and scheme counts from memory — evaluated by the pure
formulas (fazhi.domain.indicators.formulas). The cost grows with the period's rollup cells,
not with the number of cases, so the dashboard of every indicator for a district-year is
two or three indexed queries (bench/indicators.py).

Aggregates carry no personal data: every indicator is open to the indicator roles
(`INDICATOR_ROLES`), whatever types they may see case by case; the ledgers behind them
(analytics/ledgers.py) are what the reader's sight narrows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fazhi.actions.context import Work
from fazhi.actions.platform import Platform
from fazhi.analytics.period import Period
from fazhi.analytics.record_sources import record_source_names, records
from fazhi.catalog.indicator_catalog import load_indicator_catalog
from fazhi.domain.errors import DomainError
from fazhi.domain.indicators.formulas import Value, closure, evaluate_all, needs_previous
from fazhi.domain.indicators.parse import TARGETS
from fazhi.domain.indicators.spec import Catalog, Indicator, Ref
from fazhi.domain.units import UnitRef
from fazhi.org.directory import UnitDirectory
from fazhi.store.models import FigureImport, ImportedFigure, RollupDaily

R = RollupDaily
INDICATOR_ROLES = frozenset({"district_leader", "rule_of_law_office", "admin"})
HUNDRED = Decimal(100)
_CATALOGS: dict[int, tuple[object, Catalog]] = {}


def catalog_of(platform: Platform) -> Catalog:
    """The indicator catalogue checked against the platform's loaded types and the record
    sources their hook modules registered (once per set of types: a reload of the types
    reloads it)."""
    key = id(platform)
    cached = _CATALOGS.get(key)
    if cached is None or cached[0] is not platform.types:
        found = load_indicator_catalog(platform.types, records=record_source_names())
        cached = (platform.types, found)
        _CATALOGS[key] = cached
    return cached[1]


def require_reader(w: Work) -> None:
    if not w.actor.has_role(*INDICATOR_ROLES):
        raise DomainError(
            "forbidden_role", "只有区领导、依法治区办和系统管理员可以查看法治指标", 403
        )


@dataclass(frozen=True)
class Scope:
    """A period and a unit (None: the whole district) of one region."""

    region_code: str
    period: Period
    unit: UnitRef | None
    unit_ids: tuple[int, ...] | None

    def year_before(self) -> Scope:
        return Scope(self.region_code, previous_period(self.period), self.unit, self.unit_ids)

    def brief(self) -> dict[str, Any]:
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "org_unit": self.unit.brief() if self.unit else None,
        }


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def previous_period(period: Period) -> Period:
    """The same dates a year before."""
    return Period(_year_back(period.start), _year_back(period.end))


def root_unit(directory: UnitDirectory) -> UnitRef | None:
    return next((u for u in directory.by_id.values() if u.kind == "district"), None)


def scope_for(w: Work, start: date, end: date, unit: str | None = None) -> Scope:
    """The period and unit asked for; an unknown unit is refused (422 `unknown_unit`)."""
    directory = w.ctx.directory
    chosen = None
    if unit:
        chosen = directory.resolve(unit)
        if chosen is None:
            raise DomainError("unknown_unit", f"找不到单位 {unit}", 422, "unit")
        if chosen.kind == "district":
            chosen = None
    ids = tuple(directory.subtree_ids(chosen)) if chosen is not None else None
    return Scope(w.actor.region_code, Period(start, end), chosen, ids)


# ---------------------------------------------------------------------------------------------
# Readings


def _metric_readings(
    session: Session, platform: Platform, scope: Scope, refs: list[Ref]
) -> dict[str, Decimal | None]:
    if not refs:
        return {}
    types = sorted({r.case_type for r in refs})
    counters = sorted({r.counter for r in refs})
    statement = (
        select(R.case_type, R.metric, R.category, func.sum(R.value))
        .where(
            R.region_code == scope.region_code,
            R.day.between(scope.period.start, scope.period.end),
            R.case_type.in_(types),
            R.metric.in_(counters),
        )
        .group_by(R.case_type, R.metric, R.category)
    )
    if scope.unit_ids is not None:
        statement = statement.where(R.lead_unit_id.in_(scope.unit_ids))
    cells: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for type_name, metric, category, total in session.execute(statement):
        cells[(str(type_name), str(metric))][str(category or "")] = int(total or 0)
    out: dict[str, Decimal | None] = {}
    for ref in refs:
        by_category = cells.get((ref.case_type, ref.counter), {})
        wanted = ref.categories
        total = sum(n for c, n in by_category.items() if not wanted or c in wanted)
        out[ref.text] = _natural(platform, ref, total)
    return out


def _natural(platform: Platform, ref: Ref, total: int) -> Decimal:
    """A money metric's fen as yuan; every other counter as it is."""
    case_type = platform.types.get(ref.case_type)
    spec = case_type.metric(ref.metric) if case_type else None
    field = case_type.field(spec.sum) if case_type and spec and spec.sum else None
    if field is not None and field.type == "money":
        return Decimal(total) / 100
    return Decimal(total)


@dataclass(frozen=True)
class FigureRow:
    """An imported figure as the ledger lists it: the value with where it came from."""

    code: str
    period_start: date
    period_end: date
    unit_id: int
    value: Decimal
    row_number: int
    note: str
    batch_id: int
    source: str
    filename: str
    imported_by: int
    imported_at: Any


def figure_rows(
    session: Session, directory: UnitDirectory, scope: Scope, codes: Iterable[str]
) -> list[FigureRow]:
    """The imported figures of `codes` inside the period for the scope's unit (the district's
    root unit for the district), the newest batch of each (code, period, unit) only."""
    wanted = sorted(set(codes))
    if not wanted:
        return []
    unit = scope.unit or root_unit(directory)
    if unit is None:
        return []
    F, B = ImportedFigure, FigureImport
    rows = session.execute(
        select(F, B.source, B.filename, B.imported_by, B.imported_at)
        .join(B, (B.region_code == F.region_code) & (B.id == F.batch_id))
        .where(
            F.region_code == scope.region_code,
            F.code.in_(wanted),
            F.unit_id == unit.id,
            F.period_start >= scope.period.start,
            F.period_end <= scope.period.end,
        )
        .order_by(F.batch_id, F.id)
    ).all()
    latest: dict[tuple[str, date, date], FigureRow] = {}
    for figure, source, filename, imported_by, imported_at in rows:
        latest[(figure.code, figure.period_start, figure.period_end)] = FigureRow(
            figure.code,
            figure.period_start,
            figure.period_end,
            figure.unit_id,
            Decimal(figure.value),
            figure.row_number,
            figure.note,
            figure.batch_id,
            source,
            filename,
            imported_by,
            imported_at,
        )
    return sorted(latest.values(), key=lambda r: (r.code, r.period_start, r.period_end))


def _figure_value(
    catalog: Catalog, code: str, rows: list[FigureRow], period: Period
) -> Decimal | None:
    """Additive figures add up over the period's rows; a rate only for exactly the period."""
    mine = [r for r in rows if r.code == code]
    spec = catalog.figure(code)
    if spec is not None and not spec.additive:
        exact = [r for r in mine if (r.period_start, r.period_end) == (period.start, period.end)]
        return exact[-1].value if exact else None
    return sum((r.value for r in mine), Decimal(0)) if mine else None


def readings(
    session: Session,
    platform: Platform,
    directory: UnitDirectory,
    catalog: Catalog,
    scope: Scope,
    refs: Iterable[Ref],
) -> dict[str, Decimal | None]:
    """Every input's reading for the scope: metrics (0 when nothing was counted), figures
    (None when none was imported), records of a record source, unit kinds, scheme sizes."""
    chosen = {r.text: r for r in refs if r.kind != "indicator"}
    out = _metric_readings(
        session, platform, scope, [r for r in chosen.values() if r.kind == "metric"]
    )
    codes = [r.name for r in chosen.values() if r.kind == "figure"]
    rows = figure_rows(session, directory, scope, codes)
    for code in codes:
        out[f"figure:{code}"] = _figure_value(catalog, code, rows, scope.period)
    for ref in chosen.values():
        if ref.kind == "records":
            found = records(
                session, directory, scope.region_code, scope.period, scope.unit_ids, ref.name
            )
            out[ref.text] = Decimal(len(found))
        elif ref.kind == "units":
            root = scope.unit or root_unit(directory)
            out[ref.text] = Decimal(
                sum(
                    1
                    for u in directory.by_id.values()
                    if u.kind == ref.name and (root is None or root.contains(u))
                )
            )
        elif ref.kind == "scheme":
            scheme_id, _, part = ref.name.rpartition(".")
            scheme = catalog.scheme(scheme_id)
            count = (len(scheme.areas) if part == "areas" else len(scheme.items())) if scheme else 0
            out[ref.text] = Decimal(count)
    return out


def targets(
    session: Session, directory: UnitDirectory, catalog: Catalog, scope: Scope, ids: Iterable[str]
) -> dict[str, Decimal | None]:
    """Each indicator's target for the scope: an imported `targets` figure for exactly the
    period, else the catalogue's for the period's year (a whole year) or its default."""
    chosen = list(ids)
    rows = figure_rows(session, directory, scope, [f"{TARGETS}.{i}" for i in chosen])
    imported = {
        r.code.split(".", 1)[1]: r.value
        for r in rows
        if (r.period_start, r.period_end) == (scope.period.start, scope.period.end)
    }
    whole_year = scope.period.start == date(
        scope.period.start.year, 1, 1
    ) and scope.period.end == date(scope.period.start.year, 12, 31)
    out: dict[str, Decimal | None] = {}
    for ident in chosen:
        indicator = catalog.indicator(ident)
        target = indicator.target if indicator else None
        declared = (
            target.for_year(scope.period.start.year)
            if target and whole_year
            else target.default
            if target
            else None
        )
        out[ident] = imported.get(ident, declared)
    # A completion rate is measured against the target of what it completes (the 260 件 of
    # legal_aid.accepted) unless it has one of its own.
    for ident in chosen:
        indicator = catalog.indicator(ident)
        if indicator is not None and indicator.formula.kind == "completion" and out[ident] is None:
            inner = next((r.name for r in indicator.formula.inputs if r.kind == "indicator"), None)
            if inner is not None:
                out[ident] = (
                    out.get(inner)
                    if inner in out
                    else targets(session, directory, catalog, scope, [inner]).get(inner)
                )
    return out


def _refs_of(catalog: Catalog, ids: set[str] | None) -> list[Ref]:
    chosen = (
        catalog.indicators
        if ids is None
        else [i for i in (catalog.indicator(x) for x in closure(catalog, ids)) if i is not None]
    )
    return [ref for indicator in chosen for ref in indicator.formula.refs]


def values(
    session: Session,
    platform: Platform,
    directory: UnitDirectory,
    scope: Scope,
    ids: Iterable[str] | None = None,
    catalog: Catalog | None = None,
) -> dict[str, Value]:
    """The indicators (every one by default) for the scope, by id."""
    catalog = catalog or catalog_of(platform)
    wanted = set(ids) if ids is not None else None
    if wanted is not None:
        unknown = sorted(i for i in wanted if catalog.indicator(i) is None)
        if unknown:
            raise DomainError("unknown_indicator", f"没有指标 {'、'.join(unknown)}", 404)
    refs = _refs_of(catalog, wanted)
    current = readings(session, platform, directory, catalog, scope, refs)
    previous = (
        readings(session, platform, directory, catalog, scope.year_before(), refs)
        if needs_previous(catalog, closure(catalog, wanted) if wanted else None)
        else None
    )
    chosen = closure(catalog, wanted) if wanted is not None else {i.id for i in catalog.indicators}
    goal = targets(session, directory, catalog, scope, chosen)
    result = evaluate_all(catalog, current, previous, goal, wanted)
    return {k: v for k, v in result.items() if wanted is None or k in wanted}


# ---------------------------------------------------------------------------------------------
# As JSON (API, console, the annual report)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def value_json(
    value: Value, directory: UnitDirectory | None = None, catalog: Catalog | None = None
) -> dict[str, Any]:
    """One indicator's value: `value` is a fraction for a percentage, in `unit` otherwise;
    `display` as the report writes it (99.83%, 205.4万元, 1727件)."""
    ind: Indicator = value.indicator
    owner = directory.resolve(ind.owner) if directory else None
    return {
        "id": ind.id,
        "name": ind.name,
        "area": ind.area,
        "definition": ind.definition,
        "formula": formula_text(ind),
        "unit": ind.unit,
        "period": ind.period,
        "owner": owner.brief() if owner else {"code": ind.owner},
        "value": _number(value.value),
        "rounded": _number(value.rounded),
        "display": value.display,
        "numerator": _number(value.numerator),
        "denominator": _number(value.denominator),
        "target": _number(value.target),
        "target_display": _target_display(ind, value.target, catalog),
        "completion": _number(value.completion),
        "met": value.met,
        "missing": list(value.missing),
        "reason": value.reason,
        "computed": computed(ind, catalog),
        "inputs": [r.text for r in ind.formula.refs],
        "note": ind.note,
    }


def _target_display(indicator: Indicator, target: Decimal | None, catalog: Catalog | None) -> str:
    if target is None:
        return ""
    if indicator.formula.kind == "completion":
        # The target is of what is completed: 260 件, not a percentage.
        base = next(
            (
                catalog.indicator(r.name)
                for r in indicator.formula.inputs
                if r.kind == "indicator" and catalog is not None
            ),
            None,
        )
        return f"{target.normalize():f}{base.unit if base else ''}"
    if indicator.percent:
        return f"{(target * HUNDRED).normalize():f}%"
    return f"{target.normalize():f}{indicator.unit}"


def computed(indicator: Indicator, catalog: Catalog | None = None) -> bool:
    """Whether the platform computes it from its own records: no imported figure read,
    directly or through the indicators it reads (targets aside)."""
    for ref in indicator.formula.refs:
        if ref.kind == "figure":
            return False
        if ref.kind == "indicator" and catalog is not None:
            inner = catalog.indicator(ref.name)
            if inner is not None and not computed(inner, catalog):
                return False
    return True


def dashboard_body(w: Work, scope: Scope) -> dict[str, Any]:
    """Every indicator of the catalogue for the scope, grouped by area in file order."""
    catalog = catalog_of(w.platform)
    found = values(w.session, w.platform, w.ctx.directory, scope, catalog=catalog)
    areas: dict[str, list[dict[str, Any]]] = {a: [] for a in catalog.areas}
    for indicator in catalog.indicators:
        areas.setdefault(indicator.area, []).append(
            value_json(found[indicator.id], w.ctx.directory, catalog)
        )
    rows = [v for items in areas.values() for v in items]
    return {
        **scope.brief(),
        "areas": [{"name": name, "indicators": items} for name, items in areas.items()],
        "counts": {
            "indicators": len(rows),
            "computed": sum(1 for v in rows if v["computed"]),
            "imported": sum(1 for v in rows if not v["computed"]),
            "with_value": sum(1 for v in rows if v["value"] is not None),
            "with_target": sum(1 for v in rows if v["target"] is not None),
            "met": sum(1 for v in rows if v["met"]),
        },
    }


FORMULA_WORDS = {
    "count": "计数",
    "sum": "合计",
    "value": "报送值",
    "ratio": "比率",
    "completion": "完成率（实际 ÷ 目标）",
    "change": "同比（本期 − 上年同期）÷ 上年同期",
    "decrease": "较上年同期减少（上年同期 − 本期）",
}


def formula_text(indicator: Indicator) -> str:
    f = indicator.formula
    parts = " + ".join(r.text for r in f.inputs)
    if f.kind == "ratio":
        return f"{parts} ÷ {' + '.join(r.text for r in f.denominator)}"
    return f"{FORMULA_WORDS[f.kind]}：{parts}"
