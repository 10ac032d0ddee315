"""Reading an indicator catalogue's files into specs (pure): every fault is listed with the
file and the path of the key, and nothing the engine does not implement is accepted.

Three kinds of file (format: docs/data-formats.md, "Indicators"): indicator files (`area:`
and `indicators:`), one sources file (`sources:`, the figures imported from other systems)
and scheme files (`scheme:`, an evaluation scheme's areas and items). The source `targets`
is the platform's own: one figure per indicator, its target for a period.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from fazhi.domain.indicators.spec import (
    EVIDENCE_KINDS,
    FIGURE_KINDS,
    FORMULA_KINDS,
    PERCENT,
    PERIODS,
    ROUNDINGS,
    Catalog,
    FigureSpec,
    Formula,
    Indicator,
    Ref,
    Scheme,
    SchemeArea,
    SchemeItem,
    Source,
    Target,
    parse_ref,
)

ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
TARGETS = "targets"
INDICATOR_KEYS = frozenset(
    {
        "name",
        "definition",
        "formula",
        "unit",
        "period",
        "owner",
        "target",
        "scale",
        "precision",
        "rounding",
        "ledger",
        "note",
    }
)
# Metric names of each loaded type: type → metric → whether it is a `by` metric.
TypeMetrics = Mapping[str, Mapping[str, bool]]


class IndicatorCatalogError(ValueError):
    """The catalogue's faults, each "file: path: what is wrong"."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("指标目录有误：\n" + "\n".join(self.problems))


class _Faults:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def _keys(
    raw: Any, allowed: Iterable[str], required: Iterable[str], where: str, f: _Faults
) -> bool:
    if not isinstance(raw, Mapping):
        f.add(where, "expected a mapping")
        return False
    for key in raw:
        if key not in allowed:
            f.add(where, f"unknown key {key!r}")
    for key in required:
        if key not in raw:
            f.add(where, f"missing {key!r}")
    return True


