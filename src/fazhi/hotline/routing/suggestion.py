"""A dispatch suggestion for one request: the model's ranked categories, each with the duty
list's lead unit and the words that speak for it, plus where the request is (grid, street).

Shared by the API (`POST /api/v1/routing/suggest`), the CLI (`fazhi route suggest`) and the
console (intake box, dispatch hint)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from fazhi.catalog.categories import load_categories
from fazhi.domain.units import UnitRef
from fazhi.hotline.routing.suggest import Suggester, current_suggester, model_info
from fazhi.org.gazetteer import Placement, gazetteer_for, place_from_grid
from fazhi.org.locate import locate_grid

if TYPE_CHECKING:
    from fazhi.actions.platform import Platform
    from fazhi.org.directory import UnitDirectory


@functools.cache
def category_labels() -> dict[str, str]:
    return {c.code: c.name for c in load_categories()}


def locate(
    platform: Platform, address: str | None, point: tuple[float, float] | None
) -> Placement | None:
    """Coordinates first (the grid polygon that holds them), then the address text."""
    directory = platform.directory()
    if point is not None:
        grid = locate_grid(platform.directory(), point)
        if grid is not None:
            return place_from_grid(directory, grid)
    if address:
        return gazetteer_for(directory).locate_address(address)
    return None


def lead_unit(directory: UnitDirectory, category: str, area: UnitRef | None) -> UnitRef | None:
    """The duty list's unit for `category` at `area` (grid, community or street; None when
    the place is unknown): the most specific area rule, else the district default."""
    return directory.duty_unit(category, area)


def _brief(unit: UnitRef | None) -> dict[str, Any] | None:
    return unit.brief() if unit is not None else None


def describe_place(place: Placement | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(grid, street) as JSON: the grid with its community, how it was found."""
    if place is None:
        return None, None
    grid: dict[str, Any] | None = None
    if place.grid is not None:
        grid = place.grid.brief() | {
            "community": _brief(place.community),
            "by_coordinates": place.by_coordinates,
            "matched": place.matched,
        }
    return grid, _brief(place.street)


def suggest_request(
    platform: Platform,
    text: str,
    *,
    address: str | None = None,
    point: tuple[float, float] | None = None,
    k: int = 3,
    suggester: Suggester | None = None,
    why: int = 5,
) -> dict[str, Any]:
    """{candidates: [{category, category_label, unit, score, why}], grid, street, model}."""
    suggester = suggester or current_suggester()
    place = locate(platform, address, point)
    grid, street = describe_place(place)
    return {
        "candidates": candidates(platform, suggester, text, place, k, why),
        "grid": grid,
        "street": street,
        "model": model_info(suggester),
    }


def candidates(
    platform: Platform,
    suggester: Suggester,
    text: str,
    place: Placement | None,
    k: int = 3,
    why: int = 5,
    ranked: list[tuple[str, float]] | None = None,
) -> list[dict[str, Any]]:
    directory = platform.directory()
    labels = category_labels()
    area = place.area if place is not None else None
    out = []
    for category, score in ranked if ranked is not None else suggester.suggest(text, k):
        out.append(
            {
                "category": category,
                "category_label": labels.get(category, category),
                "unit": _brief(lead_unit(directory, category, area)),
                "score": score,
                "why": suggester.explain(text, category, why) if why else [],
            }
        )
    return out


def closed_order_examples(platform: Platform) -> tuple[list[str], list[str]]:
    """(texts, labels) of the region's closed hotline orders: text = fields.content, label =
    the order's category as it stands at closing (after any returns and re-categorising)."""
    from sqlalchemy import select

    from fazhi.catalog.categories import category_codes
    from fazhi.store.models import Case

    known = set(category_codes())
    texts: list[str] = []
    labels: list[str] = []
    query = (
        select(Case.fields, Case.category)
        .where(Case.region_code == platform.region_code)
        .where(Case.type == "hotline", Case.state == "closed")
        .order_by(Case.id)
    )
    with platform.sessions() as session:
        for fields, category in session.execute(query):
            content = str((fields or {}).get("content") or "").strip()
            if content and category in known:
                texts.append(content)
                labels.append(str(category))
    return texts, labels
