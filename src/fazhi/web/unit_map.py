"""The district's units on a map, for every console page that draws one (the hotline's 地图,
the correction officer's day view): the grids' polygons from the organisation file and each
street's outline (the union of its grids: only grids carry a polygon), as GeoJSON for the
vendored Leaflet (static/unit-map.js) and as the shapes of the SVG drawn without it.

Who may see a map is the page's business; this module only draws the units. The features
depend on the organisation tree alone, so they are built once per directory."""

from __future__ import annotations

import weakref
from copy import deepcopy
from typing import Any

from fastapi.responses import Response

from fazhi.http.deps import json_response
from fazhi.org.directory import UnitDirectory
from fazhi.web.svg_charts import GridShape

# The GeoJSON of a directory's units, computed once per organisation tree.
_FEATURES: weakref.WeakKeyDictionary[UnitDirectory, list[dict[str, Any]]] = (
    weakref.WeakKeyDictionary()
)


def grid_shapes(directory: UnitDirectory) -> list[GridShape]:
    """Every working grid with a polygon, in the tree's order, named with its community and
    street."""
    shapes = []
    for unit_id, row in directory.rows.items():
        if row.kind != "grid" or not row.polygon or unit_id not in directory.by_id:
            continue
        ref = directory.by_id[unit_id]
        community = directory.by_id.get(row.parent_id) if row.parent_id else None
        street = directory.street_of(ref)
        shapes.append(
            GridShape(
                unit_id,
                ref.name,
                community.name if community else "",
                street.name if street else "",
                [[float(p[0]), float(p[1])] for p in row.polygon],
            )
        )
    return sorted(shapes, key=lambda g: directory.by_id[g.unit_id].path)


def closed_ring(points: list[list[float]]) -> list[list[float]]:
    """A GeoJSON linear ring: the first point repeated at the end."""
    ring = [list(p) for p in points]
    if ring and ring[0] != ring[-1]:
        ring.append(list(ring[0]))
    return ring


def grid_feature(shape: GridShape) -> dict[str, Any]:
    """A grid as a GeoJSON Feature (WGS84 lon/lat): `layer` "grid", its names."""
    return {
        "type": "Feature",
        "id": shape.unit_id,
        "geometry": {"type": "Polygon", "coordinates": [closed_ring(shape.polygon)]},
        "properties": {
            "layer": "grid",
            "name": shape.name,
            "community": shape.community,
            "street": shape.street,
        },
    }


def _street_features(directory: UnitDirectory, shapes: list[GridShape]) -> list[dict[str, Any]]:
    """Each street's outline: the union of its grids (shapely; a hair of buffer closes the
    slivers between neighbouring grids), a Polygon or MultiPolygon named after the street."""
    from shapely.geometry import MultiPolygon, Polygon, mapping
    from shapely.ops import unary_union

    by_street: dict[str, list[GridShape]] = {}
    for shape in shapes:
        if shape.street:
            by_street.setdefault(shape.street, []).append(shape)
    codes = {ref.name: ref for ref in directory.by_id.values() if ref.kind == "street"}
    features = []
    for name, grids in by_street.items():
        rings = [Polygon(g.polygon) for g in grids if len(g.polygon) >= 3]
        union = unary_union([r.buffer(1e-6) for r in rings]).buffer(-1e-6)
        if union.is_empty or not isinstance(union, Polygon | MultiPolygon):
            continue
        ref = codes.get(name)
        features.append(
            {
                "type": "Feature",
                "id": ref.id if ref else name,
                "geometry": mapping(union.simplify(0)),
                "properties": {"layer": "street", "name": name, "grids": len(grids)},
            }
        )
    return features


def unit_features(directory: UnitDirectory) -> list[dict[str, Any]]:
    """The streets' outlines then the grids, as GeoJSON Features (a fresh copy: callers may
    add properties)."""
    features = _FEATURES.get(directory)
    if features is None:
        shapes = grid_shapes(directory)
        features = _street_features(directory, shapes) + [grid_feature(s) for s in shapes]
        _FEATURES[directory] = features
    return deepcopy(features)


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def geojson_response(body: dict[str, Any]) -> Response:
    """A FeatureCollection answered as `application/geo+json`."""
    response = json_response(body)
    response.media_type = "application/geo+json"
    response.headers["content-type"] = "application/geo+json"
    return response
