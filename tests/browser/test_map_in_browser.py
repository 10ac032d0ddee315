"""地图 in Chromium: Leaflet (served by the platform) draws every grid from the platform's
GeoJSON in place of the SVG, with no request leaving 127.0.0.1 and no policy violation; a
click on a grid lists its orders below the map."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from fazhi.actions.platform import Platform
from tests.browser.support import console_login
from tests.browser.test_security_policy import COLLECT_VIOLATIONS

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_leaflet_draws_the_grids_and_a_click_lists_a_grids_orders(
    page: Page, platform: Platform
) -> None:
    page.add_init_script(COLLECT_VIOLATIONS)
    console_login(page, "dispatcher1")
    page.goto("/map?from=2023-01-01&to=2023-12-31")
    box = page.locator("#grid-leaflet.ready")
    box.wait_for()
    grids = [u for u in platform.directory().rows.values() if u.kind == "grid" and u.polygon]
    assert box.get_attribute("data-features") == str(len(grids))
    shapes = page.locator("#grid-leaflet path.leaflet-interactive")
    assert shapes.count() == len(grids)
    assert page.locator("#grid-map").is_hidden()  # the SVG fallback gives way
    assert page.locator("#grid-leaflet .leaflet-tile").count() == 0  # no tile server set
    with page.expect_response(lambda r: "/map/grid/" in r.url) as listed:
        shapes.nth(0).click(force=True)
    assert listed.value.status == 200
    page.locator("#grid-orders #grid-title").wait_for()
    page.locator("#grid-leaflet .leaflet-control-zoom-in").click()
    assert page.evaluate("window.__violations") == []
