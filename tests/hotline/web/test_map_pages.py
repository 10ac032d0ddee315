"""地图 over HTTP: one SVG polygon per grid, shaded by the orders of a period and category,
and a grid's orders listed (as an htmx fragment, or in the page without script)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from fazhi.actions.platform import Platform
from fazhi.web.svg_charts import SEQUENTIAL, colour_bins
from tests.analytics.scenario import api_client, at, console_client
from tests.support import FakeClock, ServerThread

GRID = "SF-QST-C01-G01"  # 清水塘社区第一网格: lon 113.100–113.104, lat 27.96–27.98
MONDAY = date(2024, 11, 18)
PERIOD = "from=2024-11-18&to=2024-11-22"
TITLE_WITH_MARKUP = '<b>加粗</b> & "引号" 小区垃圾未清运（测试合成数据）'


@pytest.fixture(scope="module")
def orders(server: ServerThread, clock: FakeClock) -> dict[str, dict[str, object]]:
    """Three orders placed in GRID by their coordinates: two SANITATION, one MUNICIPAL."""
    operator = api_client(server, clock, "operator1")
    made = {}
    for hour, (name, category, content) in enumerate(
        [
            ("first", "SANITATION", TITLE_WITH_MARKUP),
            ("second", "SANITATION", "小区垃圾桶满溢无人清理（测试合成数据）"),
            ("road", "MUNICIPAL", "路灯不亮（测试合成数据）"),
        ]
    ):
        clock.set(at(MONDAY, 9 + hour))
        made[name] = operator.register(
            category=category, content=content, longitude=113.102, latitude=27.97
        )
    return made


def grid_id(platform: Platform) -> int:
    return platform.directory().by_code[GRID].id


def map_page(server: ServerThread, clock: FakeClock, query: str, user: str = "leader1") -> str:
    response = console_client(server, clock, user).get(f"/map?{query}")
    assert response.status_code == 200, response.text
    return response.text


def test_every_grid_is_one_polygon_shaded_by_its_orders(
    server: ServerThread, clock: FakeClock, platform: Platform, orders: dict[str, object]
) -> None:
    html = map_page(server, clock, f"{PERIOD}&category=SANITATION")
    svg = html.split('id="grid-map"', 1)[1].split("</svg>", 1)[0]
    grids = [u for u in platform.directory().rows.values() if u.kind == "grid" and u.polygon]
    assert svg.count("<polygon ") == len(grids) > 100
    link = re.search(rf'<a [^>]*data-grid="{grid_id(platform)}"[^>]*>\s*<polygon[^>]*>', svg)
    assert link is not None
    assert 'data-count="2"' in link[0]
    assert 'fill="#800026"' in link[0]  # the darkest bin: the most orders of the period
    assert "<title>清水塘社区第一网格 · 清水塘社区（清水塘街道）：2 件</title>" in svg
    assert f'hx-get="/map/grid/{grid_id(platform)}?{PERIOD.replace("&", "&amp;")}' in link[0]
    assert re.search(r"<text [^>]*>清水塘街道</text>", svg)  # street labels
    legend = html.split("图例", 1)[1].split("</ul>", 1)[0]
    assert re.findall(r"</span>([^<]+)</li>", legend) == ["0", "1", "2"]
    assert "http://" not in html and "https://" not in html


def test_the_count_follows_the_category_and_the_period(
    server: ServerThread, clock: FakeClock, platform: Platform, orders: dict[str, object]
) -> None:
    def count(query: str) -> int:
        svg = map_page(server, clock, query).split('id="grid-map"', 1)[1]
        found = re.search(rf'data-grid="{grid_id(platform)}" data-count="(\d+)"', svg)
        assert found is not None
        return int(found[1])

    assert count(PERIOD) == 3
    assert count(f"{PERIOD}&category=MUNICIPAL") == 1
    assert count("from=2024-11-25&to=2024-11-29") == 0


def test_the_grid_fragment_lists_the_grids_orders(
    server: ServerThread, clock: FakeClock, platform: Platform, orders: dict[str, dict[str, object]]
) -> None:
    http = console_client(server, clock, "leader1")
    response = http.get(
        f"/map/grid/{grid_id(platform)}?{PERIOD}&category=SANITATION",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = response.text
    assert "<html" not in fragment and "清水塘社区第一网格" in fragment
    ids = [int(x) for x in re.findall(r'data-case-id="(\d+)"', fragment)]
    assert ids == [orders["second"]["id"], orders["first"]["id"]]  # newest first
    for order in (orders["first"], orders["second"]):
        assert f'<a href="/cases/{order["id"]}">{order["number"]}</a>' in fragment
    assert "待派单" in fragment and "2024-11-18 09:00" in fragment
    assert "共 2 件" in fragment
    # Titles are escaped, never markup.
    assert "<b>加粗</b>" not in fragment
    assert "&lt;b&gt;加粗&lt;/b&gt; &amp; &#34;引号&#34;" in fragment


def test_without_script_the_page_shows_the_chosen_grid(
    server: ServerThread, clock: FakeClock, platform: Platform, orders: dict[str, dict[str, object]]
) -> None:
    html = map_page(server, clock, f"{PERIOD}&grid={grid_id(platform)}")
    below = html.split('id="grid-orders"', 1)[1]
    assert f'href="/cases/{orders["road"]["id"]}"' in below
    assert "共 3 件" in below


def test_a_unit_that_is_not_a_grid_is_404(
    server: ServerThread, clock: FakeClock, platform: Platform
) -> None:
    street = platform.directory().by_code["SF-QST"].id
    response = console_client(server, clock, "leader1").get(f"/map/grid/{street}?{PERIOD}")
    assert response.status_code == 404
    assert "没有这个网格" in response.text


def test_roles_without_the_map_are_refused(server: ServerThread, clock: FakeClock) -> None:
    for username in ("cgj_leader", "operator1", "cgj_handler"):
        http = console_client(server, clock, username)
        assert http.get("/map").status_code == 403, username
        assert http.get("/map/grid/1").status_code == 403, username
    for username in ("supervisor1", "dispatcher1", "admin"):
        assert console_client(server, clock, username).get("/map").status_code == 200, username


def test_colour_bins_cover_the_counts_and_end_on_the_darkest() -> None:
    assert colour_bins(0) == []
    assert colour_bins(1) == [(1, 1, SEQUENTIAL[-1])]
    bins = colour_bins(30)
    assert [(lo, hi) for lo, hi, _ in bins] == [(1, 6), (7, 12), (13, 18), (19, 24), (25, 30)]
    assert [c for _, _, c in bins] == list(SEQUENTIAL)
    assert [(lo, hi) for lo, hi, _ in colour_bins(7)] == [(1, 2), (3, 4), (5, 6), (7, 7)]
    assert colour_bins(7)[-1][2] == SEQUENTIAL[-1]


def test_the_map_library_reads_the_grids_as_geojson(
    server: ServerThread, clock: FakeClock, platform: Platform, orders: dict[str, object]
) -> None:
    client = console_client(server, clock, "leader1")
    response = client.get(f"/map/grids.geojson?{PERIOD}&category=SANITATION")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    body = response.json()
    grids = [u for u in platform.directory().rows.values() if u.kind == "grid" and u.polygon]
    assert body["type"] == "FeatureCollection" and len(body["features"]) == len(grids)
    feature = next(f for f in body["features"] if f["id"] == grid_id(platform))
    ring = feature["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] == [113.1, 27.96]  # lon, lat (WGS84), the ring closed
    props = feature["properties"]
    assert (props["name"], props["street"], props["count"]) == (
        "清水塘社区第一网格",
        "清水塘街道",
        2,
    )
    assert props["colour"] == "#800026"  # the SVG map's darkest bin
    assert props["orders"] == f"/map/grid/{grid_id(platform)}?{PERIOD}&category=SANITATION"
    page = map_page(server, clock, PERIOD)
    assert f'data-geojson="/map/grids.geojson?{PERIOD.replace("&", "&amp;")}"' in page
    assert "data-tiles" not in page  # no tile server configured: nothing but the polygons
    refused = console_client(server, clock, "operator1").get("/map/grids.geojson")
    assert refused.status_code == 403
