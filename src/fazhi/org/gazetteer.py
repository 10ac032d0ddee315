"""Address text to street / community / grid: a small gazetteer built from the organisation.

The demo gazetteer knows the names of streets (towns) and communities (villages) and every
unit's `address_hints` (roads, estates, village groups inside it), and the place names admins
add on /admin/gazetteer (an entry with a grid places the grid). An address is placed by
the longest of those names that occurs in it; a community match also gives the community's
grid when it has exactly one. Coordinates, when known, are better: see `locate.locate_grid`,
and `place_from_grid` for turning its answer into a Placement.

Pure apart from reading the UnitDirectory it is built from; cached per directory, so an
organisation reload (a new directory) builds a new gazetteer.
"""

from __future__ import annotations

import unicodedata
import weakref
from dataclasses import dataclass

from fazhi.domain.units import UnitRef
from fazhi.org.directory import UnitDirectory

# Kinds of unit an address can name, most specific first (used to break ties).
PLACE_KINDS = ("grid", "community", "street")


@dataclass(frozen=True)
class Placement:
    """Where an address (or a point) lies. `matched` is the gazetteer text that placed it
    ("" when placed by coordinates); `grids` are the candidate grids of the community."""

    street: UnitRef | None
    community: UnitRef | None
    grid: UnitRef | None
    matched: str = ""
    grids: tuple[UnitRef, ...] = ()
    by_coordinates: bool = False

    @property
    def area(self) -> UnitRef | None:
        """The most specific unit known: the grid, else the community, else the street."""
        return self.grid or self.community or self.street

    @property
    def grid_pending(self) -> bool:
        """A community is known but not which of its several grids."""
        return self.community is not None and self.grid is None


def normalise(text: str) -> str:
    """Full-width digits and letters to ASCII (NFKC), whitespace dropped: 建设巷２０号 →
    建设巷20号, so that what an operator types meets what the organisation file says."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split())


@dataclass(frozen=True)
class _Entry:
    key: str  # normalised
    text: str  # as written in the organisation file
    unit: UnitRef


class Gazetteer:
    def __init__(self, directory: UnitDirectory) -> None:
        self.directory = directory
        self._grids: dict[int, tuple[UnitRef, ...]] = {}
        entries: dict[str, _Entry] = {}
        ambiguous: set[str] = set()
        units = sorted(directory.by_id.values(), key=lambda u: u.path)
        named: list[tuple[UnitRef, list[str]]] = []
        for unit in units:
            if unit.kind not in PLACE_KINDS:
                continue
            row = directory.rows.get(unit.id)
            names = [unit.name] if unit.kind in ("community", "street") else []
            names += [str(h) for h in (row.address_hints or [])] if row is not None else []
            named.append((unit, names))
        for place in directory.place_names:  # the admins' entries
            named.append((directory.by_id[place.unit_id], [place.name]))
        for unit, names in named:
            for text in names:
                key = normalise(text)
                if len(key) < 2 or key in ambiguous:
                    continue
                known = entries.get(key)
                if known is None:
                    entries[key] = _Entry(key, text, unit)
                elif known.unit.id != unit.id:
                    # The same text in two places: keep only what both share, if anything.
                    common = self._common_place(known.unit, unit)
                    if common is None:
                        del entries[key]
                        ambiguous.add(key)
                    else:
                        entries[key] = _Entry(key, text, common)
        rank = {kind: i for i, kind in enumerate(PLACE_KINDS)}
        # Longest first; on equal length the more specific unit wins.
        self.entries: tuple[_Entry, ...] = tuple(
            sorted(entries.values(), key=lambda e: (-len(e.key), rank[e.unit.kind], e.key))
        )
        for unit in units:
            if unit.kind == "grid":
                community = self._ancestor(unit, "community")
                if community is not None:
                    self._grids[community.id] = (*self._grids.get(community.id, ()), unit)

    def _ancestor(self, unit: UnitRef, kind: str) -> UnitRef | None:
        return next((u for u in reversed(self.directory.ancestors(unit)) if u.kind == kind), None)

    def _common_place(self, a: UnitRef, b: UnitRef) -> UnitRef | None:
        for kind in PLACE_KINDS:
            first, second = self._ancestor(a, kind), self._ancestor(b, kind)
            if first is not None and first == second:
                return first
        return None

    def grids_of(self, community: UnitRef) -> tuple[UnitRef, ...]:
        return self._grids.get(community.id, ())

    def place_unit(self, unit: UnitRef, matched: str = "") -> Placement:
        """The placement a unit stands for (a grid, a community or a street)."""
        street = self.directory.street_of(unit)
        if unit.kind == "grid":
            community = self._ancestor(unit, "community")
            return Placement(street, community, unit, matched, (unit,))
        if unit.kind == "community":
            grids = self.grids_of(unit)
            return Placement(street, unit, grids[0] if len(grids) == 1 else None, matched, grids)
        return Placement(street, None, None, matched)

    def locate_address(self, text: str) -> Placement | None:
        """The place named by the longest gazetteer entry found in `text`, or None."""
        haystack = normalise(text or "")
        if len(haystack) < 2:
            return None
        for entry in self.entries:  # longest first: the first hit is the best
            if entry.key in haystack:
                return self.place_unit(entry.unit, entry.text)
        return None


def place_from_grid(directory: UnitDirectory, grid: UnitRef) -> Placement:
    """A placement for a grid found from coordinates."""
    placement = gazetteer_for(directory).place_unit(grid)
    return Placement(
        placement.street, placement.community, grid, "", placement.grids, by_coordinates=True
    )


_cache: weakref.WeakKeyDictionary[UnitDirectory, Gazetteer] = weakref.WeakKeyDictionary()


def gazetteer_for(directory: UnitDirectory) -> Gazetteer:
    """The gazetteer of this directory, built on first use."""
    found = _cache.get(directory)
    if found is None:
        found = Gazetteer(directory)
        _cache[directory] = found
    return found
