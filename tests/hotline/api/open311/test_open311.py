"""Open311 GeoReport v2: every JSON answer against the spec's schemas, XML by its elements,
the POST → token → request flow, errors in the spec's shape, the 90-day window, the walk to
closed and the absence of personal data."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import httpx
import jsonschema  # type: ignore[import-untyped]
import pytest

from fazhi.actions.platform import Platform
from fazhi.catalog.categories import load_categories
from fazhi.store.models import Case
from tests.api.flows import LEAD, Desk
from tests.hotline.api.open311.conftest import IssueKey
from tests.support import FakeClock

SCHEMAS = Path(__file__).parent / "schemas"
CHECKER = jsonschema.Draft202012Validator.FORMAT_CHECKER


def check(body: Any, schema: str) -> Any:
    spec = json.loads((SCHEMAS / f"{schema}.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(spec)
    jsonschema.Draft202012Validator(spec, format_checker=CHECKER).validate(body)
    return body


def ok_json(response: httpx.Response, schema: str) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return check(response.json(), schema)


def ok_xml(response: httpx.Response, root: str) -> ET.Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    element = ET.fromstring(response.content)
    assert element.tag == root
    return element


def open311_error(response: httpx.Response, status: int, fmt: str = "json") -> str:
    """The spec's error shape: [{code, description}] or <errors><error>…; the description."""
    assert response.status_code == status, f"expected {status}: {response.text}"
    if fmt == "xml":
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        error = root.find("error")
        assert error is not None
        assert error.findtext("code") == str(status)
        return error.findtext("description") or ""
    body = check(response.json(), "errors")
    assert body[0]["code"] == status
    return str(body[0]["description"])


def post(http: httpx.Client, api_key: str | None, fmt: str = "json", **form: Any) -> httpx.Response:
    data = {"service_code": "CITY_APPEARANCE", "description": "小区门口流动摊贩占道经营（Open311）"}
    data.update({"lat": "27.93", "long": "113.13"})
    if api_key is not None:
        data["api_key"] = api_key
    data.update({k: str(v) for k, v in form.items()})
    return http.post(f"requests.{fmt}", data={k: v for k, v in data.items() if v != ""})


def created(http: httpx.Client, api_key: str, **form: Any) -> dict[str, Any]:
    body = ok_json(post(http, api_key, **form), "post_response")
    return dict(body[0])


def one(http: httpx.Client, request_id: str) -> dict[str, Any]:
    body = ok_json(http.get(f"requests/{request_id}.json"), "requests")
    assert len(body) == 1
    return dict(body[0])


def all_ids(http: httpx.Client, **params: Any) -> set[str]:
    ids: set[str] = set()
    page = 1
    while True:
        body = ok_json(
            http.get("requests.json", params={**params, "page": page, "page_size": 200}), "requests"
        )
        ids |= {r["service_request_id"] for r in body}
        if len(body) < 200:
            return ids
        page += 1


# -- discovery and services -----------------------------------------------------------------


def test_discovery_in_both_formats(http: httpx.Client, base: str) -> None:
    body = ok_json(http.get("discovery.json"), "discovery")
    endpoint = body["endpoints"][0]
    assert endpoint["url"].rstrip("/") + "/" == base
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["type"] == "production"
    root = ok_xml(http.get("discovery.xml"), "discovery")
    assert (
        root.findtext("endpoints/endpoint/specification") == "http://wiki.open311.org/GeoReport_v2"
    )
    formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert formats == ["text/xml", "application/json"]
    for tag in ("changeset", "contact", "key_service"):
        assert root.findtext(tag)


def test_services_are_the_hotline_categories(http: httpx.Client) -> None:
    body = ok_json(http.get("services.json"), "services")
    categories = load_categories()
    assert [s["service_code"] for s in body] == [c.code for c in categories]
    by_code = {s["service_code"]: s for s in body}
    municipal = by_code["MUNICIPAL"]
    assert municipal["service_name"] == "市政设施"
    assert "井盖缺失" in municipal["description"] and "井盖缺失" in municipal["keywords"]
    assert municipal["metadata"] is True and by_code["TRAFFIC"]["metadata"] is True
    assert by_code["WAGES"]["metadata"] is False
    assert all(s["type"] == "realtime" and s["group"] for s in body)

    root = ok_xml(http.get("services.xml"), "services")
    services = root.findall("service")
    assert len(services) == len(categories)
    first = services[0]
    assert first.findtext("service_code") == categories[0].code
    assert first.findtext("service_name") == categories[0].name
    assert first.findtext("metadata") in ("true", "false")
    assert first.findtext("type") == "realtime"


