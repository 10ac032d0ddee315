"""Record sources: what a type package keeps in its own tables, made countable by indicators
(`records:OWNER.NAME` in the catalogue) without the engine knowing the table (never writes).

A package registers a source by name when its hook module is imported (the type file's
`hooks:`): a label, the ledger's columns and a function listing the region's records of a
period, each with the unit it belongs to. The indicator's value is how many records the
function lists for the period and unit, and its ledger lists exactly those records, so the
ledger's rows always equal the figure. The rollups cannot hold these counts: their rebuild
replays case events, and a package record (an imported case file under review) may have no
case at all. A source is read per request, so it suits tables of hundreds or thousands of
rows a year, not event streams.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from fazhi.analytics.period import Period
from fazhi.domain.errors import DomainError
from fazhi.org.directory import UnitDirectory


@dataclass(frozen=True)
class Record:
    """One record as its ledger row: the unit it counts for (None: no unit of the
    organisation, counted for the district only) and the cells after the row number."""

    unit_id: int | None
    cells: tuple[Any, ...]


# (session, directory, region_code, period) → every record of the region in the period.
Lister = Callable[[Session, UnitDirectory, str, Period], list[Record]]


@dataclass(frozen=True)
class RecordSource:
    name: str  # OWNER.NAME, as `records:` names it
    label: str  # the ledger sheet's title
    columns: tuple[str, ...]  # the ledger's columns after 序号
    lister: Lister


_SOURCES: dict[str, RecordSource] = {}


def register_record_source(
    name: str, label: str, columns: tuple[str, ...]
) -> Callable[[Lister], Lister]:
    """Decorator: `lister` is the record source `name` (OWNER.NAME); registering a name twice
    with another function is a programming error."""

    def add(lister: Lister) -> Lister:
        owner, _, rest = name.partition(".")
        if not owner or not rest:
            raise ValueError(f"record source {name!r}: write OWNER.NAME")
        known = _SOURCES.get(name)
        if known is not None and known.lister is not lister:
            raise ValueError(f"record source {name!r} registered twice")
        _SOURCES[name] = RecordSource(name, label, columns, lister)
        return lister

    return add


def record_source_names() -> frozenset[str]:
    return frozenset(_SOURCES)


def record_source(name: str) -> RecordSource:
    found = _SOURCES.get(name)
    if found is None:
        raise DomainError("unknown_record_source", f"没有登记的数据来源 {name}", 422)
    return found


def records(
    session: Session,
    directory: UnitDirectory,
    region_code: str,
    period: Period,
    unit_ids: tuple[int, ...] | None,
    name: str,
) -> list[Record]:
    """The source's records of the period, for the units `unit_ids` (None: the district)."""
    found = record_source(name).lister(session, directory, region_code, period)
    if unit_ids is None:
        return found
    wanted = set(unit_ids)
    return [r for r in found if r.unit_id is not None and r.unit_id in wanted]
