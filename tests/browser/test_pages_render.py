"""Every demo login lands on a working page, every page of its menu renders without script
errors, and Chinese is drawn with real CJK glyphs (not tofu boxes). Screenshots of each page
go to test-artifacts/screenshots/ for a human to look over."""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING, Any

import pytest

from fazhi.bootstrap import composed_console
from fazhi.catalog.org_file import load_demo_org
from tests.browser.support import CJK, console_login, h1_text, screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

USERS = ["operator1", "dispatcher1", "cgj_handler", "tx_handler", "supervisor1", "leader1", "admin"]
ORG = load_demo_org()
ROLE = {u.username: u.role for u in ORG.users}
KIND = {u.username: ORG.unit(u.unit_code).kind for u in ORG.users}
CONSOLE = composed_console()  # the engine's menu with the type packages' entries
MENU = {u: [path for path, _ in CONSOLE.nav_for(ROLE[u], KIND[u])] for u in USERS}
PAGES = [(u, path) for u in USERS for path in MENU[u] if path != CONSOLE.landing_for(ROLE[u])]

# Draws each character alone on a canvas in the given CSS font and returns its alpha mask.
# A missing font shows every character as the same .notdef box ("tofu"), so distinct
# characters giving distinct, non-empty masks means real glyphs were drawn.
GLYPHS_JS = """([font, chars]) => {
  const canvas = document.createElement('canvas');
  canvas.width = 48; canvas.height = 48;
  const ctx = canvas.getContext('2d');
  return chars.map(ch => {
    ctx.clearRect(0, 0, 48, 48);
    ctx.font = font; ctx.textBaseline = 'top'; ctx.fillStyle = '#000';
    ctx.fillText(ch, 4, 4);
    const data = ctx.getImageData(0, 0, 48, 48).data;
    let mask = '';
    for (let i = 3; i < data.length; i += 4) mask += data[i] > 127 ? '1' : '0';
    return mask;
  });
}"""
# Compares the width of CJK text with the same count of a private-use character (tofu).
WIDTHS_JS = """(font) => {
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = font;
  return [ctx.measureText('法治政府建设').width, ctx.measureText('\\ue000'.repeat(6)).width];
}"""


def assert_cjk_renders(page: Page) -> None:
    h1 = h1_text(page)
    assert h1, f"{page.url}: empty h1"
    assert CJK.search(h1), f"{page.url}: h1 is not Chinese: {h1!r}"
    font = page.eval_on_selector("h1", "el => getComputedStyle(el).font")
    noto = page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
    masks: list[str] = page.evaluate(GLYPHS_JS, [font, ["法", "治", "政", "府", "\ue000"]])
    cjk, tofu = masks[:4], masks[4]
    assert all("1" in m for m in cjk), f"{page.url}: CJK characters drew nothing in {font}"
    assert len(set(cjk)) == 4, f"{page.url}: CJK characters all drew the same box (tofu)"
    assert tofu not in cjk, f"{page.url}: CJK characters drew as the missing-glyph box"
    widths: list[Any] = page.evaluate(WIDTHS_JS, font)
    assert noto or widths[0] != widths[1], f"{page.url}: no CJK font ({widths})"


def test_a_chinese_font_is_installed() -> None:
    if shutil.which("fc-list") is None:
        pytest.skip("fc-list not found: install fontconfig and fonts-noto-cjk")
    listed = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    assert listed.strip(), "no font covers Chinese: install fonts-noto-cjk"


@pytest.mark.parametrize("username", USERS)
def test_each_demo_login_lands_on_a_chinese_page(page: Page, username: str) -> None:
    console_login(page, username)
    landing = CONSOLE.landing_for(ROLE[username])
    response = page.goto("/")
    assert response is not None
    assert page.url.split("?")[0].endswith(landing), page.url
    assert response.status == 200, f"{landing} answered {response.status}"
    menu = page.eval_on_selector_all(
        'header nav[aria-label="主导航"] a', "els => els.map(e => e.getAttribute('href'))"
    )
    screenshot(page, f"{username}-landing{landing.replace('/', '-')}")
    assert menu == MENU[username]
    assert_cjk_renders(page)


@pytest.mark.parametrize(("username", "path"), PAGES, ids=[f"{u}{p}" for u, p in PAGES])
def test_each_page_of_the_menu_renders(page: Page, username: str, path: str) -> None:
    console_login(page, username)
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, f"{path} answered {response.status} for {username}"
    page.wait_for_load_state("networkidle")
    screenshot(page, f"{username}{path.replace('/', '-')}")
    assert h1_text(page), f"{path}: empty h1"
    assert CJK.search(h1_text(page)), f"{path}: h1 is not Chinese"
    # JavaScript errors and requests off the machine fail the test in the page fixture.


def test_a_request_off_the_machine_is_aborted_and_reported(page: Page, watch: Any) -> None:
    """The guard of the page fixture itself: what every other browser test relies on."""
    # From a page without the console's policy (which would block the fetch itself, see
    # test_security_policy): here the guard alone must stop it.
    page.goto("about:blank")
    outcome = page.evaluate("fetch('http://192.0.2.1/x.js').then(() => 'sent', () => 'blocked')")
    assert outcome == "blocked"
    assert watch.offsite == ["http://192.0.2.1/x.js"]
    watch.offsite.clear()  # expected here; any other test would fail at teardown
