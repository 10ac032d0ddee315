"""A penalty case in a real browser: the officer registers it with its party and two
officers, files it (the 90-day clock shows), is not offered the decision while the legal
review (art.58) is missing, chooses the penalty item and circumstance from the register, is
warned beside the fine when it leaves the discretion benchmark, decides with a reason, and
generates the decision paper; after closing, the
reviewer finds the machine's finding in the review task. Some steps run over the API to
keep the test short. Synthetic people only."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.api.test_penalty_case import add
from tests.browser.support import console_login, screenshot
from tests.support import ApiClient

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

Login = Callable[[str], ApiClient]


def _add(client: ApiClient, case_id: int, kind: str, **data: str) -> None:
    add(client, case_id, kind, **data)


def test_a_penalty_case_from_registration_to_its_reviewed_file(page: Page, login: Login) -> None:
    console_login(page, "cgj_enforcer")
    page.goto("/cases/new/penalty_case")
    page.select_option("#source", "complaint")
    page.fill("#cause", "擅自占用城市道路经营（浏览器测试合成数据）")
    page.fill("#facts", "在人行道摆摊经营，经责令改正拒不改正（合成）")
    page.check("#major")
    page.select_option("#parties-0-kind", "person")
    page.fill("#parties-0-name", "张某某")
    page.fill("#parties-0-id_number", "11010519491231002X")
    for i, (name, number) in enumerate((("刘建军", "43020400101"), ("陈晓东", "43020400102"))):
        page.fill(f"#officers-{i}-name", name)
        page.fill(f"#officers-{i}-certificate_number", number)
    with page.expect_navigation():
        page.click('#create-form button[type="submit"]')
    case_id = int(page.url.split("/cases/")[1].split("?")[0])

    page.locator('details[data-action="file"] > summary').click()
    with page.expect_navigation():
        page.locator('details[data-action="file"] button[type="submit"]').click()
    assert "已立案" in page.locator(".toolbar").inner_text()
    assert "办案期限" in page.content()
    screenshot(page, "penalty-01-filed")

    officer = login("cgj_enforcer")
    _add(officer, case_id, "onsite_record", made_on="2023-06-01")
    _add(officer, case_id, "identity_proof", proof_kind="id_card_copy", party_name="张某某")
    _add(officer, case_id, "investigation_report")
    officer.act(case_id, "end_investigation")
    officer.act(case_id, "notify_rights", notice_number="石城管告〔2023〕88号")
    _add(officer, case_id, "collective_discussion", held_on="2023-06-01", conclusion="同意")
    _add(officer, case_id, "decision_approval")

    def decide(fine: str, reason: str = "") -> None:
        page.goto(f"/cases/{case_id}")
        page.locator('details[data-action="decide"] > summary').click()
        form = page.locator('details[data-action="decide"] form')
        form.locator('select[name="penalty_kind"]').select_option("fine")
        form.locator('input[name="fine_amount"]').fill(fine)
        form.locator('textarea[name="legal_basis"]').fill("《城市道路管理条例》第四十二条")
        form.locator('input[name="decision_number"]').fill("石城管罚决〔2023〕88号")
        # The item and its circumstance come from the register; once the item is chosen,
        # only its circumstances are offered, each with its fine range.
        form.locator('select[name="penalty_item"]').select_option("CG-0101")
        circumstance = form.locator('select[name="circumstance"]')
        assert circumstance.locator('optgroup[data-item="CG-0102"]').is_hidden()
        circumstance.select_option(label="一般情节（500–5,000 元）")
        form.locator('textarea[name="benchmark_reason"]').fill(reason)
        with page.expect_navigation():
            form.locator('button[type="submit"]').click()

    # The gate: a major case is not offered the decision without the legal review on file
    # (art.58); it is offered 提交法制审核 instead.
    page.goto(f"/cases/{case_id}")
    assert page.locator('details[data-action="request_review"]').count() == 1
    assert page.locator('details[data-action="decide"]').count() == 0
    officer.act(case_id, "request_review")
    reviewer = login("cgj_legal")
    _add(reviewer, case_id, "legal_review", opinion="同意（测试）", conclusion="approve")
    reviewer.act(case_id, "give_opinion")

    # The discretion benchmark's warning stands beside the fine.
    decide("8000")
    warning = page.locator("#decide-fine_amount-error")
    assert "500至5000元" in warning.inner_text()
    screenshot(page, "penalty-02-benchmark-warning")
    decide("8000", "当事人多次违法且拒不改正（测试）")
    assert "已作出决定" in page.locator(".toolbar").inner_text()

    # The decision paper is written by the platform.
    page.locator("details.doc-form > summary", has_text="添加行政处罚决定书").click()
    form = page.locator('form[data-form="doc:decision"]')
    with page.expect_navigation():
        form.locator("button", has_text="生成文书").click()
    assert "done=document_generated" in page.url and "系统生成" in page.content()
    paper = page.locator("a", has_text="行政处罚决定书-CF").first
    assert paper.get_attribute("href", timeout=5000)
    screenshot(page, "penalty-03-decision-generated")

    _add(
        officer,
        case_id,
        "service_proof",
        served_on="2023-06-02",
        served_document="石城管罚决〔2023〕88号",
        method="direct",
    )
    officer.act(case_id, "serve")
    _add(officer, case_id, "payment_receipt", paid_on="2023-06-05", amount="8000")
    officer.act(case_id, "record_payment")
    _add(officer, case_id, "closing_report")
    officer.act(case_id, "close")

    console_login(page, "case_reviewer")
    page.goto("/case-file-reviews?status=pending")
    row = page.locator("#review-tasks tr", has_text="石峰区城市管理综合执法大队").last
    row.locator("a").click()
    page.wait_for_load_state()
    assert "裁量基准" in page.content() and "多次违法且拒不改正" in page.content()
    screenshot(page, "penalty-04-review")
