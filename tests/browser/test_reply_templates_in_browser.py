"""答复模板 in Chromium: a handler opens the reply form, clicks 插入 on a template filled from
the order, and the text lands in the reply box at the cursor, ready to edit and submit."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest

from tests.analytics.scenario import api_client, console_client
from tests.browser.support import console_login
from tests.support import FakeClock, ServerThread

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_a_template_is_inserted_into_the_reply_and_submitted(
    page: Page, server: ServerThread, clock: FakeClock
) -> None:
    tag = uuid.uuid4().hex[:6]
    handler = console_client(server, clock, "cgj_handler")
    response = handler.post(
        "/reply-templates",
        data={
            "kind": "reply",
            "title": f"已处理{tag}",
            "body": "经核查，{number}反映的问题已处理。",
        },
    )
    assert response.status_code in (200, 303)
    operator, dispatcher = (
        api_client(server, clock, "operator1"),
        api_client(server, clock, "dispatcher1"),
    )
    case_id = operator.register()["id"]
    dispatcher.act(case_id, "dispatch", lead_unit="SF-CGJ")
    api_client(server, clock, "cgj_handler").act(case_id, "acknowledge")
    number = operator.case(case_id).json()["number"]

    console_login(page, "cgj_handler")
    page.goto(f"/cases/{case_id}")
    page.locator('details[data-action="reply"] summary').click()
    box = page.locator('details[data-action="reply"] textarea[name="reply"]')
    box.fill("您好：")
    button = page.locator("#reply-templates li", has_text=f"已处理{tag}").locator(
        "button.insert-template"
    )
    # The template list comes in by htmx: click once its swap has settled, so the click lands
    # on the button the page keeps (on a loaded machine the swap can lag the first paint).
    button.wait_for(state="visible")
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")
    with page.expect_response(lambda r: r.url.endswith("/used")) as used:
        button.click()
    assert used.value.status == 204
    assert box.input_value() == f"您好：经核查，{number}反映的问题已处理。"
    page.locator('details[data-action="reply"] select[name="result"]').select_option("resolved")
    page.locator('details[data-action="reply"] button[type="submit"]').click()
    page.wait_for_url(f"**/cases/{case_id}*")
    assert operator.case(case_id).json()["state"] == "replied"
    assert (
        "1</td>"
        in handler.get("/reply-templates").text.split(f"已处理{tag}", 1)[1].split("</tr>")[0]
    )
