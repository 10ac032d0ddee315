"""Keyboard shortcuts of intake and dispatch are documented on their pages: a 快捷键 legend
whose entries are what static/shortcuts.js binds (the browser suite presses them)."""

from __future__ import annotations

from collections.abc import Callable

from lxml.html import HtmlElement

from fazhi.hotline.web.shortcuts import DISPATCH_SHORTCUTS, INTAKE_SHORTCUTS
from tests.support import ApiClient
from tests.web.conftest import Console
from tests.web.html import by_id, page

Login = Callable[[str], ApiClient]


def legend(doc: HtmlElement, legend_id: str) -> dict[str, str]:
    box = by_id(doc, legend_id)
    assert box is not None, f"no 快捷键 legend #{legend_id}"
    assert box.xpath("./summary")[0].text_content() == "快捷键"
    return {li.get("data-shortcut"): li.get("data-shortcut-target") for li in box.xpath(".//li")}


def test_the_intake_page_lists_its_shortcuts_and_each_reaches_a_control(
    console: Console,
) -> None:
    html = console("operator1").get("/intake").text
    doc = page(html)
    keys = legend(doc, "shortcuts")
    assert keys == {s.key: s.target for s in INTAKE_SHORTCUTS}
    for target in keys.values():
        if target.startswith("#"):
            assert by_id(doc, target[1:]) is not None, target
    assert doc.xpath('//button[@name="intent"][@value="register"]')
    assert '<script src="/static/shortcuts.js" defer></script>' in html


def test_the_case_page_lists_submitting_and_the_dispatch_keys(
    console: Console, login: Login
) -> None:
    case = login("operator1").register()
    doc = page(console("dispatcher1").get(f"/cases/{case['id']}").text)
    keys = legend(doc, "case-shortcuts")
    assert keys["Ctrl+Enter"] == "@form"
    for s in DISPATCH_SHORTCUTS:
        assert keys[s.key] == s.target
    assert doc.xpath('//details[@data-action="dispatch"]')
