"""消息 in the console: the unread count beside 消息 in the menu on every page, the inbox list
(unread first marked), opening a message marks it read for that user only and links to its
case, 全部标为已读, and nobody opens another unit's message."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.support import ApiClient
from tests.web.conftest import Console
from tests.web.html import by_id, page

Login = Callable[[str], ApiClient]


def nav_count(html: str) -> str:
    """The count beside 消息 in the menu ('' when none is shown)."""
    found = page(html).xpath('//nav[@aria-label="主导航"]//*[@data-nav-count="/messages"]')
    return found[0].text_content().strip() if found else ""


def cleared(http: httpx.Client) -> None:
    response = http.post("/messages/read-all")
    assert response.status_code == 303, response.text
    assert nav_count(http.get("/work").text) == ""


def dispatched(login: Login, lead: str = "SF-CGJ") -> int:
    case_id = int(login("operator1").register(content="消息页测试：井盖松动（测试合成数据）")["id"])
    login("dispatcher1").act(case_id, "dispatch", lead_unit=lead)
    return case_id


def message_row(html: str, case_id: int) -> tuple[int, str]:
    """(message id, row class) of the newest message about the order in the inbox list."""
    rows = page(html).xpath(f'//table[@id="message-list"]//tr[td/a[@href="/cases/{case_id}"]]')
    assert rows, html
    return int(rows[0].get("data-message-id")), rows[0].get("class")


def test_a_dispatch_shows_as_unread_and_opening_it_reads_it(console: Console, login: Login) -> None:
    leader, handler = console("cgj_leader"), console("cgj_handler")
    cleared(leader)
    cleared(handler)
    case_id = dispatched(login)

    # The count is in the menu of every page, not only the inbox.
    assert nav_count(leader.get("/work").text) == "1"
    assert nav_count(leader.get("/cases").text) == "1"
    inbox = leader.get("/messages")
    assert inbox.status_code == 200
    message_id, state = message_row(inbox.text, case_id)
    assert state == "unread"
    assert "新派工单" in inbox.text

    opened = leader.get(f"/messages/{message_id}")
    assert opened.status_code == 200
    doc = page(opened.text)
    link = by_id(doc, "message-case")
    assert link is not None and link.get("href") == f"/cases/{case_id}"
    assert "已派单贵单位主办" in by_id(doc, "message-body").text_content()
    assert nav_count(opened.text) == ""
    assert message_row(leader.get("/messages").text, case_id) == (message_id, "read")
    assert "没有未读消息" in leader.get("/messages?unread=1").text

    # Read for the leader only: the handler of the same unit still has it unread.
    assert nav_count(handler.get("/work").text) == "1"
    handler.post("/messages/read-all")
    assert nav_count(handler.get("/work").text) == ""


def test_another_units_message_is_not_found(console: Console, login: Login) -> None:
    case_id = dispatched(login)
    message_id, _ = message_row(console("cgj_leader").get("/messages").text, case_id)
    other = console("zjj_handler")
    assert other.get(f"/messages/{message_id}").status_code == 404
    assert other.get("/messages/abc").status_code in (404, 422)
    assert f'href="/cases/{case_id}"' not in other.get("/messages").text


def test_the_hotline_centre_reads_returns_on_its_desk(console: Console, login: Login) -> None:
    dispatcher = console("dispatcher1")
    cleared(dispatcher)
    case_id = dispatched(login)
    login("cgj_handler").act(case_id, "return", reason="不属本单位职责（消息页测试）")
    assert nav_count(dispatcher.get("/work").text) == "1"
    inbox = dispatcher.get("/messages").text
    message_row(inbox, case_id)
    assert "不属本单位职责（消息页测试）" in inbox and "派单员岗" in inbox
