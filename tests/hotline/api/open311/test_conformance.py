"""Open311 GeoReport v2 conformance: each point where a run of the third-party validator
(SeeClickFix/open311-validator), the open311/schema-validation schemas and the PyPI and npm
clients found the interface off the spec (issue 10, item 10)."""

from __future__ import annotations

import httpx
import pytest

from fazhi.actions.platform import Platform
from fazhi.store.models import Case
from tests.hotline.api.open311.test_open311 import (
    all_ids,
    created,
    ok_json,
    one,
    open311_error,
    post,
)
from tests.support import FakeClock


def test_description_is_optional_when_attributes_or_media_say_it(
    http: httpx.Client, api_key: str
) -> None:
    # The spec lists `description` as optional; a request still has to say something.
    by_attribute = created(
        http,
        api_key,
        service_code="MUNICIPAL",
        description="",
        **{"attribute[facility_kind]": "manhole"},
    )
    assert one(http, by_attribute["service_request_id"])["service_code"] == "MUNICIPAL"
    by_media = created(http, api_key, description="", media_url="http://example.cn/p/1.jpg")
    assert one(http, by_media["service_request_id"])["media_url"] == "http://example.cn/p/1.jpg"
    # Nothing at all is still refused, with a message naming what is missing.
    assert "description" in open311_error(post(http, api_key, description=""), 400)


def test_unknown_service_code_is_404(http: httpx.Client, api_key: str) -> None:
    assert "NO_SUCH" in open311_error(post(http, api_key, service_code="NO_SUCH"), 404)
    assert "NO_SUCH" in open311_error(
        post(http, api_key, "xml", service_code="NO_SUCH"), 404, "xml"
    )
    open311_error(http.get("requests.json", params={"service_code": "NO_SUCH"}), 404)
    open311_error(http.get("services/NO_SUCH.json"), 404)


def test_the_list_defaults_to_the_first_thousand_of_ninety_days(
    http: httpx.Client, api_key: str, clock: FakeClock
) -> None:
    clock.set("2023-07-03T10:00:00+08:00")
    made = {
        created(http, api_key, service_code="EDUCATION")["service_request_id"] for _ in range(55)
    }
    body = ok_json(http.get("requests.json", params={"service_code": "EDUCATION"}), "requests")
    assert made <= {r["service_request_id"] for r in body}  # not cut at 50
    ok_json(http.get("requests.json", params={"page_size": "1000"}), "requests")
    open311_error(http.get("requests.json", params={"page_size": "1001"}), 400)


def test_post_answers_the_request_id_without_a_token(
    http: httpx.Client, api_key: str, platform: Platform
) -> None:
    answer = created(http, api_key)
    assert "token" not in answer  # the spec: service_request_id or token, not both
    assert answer["service_request_id"].isdigit()
    root_text = post(http, api_key, "xml").text
    assert "<service_request_id>" in root_text and "<token>" not in root_text


def test_media_url_is_null_or_a_uri(http: httpx.Client, api_key: str) -> None:
    plain = one(http, created(http, api_key)["service_request_id"])
    assert plain["media_url"] is None
    shown = one(
        http, created(http, api_key, media_url="https://example.cn/a.jpg")["service_request_id"]
    )
    assert shown["media_url"] == "https://example.cn/a.jpg"


def test_json_is_declared_utf8(http: httpx.Client, api_key: str) -> None:
    for response in (
        http.get("services.json"),
        http.get("discovery.json"),
        http.get("requests.json"),
        post(http, api_key),
        http.get("requests/99999999.json"),
    ):
        assert response.headers["content-type"] == "application/json; charset=utf-8"


def test_the_window_is_exactly_ninety_days(
    http: httpx.Client, api_key: str, clock: FakeClock
) -> None:
    ok_json(
        http.get(
            "requests.json",
            params={
                "start_date": "2023-03-01T00:00:00+08:00",
                "end_date": "2023-05-30T00:00:00+08:00",
            },
        ),
        "requests",
    )
    for end in ("2023-05-30T00:00:01+08:00", "2023-05-30"):  # a second, or the whole last day, over
        open311_error(
            http.get(
                "requests.json", params={"start_date": "2023-03-01T00:00:00+08:00", "end_date": end}
            ),
            400,
        )
    # Plain dates count whole days: 1 March to 29 May is 90 days.
    ok_json(
        http.get("requests.json", params={"start_date": "2023-03-01", "end_date": "2023-05-29"}),
        "requests",
    )
    clock.set("2023-03-01T10:00:00+08:00")
    request_id = created(http, api_key, service_code="TELECOM")["service_request_id"]
    clock.advance(days=90)
    assert request_id in all_ids(http, service_code="TELECOM")
    clock.advance(seconds=1)
    assert request_id not in all_ids(http, service_code="TELECOM")


def test_discovery_needs_no_jurisdiction(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAZHI_OPEN311_REQUIRE_JURISDICTION", "1")
    ok_json(http.get("discovery.json"), "discovery")
    open311_error(http.get("services.json"), 400)  # the rest still asks for it


def test_description_is_the_citizens_own(
    http: httpx.Client, api_key: str, platform: Platform
) -> None:
    answer = created(
        http,
        api_key,
        service_code="MUNICIPAL",
        description="人民路口井盖缺失",
        media_url="http://example.cn/p/2.jpg",
        **{"attribute[facility_kind]": "manhole"},
    )
    request = one(http, answer["service_request_id"])
    assert request["description"] == "人民路口井盖缺失"
    root_text = http.get(f"requests/{answer['service_request_id']}.xml").text
    assert "<description>人民路口井盖缺失</description>" in root_text
    # The order itself keeps the attribute and media lines for the staff who handle it.
    with platform.sessions() as session:
        case = session.get(Case, int(answer["service_request_id"]))
        assert case is not None
        content = case.fields["content"]
    assert (
        "【附加信息】设施类型：井盖" in content
        and "【图片链接】http://example.cn/p/2.jpg" in content
    )
