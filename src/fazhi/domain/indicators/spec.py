"""What an indicator catalogue says, as frozen specs (no I/O): indicators, the sources of
figures imported from other systems, evaluation schemes and their items.

An indicator's formula reads *inputs*, each written as a reference string in the catalogue:

- ``metric:TYPE.METRIC`` — a counter a case type declares (`metrics:`), summed over the
  period from `rollup_daily`; ``metric:TYPE.METRIC:VALUE`` one value of a `by` metric;
  ``metric:TYPE.METRIC@CAT1,CAT2`` only the rollup cells of those categories (the type's
  `category_field`). A money metric reads in yuan, any other as a whole number.
- ``figure:SOURCE.CODE`` — a figure imported from another system (`sources:`).
- ``records:OWNER.NAME`` — how many records a type package's record source lists for the
  period and unit (a package table the rollups do not hold, such as the case-file reviews);
  the package registers the source by name (fazhi.analytics.record_sources) and the ledger
  lists the same records.
- ``indicator:ID`` — another indicator's value (no cycles).
- ``units:KIND`` — how many units of that kind the organisation has (68 社区).
- ``scheme:ID.areas`` / ``scheme:ID.items`` — how many areas or items a scheme has (the
  "八五"普法 mid-term scheme's 15 categories and 22 indicators).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

REF_KINDS = ("metric", "figure", "records", "indicator", "units", "scheme")
FORMULA_KINDS = ("count", "sum", "value", "ratio", "completion", "change", "decrease")
# The kinds that read the same period a year before as well.
YEAR_ON_YEAR = frozenset({"change", "decrease"})
PERIODS = ("year", "half", "quarter", "month", "any")
FIGURE_KINDS = ("integer", "decimal", "percent", "money")
EVIDENCE_KINDS = ("platform", "upload", "both")
ROUNDINGS = ("half_up", "down")
PERCENT = "%"


@dataclass(frozen=True)
class Ref:
    """One input of a formula, as written (`text`) and parsed."""

    kind: str
    # metric: TYPE.METRIC[:VALUE]; figure: SOURCE.CODE; records: OWNER.NAME; indicator: ID;
    # units: KIND
    name: str
    categories: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        cats = "@" + ",".join(self.categories) if self.categories else ""
        return f"{self.kind}:{self.name}{cats}"

    @property
    def case_type(self) -> str:
        return self.name.split(".", 1)[0] if self.kind == "metric" else ""

    @property
    def metric(self) -> str:
        """The metric's name in the type (without the `by` value)."""
        return self.name.split(".", 1)[1].split(":", 1)[0] if self.kind == "metric" else ""

    @property
    def counter(self) -> str:
        """The rollup counter: `metric` or `metric:value`."""
        return self.name.split(".", 1)[1] if self.kind == "metric" else ""

    @property
    def by_value(self) -> str | None:
        parts = self.counter.split(":", 1)
        return parts[1] if len(parts) == 2 else None


def parse_ref(text: str) -> Ref:
    """`metric:mediation.succeeded`, `figure:service_hall.items_handled@…` → Ref; ValueError
    with the reason otherwise."""
    kind, sep, rest = text.partition(":")
    if not sep or kind not in REF_KINDS or not rest:
        raise ValueError(
            f"bad input {text!r}: write metric:, figure:, records:, indicator:, units: or scheme:"
        )
    name, _, cats = rest.partition("@")
    categories = tuple(c for c in cats.split(",") if c) if cats else ()
    if cats and not categories:
        raise ValueError(f"bad input {text!r}: no category after @")
    if categories and kind != "metric":
        raise ValueError(f"bad input {text!r}: only a metric takes @categories")
    if kind == "scheme" and name.rpartition(".")[2] not in ("areas", "items"):
        raise ValueError(f"bad input {text!r}: write scheme:ID.areas or scheme:ID.items")
    if kind in ("metric", "figure", "records") and (
        "." not in name or not all(name.split(":", 1)[0].split(".", 1))
    ):
        raise ValueError(f"bad input {text!r}: write {kind}:OWNER.NAME")
    return Ref(kind, name, categories)


