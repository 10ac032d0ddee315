"""Cross-site request forgery, over real HTTP: an unsafe console request (a case action, an
upload, the login form itself) is refused with 403 and a Chinese page unless it carries the
browser's form token and comes from this site; the API refuses the same when only the session
cookie would authenticate it. The right token from the same origin works as before."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.api.conftest import Login
from tests.api.conftest import _api_clients as _api_clients  # the fixture `login` uses
from tests.api.conftest import login as login
from tests.support import ServerThread, browser_client
from tests.web.conftest import PASSWORD, Console

EVIL = "https://evil.example.net"
REFUSED = "请求未通过来源校验"


def _token_of(text: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', text)
    assert found, "no form token on the page"
    return found.group(1)


def _bare(server: ServerThread) -> httpx.Client:
    """A client that holds the token cookie (it opened the login page) but sends no token
    by itself: what a forged cross-site form post looks like to the server."""
    http = browser_client(server.url)
    del http.headers["X-CSRF-Token"]
    return http


def _refused_page(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert REFUSED in response.text


def _acknowledge_form(http: httpx.Client, case_id: int) -> dict[str, str]:
    text = http.get(f"/cases/{case_id}").text
    version = re.search(r'name="version" value="(\d+)"', text)
    assert version
    return {"csrf_token": _token_of(text), "version": version.group(1)}


@pytest.fixture
def dispatched(login: Login) -> int:
    order = login("operator1").register()
    login("dispatcher1").act(order["id"], "dispatch", lead_unit="SF-CGJ")
    return int(order["id"])


def _state(login: Login, case_id: int) -> str:
    return str(login("operator1").case(case_id).json()["state"])


def test_login_is_refused_without_a_token_with_a_wrong_one_or_from_another_site(
    server: ServerThread,
) -> None:
    credentials = {"username": "operator1", "password": PASSWORD}
    with _bare(server) as http:
        token = _token_of(http.get("/login").text)
        _refused_page(http.post("/login", data=credentials))
        _refused_page(http.post("/login", data={"csrf_token": "0" * 64, **credentials}))
        foreign = http.post(
            "/login", data={"csrf_token": token, **credentials}, headers={"Origin": EVIL}
        )
        _refused_page(foreign)
        assert "fazhi_token" not in http.cookies
        # The page's own form, from the page's own origin, signs in.
        same = http.post(
            "/login", data={"csrf_token": token, **credentials}, headers={"Origin": server.url}
        )
        assert same.status_code == 303, same.text
        assert "fazhi_token" in http.cookies


def test_a_token_is_bound_to_its_browser(server: ServerThread) -> None:
    with _bare(server) as mine, _bare(server) as theirs:
        stolen = _token_of(theirs.get("/login").text)
        refused = mine.post(
            "/login", data={"csrf_token": stolen, "username": "operator1", "password": PASSWORD}
        )
        _refused_page(refused)


def test_a_cross_site_acknowledge_is_refused_and_changes_nothing(
    server: ServerThread, console: Console, login: Login, dispatched: int
) -> None:
    http = console("cgj_handler")
    form = _acknowledge_form(http, dispatched)
    url = f"/cases/{dispatched}/do/acknowledge"
    del http.headers["X-CSRF-Token"]  # from here on, only what a forged form would send
    _refused_page(http.post(url, data={"version": form["version"]}))
    _refused_page(http.post(url, data={**form, "csrf_token": "f" * 64}))
    _refused_page(http.post(url, data=form, headers={"Origin": EVIL}))
    _refused_page(http.post(url, data=form, headers={"Referer": f"{EVIL}/attack.html"}))
    assert _state(login, dispatched) == "dispatched"
    done = http.post(url, data=form, headers={"Origin": server.url})
    assert done.status_code == 303, done.text
    assert _state(login, dispatched) != "dispatched"


def test_htmx_requests_carry_the_token_as_a_header(
    server: ServerThread, console: Console, login: Login, dispatched: int
) -> None:
    http = console("cgj_handler")
    form = _acknowledge_form(http, dispatched)
    url = f"/cases/{dispatched}/do/acknowledge"
    body = {"version": form["version"]}
    wrong = http.post(url, data=body, headers={"X-CSRF-Token": "a" * 64, "HX-Request": "true"})
    assert wrong.status_code == 403
    done = http.post(url, data=body, headers={"X-CSRF-Token": form["csrf_token"]})
    assert done.status_code == 303, done.text


def test_an_upload_carries_the_token_as_its_first_field(
    server: ServerThread, console: Console, login: Login
) -> None:
    case_id = int(login("operator1").register()["id"])
    http = console("operator1")
    form = _acknowledge_form(http, case_id)
    del http.headers["X-CSRF-Token"]
    url = f"/cases/{case_id}/documents"
    photo = {"file": ("现场.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40_000, "image/png")}
    fields = {"kind": "photo", "version": form["version"]}
    _refused_page(http.post(url, data=fields, files=photo))
    _refused_page(http.post(url, data={"csrf_token": "1" * 64, **fields}, files=photo))
    done = http.post(url, data={"csrf_token": form["csrf_token"], **fields}, files=photo)
    assert done.status_code == 303, done.text
    assert "现场.png" in http.get(f"/cases/{case_id}").text


def test_logout_needs_the_token_too(server: ServerThread, console: Console) -> None:
    http = console("operator1")
    token = http.headers.pop("X-CSRF-Token")
    _refused_page(http.post("/logout", headers={"Origin": EVIL}))
    _refused_page(http.post("/logout"))
    assert http.get("/work").status_code == 200  # still signed in
    assert http.post("/logout", data={"csrf_token": token}).status_code == 303


def test_the_api_refuses_cookie_borne_writes_from_another_site(
    server: ServerThread, console: Console, login: Login, dispatched: int
) -> None:
    http = console("cgj_handler")
    token = http.headers.pop("X-CSRF-Token")
    url = f"/api/v1/cases/{dispatched}/actions/acknowledge"
    for headers in ({"Origin": EVIL}, {}, {"X-CSRF-Token": "b" * 64}):
        refused = http.post(url, json={"inputs": {}}, headers=headers)
        assert refused.status_code == 403, refused.text
        body = refused.json()
        assert body["code"] == "csrf_refused" and REFUSED in body["message"]
    assert _state(login, dispatched) == "dispatched"
    done = http.post(url, json={"inputs": {}}, headers={"X-CSRF-Token": token})
    assert done.status_code == 200, done.text


def test_bearer_token_calls_are_unaffected(server: ServerThread, login: Login) -> None:
    client = login("operator1")
    created = client.post(
        "/api/v1/cases",
        json={
            "type": "hotline",
            "fields": {
                "request_kind": "complaint",
                "category": "CITY_APPEARANCE",
                "content": "占道经营（CSRF 测试合成数据）",
                "caller_phone": "13900002222",
            },
        },
        headers={"Origin": EVIL},
    )
    assert created.status_code in (200, 201), created.text


def test_a_page_of_the_same_origin_signs_in_through_its_form(server: ServerThread) -> None:
    with browser_client(server.url) as http:
        signed_in = http.post("/login", data={"username": "operator1", "password": PASSWORD})
        assert signed_in.status_code == 303
