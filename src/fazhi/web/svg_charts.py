"""Chart and map geometry for inline SVG drawn on the server: no chart library, no script.

The functions here only compute coordinates and labels; the templates (`_stats_svg.html`)
write the SVG elements, so every text goes through Jinja's escaping.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

# A sequential scale (light to dark), readable in print and by most colour-blind readers.
SEQUENTIAL = ("#fff3c4", "#fed976", "#fd8d3c", "#e31a1c", "#800026")
EMPTY = "#eef2f6"


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 5 × 10^k not below value (at least 1)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return int(step * magnitude)
    return int(10 * magnitude)


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


# ---------------------------------------------------------------------------------------------
# Volume per day: bars (received) and a line (closed)


@dataclass
class DayChart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    bars: list[dict[str, Any]] = field(default_factory=list)
    line: str = ""
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    total_received: int = 0
    total_closed: int = 0


def day_chart(
    days: Sequence[tuple[date, int, int]], width: int = 960, height: int = 260
) -> DayChart:
    """`days`: (date, received, closed) for every day of the period, in order."""
    left, right, top, bottom = 44, width - 12, 14, height - 30
    chart = DayChart(width, height, left, top, right, bottom)
    if not days:
        return chart
    highest = max(max(r, c) for _, r, c in days)
    step = nice_ceiling(highest / 4)
    peak = max(step * math.ceil(highest / step), 1)
    slot = (right - left) / len(days)
    bar_width = max(slot * 0.72, 0.6)
    plot_height = bottom - top

    def y(value: int) -> float:
        return bottom - plot_height * value / peak

    points = []
    for i, (day, received, closed) in enumerate(days):
        x = left + slot * i
        chart.bars.append(
            {
                "x": round(x + (slot - bar_width) / 2, 2),
                "y": round(y(received), 2),
                "w": round(bar_width, 2),
                "h": round(bottom - y(received), 2),
                "title": f"{day:%Y-%m-%d}：受理 {received} 件，办结 {closed} 件",
            }
        )
        points.append(f"{x + slot / 2:.2f},{y(closed):.2f}")
    chart.line = " ".join(points)
    chart.total_received = sum(r for _, r, _ in days)
    chart.total_closed = sum(c for _, _, c in days)
    chart.y_ticks = [(round(y(v), 2), str(v)) for v in range(0, peak + 1, step)]
    chart.x_labels = _day_labels(days, left, slot)
    return chart


def _day_labels(
    days: Sequence[tuple[date, int, int]], left: float, slot: float
) -> list[tuple[float, str]]:
    """Month starts for long periods, every few days for short ones."""
    labels = []
    n = len(days)
    if n > 62:
        for i, (day, _, _) in enumerate(days):
            if day.day != 1:
                continue
            if n > 800 and day.month not in (1, 7):
                continue
            text = f"{day.year}年{day.month}月" if day.month == 1 or n > 800 else f"{day.month}月"
            labels.append((round(left + slot * i, 2), text))
    else:
        step = 1 if n <= 10 else 2 if n <= 20 else 5 if n <= 45 else 7
        for i, (day, _, _) in enumerate(days):
            if i % step == 0:
                labels.append((round(left + slot * (i + 0.5), 2), f"{day.month}/{day.day}"))
    return labels


# ---------------------------------------------------------------------------------------------
# Horizontal bars with labels (categories, streets)


@dataclass
class BarList:
    width: int
    height: int
    label_width: int
    rows: list[dict[str, Any]] = field(default_factory=list)


def bar_list(
    items: Sequence[tuple[str, int]], width: int = 460, label_width: int = 96, row: int = 22
) -> BarList:
    """One bar per (label, value), longest scaled to the room left for bars."""
    chart = BarList(width, max(row * len(items) + 8, 30), label_width)
    total = sum(v for _, v in items)
    peak = max((v for _, v in items), default=0) or 1
    room = width - label_width - 70
    for i, (label, value) in enumerate(items):
        share = value / total if total else 0.0
        chart.rows.append(
            {
                "label": label,
                "value": value,
                "share": percent(share),
                "y": 4 + i * row,
                "w": round(max(room * value / peak, 1.5 if value else 0), 2),
                "h": row - 6,
                "text_y": 4 + i * row + row / 2 + 1,
            }
        )
    return chart


# ---------------------------------------------------------------------------------------------
# Grid map


@dataclass
class MapShape:
    unit_id: int
    name: str
    community: str
    street: str
    count: int
    points: str
    colour: str


@dataclass
class MapDrawing:
    width: int
    height: int
    shapes: list[MapShape] = field(default_factory=list)
    labels: list[tuple[float, float, str]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    outlines: list[str] = field(default_factory=list)  # SVG path data, one per street


def colour_bins(peak: int, bins: int = len(SEQUENTIAL)) -> list[tuple[int, int, str]]:
    """(low, high, colour) for counts 1..peak in up to `bins` equal steps; with fewer steps
    the colours still spread from the lightest to the darkest, so the top is always dark."""
    if peak <= 0:
        return []
    step = max(1, math.ceil(peak / bins))
    ranges: list[tuple[int, int]] = []
    low = 1
    while low <= peak and len(ranges) < bins:
        ranges.append((low, min(low + step - 1, peak)))
        low += step
    last = len(SEQUENTIAL) - 1
    if len(ranges) == 1:
        return [(ranges[0][0], ranges[0][1], SEQUENTIAL[last])]
    return [
        (lo, hi, SEQUENTIAL[round(i * last / (len(ranges) - 1))])
        for i, (lo, hi) in enumerate(ranges)
    ]


def colour_for(count: int, scale: list[tuple[int, int, str]]) -> str:
    if count <= 0:
        return EMPTY
    for low, high, colour in scale:
        if low <= count <= high:
            return colour
    return scale[-1][2] if scale else EMPTY


@dataclass
class GridShape:
    unit_id: int
    name: str
    community: str
    street: str
    polygon: list[list[float]]


def map_outline(grids: Sequence[GridShape], width: int = 760, pad: int = 12) -> MapDrawing:
    """The unshaded map: grids projected equirectangularly (x shrunk by the cosine of the
    middle latitude, y flipped), street outlines and labels. Depends only on the units, so
    callers keep it (see `shade`)."""
    points = [pt for g in grids for pt in g.polygon]
    if not points:
        return MapDrawing(width, 200)
    min_lon = min(p[0] for p in points)
    max_lon = max(p[0] for p in points)
    min_lat = min(p[1] for p in points)
    max_lat = max(p[1] for p in points)
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * kx, 1e-9)
    scale = (width - 2 * pad) / span_x
    height = round((max_lat - min_lat) * scale + 2 * pad)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (pad + (lon - min_lon) * kx * scale, pad + (max_lat - lat) * scale)

    drawing = MapDrawing(width, height)
    centres: dict[str, list[tuple[float, float]]] = {}
    by_street: dict[str, list[list[tuple[float, float]]]] = {}
    for g in grids:
        xy = [project(float(p[0]), float(p[1])) for p in g.polygon]
        by_street.setdefault(g.street, []).append(xy)
        points_text = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        drawing.shapes.append(
            MapShape(g.unit_id, g.name, g.community, g.street, 0, points_text, EMPTY)
        )
        cx = sum(x for x, _ in xy) / len(xy)
        cy = sum(y for _, y in xy) / len(xy)
        centres.setdefault(g.street, []).append((cx, cy))
    drawing.outlines = [_outline(rings) for street, rings in by_street.items() if street]
    for street, spots in centres.items():
        if street:
            drawing.labels.append(
                (
                    round(sum(x for x, _ in spots) / len(spots), 1),
                    round(sum(y for _, y in spots) / len(spots), 1),
                    street,
                )
            )
    return drawing


def shade(outline: MapDrawing, counts: dict[int, int]) -> MapDrawing:
    """A copy of the map with each grid filled by its count, and the legend."""
    bins = colour_bins(max(counts.values(), default=0))
    shapes = []
    for shape in outline.shapes:
        n = counts.get(shape.unit_id, 0)
        shapes.append(replace(shape, count=n, colour=colour_for(n, bins)))
    legend = [(EMPTY, "0")] + [
        (colour, f"{low}" if low == high else f"{low}–{high}") for low, high, colour in bins
    ]
    return replace(outline, shapes=shapes, legend=legend)


def grid_map(
    grids: Sequence[GridShape], counts: dict[int, int], width: int = 760, pad: int = 12
) -> MapDrawing:
    return shade(map_outline(grids, width, pad), counts)


def _outline(rings: list[list[tuple[float, float]]]) -> str:
    """The boundary of the union of a street's grids, as SVG path data."""
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.ops import unary_union

    shape = unary_union([Polygon(r).buffer(0.01) for r in rings if len(r) >= 3])
    parts = list(shape.geoms) if isinstance(shape, MultiPolygon) else [shape]
    data = []
    for part in parts:
        if not isinstance(part, Polygon) or part.is_empty:
            continue
        for ring in (part.exterior, *part.interiors):
            coords = list(ring.coords)
            data.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in coords[:-1]) + " Z")
    return " ".join(data)