def test_service_definitions(http: httpx.Client) -> None:
    municipal = ok_json(http.get("services/MUNICIPAL.json"), "service_definition")
    assert municipal["service_code"] == "MUNICIPAL"
    facility = municipal["attributes"][0]
    assert facility["code"] == "facility_kind" and facility["datatype"] == "singlevaluelist"
    assert {"key": "manhole", "name": "井盖"} in facility["values"]
    assert facility["required"] is True
    traffic = ok_json(http.get("services/TRAFFIC.json"), "service_definition")
    assert traffic["attributes"][0]["code"] == "plate_number"
    assert traffic["attributes"][0]["datatype"] == "string"
    plain = ok_json(http.get("services/WAGES.json"), "service_definition")
    assert plain["attributes"] == []

    root = ok_xml(http.get("services/MUNICIPAL.xml"), "service_definition")
    assert root.findtext("service_code") == "MUNICIPAL"
    attribute = root.find("attributes/attribute")
    assert attribute is not None
    assert attribute.findtext("variable") == "true"
    assert attribute.findtext("order") == "1"
    keys = [v.findtext("key") for v in attribute.findall("values/value")]
    assert "manhole" in keys

    open311_error(http.get("services/NO_SUCH.json"), 404)
    open311_error(http.get("services/NO_SUCH.xml"), 404, "xml")


# -- posting --------------------------------------------------------------------------------


def test_post_token_and_request(
    http: httpx.Client, api_key: str, desk: Desk, platform: Platform
) -> None:
    answer = created(
        http,
        api_key,
        service_code="MUNICIPAL",
        description="人民路口井盖缺失，夜间很危险",
        **{"attribute[facility_kind]": "manhole"},
        address_string="人民路与建设路交叉口",
    )
    request_id = answer["service_request_id"]
    assert answer["account_id"] is None and answer["service_notice"]
    with platform.sessions() as session:
        row = session.get(Case, int(request_id))
        assert row is not None and row.external_id is not None
        token = row.external_id
    assert len(token) == 32

    tokens = ok_json(http.get(f"tokens/{token}.json"), "token_response")
    assert tokens == [{"service_request_id": request_id, "token": token}]
    root = ok_xml(http.get(f"tokens/{token}.xml"), "service_requests")
    assert root.findtext("request/service_request_id") == request_id
    assert root.findtext("request/token") == token

    request = one(http, request_id)
    assert request["status"] == "open"
    assert request["service_code"] == "MUNICIPAL" and request["service_name"] == "市政设施"
    assert request["description"].startswith("人民路口井盖缺失")
    assert request["address"] == "人民路与建设路交叉口"
    assert request["requested_datetime"] == "2023-06-01T09:00:00+08:00"
    assert request["agency_responsible"] == ""  # not dispatched yet

    # Inside, it is an ordinary hotline order from the open311 channel.
    case = desk.case(int(request_id))
    fields = case["fields"]
    assert fields["channel"] == "open311" and fields["category"] == "MUNICIPAL"
    assert fields["request_kind"] == "complaint"
    assert fields["content"].endswith("\n【附加信息】设施类型：井盖")
    with platform.sessions() as session:
        row = session.get(Case, int(request_id))
        assert row is not None
        assert (row.external_source, row.external_id) == ("open311", token)


def test_post_in_xml_with_coordinates_and_grid(http: httpx.Client, api_key: str) -> None:
    response = post(http, api_key, "xml", address_id="SF-QST-C01-G01", lat="", long="")
    root = ok_xml(response, "service_requests")
    request_id = root.findtext("request/service_request_id")
    assert request_id and request_id.isdigit()
    assert root.find("request/account_id") is not None
    request = one(http, request_id)
    assert request["address_id"] == "SF-QST-C01-G01"
    assert request["address"].endswith("清水塘社区第一网格")
    assert request["lat"] is None and request["long"] is None

    located = one(http, created(http, api_key)["service_request_id"])
    assert located["lat"] == 27.93 and located["long"] == 113.13
    assert located["address_id"]  # placed on its grid from the coordinates


def test_api_key_is_required(http: httpx.Client, api_key: str, issue: IssueKey) -> None:
    assert "api_key" in open311_error(post(http, None), 403)
    open311_error(post(http, "fz_open311_not-a-key"), 403)
    open311_error(post(http, issue("transfer")), 403)
    open311_error(post(http, None, "xml"), 403, "xml")


