"""A third-party Open311 client, `georeport` 0.3.1 from PyPI, against the running server.

georeport implements only the four reading calls of GeoReport v2 (services, a service
definition, requests, one request); it has no method to POST a request. That step is made
here with plain HTTP, exactly as the spec describes it,
and everything the library can do is done through the library, in JSON and in XML.
"""

from __future__ import annotations

import httpx
import pytest
from georeport import GeoReport  # type: ignore[import-untyped]

from fazhi.catalog.categories import load_categories
from tests.api.flows import LEAD, Desk
from tests.support import TLS, FakeClock


@pytest.fixture(params=["json", "xml"])
def client(request: pytest.FixtureRequest, base: str, api_key: str) -> GeoReport:
    return GeoReport(base, jurisdiction="430204", api_key=api_key, output_format=request.param)


def _post_and_follow(client: GeoReport) -> str:
    """POST requests.json with the client's key (georeport has no POST): the request's id."""
    with httpx.Client(base_url=client.root_address + "/", timeout=30, verify=TLS) as http:
        posted = http.post(
            "requests.json",
            data={
                "api_key": client.api_key,
                "jurisdiction_id": client.jurisdiction,
                "service_code": "CITY_APPEARANCE",
                "description": "小区门口流动摊贩占道经营（georeport 客户端）",
                "lat": "27.93",
                "long": "113.13",
            },
        )
        assert posted.status_code == 200, posted.text
        # The order exists at once, so the answer carries its id rather than a token.
        return str(posted.json()[0]["service_request_id"])


def test_client_lists_services_and_definitions(client: GeoReport) -> None:
    services = client.get_service_list()
    assert [s["service_code"] for s in services] == [c.code for c in load_categories()]
    municipal = next(s for s in services if s["service_code"] == "MUNICIPAL")
    assert municipal["service_name"] == "市政设施"
    # JSON gives a boolean; xmltodict gives the element's text.
    assert municipal["metadata"] in (True, "true")

    definition = client.get_service_definition("MUNICIPAL")
    assert definition["service_code"] == "MUNICIPAL"
    attributes = definition["attributes"]
    attribute = attributes[0] if client.output_format == "json" else attributes["attribute"]
    assert attribute["code"] == "facility_kind"
    assert attribute["datatype"] == "singlevaluelist"


def test_client_follows_a_request_to_closed(
    client: GeoReport, desk: Desk, clock: FakeClock
) -> None:
    clock.set("2023-05-20T10:00:00+08:00")
    request_id = _post_and_follow(client)

    request = client.get_service_request(request_id)
    assert request["service_request_id"] == request_id
    assert request["status"] == "open"
    assert request["service_code"] == "CITY_APPEARANCE"
    assert request["requested_datetime"] == "2023-05-20T10:00:00+08:00"

    listed = client.get_service_requests(service_request_id=request_id)
    listed = listed if isinstance(listed, list) else [listed]  # xmltodict: one → a dict
    assert [r["service_request_id"] for r in listed] == [request_id]
    recent = client.get_service_requests(service_code="CITY_APPEARANCE", status="open")
    recent = recent if isinstance(recent, list) else [recent]
    assert request_id in {r["service_request_id"] for r in recent}

    case_id = int(request_id)
    desk.dispatcher.act(case_id, "dispatch", lead_unit=LEAD)
    desk.handler.act(case_id, "acknowledge")
    assert client.get_service_request(request_id)["agency_responsible"]
    desk.handler.act(case_id, "reply", reply="已清理占道摊点", result="resolved")
    desk.operator.act(case_id, "revisit", rating="satisfied", note="回访满意")
    desk.operator.act(case_id, "close")

    closed = client.get_service_request(request_id)
    assert closed["status"] == "closed"
    assert closed["status_notes"] == "已清理占道摊点"
    done = client.get_service_requests(
        service_code="CITY_APPEARANCE",
        status="closed",
        start_date="2023-05-20T00:00:00+08:00",
        end_date="2023-05-21T00:00:00+08:00",
    )
    done = done if isinstance(done, list) else [done]
    assert request_id in {r["service_request_id"] for r in done}


def test_client_sees_http_errors(base: str) -> None:
    import requests

    wrong = GeoReport(base, jurisdiction="110101")
    with pytest.raises(requests.HTTPError) as caught:
        wrong.get_service_list()
    response = caught.value.response
    assert response is not None and response.status_code == 404
    assert response.json()[0]["code"] == 404
