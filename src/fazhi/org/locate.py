"""Coordinates to grid: point-in-polygon over the grids' polygons (shapely's STRtree)."""

from __future__ import annotations

import weakref

import shapely
from shapely import STRtree
from shapely.geometry import Point, Polygon

from fazhi.domain.units import UnitRef
from fazhi.org.directory import UnitDirectory


class GridIndex:
    def __init__(self, grids: list[tuple[UnitRef, list[list[float]]]]) -> None:
        self.units = [unit for unit, _ in grids]
        self.polygons = [Polygon([(p[0], p[1]) for p in ring]) for _, ring in grids]
        for polygon in self.polygons:
            shapely.prepare(polygon)  # speeds up the repeated point tests
        self.tree = STRtree(self.polygons) if self.polygons else None

    def locate(self, lon: float, lat: float) -> UnitRef | None:
        """The grid whose polygon covers the point (a point on a shared edge takes the first)."""
        if self.tree is None:
            return None
        point = Point(lon, lat)
        for index in self.tree.query(point):  # bounding boxes only: cheap
            if self.polygons[int(index)].covers(point):
                return self.units[int(index)]
        return None


# Keyed by the directory object itself, weakly: an id() could be reused by the next
# directory loaded (after a change in any process) and hand it the old grids.
_cache: weakref.WeakKeyDictionary[UnitDirectory, GridIndex] = weakref.WeakKeyDictionary()


def grid_index(directory: UnitDirectory) -> GridIndex:
    """The index of the directory's grids, built once per loaded directory."""
    found = _cache.get(directory)
    if found is None:
        grids = [
            (directory.by_id[uid], row.polygon)
            for uid, row in directory.rows.items()
            if row.kind == "grid" and row.polygon
        ]
        found = GridIndex(grids)
        _cache[directory] = found
    return found


def locate_grid(directory: UnitDirectory, point: tuple[float, float]) -> UnitRef | None:
    return grid_index(directory).locate(point[0], point[1])
