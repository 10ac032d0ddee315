"""人民调解 in a real browser: the committee's mediator creates a mediation with two parties
added by the 添加 button, then takes 开始调解 on the case page, whose list-typed input
(调解员) is the same repeatable record group as the create form's. Synthetic people only."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.support import console_login, screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_a_mediation_created_with_added_parties_and_started_with_a_mediator(page: Page) -> None:
    console_login(page, "tx_mediator")
    page.goto("/cases/new/mediation")
    parties = page.locator('fieldset[data-list-field="parties"]')
    groups = parties.locator("[data-records] > fieldset")
    # The two groups rendered for min_items go; the two parties come from 添加.
    for _ in range(2):
        groups.first.locator("button[data-remove-record]").click()
    assert groups.count() == 0
    add = parties.locator("button[data-add-record]")
    add.click()
    add.click()
    assert groups.count() == 2
    assert page.locator("[data-record-number]:visible").all_inner_texts()[:2] == ["1", "2"]
    page.select_option("#dispute_kind", "neighbourhood")
    page.fill("#summary", "楼上漏水纠纷（浏览器测试合成数据）")
    for index, side, name in ((2, "applicant", "甲某某"), (3, "respondent", "乙某某")):
        page.select_option(f"#parties-{index}-side", side)
        page.select_option(f"#parties-{index}-kind", "person")
        page.fill(f"#parties-{index}-name", name)
    with page.expect_navigation():
        page.click('#create-form button[type="submit"]')
    assert "done=apply" in page.url
    rows = page.locator("table#records-parties tbody tr")
    assert [rows.nth(i).inner_text().split("\t")[2] for i in range(2)] == ["甲某某", "乙某某"]

    start = page.locator('details[data-action="start"]')
    start.locator("summary").click()
    mediators = start.locator('fieldset[data-list-field="mediators"]')
    page.fill("#start-mediators-0-name", "曹淑芬")
    page.fill("#start-mediators-0-certificate_no", "TJ-0001")
    # The script works in action forms too: a record added, then removed again.
    mediators.locator("button[data-add-record]").click()
    assert mediators.locator("[data-records] > fieldset").count() == 2
    mediators.locator("[data-records] > fieldset").nth(1).locator(
        "button[data-remove-record]"
    ).click()
    assert mediators.locator("[data-records] > fieldset").count() == 1
    screenshot(page, "mediation-01-start")
    with page.expect_navigation():
        start.locator('button[type="submit"]').click()
    assert "done=start" in page.url
    assert "调解中" in page.locator(".toolbar").inner_text()
    table = page.locator("table#records-mediators tbody tr")
    assert table.count() == 1
    assert table.nth(0).inner_text().split("\t")[:2] == ["曹淑芬", "TJ-0001"]
    screenshot(page, "mediation-02-started")