def test_bad_posts_are_400(http: httpx.Client, api_key: str) -> None:
    assert "4000" in open311_error(post(http, api_key, description="长" * 4001), 400)
    created(http, api_key, description="长" * 4000)
    open311_error(post(http, api_key, description=""), 400)
    open311_error(post(http, api_key, service_code=""), 400)
    assert "NO_SUCH" in open311_error(post(http, api_key, service_code="NO_SUCH"), 404)
    open311_error(post(http, api_key, lat="", long=""), 400)  # no location at all
    open311_error(post(http, api_key, long=""), 400)  # lat without long
    open311_error(post(http, api_key, lat="north"), 400)
    open311_error(post(http, api_key, lat="-33.9", long="151.2"), 400)  # not in China
    open311_error(post(http, api_key, lat="", long="", address_id="SF-NOPE"), 400)
    # MUNICIPAL needs its facility kind, from the listed values.
    open311_error(post(http, api_key, service_code="MUNICIPAL"), 400)
    bad_kind = {"attribute[facility_kind]": "volcano"}
    open311_error(post(http, api_key, service_code="MUNICIPAL", **bad_kind), 400)
    open311_error(post(http, api_key, **{"attribute[colour]": "red"}), 400)
    open311_error(post(http, api_key, "xml", description=""), 400, "xml")


def test_unknown_things_are_404(http: httpx.Client) -> None:
    open311_error(http.get("requests/99999999.json"), 404)
    open311_error(http.get("requests/abc.json"), 404)
    open311_error(http.get("requests/99999999.xml"), 404, "xml")
    open311_error(http.get("tokens/nope.json"), 404)
    open311_error(http.get("services.yaml"), 404)
    open311_error(http.get("requests.json", params={"service_code": "NO_SUCH"}), 404)
    open311_error(http.get("nothing-here.json"), 404)


def test_query_parameters_are_checked_in_open311_shape(http: httpx.Client) -> None:
    for params in (
        {"page": "abc"},
        {"page_size": "1001"},
        {"page_size": "0"},
        {"status": "pending"},
        {"start_date": "yesterday"},
        {"start_date": "2023-06-01T09:00:00"},  # no zone
        {"start_date": "2023-01-01T00:00:00Z", "end_date": "2023-06-01T00:00:00Z"},  # > 90 days
        {"start_date": "2023-06-01T00:00:00Z", "end_date": "2023-05-01T00:00:00Z"},
        {"service_request_id": "1,x"},
    ):
        open311_error(http.get("requests.json", params=params), 400)
    open311_error(http.get("requests.xml", params={"page": "-1"}), 400, "xml")


# -- reading --------------------------------------------------------------------------------


def test_requests_in_xml(http: httpx.Client, api_key: str) -> None:
    request_id = created(http, api_key)["service_request_id"]
    root = ok_xml(
        http.get("requests.xml", params={"service_request_id": request_id}), "service_requests"
    )
    requests = root.findall("request")
    assert len(requests) == 1
    request = requests[0]
    assert request.findtext("service_request_id") == request_id
    assert request.findtext("status") == "open"
    assert request.findtext("service_code") == "CITY_APPEARANCE"
    assert request.findtext("requested_datetime", "").endswith("+08:00")
    assert request.findtext("lat") == "27.93" and request.findtext("long") == "113.13"
    for tag in ("status_notes", "agency_responsible", "zipcode", "media_url", "address_id"):
        assert request.find(tag) is not None
    single = ok_xml(http.get(f"requests/{request_id}.xml"), "service_requests")
    assert single.findtext("request/service_request_id") == request_id


def test_default_window_is_ninety_days(http: httpx.Client, api_key: str, clock: FakeClock) -> None:
    clock.set("2023-03-01T10:00:00+08:00")
    request_id = created(http, api_key, service_code="TELECOM")["service_request_id"]
    clock.advance(days=89)
    assert request_id in all_ids(http, service_code="TELECOM")
    clock.advance(days=2)
    assert request_id not in all_ids(http, service_code="TELECOM")
    # Named ids are not limited by the window; explicit dates move it.
    body = ok_json(http.get("requests.json", params={"service_request_id": request_id}), "requests")
    assert [r["service_request_id"] for r in body] == [request_id]
    window = {"start_date": "2023-02-20T00:00:00+08:00", "end_date": "2023-03-02T00:00:00Z"}
    assert request_id in all_ids(http, **window)
    assert request_id in all_ids(http, start_date="2023-03-01")


