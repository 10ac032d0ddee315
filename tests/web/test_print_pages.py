"""The printable 处理单 of a case (/cases/{id}/print): the order as this user may see it, its
deadlines and whole timeline, a signatures area, and a print stylesheet for A4."""

from __future__ import annotations

from collections.abc import Callable

from tests.support import ApiClient
from tests.web.conftest import Console
from tests.web.html import by_id, page, text_of

Login = Callable[[str], ApiClient]


def test_the_sheet_holds_the_order_its_timeline_and_signatures(
    console: Console, login: Login
) -> None:
    case = login("operator1").register(caller_phone="17000005678")
    login("dispatcher1").act(case["id"], "dispatch", lead_unit="SF-CGJ", note="请尽快处理（测试）")
    login("cgj_handler").act(case["id"], "acknowledge")
    response = console("cgj_handler").get(f"/cases/{case['id']}/print")
    assert response.status_code == 200
    doc = page(response.text)
    assert text_of(doc, "print-sheet").startswith("12345热线工单处理单")
    assert case["number"] in text_of(doc, "print-sheet")
    fields = text_of(doc, "sheet-fields")
    assert "石峰区城市管理和综合执法局" in fields
    assert "170****5678" in fields and "17000005678" not in response.text  # masked as on screen
    timeline = text_of(doc, "sheet-timeline")
    assert all(step in timeline for step in ("受理登记", "派单", "签收", "请尽快处理（测试）"))
    signatures = text_of(doc, "sheet-signatures")
    assert "承办人（签字）" in signatures and "日期" in signatures
    assert "签收时限" in text_of(doc, "sheet-clocks") or "办理时限" in text_of(doc, "sheet-clocks")
    assert '<link rel="stylesheet" href="/static/print.css">' in response.text
    css = console("cgj_handler").get("/static/print.css").text
    assert "@media print" in css and "@page" in css


def test_the_case_page_links_to_its_sheet(console: Console, login: Login) -> None:
    case = login("operator1").register()
    doc = page(console("operator1").get(f"/cases/{case['id']}").text)
    link = by_id(doc, "print-link")
    assert link is not None and link.get("href") == f"/cases/{case['id']}/print"


def test_a_case_the_user_may_not_see_has_no_sheet(console: Console, login: Login) -> None:
    case = login("operator1").register()
    login("dispatcher1").act(case["id"], "dispatch", lead_unit="SF-CGJ")
    assert console("zjj_handler").get(f"/cases/{case['id']}/print").status_code == 404
