"""A monthly trend as inline SVG for the HTML and PDF drafts (drawn on the server, no chart
library and no script, every label escaped) and as a PNG for the .docx."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from html import escape
from io import BytesIO
from pathlib import Path

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


def cjk_font_file() -> str | None:
    """A CJK font file on this machine (fontconfig's choice for Noto Sans CJK SC, which
    scripts/install-system-deps.sh installs), or None."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return found if found and Path(found).exists() else None


def bar_chart_png(chart: Chart, scale: int = 3) -> bytes | None:
    """The same chart as a PNG for the .docx (Word takes no SVG): drawn with Pillow at
    `scale` times the SVG's size for print; None without a CJK font for the labels."""
    from PIL import Image, ImageDraw, ImageFont

    font_file = cjk_font_file()
    if font_file is None:
        return None
    font = ImageFont.truetype(font_file, 12 * scale)
    values = [float(Decimal(str(v))) for _, v in chart.points]
    ceiling = nice_ceiling(max(values, default=0))
    w, h = WIDTH * scale, HEIGHT * scale
    left, right, top, bottom = LEFT * scale, RIGHT * scale, TOP * scale, BOTTOM * scale
    inner_w, inner_h = w - left - right, h - top - bottom
    image = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(image)
    for i in range(5):
        y = top + inner_h - inner_h * i / 4
        draw.line([(left, y), (w - right, y)], fill="#cccccc", width=max(1, scale // 2))
        draw.text(
            (left - 4 * scale, y), f"{ceiling * i / 4:g}", font=font, fill="black", anchor="rm"
        )
    step = inner_w / max(len(values), 1)
    for i, ((label, _), value) in enumerate(zip(chart.points, values, strict=True)):
        bar = inner_h * value / ceiling if ceiling else 0
        x = left + i * step + step * 0.15
        if bar > 0:
            draw.rectangle(
                [(x, top + inner_h - bar), (x + step * 0.7, top + inner_h)], fill="#8c1c13"
            )
        draw.text(
            (x + step * 0.35, h - bottom + 16 * scale), label, font=font, fill="black", anchor="ms"
        )
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
