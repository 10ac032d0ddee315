"""The organisation tree held in memory: units change rarely and are read on every request."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.domain.units import UnitRef
from fazhi.store.models import Unit


class UnitDirectory:
    def __init__(self, units: Iterable[Unit]) -> None:
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

    @classmethod
    def load(cls, session: Session, region_code: str) -> UnitDirectory:
        rows = session.scalars(
            select(Unit).where(Unit.region_code == region_code, Unit.active.is_(True))
        )
        return cls(rows)

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
