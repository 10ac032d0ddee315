"""Bad input is refused with a 4xx in the right error shape, never a 500: ids beyond 64 bits,
non-ASCII digits, dates far away, lone surrogates, deep nesting and oversized bodies.

The platform's routes answer {code, message} (tests.api.flows.assert_error); Open311's answer
GeoReport v2's list of {code, description}, whatever went wrong."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.api.conftest import Login
from tests.api.flows import CASES, assert_error, has_chinese
from tests.support import TLS

HUGE = str(2**64 + 5)
VALID = {"request_kind": "complaint", "category": "CITY_APPEARANCE", "content": "（测试）"}


def assert_open311_error(response: httpx.Response, status: int) -> list[dict[str, Any]]:
    """GeoReport v2's error answer: a list of {code, description}, code the HTTP status."""
    assert response.status_code == status, f"{response.status_code} {response.text}"
    body = response.json()
    assert isinstance(body, list) and body, body
    assert body[0]["code"] == status and has_chinese(body[0]["description"]), body
    return list(body)


# ---------------------------------------------------------------------------------------------
# Path and query parameters


@pytest.mark.parametrize(
    "path",
    [
        f"{CASES}/{HUGE}",
        f"{CASES}/{HUGE}/actions",
        f"{CASES}/{HUGE}/events",
        f"{CASES}/{HUGE}/links",
        f"{CASES}/{HUGE}/documents",
        f"{CASES}/1/documents/{HUGE}",
        f"{CASES}/{HUGE}/similar",
        f"{CASES}/0",
        f"{CASES}/-1",
    ],
)
def test_ids_outside_1_to_2_63_are_refused_not_500(login: Login, path: str) -> None:
    assert_error(login("admin").get(path), 422, "invalid_request")


def test_an_id_beyond_64_bits_in_a_write_is_refused(login: Login) -> None:
    admin = login("admin")
    assert_error(admin.post(f"{CASES}/{HUGE}/actions/dispatch", json={}), 422)
    assert_error(admin.post(f"{CASES}/{HUGE}/reveal", json={}), 422)
    assert_error(admin.post(f"{CASES}/{HUGE}/merge", json={"ids": [1]}), 422)


@pytest.mark.parametrize(
    "query",
    [
        {"due_before": "9999-12-31"},
        {"due_before": "0001-01-01"},
        {"created_from": "0001-01-01"},
        {"created_to": "9999-12-31T23:59:59"},
    ],
)
def test_far_away_dates_in_the_case_list_are_refused(login: Login, query: dict[str, str]) -> None:
    assert_error(login("admin").get(CASES, params=query), 422, "invalid_request")


@pytest.mark.parametrize(
    "query", [{"from": "0001-01-01"}, {"to": "0001-01-02"}, {"from": "9999-12-31"}]
)
@pytest.mark.parametrize("path", ["/api/v1/analytics/metrics", "/api/v1/analytics/trends"])
def test_far_away_dates_in_analytics_are_no_500(
    login: Login, path: str, query: dict[str, str]
) -> None:
    response = login("leader1").get(path, params=query)
    assert response.status_code < 500, response.text


@pytest.mark.parametrize("query", [{"from": "0001-01-01"}, {"to": "0001-01-02"}])
def test_far_away_dates_on_the_stats_page_are_no_500(login: Login, query: dict[str, str]) -> None:
    leader = login("leader1").http
    token = leader.headers["authorization"].split(" ", 1)[1]
    with httpx.Client(base_url=leader.base_url, cookies={"fazhi_token": token}, verify=TLS) as page:
        response = page.get("/stats", params=query)
        assert response.status_code == 200, response.text[:300]
        assert "无法识别" in response.text


# ---------------------------------------------------------------------------------------------
# Open311: always its own error shape


