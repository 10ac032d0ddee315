"""地图: every grid of the district as an inline SVG polygon, shaded by the orders received
there in a period (and category); a grid's orders listed below the map on a click."""

from __future__ import annotations

import weakref
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.catalog.categories import load_categories
from fazhi.domain.durations import local_date
from fazhi.hotline.read import stats as hs
from fazhi.hotline.web.stats_pages import PeriodForm
from fazhi.http.deps import Work
from fazhi.http.params import PathId
from fazhi.org.directory import UnitDirectory
from fazhi.read.presenters import case_number
from fazhi.web.console import forbidden, page_work, render
from fazhi.web.svg_charts import (
    EMPTY,
    GridShape,
    MapDrawing,
    colour_bins,
    colour_for,
    map_outline,
    shade,
)
from fazhi.web.unit_map import feature_collection, geojson_response, grid_feature, grid_shapes

router = APIRouter(include_in_schema=False)

MAP_ROLES = frozenset({"district_leader", "supervisor", "dispatcher", "admin"})
GRID_LIST_LIMIT = 200
# The projected grids and street outlines, computed once per organisation tree.
_OUTLINES: weakref.WeakKeyDictionary[UnitDirectory, MapDrawing] = weakref.WeakKeyDictionary()


def grid_features(shapes: list[GridShape], counts: dict[int, int], query: str) -> dict[str, Any]:
    """The grids as a GeoJSON FeatureCollection (the engine's features, `fazhi.web.unit_map`),
    each with its count, fill colour (the same bins as the SVG map) and the address of its
    order list."""
    bins = colour_bins(max(counts.values(), default=0))
    features = []
    for shape in shapes:
        feature = grid_feature(shape)
        n = counts.get(shape.unit_id, 0)
        feature["properties"].update(
            count=n,
            colour=colour_for(n, bins) if n else EMPTY,
            orders=f"/map/grid/{shape.unit_id}?{query}",
        )
        features.append(feature)
    return feature_collection(features)


def outline_of(directory: UnitDirectory) -> MapDrawing:
    drawing = _OUTLINES.get(directory)
    if drawing is None:
        drawing = _OUTLINES[directory] = map_outline(grid_shapes(directory))
    return drawing


def _category(params: Any) -> str:
    code = str(params.get("category", ""))[:40]
    return code if code in {c.code for c in load_categories()} else ""


def _query(form: PeriodForm, category: str) -> str:
    values = {"from": form.start, "to": form.end}
    if category:
        values["category"] = category
    return urlencode(values)


def _grid_orders(w: Work, form: PeriodForm, category: str, grid_id: int) -> dict[str, Any] | None:
    directory = w.ctx.directory
    grid = directory.by_id.get(grid_id)
    if grid is None or grid.kind != "grid":
        return None
    scope = hs.Scope(w.actor, None, category or None)
    rows, total = hs.grid_cases(w.session, scope, form.period, grid_id, GRID_LIST_LIMIT)
    row = directory.rows.get(grid_id)
    community = directory.by_id.get(row.parent_id) if row and row.parent_id else None
    street = directory.street_of(grid)
    items = []
    for case in rows:
        case_type = w.platform.types.get(case.type)
        items.append(
            {
                "id": case.id,
                "number": case_number(case_type, case),
                "title": case.title,
                "state_label": case_type.state_label(case.state) if case_type else case.state,
                "terminal": case.terminal,
                "created_at": case.created_at,
            }
        )
    return {
        "grid": grid,
        "community": community.name if community else "",
        "street": street.name if street else "",
        "items": items,
        "total": total,
        "limit": GRID_LIST_LIMIT,
        "form": form,
        "category_name": {c.code: c.name for c in load_categories()}.get(category, ""),
    }


def _period_counts(w: Work, params: Any) -> tuple[PeriodForm, str, dict[int | None, int]]:
    """The period and category asked for, and the orders per grid (None: not placed)."""
    form = PeriodForm.from_params(params, local_date(w.ctx.now))
    category = _category(params)
    counts = hs.grid_counts(w.session, hs.Scope(w.actor, None, category or None), form.period)
    return form, category, counts


@router.get("/map")
def map_page(request: Request) -> Response:
    params = request.query_params
    with page_work(request) as w:
        if not w.actor.has_role(*MAP_ROLES):
            return forbidden(request, w, "地图")
        form, category, counts = _period_counts(w, params)
        drawing = shade(
            outline_of(w.ctx.directory), {k: v for k, v in counts.items() if k is not None}
        )
        selected = None
        raw_grid = params.get("grid", "")
        if raw_grid.isdigit():
            selected = _grid_orders(w, form, category, int(raw_grid))
        query = _query(form, category)
        today = local_date(w.ctx.now)
        extra = {"category": category} if category else {}
        quick = [
            ("近30天", urlencode(extra)),
            ("2023年全年", urlencode({"from": "2023-01-01", "to": "2023-12-31", **extra})),
            (
                f"{today.year}年以来",
                urlencode({"from": f"{today.year}-01-01", "to": today.isoformat(), **extra}),
            ),
        ]
        return render(
            request,
            "map.html",
            {
                "form": form,
                "category": category,
                "categories": load_categories(),
                "drawing": drawing,
                "total": sum(counts.values()),
                "unplaced": counts.get(None, 0),
                "placed": sum(n for k, n in counts.items() if k is not None),
                "query": query,
                "quick": quick,
                "selected": selected,
                "tiles": w.platform.settings.map_tiles,
            },
            w,
        )


@router.get("/map/grids.geojson")
def map_geojson(request: Request) -> Response:
    """The period's grids for the map library (static/hotline/map.js)."""
    params = request.query_params
    with page_work(request) as w:
        if not w.actor.has_role(*MAP_ROLES):
            return forbidden(request, w, "地图")
        form, category, counts = _period_counts(w, params)
        placed = {k: v for k, v in counts.items() if k is not None}
        body = grid_features(grid_shapes(w.ctx.directory), placed, _query(form, category))
        return geojson_response(body)


@router.get("/map/grid/{grid_id}")
def map_grid_fragment(request: Request, grid_id: PathId) -> Response:
    params = request.query_params
    with page_work(request) as w:
        if not w.actor.has_role(*MAP_ROLES):
            return forbidden(request, w, "地图")
        form = PeriodForm.from_params(params, local_date(w.ctx.now))
        context = _grid_orders(w, form, _category(params), grid_id)
        if context is None:
            return render(request, "_map_grid.html", {"sel": None}, w, status_code=404)
        return render(request, "_map_grid.html", {"sel": context}, w)
