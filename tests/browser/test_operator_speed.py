"""Operator speed in a real browser: batch acknowledge from the work list, the unit picker
found by pinyin initials, a keyboard shortcut submitting the dispatch form, the intake
shortcuts, and the printable 处理单 as it prints."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.support import console_login, screenshot
from tests.support import ApiClient

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
Login = Callable[[str], ApiClient]


def registered(login: Login, tag: str) -> dict[str, Any]:
    return login("operator1").register(content=f"{tag} 路灯不亮（浏览器测试合成数据）")


def test_unit_staff_acknowledge_several_orders_at_once(page: Page, login: Login) -> None:
    tag = f"批量{uuid.uuid4().hex[:6]}"
    cases = [registered(login, tag) for _ in range(3)]
    for case in cases:
        login("dispatcher1").act(case["id"], "dispatch", lead_unit="SF-CGJ")
    console_login(page, "cgj_handler")
    page.goto(f"/work?q={tag}")
    boxes = page.locator('table#case-list input[type="checkbox"][name="case"]')
    assert boxes.count() == 3
    page.check('table#case-list thead input[data-check-all="case"]')  # 全选本页
    assert all(boxes.nth(i).is_checked() for i in range(3))
    page.uncheck(f'tr[data-case-id="{cases[2]["id"]}"] input[name="case"]')
    screenshot(page, "batch-01-ticked")
    with page.expect_navigation():
        page.click("#batch-acknowledge")
    assert "成功 2 件" in page.locator("#batch-summary").inner_text()
    ok = page.locator('#batch-results tr[data-ok="true"]')
    assert ok.count() == 2 and "已签收" in ok.first.inner_text()
    screenshot(page, "batch-02-results")
    for case, state in zip(cases, ("handling", "handling", "dispatched"), strict=True):
        assert login("cgj_handler").case(case["id"]).json()["state"] == state


def open_dispatch(page: Page, case_id: int) -> None:
    page.goto(f"/cases/{case_id}")
    details = page.locator('section#actions details[data-action="dispatch"]')
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def test_the_unit_picker_finds_a_unit_by_pinyin_initials(page: Page, login: Login) -> None:
    case = registered(login, uuid.uuid4().hex[:6])
    console_login(page, "dispatcher1")
    open_dispatch(page, case["id"])
    page.select_option("#dispatch-lead_unit", "")  # clear the duty list's preselection
    picker = page.locator("#dispatch-lead_unit-picker")
    picker.fill("cgj")
    first = page.locator("#dispatch-lead_unit-options li").first
    first.wait_for()
    assert "石峰区城市管理和综合执法局" in first.inner_text()
    assert picker.get_attribute("aria-expanded") == "true"
    screenshot(page, "picker-01-cgj")
    picker.press("Enter")
    assert page.eval_on_selector("#dispatch-lead_unit", "s => s.value") == "SF-CGJ"
    assert (
        "已选：石峰区城市管理和综合执法局"
        in page.locator("#dispatch-lead_unit-picker-status").inner_text()
    )
    # The assisting units are a multiple select: a pick adds to it.
    helper = page.locator("#dispatch-assisting_units-picker")
    helper.fill("zjj")
    page.locator("#dispatch-assisting_units-options li").first.wait_for()
    helper.press("Enter")
    chosen = page.eval_on_selector(
        "#dispatch-assisting_units", "s => Array.from(s.selectedOptions).map(o => o.value)"
    )
    assert chosen == ["SF-ZJJ"]


def test_keyboard_shortcuts_open_fill_and_submit_the_dispatch_form(
    page: Page, login: Login
) -> None:
    case = registered(login, uuid.uuid4().hex[:6])
    console_login(page, "dispatcher1")
    page.goto(f"/cases/{case['id']}")
    assert "Ctrl+Enter" in (page.locator("#case-shortcuts").text_content() or "")
    page.keyboard.press("Alt+P")  # open 派单, focus on the unit search
    assert page.locator('details[data-action="dispatch"]').get_attribute("open") is not None
    assert page.evaluate("document.activeElement.id") == "dispatch-lead_unit-picker"
    page.keyboard.type("zjj")
    page.locator("#dispatch-lead_unit-options li").first.wait_for()
    page.keyboard.press("Enter")
    page.keyboard.press("Alt+G")
    assert page.evaluate("document.activeElement.name") == "urgency"
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert page.locator("p.flash").inner_text() == "已完成「派单」"
    body = login("dispatcher1").case(case["id"]).json()
    assert (body["state"], body["lead_unit"]["code"]) == ("dispatched", "SF-ZJJ")


def test_intake_shortcuts_reach_their_fields(page: Page) -> None:
    console_login(page, "operator1")
    page.goto("/intake")
    page.click("#shortcuts summary")
    screenshot(page, "intake-shortcuts")
    for key, field in (("Alt+C", "content"), ("Alt+A", "address"), ("Alt+T", "caller_phone")):
        page.keyboard.press(key)
        assert page.evaluate("document.activeElement.id") == field, key


def test_the_printable_sheet_prints_only_the_sheet(page: Page, login: Login) -> None:
    case = registered(login, uuid.uuid4().hex[:6])
    login("dispatcher1").act(case["id"], "dispatch", lead_unit="SF-CGJ")
    console_login(page, "dispatcher1")
    page.goto(f"/cases/{case['id']}")
    with page.expect_navigation():
        page.click("#print-link")
    assert page.locator("#print-sheet h1").inner_text() == "12345热线工单处理单"
    assert page.locator("header.top").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert not page.locator("#print-now").is_visible()
    assert page.locator("#sheet-timeline").is_visible()
    assert page.locator("#sheet-signatures").is_visible()
    screenshot(page, "print-sheet")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
