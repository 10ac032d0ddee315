"""待审批 and the extension decision: a request reaches the dispatchers (their queue with a
count in the menu, 督办, the case page), the form opens with the days asked and shows the
reason, approving more days than asked needs a confirmation, and the case page then shows
the extended limit and the new due date. Returns wait in the same queue with their unit
and reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support import ApiClient
from tests.web.conftest import Console
from tests.web.html import by_id, page, text_of, value_of

Login = Callable[[str], ApiClient]
LEAD = "SF-CGJ"


def handling(login: Login, text: str = "延期测试：路面塌陷（测试合成数据）") -> int:
    case_id = int(login("operator1").register(content=text)["id"])
    login("dispatcher1").act(case_id, "dispatch", lead_unit=LEAD)
    login("cgj_handler").act(case_id, "acknowledge")
    return case_id


def requested(login: Login, days: int = 3, reason: str = "需协调燃气公司开挖（测试）") -> int:
    case_id = handling(login)
    login("cgj_handler").act(case_id, "request_extension", days=days, reason=reason)
    return case_id


def row(html: str, table: str, case_id: int) -> str:
    found = page(html).xpath(f'//table[@id="{table}"]//tr[@data-case-id="{case_id}"]')
    return " ".join(found[0].text_content().split()) if found else ""


def approvals_count(html: str) -> int:
    found = page(html).xpath('//nav[@aria-label="主导航"]//*[@data-nav-count="/approvals"]')
    return int(found[0].text_content()) if found else 0


def handle_clock(login: Login, case_id: int) -> dict[str, Any]:
    case = login("dispatcher1").case(case_id).json()
    return next(c for c in case["clocks"] if c["name"] == "handle" and c["stopped_at"] is None)


def test_a_request_reaches_the_dispatchers_queue_the_menu_and_supervision(
    console: Console, login: Login
) -> None:
    dispatcher = console("dispatcher1")
    before = approvals_count(dispatcher.get("/work").text)
    case_id = requested(login)
    work = dispatcher.get("/work").text
    assert approvals_count(work) == before + 1

    queue = dispatcher.get("/approvals")
    assert queue.status_code == 200
    line = row(queue.text, "pending-extensions", case_id)
    assert "3个工作日" in line and "需协调燃气公司开挖（测试）" in line
    assert "城市管理和综合执法局" in line

    board = console("supervisor1").get("/supervision").text
    assert "需协调燃气公司开挖（测试）" in row(board, "supervision-extensions", case_id)

    # Units and operators have no such queue.
    assert console("cgj_handler").get("/approvals").status_code == 403


def test_the_form_opens_with_the_days_and_reason_asked(console: Console, login: Login) -> None:
    case_id = requested(login, days=3)
    doc = page(console("dispatcher1").get(f"/approvals/{case_id}/extension").text)
    assert value_of(doc, "approve-days") == "3"
    assert text_of(doc, "requested-days") == "3个工作日"
    assert text_of(doc, "requested-reason") == "需协调燃气公司开挖（测试）"
    assert by_id(doc, "excess-warning").get("hidden") is not None

    # The case page gives the dispatcher the same form instead of the bare generic one.
    http = console("dispatcher1")
    case_page = page(http.get(f"/cases/{case_id}").text)
    assert not case_page.xpath(f'//form[@action="/cases/{case_id}/do/approve_extension"]')
    panel = page(http.get(f"/cases/{case_id}/extension-request").text)
    assert value_of(panel, "approve-days") == "3"
    # Nothing pending: the panel is empty.
    assert http.get(f"/cases/{handling(login)}/extension-request").text == ""


def test_approving_more_days_than_asked_needs_a_confirmation(
    console: Console, login: Login
) -> None:
    case_id = requested(login, days=3)
    due_before = handle_clock(login, case_id)["due_at"]
    http = console("dispatcher1")
    version = login("dispatcher1").case(case_id).json()["version"]

    refused = http.post(
        f"/approvals/{case_id}/extension/approve", data={"days": "5", "version": str(version)}
    )
    assert refused.status_code == 422
    doc = page(refused.text)
    warning = text_of(doc, "excess-warning")
    assert "批准的延期天数（5个工作日）多于申请的3个工作日" in warning
    assert value_of(doc, "approve-days") == "5"
    assert by_id(doc, "confirm-more").get("required") is not None
    assert handle_clock(login, case_id)["due_at"] == due_before  # nothing approved

    confirmed = http.post(
        f"/approvals/{case_id}/extension/approve",
        data={"days": "5", "confirm_more": "1", "version": str(version), "note": "同意（测试）"},
    )
    assert confirmed.status_code == 303, confirmed.text
    assert confirmed.headers["location"] == f"/cases/{case_id}?done=approve_extension"
    clock = handle_clock(login, case_id)
    assert clock["extended"] == 5 and clock["due_at"] != due_before

    # The case page reads the extended limit and the new due date.
    clocks = text_of(page(http.get(f"/cases/{case_id}").text), "clocks")
    assert "办理时限（5个工作日，延期5个工作日）" in clocks
    assert clock["due_at"][:16].replace("T", " ") in clocks
    # Decided: out of the queue.
    assert row(http.get("/approvals").text, "pending-extensions", case_id) == ""


def test_approving_the_days_asked_needs_no_confirmation(console: Console, login: Login) -> None:
    case_id = requested(login, days=3)
    http = console("dispatcher1")
    done = http.post(f"/approvals/{case_id}/extension/approve", data={"days": "3"})
    assert done.status_code == 303, done.text
    assert "延期3个工作日" in text_of(page(http.get(f"/cases/{case_id}").text), "clocks")


def test_bad_days_and_a_rejection_without_reason_are_shown_beside_the_field(
    console: Console, login: Login
) -> None:
    case_id = requested(login, days=3)
    http = console("dispatcher1")
    bad = http.post(f"/approvals/{case_id}/extension/approve", data={"days": "abc"})
    assert bad.status_code == 422
    assert text_of(page(bad.text), "approve-days-error")
    empty = http.post(f"/approvals/{case_id}/extension/reject", data={"reason": " "})
    assert empty.status_code == 422
    assert text_of(page(empty.text), "reject-reason-error")

    rejected = http.post(
        f"/approvals/{case_id}/extension/reject", data={"reason": "可在时限内办结（测试）"}
    )
    assert rejected.status_code == 303
    assert login("dispatcher1").case(case_id).json()["fields"].get("extension_requested") is None
    assert http.post(f"/approvals/{case_id}/extension/maybe", data={}).status_code == 404


def test_a_return_waits_with_its_unit_and_reason(console: Console, login: Login) -> None:
    case_id = int(login("operator1").register(content="退单测试：噪音扰民（测试合成数据）")["id"])
    login("dispatcher1").act(case_id, "dispatch", lead_unit=LEAD)
    login("cgj_handler").act(case_id, "return", reason="属生态环境部门职责（测试）")
    line = row(console("dispatcher1").get("/approvals").text, "pending-returns", case_id)
    assert "属生态环境部门职责（测试）" in line and "城市管理和综合执法局" in line
    login("dispatcher1").act(case_id, "reassign", lead_unit="SF-ZJJ")
    assert row(console("dispatcher1").get("/approvals").text, "pending-returns", case_id) == ""
