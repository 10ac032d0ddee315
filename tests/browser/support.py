"""Helpers for the browser suite: signing in through the console, screenshots, timings.

Everything here talks to the platform on 127.0.0.1 only; see conftest.py for the guard that
aborts (and reports) any request a page makes to another host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the playwright package may be missing: the suite then skips (or fails)
    from playwright.sync_api import Page, Response

PASSWORD = "fazhi2023"
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
CJK = re.compile(r"[\u3400-\u9fff]")

# (what was measured, median ms, max ms) — printed again in the terminal summary.
TIMINGS: list[tuple[str, float, float]] = []


@dataclass
class Watch:
    """What a page did that it should not have: requests off the machine, JS errors, dialogs."""

    offsite: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


# Session cookies of the sign-ins made so far, by (server, username): a later test signing
# in as the same user on the same server gets the cookie back instead of the form, which
# saves the login page and a password check per test. A lapsed or revoked session (the
# clock moved on, 退出, a disabled user) lands on /login and falls back to the form.
_SESSIONS: dict[tuple[str, str], list[Any]] = {}


def console_login(
    page: Page, username: str, password: str = PASSWORD, *, form: bool = False
) -> Response | None:
    """Sign in as a demo user; returns the landing page's response. `form=True` always goes
    through the login form (what the tests of signing in need); otherwise a session this
    user already has on this server is reused.

    Cookies of the page's context are cleared first, so one page can act as several users
    in turn, as colleagues sharing a desk would.
    """
    page.context.clear_cookies()
    server = _server_of(page)
    cookies = _SESSIONS.get((server, username)) if server and not form else None
    if cookies:
        page.context.add_cookies(cookies)
        response = page.goto("/")
        if "/login" not in page.url:
            return response
        page.context.clear_cookies()
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation() as navigation:
        page.click('form[action="/login"] button[type="submit"]')
    response = navigation.value
    assert "/login" not in page.url, f"{username} could not sign in: {page.url}"
    if password == PASSWORD:
        origin = "/".join(page.url.split("/")[:3])
        _SESSIONS[(origin, username)] = page.context.cookies(origin)
    return response


def _server_of(page: Page) -> str | None:
    """The origin of the server this page's context talks to (set by the page fixture)."""
    return getattr(page.context, "fazhi_server", None)


def console_logout(page: Page) -> None:
    """Sign out with the 退出 button in the header."""
    with page.expect_navigation():
        page.click('header form[action="/logout"] button')
    assert page.url.split("?")[0].endswith("/login")


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")
    path = SCREENSHOTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def h1_text(page: Page) -> str:
    return page.locator("h1").first.inner_text().strip()
