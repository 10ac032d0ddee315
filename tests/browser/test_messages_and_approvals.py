"""In the browser: the unread count beside 消息 appears when a message arrives and goes when
it is read; the extension decision opens on the case page with the days asked, warns as soon
as more days are typed, and will not submit the excess until it is confirmed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import console_login, screenshot
from tests.support import ApiClient

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

Login = Callable[[str], ApiClient]
COUNT = 'nav[aria-label="主导航"] [data-nav-count="/messages"]'


def test_the_unread_count_comes_with_a_message_and_goes_when_it_is_read(
    page: Page, login: Login
) -> None:
    console_login(page, "cgj_leader")
    page.goto("/messages")
    if page.locator("#read-all").count():
        with page.expect_navigation():
            page.click("#read-all")
    assert page.locator(COUNT).count() == 0

    case = login("operator1").register(content="浏览器消息测试：路灯不亮（浏览器测试合成数据）")
    login("dispatcher1").act(case["id"], "dispatch", lead_unit="SF-CGJ")
    page.goto("/work")
    assert page.locator(COUNT).inner_text() == "1"
    screenshot(page, "cgj_leader-unread-count")

    page.click('nav[aria-label="主导航"] a[href="/messages"]')
    row = page.locator(f'#message-list tr.unread:has(a[href="/cases/{case["id"]}"])')
    assert row.count() == 1
    row.locator('a[href^="/messages/"]').click()
    page.wait_for_selector("#message-case")
    assert page.locator(COUNT).count() == 0
    page.click("#message-case")
    page.wait_for_url(f"**/cases/{case['id']}")


def test_approving_more_days_than_asked_warns_and_waits_for_confirmation(
    page: Page, login: Login
) -> None:
    case = login("operator1").register(content="浏览器延期测试：道路破损（浏览器测试合成数据）")
    case_id = case["id"]
    login("dispatcher1").act(case_id, "dispatch", lead_unit="SF-CGJ")
    handler = login("cgj_handler")
    handler.act(case_id, "acknowledge")
    handler.act(case_id, "request_extension", days=3, reason="需等待沥青供应（测试）")

    console_login(page, "dispatcher1")
    page.goto(f"/cases/{case_id}")
    days = page.locator("#approve-days")
    days.wait_for()
    assert days.input_value() == "3"
    assert "需等待沥青供应（测试）" in page.locator("#requested-reason").inner_text()
    warning = page.locator("#excess-warning")
    assert not warning.is_visible()

    days.fill("5")
    warning.wait_for(state="visible")  # the page's input handler runs after the keystrokes
    assert warning.is_visible()
    assert "多于申请的3个工作日" in warning.inner_text()
    screenshot(page, "dispatcher-extension-excess-warning")
    # Not confirmed: the browser keeps the form (the box is required).
    page.click("#approve-submit")
    assert page.url.endswith(f"/cases/{case_id}")
    assert warning.is_visible()
    assert login("dispatcher1").case(case_id).json()["fields"].get("extension_requested") == 3

    # Back to the days asked: the warning goes.
    days.fill("3")
    warning.wait_for(state="hidden")
    assert not warning.is_visible()
    days.fill("5")
    page.check("#confirm-more")
    with page.expect_navigation():
        page.click("#approve-submit")
    assert "done=approve_extension" in page.url
    assert "延期5个工作日" in page.locator("#clocks").inner_text()
