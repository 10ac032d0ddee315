"""Is a check-in inside the subject's permitted area? (pure: no I/O, no clock)

A position is a point (WGS84 longitude, latitude) and the terminal's accuracy: the radius, in
metres, within which the true position lies. The point alone is not the answer: a fix 30 m
inside the line with an accuracy of 200 m may well be outside. So the accuracy circle is
compared with the area, in a local planar frame in metres (an equirectangular projection
around the area — over a district the error is far below any terminal's accuracy):

- `inside`: the whole circle lies in the area (a point on the line with accuracy 0 counts as
  inside: the area includes its boundary);
- `outside`: the whole circle lies outside it;
- `boundary`: the circle straddles the line — neither can be said, so no anomaly is raised;
- `poor_accuracy`: the fix is too coarse to judge at all (worse than `MAX_ACCURACY_M`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import orjson
from shapely.geometry import Point, Polygon  # type: ignore[import-untyped]

MAX_ACCURACY_M = 200.0  # a coarser fix (cell-tower positioning) cannot place a person in a street
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON_EQUATOR = 111_320.0

RESULTS = ("inside", "boundary", "outside", "poor_accuracy")


class AreaError(ValueError):
    """The area text is not a usable polygon (the message is Chinese, for the form)."""


@dataclass(frozen=True)
class Area:
    """A permitted area: its vertices (lon, lat) and their polygon in local metres."""

    vertices: tuple[tuple[float, float], ...]
    origin: tuple[float, float]
    shape: Polygon

    def to_metres(self, lon: float, lat: float) -> tuple[float, float]:
        lon0, lat0 = self.origin
        x = (lon - lon0) * _M_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat0))
        return x, (lat - lat0) * _M_PER_DEG_LAT


def parse_area(text: str) -> Area:
    """The area written as JSON `[[lon, lat], …]` (closed or not); refused unless it is a simple
    polygon of at least three distinct vertices with coordinates in range."""
    try:
        raw = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise AreaError("活动区域应为JSON格式的坐标列表：[[经度,纬度],…]") from None
    if not isinstance(raw, list) or not all(_is_pair(p) for p in raw):
        raise AreaError("活动区域应为坐标列表，每个顶点为[经度,纬度]")
    vertices = [(float(p[0]), float(p[1])) for p in raw]
    if len(vertices) > 1 and vertices[0] == vertices[-1]:
        vertices.pop()
    if len(set(vertices)) < 3:
        raise AreaError("活动区域至少需要三个不同的顶点")
    if not all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in vertices):
        raise AreaError("经度应在-180至180之间，纬度应在-90至90之间")
    lon0 = sum(v[0] for v in vertices) / len(vertices)
    lat0 = sum(v[1] for v in vertices) / len(vertices)
    area = Area(tuple(vertices), (lon0, lat0), Polygon())
    shape = Polygon([area.to_metres(lon, lat) for lon, lat in vertices])
    if not shape.is_valid or shape.area <= 0:
        raise AreaError("活动区域的边界不能自相交")
    return Area(area.vertices, area.origin, shape)


def _is_pair(p: object) -> bool:
    return (
        isinstance(p, list)
        and len(p) == 2
        and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in p)
    )


def area_text(vertices: Sequence[tuple[float, float]]) -> str:
    """The stored form of an area (the same JSON the form takes)."""
    return orjson.dumps([[round(lon, 7), round(lat, 7)] for lon, lat in vertices]).decode()


def classify(area: Area, lon: float, lat: float, accuracy_m: float) -> str:
    """`inside`, `boundary`, `outside` or `poor_accuracy` (see the module docstring)."""
    if accuracy_m > MAX_ACCURACY_M:
        return "poor_accuracy"
    point = Point(area.to_metres(lon, lat))
    covered = area.shape.covers(point)
    distance = area.shape.exterior.distance(point)
    if covered:
        return "inside" if distance >= accuracy_m else "boundary"
    return "outside" if distance > accuracy_m else "boundary"
