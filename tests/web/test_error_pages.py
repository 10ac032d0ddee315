"""A console page's malformed address (/cases/abc), an unknown page or a wrong method answers
a browser with a Chinese HTML page, never the API's raw JSON; the API keeps its JSON."""

from __future__ import annotations

import pytest

from tests.web.conftest import Console

PAGE = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/cases/abc", 422, "页面地址不正确"),
        ("/cases/0", 422, "页面地址不正确"),
        ("/cases/99999999999999999999999", 422, "页面地址不正确"),
        ("/cases/abc/similar", 422, "页面地址不正确"),
        ("/no-such-page", 404, "页面不存在"),
    ],
)
def test_bad_console_addresses_answer_a_chinese_page(
    console: Console, path: str, status: int, title: str
) -> None:
    response = console("dispatcher1").get(path, headers=PAGE)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f"<h1>{title}</h1>" in response.text
    assert "case_id" not in response.text and '"code"' not in response.text


def test_htmx_requests_get_the_page_too(console: Console) -> None:
    response = console("dispatcher1").get("/cases/abc/similar", headers={"hx-request": "true"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")


def test_the_api_keeps_its_json(console: Console) -> None:
    response = console("dispatcher1").get("/api/v1/cases/abc", headers=PAGE)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
