"""The officer's map (`/correction/map.geojson?date=`, drawn by Leaflet on the day view): the
district's units — every grid with its name, each street's outline (the union of its grids) —
with the day's last positions of the office's subjects and their permitted areas; the same
reader rules as the day view; the SVG without scripts names the grids too."""

from __future__ import annotations

import pytest
from shapely.geometry import shape

from fazhi.actions.platform import Platform
from fazhi.correction.geofence import parse_area
from tests.api.conftest import Login
from tests.correction.support import AREA, OFFICER, OTHER_OFFICE, OUTSIDE, at, check_in, supervised
from tests.support import FakeClock, ServerThread
from tests.web.conftest import Console
from tests.web.html import by_id, page

MAP = "/correction/map.geojson"


def layer(body: dict, name: str) -> list[dict]:
    return [f for f in body["features"] if f["properties"]["layer"] == name]


@pytest.fixture
def day(login: Login, clock: FakeClock, server: ServerThread) -> tuple[int, int]:
    """Two subjects of 田心's office on 2023-11-06: one checked in inside, one outside."""
    officer = login(OFFICER)
    inside, device_a, token_a = supervised(officer, clock, "2023-11-06")
    outside, device_b, token_b = supervised(officer, clock, "2023-11-06")
    at(clock, "2023-11-06", 9, 30)
    assert check_in(server, device_a, token_a).status_code == 201
    assert check_in(server, device_b, token_b, where=OUTSIDE).status_code == 201
    return inside, outside


def test_the_map_holds_every_grid_by_name_and_each_streets_outline(
    console: Console, platform: Platform, day: tuple[int, int]
) -> None:
    response = console(OFFICER).get(MAP)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    body = response.json()
    directory = platform.directory()
    grids = {i: u for i, u in directory.rows.items() if u.kind == "grid" and u.polygon}
    drawn = {f["id"]: f for f in layer(body, "grid")}
    assert set(drawn) == set(grids)
    some = next(iter(grids))
    assert drawn[some]["properties"]["name"] == directory.by_id[some].name
    ring = drawn[some]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and [list(p) for p in grids[some].polygon] == ring[:-1]
    # Each street with grids has one outline covering every one of its grids.
    streets = {f["properties"]["name"]: shape(f["geometry"]) for f in layer(body, "street")}
    for grid_id, feature in drawn.items():
        street = directory.street_of(directory.by_id[grid_id])
        assert street is not None and street.name == feature["properties"]["street"]
        assert streets[street.name].contains(shape(feature["geometry"]).representative_point())


def test_the_map_holds_the_days_last_positions_and_the_permitted_areas(
    console: Console, day: tuple[int, int]
) -> None:
    inside, outside = day
    body = console(OFFICER).get(MAP).json()
    positions = {f["id"]: f for f in layer(body, "position")}
    assert {inside, outside} <= set(positions)
    first, second = positions[inside], positions[outside]
    assert first["properties"]["status"] == "checked_in"
    assert second["properties"]["status"] == "out_of_area"
    assert second["geometry"]["coordinates"] == list(OUTSIDE)
    assert first["properties"]["name"].startswith("测试社区矫正人员")  # the officer sees names
    assert first["properties"]["file"] == f"/correction/subjects/{inside}"
    (area,) = layer(body, "area")  # both share one area: drawn once
    assert area["geometry"]["coordinates"][0][:-1] == [list(v) for v in parse_area(AREA).vertices]


def test_a_past_day_shows_that_days_positions_and_a_future_one_is_refused(
    console: Console, clock: FakeClock, day: tuple[int, int]
) -> None:
    inside, outside = day
    at(clock, "2023-11-07", 8)  # before anyone checks in on the 7th
    http = console(OFFICER)
    # Today: the last known position (yesterday's), the status today's.
    today = {f["id"]: f["properties"] for f in layer(http.get(MAP).json(), "position")}
    assert today[inside]["status"] == today[outside]["status"] == "pending"
    assert str(today[inside]["at"]).startswith("2023-11-06")
    past = {
        f["id"]: f["properties"]
        for f in layer(http.get(MAP, params={"date": "2023-11-06"}).json(), "position")
    }
    assert (past[inside]["status"], past[outside]["status"]) == ("checked_in", "out_of_area")
    refused = http.get(MAP, params={"date": "2023-11-08"})
    assert refused.status_code == 422 and refused.json()["code"] == "future_date"


def test_another_office_and_other_roles_see_none_of_it(
    console: Console, day: tuple[int, int]
) -> None:
    other = console(OTHER_OFFICE).get(MAP).json()
    assert not {f["id"] for f in layer(other, "position")} & set(day)
    for username in ("dispatcher1", "leader1", "admin", "tx_mediator"):
        assert console(username).get(MAP).status_code == 403, username


def test_the_day_view_draws_it_with_the_platforms_leaflet_and_an_svg_without(
    console: Console, clock: FakeClock, day: tuple[int, int]
) -> None:
    at(clock, "2023-11-07", 12)
    http = console(OFFICER)
    text = http.get("/correction", params={"date": "2023-11-06"}).text
    doc = page(text)
    box = by_id(doc, "position-leaflet")
    assert box is not None and box.get("data-geojson") == f"{MAP}?date=2023-11-06"
    assert box.get("data-tiles") is None  # no tile server configured: nothing fetched
    for script in ("/static/vendor/leaflet/leaflet.js", "/static/unit-map.js"):
        assert f'<script src="{script}" defer>' in text
        assert http.get(script).status_code == 200
    assert http.get("/static/correction/map.js").status_code == 200
    assert "https://" not in text and "http://" not in text
    svg = by_id(doc, "position-map")
    assert svg is not None
    assert len(svg.xpath(".//circle")) >= 2  # the two positions
    assert any("网格" in t for t in svg.xpath(".//polygon/title/text()"))  # grids named
