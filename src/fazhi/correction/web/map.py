"""The officer's map of a day: the district's units (the engine's layer, `fazhi.web.unit_map`:
grids with their names, the streets' outlines), the subjects' permitted areas and their last
positions — as GeoJSON for Leaflet (static/correction/map.js, over the console's shared
static/unit-map.js) and as the SVG drawn when scripts or Leaflet are missing. No tiles unless
the deployment sets its intranet server (FAZHI_MAP_TILES): the network is closed."""

from __future__ import annotations

from typing import Any

from fazhi.correction.geofence import AreaError, parse_area
from fazhi.org.directory import UnitDirectory
from fazhi.web.svg_charts import GridShape
from fazhi.web.unit_map import closed_ring, feature_collection, unit_features

_W, _H, _PAD = 640.0, 420.0, 12.0


def _vertices(areas: list[str]) -> list[tuple[tuple[float, float], ...]]:
    polygons = []
    for text in areas:
        try:
            polygons.append(parse_area(text).vertices)
        except AreaError:  # an area the check-in cannot judge either: nothing to draw
            continue
    return polygons


def _positions(subjects: list[dict[str, Any]]) -> list[tuple[float, float, dict[str, Any]]]:
    return [
        (float(s["last_position"]["lon"]), float(s["last_position"]["lat"]), s)
        for s in subjects
        if s.get("last_position")
        and s["last_position"].get("lon") is not None
        and s["last_position"].get("lat") is not None
    ]


def day_features(
    directory: UnitDirectory, subjects: list[dict[str, Any]], areas: list[str]
) -> dict[str, Any]:
    """The day's map as one FeatureCollection, each feature's `layer` saying what it is:
    "street" and "grid" (the units), "area" (a permitted area), "position" (a subject's last
    check-in of the day, with the name as the reader may see it, the status and its file)."""
    features = unit_features(directory)
    for vertices in _vertices(areas):
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [closed_ring([list(v) for v in vertices])],
                },
                "properties": {"layer": "area"},
            }
        )
    for lon, lat, s in _positions(subjects):
        features.append(
            {
                "type": "Feature",
                "id": s["id"],
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "layer": "position",
                    "name": s["name"],
                    "number": s["number"],
                    "status": s["status"],
                    "status_label": s["status_label"],
                    "at": s["last_check_in_at"],
                    "file": f"/correction/subjects/{s['id']}",
                },
            }
        )
    return feature_collection(features)


def position_map(
    subjects: list[dict[str, Any]], areas: list[str], grids: list[GridShape] | None = None
) -> dict[str, Any] | None:
    """An SVG drawing of the areas and the last positions framed on them, with the grids
    that fall in the frame behind (no tiles: the network is closed)."""
    polygons = _vertices(areas)
    points = _positions(subjects)
    xs = [v[0] for p in polygons for v in p] + [p[0] for p in points]
    ys = [v[1] for p in polygons for v in p] + [p[1] for p in points]
    if not xs:
        return None
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    scale = min((_W - 2 * _PAD) / max(x1 - x0, 1e-6), (_H - 2 * _PAD) / max(y1 - y0, 1e-6))

    def at(lon: float, lat: float) -> tuple[float, float]:
        return round(_PAD + (lon - x0) * scale, 1), round(_H - _PAD - (lat - y0) * scale, 1)

    def seen(ring: list[list[float]]) -> bool:  # any vertex inside the frame
        return any(x0 <= p[0] <= x1 and y0 <= p[1] <= y1 for p in ring)

    return {
        "width": _W,
        "height": _H,
        "grids": [
            {"name": g.name, "points": " ".join(f"{x},{y}" for x, y in (at(*p) for p in g.polygon))}
            for g in (grids or [])
            if seen(g.polygon)
        ],
        "areas": [" ".join(f"{x},{y}" for x, y in (at(*v) for v in p)) for p in polygons],
        "dots": [{"xy": at(lon, lat), "s": s} for lon, lat, s in points],
    }
