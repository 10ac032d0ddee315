"""The 12345 orders on the work list (工作台): a deadline badge that follows the running
clock, and the marks of what happened to an order beside its title — 重办, 退单, 延期 and the
supervision marks (issue 10: a freshly dispatched order was badged 即将到期; a reopened order
carried no 重办 mark)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml.html import HtmlElement

from tests.support import ApiClient, FakeClock
from tests.web.conftest import Console
from tests.web.html import by_id, page

Login = Callable[[str], ApiClient]


def dispatched(login: Login, **fields: Any) -> dict[str, Any]:
    case = login("operator1").register(**fields)
    login("dispatcher1").act(case["id"], "dispatch", lead_unit="SF-CGJ")
    return case


def row(console: Console, username: str, case: dict[str, Any], path: str = "/work") -> HtmlElement:
    doc = page(console(username).get(path, params={"q": case["number"]}).text)
    found = doc.xpath(f'//table[@id="case-list"]//tr[@data-case-id="{case["id"]}"]')
    assert found, f"case {case['number']} is not on {username}'s {path}"
    return found[0]


def badges(tr: HtmlElement) -> list[str]:
    return [b.text_content().strip() for b in tr.xpath(".//span[contains(@class, 'badge')]")]


def test_a_freshly_dispatched_order_is_on_track(console: Console, login: Login) -> None:
    # 签收 by the end of the next working day: nothing is due soon the moment it is sent.
    case = dispatched(login)
    tr = row(console, "cgj_handler", case)
    assert "on_track" in tr.get("class", "")
    assert tr.xpath(".//span[contains(@class, 'badge on_track')]")[0].text_content() == (
        "剩余1个工作日"
    )
    doc = page(console("cgj_handler").get(f"/cases/{case['id']}").text)
    badge = by_id(doc, "due-badge")
    assert badge is not None and badge.text_content() == "正常"


def test_an_urgent_order_counts_down_its_30_minutes(
    console: Console, login: Login, clock: FakeClock
) -> None:
    case = dispatched(login, urgency="urgent")
    tr = row(console, "cgj_handler", case)
    assert "剩余30分钟" in badges(tr) and "on_track" in tr.get("class", "")
    clock.advance(minutes=20)
    tr = row(console, "cgj_handler", case)
    assert "剩余10分钟" in badges(tr) and "due_soon" in tr.get("class", "")


def test_a_reopened_order_is_marked_重办(console: Console, login: Login) -> None:
    case = dispatched(login)
    handler, operator = login("cgj_handler"), login("operator1")
    handler.act(case["id"], "acknowledge")
    handler.act(case["id"], "reply", reply="已处理（测试）", result="resolved")
    operator.act(case["id"], "revisit", rating="dissatisfied")
    operator.act(case["id"], "reopen", reason="来电人反映仍未解决（测试）")
    tr = row(console, "cgj_handler", case)
    assert "重办" in badges(tr)
    assert tr.xpath(".//span[@class='badge flag'][text()='重办']")


def test_a_returned_order_is_marked_退单_for_the_dispatcher(console: Console, login: Login) -> None:
    case = dispatched(login)
    login("cgj_handler").act(case["id"], "return", reason="不属于本单位职责（测试）")
    assert "退单" in badges(row(console, "dispatcher1", case))


def test_an_extension_is_marked_while_asked_and_once_granted(
    console: Console, login: Login
) -> None:
    case = dispatched(login)
    handler = login("cgj_handler")
    handler.act(case["id"], "acknowledge")
    handler.act(case["id"], "request_extension", days=3, reason="需协调多个部门（测试）")
    assert "延期待批" in badges(row(console, "cgj_handler", case))
    login("dispatcher1").act(case["id"], "approve_extension", days=3)
    marks = badges(row(console, "cgj_handler", case))
    assert "延期" in marks and "延期待批" not in marks


def test_a_supervised_order_shows_the_supervision_mark(console: Console, login: Login) -> None:
    case = dispatched(login)
    login("supervisor1").act(
        case["id"], "supervise", kind="key_supervision", reason="群众反映集中（测试）"
    )
    assert "政府重点督办" in badges(row(console, "cgj_handler", case))


def test_an_order_without_history_carries_no_marks(console: Console, login: Login) -> None:
    tr = row(console, "cgj_handler", dispatched(login))
    assert not tr.xpath(".//span[contains(@class, 'badge flag') or contains(@class, 'mark')]")
