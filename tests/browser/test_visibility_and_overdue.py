"""What a unit sees in the console: only its own orders, and its overdue ones marked as such."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import console_login, h1_text, screenshot
from tests.support import ApiClient, FakeClock

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

Login = Callable[[str], ApiClient]


def dispatched_to(login: Login, unit: str, acknowledge: bool = False) -> dict[str, object]:
    """An order registered and dispatched through the API (at the clock's current time)."""
    operator, dispatcher = login("operator1"), login("dispatcher1")
    case = operator.register(content="田心街道某小区楼道堆放杂物（浏览器测试合成数据）")
    dispatcher.act(case["id"], "dispatch", lead_unit=unit)
    if acknowledge:
        login("tx_handler").act(case["id"], "acknowledge")
    return dispatcher.case(case["id"]).json()


def test_a_street_does_not_see_another_streets_order(page: Page, login: Login) -> None:
    case = dispatched_to(login, "SF-TX")
    case_id, number = case["id"], case["number"]

    console_login(page, "xsl_handler")
    page.goto("/work")
    assert page.locator(f'tr[data-case-id="{case_id}"]').count() == 0
    page.goto(f"/cases?q={number}")
    assert page.locator(f'tr[data-case-id="{case_id}"]').count() == 0
    response = page.goto(f"/cases/{case_id}")
    assert response is not None and response.status == 404
    assert h1_text(page) == "案件不存在或无权查看"
    assert "田心街道某小区" not in page.content()
    screenshot(page, "xsl_handler-case-of-another-street-404")

    # The street it was sent to does see it.
    console_login(page, "tx_handler")
    page.goto(f"/work?q={number}")
    assert page.locator(f'tr[data-case-id="{case_id}"]').count() == 1


def test_an_order_past_its_handling_deadline_is_marked_overdue(
    page: Page, login: Login, clock: FakeClock
) -> None:
    case = dispatched_to(login, "SF-TX", acknowledge=True)
    case_id, number = case["id"], case["number"]
    handle = next(c for c in case["clocks"] if c["name"] == "handle")  # type: ignore[union-attr]
    due = datetime.fromisoformat(handle["due_at"])
    # A working morning two days after the handling deadline.
    clock.set(due + timedelta(days=2) - timedelta(hours=14))

    console_login(page, "tx_handler")
    page.goto("/work")
    page.fill("#f-q", number)
    with page.expect_navigation():
        page.click('form[role="search"] button[type="submit"]')
    row = page.locator(f'table#case-list tr[data-case-id="{case_id}"]')
    assert row.count() == 1
    assert "overdue" in (row.get_attribute("class") or "").split()
    badge = row.locator("td").last.locator(".badge.overdue").inner_text()
    assert badge.startswith("超期"), badge
    screenshot(page, "tx_handler-work-overdue")

    # Only-overdue filter keeps it; the case page says so too.
    page.goto(f"/work?overdue=1&q={number}")
    assert page.locator(f'tr[data-case-id="{case_id}"]').count() == 1
    page.goto(f"/cases/{case_id}")
    assert page.locator("#due-badge").inner_text() == "已超期"
    assert "overdue" in (page.locator("#due-badge").get_attribute("class") or "")
    screenshot(page, "tx_handler-case-overdue")
