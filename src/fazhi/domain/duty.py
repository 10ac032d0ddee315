"""The duty list (职责清单): which unit leads a category of request at a place.

Pure: the rules, the place and the fallbacks are given; nothing is read. The most specific
active rule wins — one for the community, then one for the street, then a district-wide
rule — then the category's district default (the unit whose `categories` lists it), then,
for categories led where the request arises (矛盾纠纷 → 人民调解), the street of the place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Categories led by the street where the request arises (人民调解), not by a department.
STREET_LED_CATEGORIES = frozenset({"DISPUTE"})


@dataclass(frozen=True)
class DutyRule:
    """One active rule: `category` at `area_id` (a street or community; None = the whole
    district) is led by `unit_id`."""

    id: int
    category: str
    area_id: int | None
    unit_id: int


@dataclass(frozen=True)
class DutyChoice:
    """The answer: the unit (None when there is none yet) and where it came from —
    "rule" (then `rule` and `area_id` say which), "default" or "street"."""

    unit_id: int | None
    source: str
    rule: DutyRule | None = None

    @property
    def area_id(self) -> int | None:
        return self.rule.area_id if self.rule is not None else None


def resolve_duty(
    rules: Iterable[DutyRule],
    category: str,
    areas: Sequence[int],
    default_unit_id: int | None = None,
    street_id: int | None = None,
) -> DutyChoice:
    """The unit for `category` at a place whose enclosing units are `areas`, most specific
    first (e.g. [community, street]; empty when the place is unknown)."""
    rank = {area: i for i, area in enumerate(areas)}
    best: DutyRule | None = None
    best_key: tuple[int, int] | None = None
    for rule in rules:
        if rule.category != category:
            continue
        if rule.area_id is None:
            position = len(areas)
        elif rule.area_id in rank:
            position = rank[rule.area_id]
        else:
            continue
        key = (position, -rule.id)  # more specific first; the newest on a tie
        if best_key is None or key < best_key:
            best, best_key = rule, key
    if best is not None:
        return DutyChoice(best.unit_id, "rule", best)
    if default_unit_id is not None:
        return DutyChoice(default_unit_id, "default")
    if category in STREET_LED_CATEGORIES:
        return DutyChoice(street_id, "street")
    return DutyChoice(None, "none")
