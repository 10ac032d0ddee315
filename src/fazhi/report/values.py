"""What the drafting takes: indicator values and findings. The indicator package computes
figures; the report only phrases them, so this is the whole interface between the two.

`IndicatorValue` is one figure of one indicator for one period, with the route of the ledger
(台账) that lists the records behind it. A source is any callable giving the values of a
district-year; `values_from_json` reads the same from a file (`fazhi report annual --values`),
so figures from any system can be drafted before, or beside, the indicator package.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from fazhi.domain.errors import DomainError, Problem

Number = int | float | Decimal


@dataclass(frozen=True)
class Period:
    """Local calendar dates, both ends included, and how the report names them."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def label(self) -> str:
        whole_year = (self.start.month, self.start.day, self.end.month, self.end.day) == (
            1,
            1,
            12,
            31,
        )
        if whole_year and self.start.year == self.end.year:
            return f"{self.start.year}年"
        return f"{self.start:%Y年%m月%d日}至{self.end:%Y年%m月%d日}"


@dataclass(frozen=True)
class IndicatorValue:
    """One figure: `value` in `unit` (件, 人, 万元, 元, % — a value already in per cent — or
    `ratio`, a fraction the report shows as per cent), over `period`, named `name`, and the
    console route of its ledger. `target` (same unit), when the indicator has one, lets the
    problems section name figures below it. `series` (label, value) — e.g. per month — is
    drawn as a chart where the template asks for one."""

    id: str
    name: str
    value: Number
    unit: str
    period: Period
    ledger: str
    target: Number | None = None
    series: tuple[tuple[str, Number], ...] = ()
    owner: str = ""  # the unit answerable for the figure, when the indicator names one
    # The decimals the indicator is written to (None: the unit's default, numbers.DECIMALS);
    # a placeholder's own `.N` still wins.
    decimals: int | None = None
    # Whether the target is met, when the indicator judges it (a lower-is-better target is
    # met below it); None: compare value and target.
    met: bool | None = None


Values = Mapping[str, IndicatorValue]


@dataclass(frozen=True)
class Finding:
    """One weakness the data shows, for the problems section: `kind` names the phrasing in
    the template (`review_defect`, `overdue`, `below_target` …), `subject` what it is about
    (a defect class, a unit, an indicator), `value`/`unit` its size, `detail` more words the
    phrasing may use — text, a number, or (number, unit) written as a figure — and `ledger`
    where the records are."""

    kind: str
    subject: str
    value: Number | None = None
    unit: str = ""
    detail: Mapping[str, Any] = field(default_factory=dict)
    ledger: str = ""


# A source of values: (session, action context, year) → the year's values. The indicator
# package registers one here once both are merged (`register_source`); until then the
# command line reads a values file and the console drafts from narrative and findings.
Source = Callable[[Any, Any, int], Values]
_SOURCES: list[Source] = []


def register_source(source: Source) -> Source:
    _SOURCES.append(source)
    return source


def sources() -> Sequence[Source]:
    return tuple(_SOURCES)


def _number(raw: Any, where: str, problems: list[Problem]) -> Number | None:
    if isinstance(raw, bool) or raw is None:
        problems.append(Problem("invalid_value", f"{where}不是数值", where))
        return None
    if isinstance(raw, int):
        return raw
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        problems.append(Problem("invalid_value", f"{where}不是数值", where))
        return None


def _date(raw: Any, where: str, problems: list[Problem]) -> date | None:
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        problems.append(Problem("invalid_date", f"{where}应为日期（YYYY-MM-DD）", where))
        return None


def values_from_data(data: Any, year: int) -> dict[str, IndicatorValue]:
    """Values from the file format (docs/data-formats.md, "Annual report values"): a list of
    objects with id, name, value, unit, ledger and optional period {start, end}, target,
    series [[label, value]…], owner. Every problem at once; the period defaults to the year."""
    problems: list[Problem] = []
    rows = data.get("values") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise DomainError("invalid_values", "指标数值文件应为列表或含 values 列表的对象", 422)
    out: dict[str, IndicatorValue] = {}
    for i, row in enumerate(rows):
        at = f"values[{i}]"
        if not isinstance(row, dict):
            problems.append(Problem("invalid_value", f"{at}应为对象", at))
            continue
        unknown = set(row) - {
            "decimals",
            "met",
            "id",
            "name",
            "value",
            "unit",
            "ledger",
            "period",
            "target",
            "series",
            "owner",
        }
        if unknown:
            problems.append(
                Problem("unknown_key", f"{at}有未知的键：{'、'.join(sorted(unknown))}", at)
            )
        missing = [k for k in ("id", "name", "value", "unit", "ledger") if row.get(k) in (None, "")]
        if missing:
            problems.append(Problem("required", f"{at}缺少 {'、'.join(missing)}", at))
            continue
        value = _number(row["value"], f"{at}.value", problems)
        target = (
            None if row.get("target") is None else _number(row["target"], f"{at}.target", problems)
        )
        period = Period.year(year)
        if row.get("period") is not None:
            raw = row["period"]
            start = _date(
                raw.get("start") if isinstance(raw, dict) else None, f"{at}.period.start", problems
            )
            end = _date(
                raw.get("end") if isinstance(raw, dict) else None, f"{at}.period.end", problems
            )
            if start and end:
                period = Period(start, end)
        series: list[tuple[str, Number]] = []
        for j, point in enumerate(row.get("series") or []):
            if not (isinstance(point, list | tuple) and len(point) == 2):
                problems.append(Problem("invalid_value", f"{at}.series[{j}]应为[标签, 数值]", at))
                continue
            n = _number(point[1], f"{at}.series[{j}]", problems)
            if n is not None:
                series.append((str(point[0]), n))
        decimals = row.get("decimals")
        if decimals is not None and (
            isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 6
        ):
            problems.append(Problem("invalid_value", f"{at}.decimals应为0至6的整数", at))
            decimals = None
        met = row.get("met")
        if met is not None and not isinstance(met, bool):
            problems.append(Problem("invalid_value", f"{at}.met应为 true 或 false", at))
            met = None
        ident = str(row["id"])
        if ident in out:
            problems.append(Problem("duplicate", f"指标 {ident} 重复", at))
        if value is not None:
            out[ident] = IndicatorValue(
                ident,
                str(row["name"]),
                value,
                str(row["unit"]),
                period,
                str(row["ledger"]),
                target,
                tuple(series),
                str(row.get("owner") or ""),
                decimals,
                met,
            )
    if problems:
        raise DomainError.from_problems(problems)
    return out


def values_from_json(path: Path, year: int) -> dict[str, IndicatorValue]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DomainError("invalid_values", f"无法读取指标数值文件 {path}：{exc}", 422) from None
    return values_from_data(data, year)


def value_as_json(v: IndicatorValue) -> dict[str, Any]:
    """The file format of one value (the inverse of `values_from_data`)."""
    return {
        "id": v.id,
        "name": v.name,
        "value": v.value if isinstance(v.value, int) else str(v.value),
        "unit": v.unit,
        "ledger": v.ledger,
        "period": {"start": v.period.start.isoformat(), "end": v.period.end.isoformat()},
        "target": None
        if v.target is None
        else (v.target if isinstance(v.target, int) else str(v.target)),
        "series": [[label, n if isinstance(n, int) else str(n)] for label, n in v.series],
        "owner": v.owner,
        "decimals": v.decimals,
        "met": v.met,
    }
