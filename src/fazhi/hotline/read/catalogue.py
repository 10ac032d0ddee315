"""The dispatch catalogue as people read it: each item with its category's and lead unit's
names, filtered by category and words (name, typical requests, basis or number)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.catalog.categories import load_categories
from fazhi.hotline.actions.catalogue import DEPARTMENT, LEVELS
from fazhi.hotline.store.catalogue import CatalogueItem
from fazhi.org.directory import UnitDirectory

STREET_LEAD = "属地街道"


@dataclass(frozen=True)
class CatalogueRow:
    id: int
    code: str
    name: str
    category: str
    category_label: str
    level: str
    level_label: str
    unit_code: str  # "" for a street item
    unit_name: str  # the lead unit, or 属地街道
    basis: str
    covers: str
    active: bool

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "category_label": self.category_label,
            "level": self.level,
            "level_label": self.level_label,
            "lead_unit": {"code": self.unit_code, "name": self.unit_name}
            if self.unit_code
            else None,
            "lead_text": self.unit_name,
            "basis": self.basis,
            "covers": self.covers,
            "active": self.active,
        }


def catalogue_rows(
    session: Session,
    region_code: str,
    directory: UnitDirectory,
    category: str = "",
    words: str = "",
    retired: bool = False,
) -> list[CatalogueRow]:
    """Items in category order (the category tree's), then by number."""
    query = select(CatalogueItem).where(CatalogueItem.region_code == region_code)
    if not retired:
        query = query.where(CatalogueItem.active.is_(True))
    if category:
        query = query.where(CatalogueItem.category == category)
    order = {c.code: i for i, c in enumerate(load_categories())}
    names = {c.code: c.name for c in load_categories()}
    needles = [w for w in words.split() if w]
    rows: list[CatalogueRow] = []
    for item in session.scalars(query):
        text = f"{item.code} {item.name} {item.covers} {item.basis}"
        if needles and not all(n.lower() in text.lower() for n in needles):
            continue
        unit = directory.by_id.get(item.unit_id) if item.unit_id else None
        rows.append(
            CatalogueRow(
                id=item.id,
                code=item.code,
                name=item.name,
                category=item.category,
                category_label=names.get(item.category, item.category),
                level=item.level,
                level_label=LEVELS.get(item.level, item.level),
                unit_code=unit.code if unit and item.level == DEPARTMENT else "",
                unit_name=unit.name if unit and item.level == DEPARTMENT else STREET_LEAD,
                basis=item.basis,
                covers=item.covers,
                active=item.active,
            )
        )
    rows.sort(key=lambda r: (order.get(r.category, len(order)), r.code))
    return rows