@dataclass(frozen=True)
class Formula:
    """`kind` over `inputs` (summed), and for a ratio over `denominator` (summed):

    count / sum / value — the inputs' total (count: events counted; sum: amounts; value: an
    imported or derived figure as it is); ratio — inputs ÷ denominator; completion — inputs ÷
    the indicator's target; change — (this period − the same period a year before) ÷ the
    year before; decrease — the year before − this period, in the indicator's own unit
    (热线办理时限平均减少2个工作日)."""

    kind: str
    inputs: tuple[Ref, ...]
    denominator: tuple[Ref, ...] = ()

    @property
    def refs(self) -> tuple[Ref, ...]:
        return self.inputs + self.denominator


@dataclass(frozen=True)
class Target:
    """The value to reach (`at_least`) or not to pass (`at_most`): one for every year, or by
    year. An imported `targets` figure of the indicator overrides it for its period."""

    default: Decimal | None
    by_year: tuple[tuple[int, Decimal], ...] = ()
    direction: str = "at_least"

    def for_year(self, year: int) -> Decimal | None:
        return dict(self.by_year).get(year, self.default)


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    definition: str
    formula: Formula
    unit: str  # 件, 户, 元, 万元, % …
    period: str
    owner: str  # the owner unit's code
    area: str  # the catalogue's grouping (its file's `area`)
    target: Target | None = None
    scale: Decimal = Decimal(1)  # e.g. 0.0001 for a money metric shown in 万元
    precision: int = 0
    rounding: str = "half_up"  # or "down": 99.83% written 99% (高达99%)
    ledger: tuple[Ref, ...] = ()  # the records behind it: the formula's inputs by default
    note: str = ""

    @property
    def percent(self) -> bool:
        return self.unit == PERCENT

    @property
    def ledger_refs(self) -> tuple[Ref, ...]:
        return self.ledger or self.formula.refs


@dataclass(frozen=True)
class FigureSpec:
    """One figure a source supplies (a row of its template)."""

    code: str  # SOURCE.CODE
    name: str
    kind: str  # integer | decimal | percent | money
    unit: str

    @property
    def additive(self) -> bool:
        """Counts and amounts of shorter periods add up to a longer one; rates do not."""
        return self.kind != "percent"


@dataclass(frozen=True)
class Source:
    """Another system (or office) whose figures are imported from its Excel template."""

    name: str
    label: str
    owner: str  # the unit that supplies it
    system: str  # the system the figures come from, in words
    figures: tuple[FigureSpec, ...]

    def figure(self, code: str) -> FigureSpec | None:
        return next((f for f in self.figures if f.code == code), None)


@dataclass(frozen=True)
class SchemeItem:
    code: str
    name: str
    score: Decimal
    indicators: tuple[str, ...]
    evidence: str  # platform | upload | both
    requirement: str  # what evidence the item asks for, in words


@dataclass(frozen=True)
class SchemeArea:
    code: str
    name: str
    items: tuple[SchemeItem, ...]

    @property
    def score(self) -> Decimal:
        return sum((i.score for i in self.items), Decimal(0))


@dataclass(frozen=True)
class Scheme:
    id: str
    name: str
    basis: str
    note: str
    areas: tuple[SchemeArea, ...]

    def items(self) -> list[SchemeItem]:
        return [item for area in self.areas for item in area.items]

    def item(self, code: str) -> SchemeItem | None:
        return next((i for i in self.items() if i.code == code), None)


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    sources: tuple[Source, ...]
    schemes: tuple[Scheme, ...]
    areas: tuple[str, ...] = ()  # the indicator areas, in file order
    _by_id: dict[str, Indicator] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({i.id: i for i in self.indicators})

    def indicator(self, indicator_id: str) -> Indicator | None:
        return self._by_id.get(indicator_id)

    def source(self, name: str) -> Source | None:
        return next((s for s in self.sources if s.name == name), None)

    def figure(self, code: str) -> FigureSpec | None:
        source = self.source(code.split(".", 1)[0])
        return source.figure(code) if source else None

    def scheme(self, scheme_id: str) -> Scheme | None:
        return next((s for s in self.schemes if s.id == scheme_id), None)

    def order(self) -> list[Indicator]:
        """Every indicator after the ones it reads (the parser refused cycles)."""
        done: dict[str, Indicator] = {}

        def visit(ind: Indicator) -> None:
            if ind.id in done:
                return
            for ref in ind.formula.refs:
                dep = self._by_id.get(ref.name) if ref.kind == "indicator" else None
                if dep is not None:
                    visit(dep)
            done[ind.id] = ind

        for ind in self.indicators:
            visit(ind)
        return list(done.values())
