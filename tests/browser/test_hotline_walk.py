"""The walk of issue 10 repeated in a real browser, through the console only: an operator
registers a complaint placed by its address, the dispatcher corrects its category while
dispatching, the unit acknowledges and replies, the operator revisits and closes; a 并单 the
server refuses shows its message; a grid worker lands on 上报. At every step none of the
walk's defects may appear: raw codes (CITY_APPEARANCE, 30min, 5wd, due_at), an unplaced
order, unlabelled deadline rows out of date order, 解除督办 with nothing supervised, an
internal id for a merged order, JSON for a bad address. All data is synthetic."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import console_login, screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

RAW_CODE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b\d+(?:min|wd|cd|mo|h)\b|due_at")
LON, LAT = "113.1060", "27.9700"  # inside 清水塘社区第二网格 (synthetic polygons)


def assert_clean(page: Page, where: str) -> None:
    """No raw code shows in what the page says."""
    text = page.locator("body").inner_text()
    found = sorted(set(RAW_CODE.findall(text)))
    assert not found, f"raw codes on {where} ({page.url}): {found}"


def open_action(page: Page, action: str) -> None:
    details = page.locator(f'section#actions details[data-action="{action}"]')
    assert details.count() == 1, f"action {action} not offered on {page.url}"
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def submit_action(page: Page, action: str) -> None:
    with page.expect_navigation():
        page.click(f'section#actions details[data-action="{action}"] button.primary')
    assert page.locator("p.flash").count() == 1, page.locator("p.error").all_inner_texts()


def offered(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "section#actions details[data-action]", "els => els.map(e => e.dataset.action)"
    )


def timeline(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("ol#timeline > li[data-seq]").all_inner_texts()]


def intake(
    page: Page,
    content: str,
    address: str = "",
    point: tuple[str, str] | None = None,
    category: str = "SANITATION",
) -> int:
    """operator1's 受理 form, filled and registered; the new order's id."""
    page.goto("/intake")
    page.fill("#caller_name", "测试丁")
    page.fill("#caller_phone", f"135{uuid.uuid4().int % 10**8:08d}")
    page.select_option("#request_kind", "complaint")
    page.fill("#content", content)
    if address:
        page.fill("#address", address)
    if point:
        page.fill("#longitude", point[0])
        page.fill("#latitude", point[1])
        page.locator("#latitude").dispatch_event("change")
    page.select_option("#category", category)
    with page.expect_navigation():
        page.click("button[name=intent][value=register]")
    found = re.search(r"/cases/(\d+)", page.url)
    assert found, page.locator("p.field-error").all_inner_texts()
    return int(found.group(1))


def test_a_complaint_walks_the_loop_through_the_console(page: Page) -> None:
    tag = uuid.uuid4().hex[:6]

    # 1. The operator places the order by its address: the place shown is the place stored.
    console_login(page, "operator1")
    page.goto("/intake")
    page.fill("#address", "凤凰公寓7栋")
    page.locator("#address").dispatch_event("change")
    page.locator("#locate-place").wait_for()
    assert "定位：田心街道 / 田心东社区" in page.locator("#locate-place").inner_text()
    case_id = intake(page, f"楼下流动摊贩占道经营，堵塞通道（测试{tag}）", address="凤凰公寓7栋")
    fields = page.locator("dl#case-fields").inner_text()
    assert "所在街道" in fields and "田心街道" in fields, fields
    assert "田心东社区" in fields
    number = page.locator("h1").inner_text().split()[-1]
    assert number.startswith("RX")
    assert_clean(page, "the registered order")
    screenshot(page, "walk-01-registered")

    # 2. The dispatcher corrects the category (环境卫生 → 市容秩序) while dispatching.
    console_login(page, "dispatcher1")
    page.goto(f"/cases/{case_id}")
    assert_clean(page, "the dispatcher's case page")
    open_action(page, "dispatch")
    assert page.locator("#dispatch-category").input_value() == "SANITATION"
    page.select_option("#dispatch-category", "CITY_APPEARANCE")
    page.select_option("#dispatch-lead_unit", "SF-CGJ")
    page.fill("#dispatch-note", "分类更正后派区城管局（测试）")
    submit_action(page, "dispatch")
    assert "市容秩序" in page.locator("dl#case-fields").inner_text()
    assert "诉求分类：环境卫生 → 市容秩序" in timeline(page)[-1]
    # The deadline table: every row labelled (clock, start, state), by due date.
    rows = page.locator("table#clocks tbody tr[data-clock]")
    assert rows.count() == 3
    dues = []
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert cells[0].split("（")[0] in ("签收时限", "退单时限", "办理时限"), cells
        assert cells[1].startswith("派单") and cells[3].startswith("计时中"), cells
        dues.append(cells[2])
    assert dues == sorted(dues)
    assert_clean(page, "the dispatched order")
    screenshot(page, "walk-02-dispatched")

    # 3. Nothing is supervised: the supervisor is offered 督办, not 解除督办.
    console_login(page, "supervisor1")
    page.goto(f"/cases/{case_id}")
    actions = offered(page)
    assert "supervise" in actions and "clear_supervision" not in actions, actions
    page.goto("/supervision")
    assert_clean(page, "督办")

    # 4. The unit acknowledges and replies.
    console_login(page, "cgj_handler")
    page.goto(f"/cases/{case_id}")
    open_action(page, "acknowledge")
    submit_action(page, "acknowledge")
    open_action(page, "reply")
    page.fill("#reply-reply", "已责令摊贩退回店内经营，通道已恢复（测试）")
    page.select_option("#reply-result", "resolved")
    submit_action(page, "reply")
    assert_clean(page, "the replied order")

    # 5. The operator revisits and closes; the lists show labels, not codes.
    console_login(page, "operator1")
    page.goto(f"/cases/{case_id}")
    open_action(page, "revisit")
    page.select_option("#revisit-rating", "satisfied")
    submit_action(page, "revisit")
    open_action(page, "close")
    submit_action(page, "close")
    assert "已办结" in page.locator(".toolbar").inner_text()
    assert_clean(page, "the closed order")
    page.goto(f"/cases?q={number}")
    assert page.locator(f'tr[data-case-id="{case_id}"]').count() == 1
    assert_clean(page, "案件查询")
    screenshot(page, "walk-03-closed")


def test_a_refused_merge_shows_its_message_and_a_merge_names_both_orders(page: Page) -> None:
    tag = uuid.uuid4().hex[:4]
    console_login(page, "operator1")
    lead = intake(page, f"红旗路{tag}号垃圾桶满溢多日无人清运，气味很大", point=(LON, LAT))
    dup = intake(page, f"红旗路{tag}号的垃圾桶满了好几天没人清运，臭味很大", point=(LON, LAT))
    page.goto(f"/cases/{lead}")
    page.locator(f"#dup-{dup}").wait_for()
    page.check(f"#dup-{dup}")
    page.click("#merge-submit")  # no reason: the server answers 422
    error = page.locator("#merge-error")
    error.wait_for()
    assert error.inner_text() == "请填写并单理由"
    assert page.locator(f"#dup-{dup}").is_checked()  # what was chosen is kept
    screenshot(page, "walk-04-merge-refused")

    page.fill("#merge-reason", "同一处垃圾满溢（测试）")
    with page.expect_navigation():
        page.click("#merge-submit")
    entry = next(e for e in timeline(page) if e.startswith("接收并单"))
    assert "并单理由：同一处垃圾满溢（测试）" in entry
    assert re.search(r"并入的工单：RX\d+", entry), entry
    page.goto(f"/cases/{dup}")
    fields = page.locator("dl#case-fields").inner_text()
    assert re.search(r"并入工单\s+RX\d+", fields), fields
    link = page.locator(f'dl#case-fields a[href="/cases/{lead}"]')
    assert link.count() == 1 and link.inner_text().startswith("RX")
    assert_clean(page, "the merged order")


def test_a_grid_worker_lands_on_the_report_form_and_a_bad_address_is_a_chinese_page(
    page: Page,
) -> None:
    response = console_login(page, "grid_tx_c01_g01")
    assert response is not None
    assert page.url.split("?")[0].endswith("/report"), page.url
    assert "彭小军" in page.locator("header .me").inner_text()
    answer = page.goto("/cases/abc")
    assert answer is not None and answer.status == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert page.locator("h1").inner_text() == "页面地址不正确"
    assert "case_id" not in page.locator("body").inner_text()
