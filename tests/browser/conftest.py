"""Browser fixtures: Debian's Chromium driven by Playwright against the test server on loopback.

The browser is the system one (/usr/bin/chromium, or FAZHI_CHROMIUM); nothing is downloaded
(never `playwright install`). Without Chromium or the playwright package the browser tests
skip with a notice; in strict mode (FAZHI_STRICT=1) tests/conftest.py turns that skip into a
failure. Each test gets a fresh context whose every request is checked: a request to any host
but 127.0.0.1/localhost is aborted and fails the test (no request leaves the machine).
Screenshots go to test-artifacts/screenshots/ at the repository root.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.browser.support import SCREENSHOTS, TIMINGS, Watch, console_login
from tests.support import ServerThread

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Route

__all__ = ["console_login"]

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("FAZHI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
# Schemes that never reach the network.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
_used = {"screenshots": False}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything in tests/browser carries the `browser` marker (deselect: -m "not browser")."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _chromium_path() -> str | None:
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return shutil.which(CHROMIUM)


def _missing() -> str | None:
    """Why the browser suite cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "the Python package `playwright` is not installed: run `make install-test` "
            "(requirements/test.lock pins it; the browser is the system Chromium, never "
            "`playwright install`)"
        )
    if _chromium_path() is None:
        return (
            f"Chromium not found at {CHROMIUM}: install Debian's browser and CJK fonts "
            "(`apt-get install chromium fonts-noto-cjk`) or set FAZHI_CHROMIUM to a Chromium "
            "binary"
        )
    return None


@pytest.fixture(scope="session", autouse=True)
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _used["screenshots"] = True
    print(f"\n[browser] screenshots: {SCREENSHOTS}", flush=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    reason = _missing()
    if reason:
        pytest.skip(f"browser tests need Chromium and playwright — {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: Browser, server: ServerThread, watch: Watch) -> Iterator[Page]:
    """A fresh page (own cookies) at 1366×768 whose requests may only go to loopback."""
    context = browser.new_context(
        base_url=server.url,
        viewport={"width": 1366, "height": 768},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(15_000)
    context.fazhi_server = server.url  # type: ignore[attr-defined]  # console_login's key

    def guard(route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            watch.offsite.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda exc: watch.page_errors.append(f"{page.url}: {exc}"))

    def on_console(message: ConsoleMessage) -> None:
        # A 404/422 page is a deliberate answer the tests check themselves; anything else
        # a script reports as an error is a fault of the page.
        if message.type == "error" and "Failed to load resource" not in message.text:
            watch.console_errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{page.url}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()
    assert not watch.offsite, f"requests left 127.0.0.1 (aborted): {watch.offsite}"
    assert not watch.page_errors, f"JavaScript errors: {watch.page_errors}"
    assert not watch.console_errors, f"console errors: {watch.console_errors}"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if TIMINGS:
        terminalreporter.write_sep("-", "console response times (real HTTP, ms)")
        for what, median, worst in TIMINGS:
            terminalreporter.write_line(f"{what:<40} median {median:7.1f}   max {worst:7.1f}")
    if _used["screenshots"]:
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS}")
