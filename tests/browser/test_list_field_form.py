"""The create form's repeatable records in a real browser: a handler adds parties, removes
one, submits with a record missing its ID number, reads the error beside that record, fixes
it and submits — and the case page shows the parties as a table. Runs on the test-only
type tests/fixtures/case_types/dispute_mediation.yaml."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import console_login, screenshot
from tests.fixture_types import ID_NUMBERS, fixture_type_server
from tests.support import FakeClock, ServerThread

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, clock: FakeClock) -> Iterator[ServerThread]:
    """This module's browser pages go to a console serving the fixture types."""
    with fixture_type_server(tmp_path_factory.mktemp("browser-types"), clock) as thread:
        yield thread


def records(page: Page) -> int:
    return page.locator('fieldset[data-list-field="parties"] [data-records] > fieldset').count()


def test_adding_and_removing_party_records_then_submitting(page: Page) -> None:
    console_login(page, "operator1")
    page.goto("/cases/new/dispute_mediation")
    assert records(page) == 1
    page.select_option("#kind", "neighbour")
    page.fill("#summary", "楼上漏水纠纷（浏览器测试合成数据）")
    page.fill("#amount", "1500.5")
    page.select_option("#parties-0-kind", "person")
    page.fill("#parties-0-name", "测试甲")
    page.fill("#parties-0-id_number", ID_NUMBERS[0])

    add = page.locator("button[data-add-record]")
    add.click()
    add.click()
    assert records(page) == 2 + 1
    # The new groups have the next free indexes and are numbered as shown.
    page.fill("#parties-1-name", "要删除的记录")
    page.select_option("#parties-2-kind", "person")
    page.fill("#parties-2-name", "测试乙")  # an ID number is still missing
    numbers = page.locator("[data-record-number]:visible").all_inner_texts()
    assert numbers == ["1", "2", "3"]
    page.locator("#parties-1-name").locator("xpath=ancestor::fieldset[@data-record]").locator(
        "button[data-remove-record]"
    ).click()
    assert records(page) == 2
    assert page.locator("#parties-1-name").count() == 0
    assert page.locator("[data-record-number]:visible").all_inner_texts() == ["1", "2"]
    screenshot(page, "list-field-01-filled")

    with page.expect_navigation():
        page.click('#create-form button[type="submit"]')
    # Shown again with the records renumbered: the one missing its ID number is now #2.
    error = page.locator("#parties-1-id_number-error")
    assert "请填写身份证号" in error.inner_text()
    assert page.input_value("#parties-1-name") == "测试乙"
    assert page.input_value("#parties-0-name") == "测试甲"
    assert records(page) == 2
    screenshot(page, "list-field-02-error")

    # The script works on the records the server rendered, too: add one more, then remove it.
    add.click()
    assert records(page) == 3
    page.locator("[data-records] > fieldset").nth(2).locator("button[data-remove-record]").click()
    assert records(page) == 2

    page.fill("#parties-1-id_number", ID_NUMBERS[1])
    with page.expect_navigation():
        page.click('#create-form button[type="submit"]')
    assert "/cases/" in page.url and "done=apply" in page.url
    table = page.locator("table#records-parties tbody tr")
    assert table.count() == 2
    assert table.nth(0).inner_text().split("\t")[:2] == ["自然人", "测试甲"]
    assert table.nth(1).inner_text().split("\t")[:2] == ["自然人", "测试乙"]
    assert "1,500.50 元" in page.locator("#case-fields").inner_text()
    screenshot(page, "list-field-03-case")


def test_a_mediation_opened_from_a_work_order_is_prefilled_and_linked_both_ways(
    page: Page,
) -> None:
    console_login(page, "operator1")
    page.goto("/cases/new/hotline?action=register")
    page.fill("#content", "邻居装修噪音扰民（浏览器测试合成数据）")
    page.select_option("#request_kind", "complaint")
    page.select_option("#category", "CITY_APPEARANCE")
    page.fill("#caller_phone", "17000004321")
    with page.expect_navigation():
        page.click('#create-form button[type="submit"]')
    order_url = page.url.split("?")[0]
    order_number = page.locator("h1").inner_text().split()[-1]

    with page.expect_navigation():
        page.click('#links-open a[data-open-type="dispute_mediation"]')
    assert page.input_value("#summary") == "邻居装修噪音扰民（浏览器测试合成数据）"
    assert page.input_value("#applicant_phone") == "17000004321"  # an operator sees it whole
    assert page.input_value("#source_case") == order_number
    page.select_option("#kind", "neighbour")
    page.select_option("#parties-0-kind", "organisation")
    page.fill("#parties-0-name", "石峰测试装饰有限公司")
    with page.expect_navigation():
        page.click('#create-form button[type="submit"]')
    outgoing = page.locator('#links-outgoing dd[data-link-field="source_case"]')
    assert order_number in outgoing.inner_text()
    mediation_number = page.locator("h1").inner_text().split()[-1]
    screenshot(page, "links-01-mediation")

    with page.expect_navigation():
        outgoing.locator("a").click()
    assert page.url.split("?")[0] == order_url
    assert "由此发起的纠纷调解" in page.locator("#case-links").inner_text()
    assert mediation_number in page.locator("#links-incoming").inner_text()
    screenshot(page, "links-02-order")