@pytest.mark.parametrize(
    "path, query",
    [
        ("/open311/v2/requests.json", {"page": "²"}),
        ("/open311/v2/requests.json", {"page_size": "١٢"}),
        ("/open311/v2/requests.json", {"service_request_id": "1,²"}),
        ("/open311/v2/requests.json", {"start_date": "0001-01-01"}),
        ("/open311/v2/requests.json", {"end_date": "0001-01-01"}),
        ("/open311/v2/requests.json", {"start_date": "9999-12-31"}),
        ("/open311/v2/requests.json", {"end_date": "9999-12-31T00:00:00Z"}),
    ],
)
def test_open311_bad_parameters_are_400_in_open311_shape(
    anonymous: httpx.Client, path: str, query: dict[str, str]
) -> None:
    assert_open311_error(anonymous.get(path, params=query), 400)


def test_open311_one_request_with_odd_digits_is_404_in_open311_shape(
    anonymous: httpx.Client,
) -> None:
    assert_open311_error(anonymous.get("/open311/v2/requests/²³.json"), 404)
    assert_open311_error(anonymous.get(f"/open311/v2/requests/{HUGE}.json"), 404)


def test_open311_oversized_post_is_413_in_open311_shape(anonymous: httpx.Client) -> None:
    body = b"description=" + b"x" * (2 * 1024 * 1024)
    response = anonymous.post(
        "/open311/v2/requests.json",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert_open311_error(response, 413)


# ---------------------------------------------------------------------------------------------
# JSON bodies


def _raw(client: Any, path: str, body: bytes) -> httpx.Response:
    response: httpx.Response = client.post(
        path, content=body, headers={"content-type": "application/json"}
    )
    return response


def test_a_lone_surrogate_in_a_text_field_is_refused(login: Login) -> None:
    body = b'{"type": "hotline", "fields": {"request_kind": "complaint", '
    body += b'"category": "CITY_APPEARANCE", "content": "\\ud800 \xe6\xb5\x8b"}}'
    assert_error(_raw(login("operator1"), CASES, body), 422, "invalid_json")


def test_deeply_nested_json_is_refused(login: Login) -> None:
    depth = 100_000
    body = b'{"type": "hotline", "fields": {"content": ' + b"[" * depth + b"]" * depth + b"}}"
    assert_error(_raw(login("operator1"), CASES, body), 422, "invalid_json")
    moderate = b'{"type": "hotline", "fields": {"content": ' + b"[" * 900 + b"]" * 900 + b"}}"
    assert _raw(login("operator1"), CASES, moderate).status_code in (400, 422)


# ---------------------------------------------------------------------------------------------
# Body sizes


def test_a_50_mb_json_body_is_413_quickly(login: Login) -> None:
    filler = "测" * (50 * 1024 * 1024 // 3)
    body = ('{"type": "hotline", "fields": {"content": "' + filler + '"}}').encode()
    started = time.monotonic()
    response = _raw(login("operator1"), CASES, body)
    assert time.monotonic() - started < 10
    assert_error(response, 413, "too_large")


def test_a_streamed_body_without_length_is_cut_at_the_limit(login: Login) -> None:
    def chunks() -> Any:
        yield b'{"type": "hotline", "fields": {"content": "'
        for _ in range(3 * 1024):
            yield b"x" * 1024
        yield b'"}}'

    response = login("operator1").post(
        CASES, content=chunks(), headers={"content-type": "application/json"}
    )
    assert_error(response, 413, "too_large")


def test_a_console_form_over_the_limit_gets_a_readable_page(login: Login) -> None:
    response = login("operator1").post(
        "/intake",
        content=b"content=" + b"x" * (2 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded", "accept": "text/html"},
    )
    assert response.status_code == 413
    assert "text/html" in response.headers["content-type"]
    assert "过大" in response.text


def test_an_ordinary_body_below_the_limit_still_works(login: Login) -> None:
    fields = {**VALID, "content": "测" * 3000}
    response = login("operator1").post(CASES, json={"type": "hotline", "fields": fields})
    assert response.status_code == 201, response.text
