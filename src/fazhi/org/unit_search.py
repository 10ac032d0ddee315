"""Finding a unit of the tree by what an operator types: part of its name or short name
(城管), its code (SF-CGJ), the initials of its name's pinyin (cgj for 区城管局) or the pinyin
itself (chengguan). The pinyin comes from `pypinyin` (its own dictionary, nothing loaded
from outside); it is worked out once per loaded directory and kept beside it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from pypinyin import Style, lazy_pinyin

from fazhi.domain.units import UnitRef
from fazhi.org.directory import UnitDirectory

MAX_RESULTS = 50


@dataclass(frozen=True)
class UnitKeys:
    """What a unit is found by, lower-cased."""

    unit: UnitRef
    short_name: str
    names: tuple[str, ...]  # name, short name
    initials: tuple[str, ...]  # 区城管局 → qcgj
    spelled: tuple[str, ...]  # 区城管局 → quchengguanju
    code: str
    depth: int


def _initials(text: str) -> str:
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")).lower()


def _spelled(text: str) -> str:
    return "".join(lazy_pinyin(text, errors="default")).lower()


def _keys(directory: UnitDirectory, unit: UnitRef) -> UnitKeys:
    row = directory.rows.get(unit.id)
    short = (row.short_name if row is not None else None) or ""
    names = tuple(n for n in (unit.name, short) if n)
    return UnitKeys(
        unit=unit,
        short_name=short,
        names=tuple(n.lower() for n in names),
        initials=tuple(_initials(n) for n in names),
        spelled=tuple(_spelled(n).replace(" ", "") for n in names),
        code=unit.code.lower(),
        depth=unit.path.count("/"),
    )


_INDEX: WeakKeyDictionary[UnitDirectory, tuple[UnitKeys, ...]] = WeakKeyDictionary()


def unit_index(directory: UnitDirectory) -> tuple[UnitKeys, ...]:
    """The search keys of every unit, worked out once per directory (which is reloaded,
    and so re-indexed, after any change to the units)."""
    found = _INDEX.get(directory)
    if found is None:
        found = tuple(_keys(directory, u) for u in directory.by_id.values())
        _INDEX[directory] = found
    return found


def _score(keys: UnitKeys, query: str) -> int | None:
    """Lower is better; None when the unit does not match. An exact name or code first, then
    a name, initials or pinyin that begins with what was typed, then one that contains it."""
    if query in keys.names or query == keys.code:
        return 0
    ranks: list[int] = []
    for rank, values in (
        (1, keys.names),
        (2, keys.initials),
        (3, keys.spelled),
        (4, (keys.code,)),
    ):
        for value in values:
            if value.startswith(query):
                ranks.append(rank)
            elif query in value:
                ranks.append(rank + 4)
    return min(ranks) if ranks else None


def search_units(
    directory: UnitDirectory,
    text: str,
    kinds: Collection[str] = (),
    limit: int = 20,
) -> list[UnitKeys]:
    """The units matching `text` (every word of it), best first; at most `limit`. `kinds`
    narrows them (department, street, community, grid, company, centre)."""
    words = text.strip().lower().split()
    if not words:
        return []
    scored = []
    for keys in unit_index(directory):
        if kinds and keys.unit.kind not in kinds:
            continue
        ranks = [_score(keys, w) for w in words]
        if any(r is None for r in ranks):
            continue
        scored.append((sum(r for r in ranks if r is not None), keys.depth, keys.unit.name, keys))
    scored.sort(key=lambda item: item[:3])
    return [keys for *_, keys in scored[: max(1, min(limit, MAX_RESULTS))]]
