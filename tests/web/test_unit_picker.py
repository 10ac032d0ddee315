"""The unit picker's search (/units/search) and the forms that use it: every select of a unit
carries `data-unit-picker`, so static/unit-picker.js can put its search box in front."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.support import TLS, ApiClient, ServerThread
from tests.web.conftest import Console
from tests.web.html import page

Login = Callable[[str], ApiClient]


def test_pinyin_initials_find_the_city_management_bureau(console: Console) -> None:
    body = console("dispatcher1").get("/units/search", params={"q": "cgj"}).json()
    first = body["units"][0]
    assert (first["code"], first["name"], first["short_name"]) == (
        "SF-CGJ",
        "石峰区城市管理和综合执法局",
        "区城管局",
    )


def test_kinds_narrow_the_search_and_each_unit_says_where_it_is(console: Console) -> None:
    body = (
        console("operator1").get("/units/search", params={"q": "樱花", "kinds": "community"}).json()
    )
    assert body["units"] and {u["kind"] for u in body["units"]} == {"community"}
    assert "响石岭街道" in body["units"][0]["where"]


def test_the_search_is_for_signed_in_users(server: ServerThread) -> None:
    response = httpx.get(f"{server.url}/units/search?q=cgj", follow_redirects=False, verify=TLS)
    assert response.status_code == 303


def test_the_dispatch_and_action_forms_carry_the_picker(console: Console, login: Login) -> None:
    case = login("operator1").register()
    html = console("dispatcher1").get(f"/cases/{case['id']}").text
    doc = page(html)
    assert doc.xpath('//select[@id="dispatch-lead_unit"][@data-unit-picker]')
    assert doc.xpath('//select[@name="assisting_units"][@data-unit-picker][@multiple]')
    assert '<script src="/static/unit-picker.js" defer></script>' in html
    assert console("dispatcher1").get("/static/unit-picker.js").status_code == 200
