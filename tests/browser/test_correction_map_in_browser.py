"""社区矫正's map in Chromium: the vendored Leaflet draws the district's grids (named in their
tooltips) and streets (named on the map) with the office's subjects' last positions, in place
of the SVG, with no request leaving 127.0.0.1 and no policy violation; a position opens the
subject's file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from fazhi.actions.platform import Platform
from tests.api.conftest import Login, _api_clients, login  # noqa: F401  (fixtures)
from tests.browser.support import console_login
from tests.browser.test_security_policy import COLLECT_VIOLATIONS
from tests.correction.support import OFFICER, OUTSIDE, at, check_in, supervised
from tests.support import FakeClock, ServerThread

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# A point of the map where a grid, not a marker, is under the pointer.
FIND_GRID = """() => {
  const box = document.getElementById("position-leaflet").getBoundingClientRect();
  for (let i = 1; i < 12; i++) {
    for (let j = 1; j < 12; j++) {
      const x = box.left + (box.width * i) / 12, y = box.top + (box.height * j) / 12;
      const hit = document.elementFromPoint(x, y);
      if (hit && hit.matches("path.leaflet-interactive:not(.subject-position)")) return [x, y];
    }
  }
  return null;
}"""


def test_leaflet_draws_the_named_units_and_the_last_positions(
    page: Page,
    platform: Platform,
    login: Login,  # noqa: F811  (the API suite's fixture)
    clock: FakeClock,
    server: ServerThread,
) -> None:
    officer = login(OFFICER)
    _, device_a, token_a = supervised(officer, clock, "2023-11-06")
    _, device_b, token_b = supervised(officer, clock, "2023-11-06")
    at(clock, "2023-11-06", 9, 30)
    assert check_in(server, device_a, token_a).status_code == 201
    assert check_in(server, device_b, token_b, where=OUTSIDE).status_code == 201

    page.add_init_script(COLLECT_VIOLATIONS)
    console_login(page, OFFICER)
    page.goto("/correction")
    box = page.locator("#position-leaflet.ready")
    box.wait_for()
    assert page.locator("#position-map").is_hidden()  # the SVG gives way
    assert page.locator("#position-leaflet .leaflet-tile").count() == 0  # no tile server set

    directory = platform.directory()
    grids = [i for i, u in directory.rows.items() if u.kind == "grid" and u.polygon]
    streets = {directory.street_of(directory.by_id[i]).name for i in grids}  # type: ignore[union-attr]
    assert box.get_attribute("data-grids") == str(len(grids))
    assert box.get_attribute("data-streets") == str(len(streets))
    # The streets named on the map itself.
    labels = page.locator("#position-leaflet .leaflet-tooltip.unit-label")
    assert set(labels.all_inner_texts()) == streets

    markers = page.locator("#position-leaflet path.subject-position")
    assert markers.count() == int(box.get_attribute("data-positions") or 0) >= 2
    red = page.locator('#position-leaflet path.subject-position[fill="#c62828"]')
    assert red.count() >= 1  # the one out of its area

    # A grid names itself under the pointer.
    box.scroll_into_view_if_needed()
    spot = page.evaluate(FIND_GRID)
    assert spot is not None, "no grid under any point of the map"
    page.mouse.move(spot[0], spot[1])
    tip = page.locator("#position-leaflet .leaflet-tooltip.unit-tip")
    tip.wait_for()
    assert any(directory.by_id[i].name in tip.inner_text() for i in grids)

    # A position opens the subject's file (its opening recorded by the page).
    page.locator("#position-leaflet .leaflet-control-zoom-in").click()
    # Leaflet takes a marker's click from its element wherever the zoom has put it.
    with page.expect_navigation():
        red.first.dispatch_event("click")
    assert "/correction/subjects/" in page.url
    assert page.evaluate("window.__violations") == []
