"""网格员上报 on a phone (390×844 portrait) in a real browser: the device's position comes
from the Geolocation API (granted through the browser context), the page shows the grid it
falls in, one photo is taken (an in-memory PNG), and the submitted page shows the number.
A second phone refuses the location permission and gets the manual fallback."""

from __future__ import annotations

import re
import struct
import uuid
import zlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import LOCAL_HOSTS, LOCAL_SCHEMES
from tests.browser.support import Watch, console_login, screenshot
from tests.support import ServerThread

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, FilePayload, Page, Route

pytestmark = pytest.mark.browser

WORKER = "grid_tx_c01_g01"
INSIDE_G01 = {"longitude": 113.1615, "latitude": 27.91, "accuracy": 12}  # 田心东社区第一网格
PHONE = {"width": 390, "height": 844}
MobilePage = Callable[..., "Page"]


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def mobile_page(browser: Browser, server: ServerThread, watch: Watch) -> Iterator[MobilePage]:
    """mobile_page(geolocation=True) → a fresh phone-sized page, location granted or not,
    whose requests may only go to loopback (the same guards as conftest's `page`)."""
    contexts: list[Any] = []

    def make(geolocation: bool = True) -> Page:
        options: dict[str, Any] = {
            "base_url": server.url,
            "viewport": PHONE,
            "is_mobile": True,
            "has_touch": True,
            "device_scale_factor": 2,
            "locale": "zh-CN",
            "timezone_id": "Asia/Shanghai",
        }
        if geolocation:
            options["geolocation"] = INSIDE_G01
        context = browser.new_context(**options)
        contexts.append(context)
        if geolocation:
            context.grant_permissions(["geolocation"], origin=server.url)
        else:
            context.clear_permissions()
        context.set_default_timeout(15_000)

        def guard(route: Route) -> None:
            parts = urlsplit(route.request.url)
            if parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS:
                route.continue_()
            else:
                watch.offsite.append(route.request.url)
                route.abort("blockedbyclient")

        context.route("**/*", guard)
        page = context.new_page()
        page.on("pageerror", lambda exc: watch.page_errors.append(f"{page.url}: {exc}"))

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error" and "Failed to load resource" not in message.text:
                watch.console_errors.append(f"{page.url}: {message.text}")

        page.on("console", on_console)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not watch.offsite, f"requests left 127.0.0.1 (aborted): {watch.offsite}"
    assert not watch.page_errors, f"JavaScript errors: {watch.page_errors}"
    assert not watch.console_errors, f"console errors: {watch.console_errors}"


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px phone"


def test_grid_worker_reports_from_a_phone(mobile_page: MobilePage) -> None:
    page = mobile_page()
    console_login(page, WORKER)
    page.goto("/report")
    status = page.locator("#geo-status")
    status.filter(has_text="已定位").wait_for()
    assert "精度约 12 米" in status.inner_text()
    assert page.input_value("#longitude") == "113.161500"
    assert page.input_value("#latitude") == "27.910000"
    page.locator("#report-place #place-grid", has_text="田心东社区第一网格").wait_for()
    assert page.locator("#place-outside").count() == 0
    no_sideways_scroll(page)
    box = page.locator("button.submit").bounding_box()
    assert box is not None and box["height"] >= 48

    page.select_option("#category", "MUNICIPAL")
    page.fill("#content", f"巡查发现井盖缺失，已设置警示（测试合成数据 {uuid.uuid4().hex[:6]}）")
    page.check('input[name="urgency"][value="urgent"]')
    photo: FilePayload = {"name": "scene.png", "mimeType": "image/png", "buffer": tiny_png()}
    page.set_input_files("#photos", files=[photo])
    page.locator("#photo-count", has_text="已选择 1 张照片").wait_for()
    screenshot(page, "grid_worker_report_form_390x844")

    with page.expect_navigation():
        page.click("button.submit")
    assert re.search(r"/report/submitted/\d+$", page.url), page.url
    number = page.inner_text("#case-number").strip()
    assert re.fullmatch(r"RX\d{15}", number), number
    assert "田心东社区第一网格" in page.inner_text(".done")
    assert "照片 1 张" in page.inner_text(".done")
    assert page.locator("#recent-reports li", has_text=number).count() == 1
    no_sideways_scroll(page)
    screenshot(page, "grid_worker_report_submitted_390x844")

    with page.expect_navigation():
        page.click("#case-link")
    assert "网格员上报" in page.content() and "scene.png" in page.content()


def test_refused_location_offers_manual_entry(mobile_page: MobilePage) -> None:
    page = mobile_page(geolocation=False)
    console_login(page, WORKER)
    page.goto("/report")
    page.locator("#geo-status", has_text="请填写地址或手动输入坐标").wait_for()
    assert page.locator("#geo-manual").is_visible()
    page.fill("#manual_longitude", "113.1640")
    page.fill("#manual_latitude", "27.9100")
    page.locator("#manual_latitude").dispatch_event("change")
    page.locator("#report-place #place-grid", has_text="田心东社区第二网格").wait_for()
    assert page.locator("#place-outside").is_visible()  # not the worker's own grid
    screenshot(page, "grid_worker_report_manual_location_390x844")