def test_paging_and_filters(http: httpx.Client, api_key: str, clock: FakeClock) -> None:
    clock.set("2023-04-10T10:00:00+08:00")
    ids = [
        created(http, api_key, service_code="AGRICULTURE")["service_request_id"] for _ in range(3)
    ]
    first = ok_json(
        http.get("requests.json", params={"service_code": "AGRICULTURE", "page_size": 2}),
        "requests",
    )
    second = ok_json(
        http.get(
            "requests.json", params={"service_code": "AGRICULTURE", "page_size": 2, "page": 2}
        ),
        "requests",
    )
    seen = [r["service_request_id"] for r in first + second]
    assert set(ids) <= set(seen) and len(seen) == len(set(seen))
    assert all(r["service_code"] == "AGRICULTURE" for r in first + second)
    both = ",".join(ids[:2])
    body = ok_json(http.get("requests.json", params={"service_request_id": both}), "requests")
    assert {r["service_request_id"] for r in body} == set(ids[:2])


def test_status_moves_to_closed_with_notes(
    http: httpx.Client, api_key: str, desk: Desk, clock: FakeClock
) -> None:
    clock.set("2023-05-10T10:00:00+08:00")
    request_id = created(http, api_key)["service_request_id"]
    case_id = int(request_id)
    assert request_id in all_ids(http, status="open", service_code="CITY_APPEARANCE")

    desk.dispatcher.act(case_id, "dispatch", lead_unit=LEAD)
    dispatched = one(http, request_id)
    assert dispatched["status"] == "open"
    assert dispatched["agency_responsible"] == desk.case(case_id)["lead_unit"]["name"]
    assert dispatched["expected_datetime"] is not None
    desk.handler.act(case_id, "acknowledge")
    clock.advance(hours=3)
    desk.handler.act(case_id, "reply", reply="已到现场劝离摊贩", result="resolved")
    desk.operator.act(case_id, "revisit", rating="satisfied", note="回访满意")
    desk.operator.act(case_id, "close")

    closed = one(http, request_id)
    assert closed["status"] == "closed"
    assert closed["status_notes"] == "已到现场劝离摊贩"
    assert closed["updated_datetime"] == "2023-05-10T13:00:00+08:00"
    assert request_id in all_ids(http, status="closed", service_code="CITY_APPEARANCE")
    assert request_id not in all_ids(http, status="open", service_code="CITY_APPEARANCE")
    assert request_id in all_ids(http, status="open,closed", service_code="CITY_APPEARANCE")


def test_no_personal_data_in_answers(http: httpx.Client, api_key: str, desk: Desk) -> None:
    request_id = created(
        http, api_key, first_name="三", last_name="张", phone="17000009876", email="z@example.cn"
    )["service_request_id"]
    fields = desk.case(int(request_id))["fields"]
    assert fields["caller_name"] == "张三" and fields["caller_phone"] == "17000009876"
    for path in (
        f"requests/{request_id}.json",
        f"requests/{request_id}.xml",
        f"requests.json?service_request_id={request_id}",
        "requests.json?page_size=200",
        "requests.xml?page_size=200",
    ):
        text = http.get(path).text
        assert request_id in text
        for secret in ("17000009876", "张三", "z@example.cn", "caller"):
            assert secret not in text, (path, secret)

    # An invalid phone is left out rather than refusing the citizen's report.
    other = created(http, api_key, phone="12345")["service_request_id"]
    assert "caller_phone" not in desk.case(int(other))["fields"]


def test_jurisdiction(http: httpx.Client, api_key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ok_json(http.get("services.json", params={"jurisdiction_id": "430204"}), "services")
    for path in ("services.json", "discovery.json", "requests.json", "services/TRAFFIC.json"):
        description = open311_error(http.get(path, params={"jurisdiction_id": "110101"}), 404)
        assert "jurisdiction not found" in description
    open311_error(post(http, api_key, jurisdiction_id="110101"), 404)
    open311_error(http.get("services.xml", params={"jurisdiction_id": "x"}), 404, "xml")

    monkeypatch.setenv("FAZHI_OPEN311_REQUIRE_JURISDICTION", "1")
    open311_error(http.get("services.json"), 400)
    open311_error(post(http, api_key), 400)
    ok_json(http.get("services.json", params={"jurisdiction_id": "430204"}), "services")
    created(http, api_key, jurisdiction_id="430204")