def _text(raw: Any, key: str, where: str, f: _Faults, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        if required or value != "":
            f.add(f"{where}.{key}", "expected text")
        return ""
    return value.strip()


def number(value: Any) -> Decimal | None:
    """12, 0.95, "95%", "205.4" → Decimal (a percentage as a fraction); None otherwise."""
    if isinstance(value, bool):
        return None
    text = str(value).strip().replace(",", "")
    percent = text.endswith("%")
    try:
        amount = Decimal(text[:-1] if percent else text)
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    return amount / 100 if percent else amount


def _refs(raw: Any, where: str, f: _Faults) -> tuple[Ref, ...]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not items:
        f.add(
            where,
            "expected an input (metric:…, figure:…, records:…, indicator:…, units:…) or a list",
        )
        return ()
    out = []
    for i, item in enumerate(items):
        try:
            out.append(parse_ref(item if isinstance(item, str) else repr(item)))
        except ValueError as exc:
            f.add(f"{where}[{i}]" if len(items) > 1 else where, str(exc))
    return tuple(out)


def _formula(raw: Any, where: str, f: _Faults) -> Formula | None:
    if not isinstance(raw, Mapping) or len(raw) != 1:
        f.add(where, f"expected one of {', '.join(FORMULA_KINDS)} with its inputs")
        return None
    kind, body = next(iter(raw.items()))
    if kind not in FORMULA_KINDS:
        f.add(where, f"unknown formula {kind!r} (one of {', '.join(FORMULA_KINDS)})")
        return None
    if kind == "ratio":
        if not _keys(
            body, ("numerator", "denominator"), ("numerator", "denominator"), f"{where}.ratio", f
        ):
            return None
        num = _refs(body.get("numerator"), f"{where}.ratio.numerator", f)
        den = _refs(body.get("denominator"), f"{where}.ratio.denominator", f)
        return Formula(kind, num, den)
    refs = _refs(body, f"{where}.{kind}", f)
    if kind in ("count", "value", "decrease") and len(refs) > 1:
        f.add(f"{where}.{kind}", f"{kind} reads one input (add several with sum)")
    return Formula(kind, refs)


def _target(raw: Any, percent: bool, where: str, f: _Faults) -> Target | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raw = {"value": raw}
    if not _keys(raw, ("value", "by_year", "direction"), (), where, f):
        return None
    default = number(raw["value"]) if "value" in raw else None
    if "value" in raw and default is None:
        f.add(f"{where}.value", f"not a number: {raw['value']!r}")
    by_year: list[tuple[int, Decimal]] = []
    years = raw.get("by_year") or {}
    if not isinstance(years, Mapping):
        f.add(f"{where}.by_year", "expected year: value")
        years = {}
    for year, value in years.items():
        amount = number(value)
        if not isinstance(year, int) or amount is None:
            f.add(f"{where}.by_year.{year}", f"expected a year and a number, got {value!r}")
            continue
        by_year.append((year, amount))
    direction = raw.get("direction", "at_least")
    if direction not in ("at_least", "at_most"):
        f.add(f"{where}.direction", "expected at_least or at_most")
    if percent and default is not None and default > 1:
        f.add(f"{where}.value", "a percentage target is written 95% or 0.95")
    return Target(default, tuple(by_year), str(direction))


def _indicator(ident: Any, raw: Any, area: str, where: str, f: _Faults) -> Indicator | None:
    if not isinstance(ident, str) or not ID.match(ident):
        f.add(
            where,
            f"bad indicator id {ident!r} (area.name, lower-case, e.g. mediation.success_rate)",
        )
        return None
    if not _keys(raw, INDICATOR_KEYS, ("name", "definition", "formula", "unit", "owner"), where, f):
        return None
    formula = _formula(raw.get("formula"), f"{where}.formula", f)
    unit = _text(raw, "unit", where, f)
    period = raw.get("period", "year")
    if period not in PERIODS:
        f.add(f"{where}.period", f"expected one of {', '.join(PERIODS)}")
    # A ratio is a percentage, or with a unit of its own an average (12345热线工单平均办理时长:
    # working days ÷ orders closed, in 个工作日).
    if formula is not None and formula.kind in ("completion", "change") and unit != PERCENT:
        f.add(f"{where}.unit", f'a {formula.kind} is a percentage: write unit: "%"')
    precision = raw.get("precision", 2 if unit == PERCENT else 0)
    if not isinstance(precision, int) or isinstance(precision, bool) or not 0 <= precision <= 6:
        f.add(f"{where}.precision", "expected 0 to 6 places")
        precision = 0
    rounding = raw.get("rounding", "half_up")
    if rounding not in ROUNDINGS:
        f.add(f"{where}.rounding", f"expected one of {', '.join(ROUNDINGS)}")
    scale = number(raw.get("scale", 1))
    if scale is None or scale <= 0:
        f.add(f"{where}.scale", "expected a positive number (0.0001: yuan shown in 万元)")
        scale = Decimal(1)
    ledger = _refs(raw["ledger"], f"{where}.ledger", f) if "ledger" in raw else ()
    if formula is None:
        return None
    return Indicator(
        id=ident,
        name=_text(raw, "name", where, f),
        definition=_text(raw, "definition", where, f),
        formula=formula,
        unit=unit,
        period=str(period),
        owner=_text(raw, "owner", where, f),
        area=area,
        target=_target(raw.get("target"), unit == PERCENT, f"{where}.target", f),
        scale=scale,
        precision=precision,
        rounding=str(rounding),
        ledger=ledger,
        note=_text(raw, "note", where, f, required=False),
    )


def _sources(raw: Any, where: str, f: _Faults) -> list[Source]:
    if not _keys(raw, ("sources",), ("sources",), where, f):
        return []
    body = raw["sources"]
    if not isinstance(body, Mapping):
        f.add(f"{where}: sources", "expected name: source")
        return []
    out = []
    for name, spec in body.items():
        at = f"{where}: sources.{name}"
        if not isinstance(name, str) or not NAME.match(name) or name == TARGETS:
            f.add(
                at,
                f"bad source name {name!r}"
                + (" (targets is the platform's own)" if name == TARGETS else ""),
            )
            continue
        if not _keys(
            spec,
            ("label", "owner", "system", "figures"),
            ("label", "owner", "system", "figures"),
            at,
            f,
        ):
            continue
        figures = []
        raw_figures = spec["figures"] if isinstance(spec["figures"], Mapping) else {}
        if not raw_figures:
            f.add(f"{at}.figures", "expected code: {name, kind, unit}")
        for code, fig in raw_figures.items():
            fat = f"{at}.figures.{code}"
            if not isinstance(code, str) or not NAME.match(code):
                f.add(fat, f"bad figure code {code!r}")
                continue
            if not _keys(fig, ("name", "kind", "unit"), ("name", "kind", "unit"), fat, f):
                continue
            if fig["kind"] not in FIGURE_KINDS:
                f.add(f"{fat}.kind", f"expected one of {', '.join(FIGURE_KINDS)}")
            figures.append(
                FigureSpec(
                    f"{name}.{code}",
                    _text(fig, "name", fat, f),
                    str(fig["kind"]),
                    _text(fig, "unit", fat, f),
                )
            )
        out.append(
            Source(
                name,
                _text(spec, "label", at, f),
                _text(spec, "owner", at, f),
                _text(spec, "system", at, f),
                tuple(figures),
            )
        )
    return out


def _scheme(raw: Any, where: str, f: _Faults, known: frozenset[str]) -> Scheme | None:
    if not _keys(
        raw, ("scheme", "name", "basis", "note", "areas"), ("scheme", "name", "areas"), where, f
    ):
        return None
    ident = raw["scheme"]
    if not isinstance(ident, str) or not NAME.match(ident):
        f.add(f"{where}: scheme", f"bad scheme id {ident!r}")
        return None
    areas: list[SchemeArea] = []
    codes: set[str] = set()
    raw_areas = raw["areas"] if isinstance(raw["areas"], list) else []
    if not raw_areas:
        f.add(f"{where}: areas", "expected a list of areas")
    for a, area in enumerate(raw_areas):
        at = f"{where}: areas[{a}]"
        if not _keys(area, ("code", "name", "items"), ("code", "name", "items"), at, f):
            continue
        items: list[SchemeItem] = []
        for i, item in enumerate(area["items"] if isinstance(area["items"], list) else []):
            it = f"{at}.items[{i}]"
            if not _keys(
                item,
                ("code", "name", "score", "indicators", "evidence", "requirement"),
                ("code", "name", "score", "evidence"),
                it,
                f,
            ):
                continue
            code = str(item["code"])
            if code in codes:
                f.add(f"{it}.code", f"item {code} twice in the scheme")
            codes.add(code)
            score = number(item["score"])
            if score is None or score < 0:
                f.add(f"{it}.score", "expected a score ≥ 0")
                score = Decimal(0)
            evidence = item["evidence"]
            if evidence not in EVIDENCE_KINDS:
                f.add(f"{it}.evidence", f"expected one of {', '.join(EVIDENCE_KINDS)}")
            indicators = item.get("indicators") or []
            if not isinstance(indicators, list):
                f.add(f"{it}.indicators", "expected a list of indicator ids")
                indicators = []
            for name in indicators:
                if name not in known:
                    f.add(f"{it}.indicators", f"unknown indicator {name!r}")
            if evidence in ("platform", "both") and not indicators:
                f.add(
                    f"{it}.indicators", f"evidence {evidence} needs the indicators that evidence it"
                )
            requirement = _text(item, "requirement", it, f, required=evidence != "platform")
            items.append(
                SchemeItem(
                    code,
                    _text(item, "name", it, f),
                    score,
                    tuple(map(str, indicators)),
                    str(evidence),
                    requirement,
                )
            )
        areas.append(SchemeArea(str(area["code"]), _text(area, "name", at, f), tuple(items)))
    return Scheme(
        ident,
        _text(raw, "name", where, f),
        _text(raw, "basis", where, f, required=False),
        _text(raw, "note", where, f, required=False),
        tuple(areas),
    )


def _check_refs(
    indicators: Sequence[Indicator],
    sources: Sequence[Source],
    metrics: TypeMetrics | None,
    where: Mapping[str, str],
    f: _Faults,
    records: frozenset[str] | None = None,
) -> None:
    ids = {i.id for i in indicators}
    figures = {fig.code for s in sources for fig in s.figures}
    for ind in indicators:
        at = f"{where[ind.id]}: indicators.{ind.id}"
        for ref in ind.formula.refs + ind.ledger:
            if ref.kind == "indicator" and ref.name not in ids:
                f.add(at, f"unknown indicator {ref.name!r}")
            elif (
                ref.kind == "figure"
                and ref.name not in figures
                and not ref.name.startswith(f"{TARGETS}.")
            ):
                f.add(at, f"unknown figure {ref.name!r} (declare it in the sources file)")
            elif ref.kind == "records" and records is not None and ref.name not in records:
                f.add(at, f"no type package registers the record source {ref.name!r}")
            elif ref.kind == "metric" and metrics is not None:
                declared = metrics.get(ref.case_type)
                if declared is None:
                    f.add(at, f"unknown case type {ref.case_type!r} in {ref.text}")
                elif ref.metric not in declared:
                    f.add(at, f"{ref.case_type} declares no metric {ref.metric!r}")
                elif declared[ref.metric] and ref.by_value is None:
                    f.add(at, f"{ref.text}: a by metric is read per value (write {ref.name}:VALUE)")
                elif not declared[ref.metric] and ref.by_value is not None:
                    f.add(at, f"{ref.text}: {ref.metric} has no by values")
    by_id = {i.id: i for i in indicators}
    state: dict[str, int] = {}

    def visit(ident: str, trail: list[str]) -> None:
        if state.get(ident) == 2 or ident not in by_id:
            return
        if state.get(ident) == 1:
            f.add(
                f"{where[ident]}: indicators.{ident}",
                "reads itself: " + " → ".join([*trail, ident]),
            )
            return
        state[ident] = 1
        for ref in by_id[ident].formula.refs:
            if ref.kind == "indicator":
                visit(ref.name, [*trail, ident])
        state[ident] = 2

    for ident in by_id:
        visit(ident, [])


def _targets_source(indicators: Sequence[Indicator]) -> Source:
    return Source(
        TARGETS,
        "年度目标任务",
        "SF-YFZQB",
        "各单位年度目标任务（依法治区办汇总）",
        tuple(
            FigureSpec(
                f"{TARGETS}.{i.id}",
                f"{i.name}（目标）",
                "percent" if i.percent else "decimal",
                i.unit,
            )
            for i in indicators
        ),
    )


def parse_catalog(
    indicator_files: Sequence[tuple[str, Any]],
    sources_file: tuple[str, Any] | None,
    scheme_files: Sequence[tuple[str, Any]],
    metrics: TypeMetrics | None = None,
    records: frozenset[str] | None = None,
) -> Catalog:
    """Each argument pairs a file's name with its parsed YAML. `metrics` (the loaded types'
    metrics) checks every metric input when given, `records` (the registered record sources)
    every records input. Raises IndicatorCatalogError."""
    f = _Faults()
    indicators: list[Indicator] = []
    where: dict[str, str] = {}
    areas: list[str] = []
    for name, raw in indicator_files:
        if not _keys(raw, ("area", "indicators"), ("area", "indicators"), name, f):
            continue
        area = _text(raw, "area", name, f)
        areas.append(area)
        body = raw["indicators"] if isinstance(raw["indicators"], Mapping) else {}
        if not body:
            f.add(f"{name}: indicators", "expected id: indicator")
        for ident, spec in body.items():
            if ident in where:
                f.add(f"{name}: indicators.{ident}", f"declared twice (first in {where[ident]})")
                continue
            found = _indicator(ident, spec, area, f"{name}: indicators.{ident}", f)
            if found is not None:
                indicators.append(found)
                where[ident] = name
    sources = _sources(sources_file[1], sources_file[0], f) if sources_file else []
    _check_refs(indicators, sources, metrics, where, f, records)
    known = frozenset(where)
    schemes: list[Scheme] = []
    for name, raw in scheme_files:
        scheme = _scheme(raw, name, f, known)
        if scheme is not None:
            if any(s.id == scheme.id for s in schemes):
                f.add(f"{name}: scheme", f"scheme {scheme.id} declared twice")
            schemes.append(scheme)
    scheme_ids = {s.id for s in schemes}
    for ind in indicators:
        for ref in ind.formula.refs:
            if ref.kind == "scheme" and ref.name.rpartition(".")[0] not in scheme_ids:
                f.add(f"{where[ind.id]}: indicators.{ind.id}", f"unknown scheme in {ref.text}")
    if f.items:
        raise IndicatorCatalogError(f.items)
    return Catalog(
        tuple(indicators), (*sources, _targets_source(indicators)), tuple(schemes), tuple(areas)
    )
