"""A monthly trend as inline SVG for the HTML and PDF drafts: drawn on the server, no chart
library and no script, every label escaped."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from fazhi.report.draft import Chart
from fazhi.report.numbers import format_figure
from fazhi.web.svg_charts import nice_ceiling

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 34


def bar_chart_svg(chart: Chart) -> str:
    values = [float(Decimal(str(v))) for _, v in chart.points]
    ceiling = nice_ceiling(max(values, default=0))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(values), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(chart.title)}" '
        'class="report-chart" font-size="12">'
    ]
    for i in range(5):
        tick = ceiling * i / 4
        y = TOP + inner_h - inner_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc" '
            'stroke-width="0.5"/>'
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
    for i, ((label, _), value) in enumerate(zip(chart.points, values, strict=True)):
        h = inner_h * value / ceiling if ceiling else 0
        x = LEFT + i * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP + inner_h - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}" fill="#8c1c13"><title>{escape(label)}：'
            f"{escape(format_figure(chart.points[i][1], chart.unit))}</title></rect>"
            f'<text x="{x + step * 0.35:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
