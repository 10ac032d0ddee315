"""Synthetic subjects of the community-correction demo: valid ID numbers (GB 11643, the check
digit computed), made-up names, and permitted areas drawn around the street of each judicial
office. SYNTHETIC: every name, number and place is made up and says so."""

from __future__ import annotations

from datetime import date, timedelta

from stdnum.cn import ric

from fazhi.correction.geofence import area_text

REGION = "430204"
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"
GIVEN = ("建军", "国强", "海波", "志明", "晓东", "丽娟", "春生", "小兵", "红梅", "德华", "永平")
# Centre (lon, lat) of each office's street; the permitted area is a box about 4 km across.
STREET_CENTRES = {
    "SF-SFJ-TX": (113.1580, 27.8860),
    "SF-SFJ-TTW": (113.1950, 27.8620),
    "SF-SFJ-XSL": (113.1700, 27.8600),
}


def id_number(n: int, born: date | None = None) -> str:
    """A valid ID number of 石峰区 for the demo's n-th person (born around 1980-1999)."""
    birth = born or date(1980, 1, 1) + timedelta(days=(n * 733) % 7300)
    body = f"{REGION}{birth:%Y%m%d}{(n * 37) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # the digit is computed over the first 17


def name(n: int) -> str:
    return f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[(n // 3) % len(GIVEN)]}（合成）"


def box(centre: tuple[float, float], half_deg: float = 0.02) -> str:
    """A square area around `centre` (about 4 km across), in the stored JSON form."""
    lon, lat = centre
    return area_text(
        [
            (lon - half_deg, lat - half_deg),
            (lon + half_deg, lat - half_deg),
            (lon + half_deg, lat + half_deg),
            (lon - half_deg, lat + half_deg),
        ]
    )
