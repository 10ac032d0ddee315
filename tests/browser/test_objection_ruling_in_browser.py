"""In the browser: a unit returns an order (a dispatch objection); the dispatcher opens it,
reads the catalogue's items for its category beside the return's reason, and upholds the
objection, giving the order to the unit the catalogue names with the ruling recorded. Then a
departmental item sent to a street is refused beside 派至街道理由, until a reason is given."""

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


def test_a_return_is_ruled_on_against_the_catalogue(page: Page, login: Login) -> None:
    case = login("operator1").register(
        category="TRAFFIC", content="浏览器异议测试：小区门口违章停车（浏览器测试合成数据）"
    )
    case_id = case["id"]
    login("dispatcher1").act(case_id, "dispatch", lead_unit="SF-CGJ")
    login("cgj_handler").act(case_id, "return", reason="违章停车属交警职责，非城管（测试）")

    console_login(page, "dispatcher1")
    page.goto(f"/cases/{case_id}")
    panel = page.locator("#case-catalogue")
    panel.wait_for()
    assert "派单异议" in panel.inner_text()
    row = panel.locator('tr[data-item="TR01"]')
    assert "株洲市公安局交通警察支队石峰大队" in row.inner_text()
    screenshot(page, "dispatcher-objection-catalogue")

    page.click('details[data-action="uphold_return"] > summary')
    form = page.locator('details[data-action="uphold_return"] form')
    form.locator('select[name="lead_unit"]').select_option("SF-JJDD")
    form.locator('select[name="catalogue_item"]').select_option("TR01")
    form.locator('textarea[name="ruling"]').fill("派单目录 TR01：违章停车属交警大队职责")
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    body = login("dispatcher1").case(case_id).json()
    assert body["state"] == "dispatched" and body["lead_unit"]["code"] == "SF-JJDD"
    assert body["fields"]["catalogue_item"] == "TR01"


def test_a_departmental_item_sent_to_a_street_asks_for_the_reason(page: Page, login: Login) -> None:
    case = login("operator1").register(
        content="浏览器目录测试：路边流动摊贩占道经营（浏览器测试合成数据）"
    )
    console_login(page, "dispatcher1")
    page.goto(f"/cases/{case['id']}")
    page.click('details[data-action="dispatch"] > summary')
    form = page.locator('details[data-action="dispatch"] form')
    form.locator('select[name="lead_unit"]').select_option("SF-TX")
    form.locator('select[name="catalogue_item"]').select_option("CA01")
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    error = page.locator("#dispatch-street_reason-error")
    assert "属部门职责" in error.inner_text()
    screenshot(page, "dispatcher-push-down-refused")
    form = page.locator('details[data-action="dispatch"] form')
    form.locator('textarea[name="street_reason"]').fill("街道执法中队牵头整治（测试）")
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()
    assert login("dispatcher1").case(case["id"]).json()["lead_unit"]["code"] == "SF-TX"
