"""知识库 in Chromium: an operator types a consultation on the intake form, the knowledge
base proposes an article, 插入答复 puts it into 即时答复, 即时办结 closes the order, and the
article's use is counted."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest

from tests.analytics.scenario import api_client
from tests.browser.support import console_login
from tests.support import FakeClock, ServerThread

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_operator_answers_a_consultation_from_the_knowledge_base(
    page: Page, server: ServerThread, clock: FakeClock
) -> None:
    word = "癸" + uuid.uuid4().hex[:6]
    unit, centre = (
        api_client(server, clock, "rsj_handler"),
        api_client(server, clock, "dispatcher1"),
    )
    made = unit.http.post(
        "/api/v1/knowledge",
        json={
            "category": "WAGES",
            "question": f"{word}试用期可以约定多久",
            "answer": f"{word}劳动合同期限三个月以上不满一年的，试用期不得超过一个月。",
            "legal_basis": "《劳动合同法》第十九条",
            "tags": "试用期",
        },
    )
    article_id = made.json()["id"]
    assert centre.http.post(f"/api/v1/knowledge/{article_id}/approve", json={}).status_code == 200

    console_login(page, "operator1")
    page.goto("/intake")
    page.fill("#caller_phone", "17000002468")
    page.select_option("#request_kind", index=1)
    content = page.locator("#content")
    content.click()
    content.press_sequentially(f"{word}我想问一下试用期最长能约定多久")
    content.press("End")
    proposal = page.locator(f'#knowledge-slot li[data-article="{article_id}"]')
    proposal.wait_for()
    page.fill("#answer", "您好，")
    page.locator("#answer").press("End")
    proposal.locator("button.insert-knowledge").click()
    answer = page.locator("#answer").input_value()
    assert answer.startswith("您好，" + word) and "《劳动合同法》第十九条" in answer
    assert page.locator("#knowledge_ids").input_value() == str(article_id)
    page.fill("#address", "田心街道田心东社区")
    page.select_option("#category", "WAGES")
    with page.expect_navigation():
        page.click('button[name="intent"][value="resolve"]')
    errors = page.locator(".field-error, #form-error").all_inner_texts()
    assert "/cases/" in page.url, errors
    after = centre.http.get(f"/api/v1/knowledge/{article_id}").json()
    assert after["uses"] == 1
