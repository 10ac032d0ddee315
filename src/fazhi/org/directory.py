"""The organisation tree held in memory: units change rarely and are read on every request.

With it, the two lists admins keep about places: the duty rules (category × area → unit,
see `fazhi.domain.duty`) and the gazetteer entries (place name → community / grid). All three
are reloaded together when any of them changes (`Platform.forget_units`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.domain.duty import DutyChoice, DutyRule, resolve_duty
from fazhi.domain.units import UnitRef
from fazhi.store.models import DutyRule as DutyRuleRow
from fazhi.store.models import GazetteerEntry, Unit

# The units a duty rule may be limited to.
AREA_KINDS = ("community", "street")


@dataclass(frozen=True)
class PlaceName:
    """An admin's gazetteer entry: `name` places an address on `unit` (a community or grid)."""

    id: int
    name: str
    unit_id: int


class UnitDirectory:
    def __init__(
        self,
        units: Iterable[Unit],
        duty_rules: Iterable[DutyRule] = (),
        place_names: Iterable[PlaceName] = (),
    ) -> None:
        self.by_id: dict[int, UnitRef] = {}
        self.by_code: dict[str, UnitRef] = {}
        self.rows: dict[int, Unit] = {}
        for unit in units:
            ref = UnitRef(unit.id, unit.code, unit.name, unit.kind, unit.path)
            self.by_id[unit.id] = ref
            self.by_code[unit.code] = ref
            self.rows[unit.id] = unit
        # Derived once: asked for every case shown.
        self._streets: dict[int, UnitRef | None] = {
            unit_id: next((u for u in self.ancestors(ref) if u.kind == "street"), None)
            for unit_id, ref in self.by_id.items()
        }
        # Rules and names that point at a stopped unit are left out.
        self.duty_rules: tuple[DutyRule, ...] = tuple(
            r
            for r in duty_rules
            if r.unit_id in self.by_id and (r.area_id is None or r.area_id in self.by_id)
        )
        self.place_names: tuple[PlaceName, ...] = tuple(
            p for p in place_names if p.unit_id in self.by_id
        )

    @classmethod
    def load(cls, session: Session, region_code: str) -> UnitDirectory:
        rows = session.scalars(
            select(Unit).where(Unit.region_code == region_code, Unit.active.is_(True))
        )
        rules = [
            DutyRule(r.id, r.category, r.area_unit_id, r.unit_id)
            for r in session.scalars(
                select(DutyRuleRow).where(
                    DutyRuleRow.region_code == region_code, DutyRuleRow.active.is_(True)
                )
            )
        ]
        names = [
            PlaceName(e.id, e.name, e.grid_id or e.community_id)
            for e in session.scalars(
                select(GazetteerEntry)
                .where(GazetteerEntry.region_code == region_code, GazetteerEntry.active.is_(True))
                .order_by(GazetteerEntry.id)
            )
        ]
        return cls(rows, rules, names)

    def resolve(self, value: Any) -> UnitRef | None:
        """A unit named by id, code, or a {"id"|"code": ...} object."""
        if isinstance(value, UnitRef):
            return value
        if isinstance(value, dict):
            value = value.get("id", value.get("code"))
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return self.by_id.get(value)
        if isinstance(value, str):
            text = value.strip()
            if text.isdigit():
                return self.by_id.get(int(text))
            return self.by_code.get(text)
        return None

    def ancestors(self, unit: UnitRef) -> list[UnitRef]:
        """The unit itself and every unit above it."""
        ids = [int(part) for part in unit.path.strip("/").split("/") if part]
        return [self.by_id[i] for i in ids if i in self.by_id]

    def subtree_ids(self, unit: UnitRef) -> list[int]:
        return [u.id for u in self.by_id.values() if u.path.startswith(unit.path)]

    def street_of(self, unit: UnitRef) -> UnitRef | None:
        return self._streets.get(unit.id)

    def default_unit_for(self, category: str) -> UnitRef | None:
        for unit_id, row in self.rows.items():
            if category in (row.categories or []):
                return self.by_id[unit_id]
        return None

    def duty(self, category: str, area: UnitRef | None = None) -> DutyChoice:
        """The duty list's answer for `category` at `area` (a grid, community or street;
        None when the place is unknown): the most specific rule, else the default."""
        chain: list[UnitRef] = []
        street: UnitRef | None = None
        if area is not None:
            chain = [u for u in reversed(self.ancestors(area)) if u.kind in AREA_KINDS]
            street = self.street_of(area)
        default = self.default_unit_for(category)
        return resolve_duty(
            self.duty_rules,
            category,
            [u.id for u in chain],
            default.id if default is not None else None,
            street.id if street is not None else None,
        )

    def duty_unit(self, category: str, area: UnitRef | None = None) -> UnitRef | None:
        """The unit that leads `category` at `area` by the duty list (None: choose one)."""
        choice = self.duty(category, area)
        return self.by_id.get(choice.unit_id) if choice.unit_id is not None else None
