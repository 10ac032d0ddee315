"""A legal-aid case in a real browser, from intake to evaluation by the centre's officer: a
court's notice (法律援助法 art.36) is received on the form the overview links to, already set
for a notice; the case is granted and numbered on receipt with the 3-day assignment clock; the
lawyer is picked from the register (the script fills in the name and firm); the handling is
recorded, the case closed with its outcome and graded. Synthetic people only."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import console_login, screenshot
from tests.legal_aid.conftest import lawyer_register  # noqa: F401  (fixture)
from tests.support import ApiClient, FakeClock

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

Login = Callable[[str], ApiClient]


def _take(page: Page, action: str) -> None:
    with page.expect_navigation():
        page.locator(f'details[data-action="{action}"] button[type="submit"]').click()


def test_a_court_notice_walks_to_its_evaluation(
    page: Page,
    clock: FakeClock,
    lawyer_register: list[dict[str, str]],  # noqa: F811
) -> None:
    clock.set("2023-06-15T09:00:00+08:00")
    console_login(page, "sfj_aid")
    page.goto("/legal-aid?year=2023")
    with page.expect_navigation():
        page.click("#la-receive-notice")
    assert page.input_value("#channel") == "court_notice"
    page.fill("#notifying_body", "石峰区人民法院（浏览器测试）")
    page.fill("#applicant_name", "测试被告人")
    page.fill("#matter", "被告人系未成年人，通知指派辩护律师（浏览器测试合成）")
    page.select_option("#statutory_ground", "minor")
    with page.expect_navigation():
        page.click('#create-form button[type="submit"]')
    assert "已决定援助" in page.locator(".toolbar").inner_text()
    content = page.content()
    assert "(2023)湘援0204刑" in content and "指派期限" in content
    screenshot(page, "legal-aid-01-notice-received")

    lawyer = lawyer_register[0]
    page.locator('details[data-action="assign"] > summary').click()
    page.select_option("#assign-lawyer_licence", lawyer["licence_number"])
    # The script copies the register's name and firm.
    assert page.input_value("#assign-lawyer_name") == lawyer["name"]
    assert page.input_value("#assign-law_firm") == lawyer["law_firm"]
    _take(page, "assign")
    assert "办理中" in page.locator(".toolbar").inner_text()

    page.locator('details[data-action="record_handling"] > summary').click()
    page.fill("#record_handling-held_on", "2023-06-16")
    page.select_option("#record_handling-activity", "meeting")
    page.fill("#record_handling-note", "会见被告人（浏览器测试）")
    _take(page, "record_handling")
    page.locator('details[data-action="close"] > summary').click()
    page.select_option("#close-outcome", "defence_adopted")
    page.fill("#close-outcome_note", "辩护意见被采纳（浏览器测试）")
    _take(page, "close")
    page.locator('details[data-action="evaluate"] > summary').click()
    page.select_option("#evaluate-grade", "qualified")
    _take(page, "evaluate")
    assert "已评估" in page.locator(".toolbar").inner_text()
    screenshot(page, "legal-aid-02-evaluated")
