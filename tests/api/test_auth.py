"""Logging in and out, token expiry, and the offline API documentation.

These tests mint their own tokens (the shared per-user tokens of the suite must stay valid).
"""

from __future__ import annotations

import re

import httpx

from tests.api.flows import CASES, assert_error
from tests.support import TLS, FakeClock

PASSWORD = "fazhi2023"


def fresh_token(anonymous: httpx.Client, username: str = "cgj_handler") -> dict[str, object]:
    response = anonymous.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def bearer(token: object) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def test_login_returns_a_bearer_token_and_who_the_user_is(anonymous: httpx.Client) -> None:
    body = fresh_token(anonymous)
    assert body["token_type"] == "bearer"
    assert isinstance(body["access_token"], str) and len(body["access_token"]) >= 32
    assert body["expires_at"] == "2023-06-01T21:00:00+08:00"  # 12 hours
    assert body["user"] == {
        "id": body["user"]["id"],
        "username": "cgj_handler",
        "name": "孙志强",  # type: ignore[index]
        "role": "unit_handler",
        "role_label": "承办人员",
        "roles": [{"id": "unit_handler", "label": "承办人员"}],
        "unit": {
            "id": body["user"]["unit"]["id"],
            "code": "SF-CGJ",  # type: ignore[index]
            "name": "石峰区城市管理和综合执法局",
        },
        "region_code": "430204",
    }
    me = anonymous.get("/api/v1/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200 and me.json()["username"] == "cgj_handler"


def test_login_also_accepts_the_oauth2_password_form(anonymous: httpx.Client) -> None:
    response = anonymous.post(
        "/api/v1/auth/token", data={"username": "operator1", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    assert response.json()["user"]["role"] == "operator"


def test_each_login_gets_its_own_token(anonymous: httpx.Client) -> None:
    assert fresh_token(anonymous)["access_token"] != fresh_token(anonymous)["access_token"]


def test_logout_revokes_the_token_at_once(anonymous: httpx.Client) -> None:
    token = fresh_token(anonymous)["access_token"]
    other = fresh_token(anonymous)["access_token"]
    assert anonymous.get(CASES, headers=bearer(token)).status_code == 200
    response = anonymous.post("/api/v1/auth/logout", headers=bearer(token))
    assert (response.status_code, response.json()) == (200, {"ok": True})
    assert_error(anonymous.get(CASES, headers=bearer(token)), 401, "session_ended")
    # Only that token: the user's other session goes on.
    assert anonymous.get(CASES, headers=bearer(other)).status_code == 200


def test_logout_without_a_token_is_401(anonymous: httpx.Client) -> None:
    assert_error(anonymous.post("/api/v1/auth/logout"), 401, "unauthenticated")


def test_a_token_expires_12_hours_after_login(anonymous: httpx.Client, clock: FakeClock) -> None:
    token = fresh_token(anonymous)["access_token"]
    clock.advance(hours=11, minutes=59)
    assert anonymous.get("/api/v1/me", headers=bearer(token)).status_code == 200
    clock.advance(minutes=1)
    body = assert_error(anonymous.get("/api/v1/me", headers=bearer(token)), 401, "session_expired")
    assert "重新登录" in body["message"]


def test_the_token_cookie_works_like_the_bearer_header(anonymous: httpx.Client) -> None:
    token = str(fresh_token(anonymous)["access_token"])
    with httpx.Client(
        base_url=anonymous.base_url, cookies={"fazhi_token": token}, verify=TLS
    ) as browser:
        response = browser.get("/api/v1/me")
    assert response.status_code == 200, response.text


def test_the_api_docs_are_served_without_any_external_url(anonymous: httpx.Client) -> None:
    response = anonymous.get("/docs")
    assert response.status_code == 200
    html = response.text
    assert "cdn" not in html.lower()
    assert not re.search(r"https?://", html), re.findall(r"https?://[^\s'\"]+", html)
    refs = re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=['\"]([^'\"]+)['\"]", html)
    refs += re.findall(r"\b(?:url|swagger_js_url|openapi_url)\s*:\s*['\"]([^'\"]+)['\"]", html)
    assert refs, html
    for ref in refs:
        assert ref.startswith("/"), ref
        assert anonymous.get(ref).status_code == 200, ref


def test_the_openapi_document_describes_the_case_endpoints(anonymous: httpx.Client) -> None:
    response = anonymous.get("/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/v1/cases",
        "/api/v1/cases/{case_id}/actions/{action}",
        "/api/v1/cases/{case_id}/events",
        "/api/v1/auth/token",
        "/api/v1/calendar/add-workdays",
    ):
        assert path in spec["paths"], path
    assert "cdn" not in response.text.lower()
