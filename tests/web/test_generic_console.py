"""The generic console over HTTP with the shipped types: the create form of a type that is
not the hotline (政府信息公开申请), the navigation by the types a role works on, list
filters by a type's own summary fields (console and API), and countdowns in the unit of the
running clock's limit."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.support import ApiClient, FakeClock, ServerThread, browser_client
from tests.web.html import by_id, error_of, page, text_of, value_of

Console = Callable[[str], httpx.Client]
Login = Callable[[str], ApiClient]
NEW = "/cases/new/disclosure_request"


def application(**fields: str) -> dict[str, str]:
    body = {
        "action": "apply",
        "applicant_kind": "citizen",
        "applicant_name": "测试丙",
        "applicant_id_number": "",
        "applicant_phone": "17000005678",
        "applicant_address": "",
        "request_content": f"2023年占道经营整治方案（测试 {uuid.uuid4().hex[:8]}）",
        "channel": "online",
        "delivery": "email",
    }
    body.update(fields)
    return body


def created_id(response: httpx.Response, done: str = "apply") -> int:
    assert response.status_code == 303, response.text
    found = re.fullmatch(rf"/cases/(\d+)\?done={done}", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


# ---------------------------------------------------------------------------------------------
# The create form of a type defined only as data


def test_the_form_is_built_from_the_create_action_inputs(console: Console) -> None:
    response = console("cgj_handler").get(NEW)
    assert response.status_code == 200
    doc = page(response.text)
    assert "政府信息公开申请" in text_of(doc, "main")
    form = by_id(doc, "create-form")
    assert form is not None and form.get("action") == NEW
    # Every field the applicant gives, with the right control; internal ones never.
    assert by_id(doc, "applicant_kind").tag == "select"
    assert by_id(doc, "request_content").tag == "textarea"
    assert value_of(doc, "channel") == "online"  # the field's default
    for internal in ("reply_text", "reply_kind", "completion_items", "extension_count"):
        assert by_id(doc, internal) is None


def test_a_posted_application_becomes_a_case_through_the_one_door(console: Console) -> None:
    http = console("cgj_handler")
    body = application()
    case_id = created_id(http.post(NEW, data=body))
    shown = http.get(f"/cases/{case_id}")
    assert shown.status_code == 200
    doc = page(shown.text)
    assert "政府信息公开申请 GK20230601" in text_of(doc, "main")
    assert body["request_content"] in text_of(doc, "case-fields")
    assert "登记申请" in text_of(doc, "timeline")  # the create action's event
    assert "办理中" in text_of(doc, "main")


def test_errors_are_shown_in_chinese_next_to_each_field_and_nothing_is_created(
    console: Console, login: Login
) -> None:
    http = console("cgj_handler")
    before = (
        login("cgj_handler")
        .get("/api/v1/cases", params={"type": "disclosure_request", "page_size": 1})
        .json()["total"]
    )
    response = http.post(
        NEW, data=application(applicant_name="", applicant_phone="12345", applicant_kind="")
    )
    assert response.status_code == 422
    doc = page(response.text)
    assert error_of(doc, "applicant_name") == "请填写申请人"
    assert "联系电话格式不正确" in error_of(doc, "applicant_phone")
    assert error_of(doc, "applicant_kind") == "请选择申请人类型"
    # What was typed stays in the form.
    assert value_of(doc, "applicant_phone") == "12345"
    after = (
        login("cgj_handler")
        .get("/api/v1/cases", params={"type": "disclosure_request", "page_size": 1})
        .json()["total"]
    )
    assert after == before


def test_a_role_no_create_action_names_is_refused_and_an_unknown_type_is_not_found(
    console: Console,
) -> None:
    operator = console("operator1")
    refused = operator.get(NEW)
    assert refused.status_code == 403
    assert "当前角色无权新建政府信息公开申请" in refused.text
    assert operator.post(NEW, data=application()).status_code == 403
    assert console("cgj_handler").get("/cases/new/no_such_type").status_code == 404


# ---------------------------------------------------------------------------------------------
# Navigation: the types a role works on


def nav_types(http: httpx.Client) -> tuple[list[str], list[str]]:
    doc = page(http.get("/cases").text)
    nav = by_id(doc, "type-nav")
    if nav is None:
        return [], []
    return (
        [a.get("data-type") for a in nav.xpath(".//a[@data-type]")],
        [a.get("data-new-type") for a in nav.xpath(".//a[@data-new-type]")],
    )


def test_the_navigation_shows_the_types_each_role_may_work_on(console: Console) -> None:
    # A unit handler has a queue in the hotline and disclosure types and may create both;
    # its unit submits documents and contracts for legality review, carries its major
    # decisions through their procedure and answers rule-of-law inspections; as a respondent
    # and defendant it replies to reconsiderations and files defences in lawsuits.
    shown, creatable = nav_types(console("cgj_handler"))
    assert shown == [
        "disclosure_request",
        "hotline",
        "legality_review",
        "litigation",
        "major_decision",
        "reconsideration",
        "rule_of_law_inspection",
    ]
    assert creatable[:2] == ["disclosure_request", "hotline"]
    # An operator registers hotline orders only; a disclosure request is not its work.
    assert nav_types(console("operator1")) == (["hotline"], ["hotline"])
    # A dispatcher works the hotline queue (and may register an order).
    assert nav_types(console("dispatcher1")) == (["hotline"], ["hotline"])
    # A supervisor has neither a create action nor a queue.
    assert nav_types(console("supervisor1")) == ([], [])


# ---------------------------------------------------------------------------------------------
# Filters by the type's own summary fields


@pytest.fixture(scope="module")
def three_requests(server: ServerThread) -> dict[str, Any]:
    """Three requests by 区城管局 differing in applicant kind and channel; `tag` finds them."""
    tag = uuid.uuid4().hex[:8]
    with browser_client(server.url) as http:
        http.post("/login", data={"username": "cgj_handler", "password": "fazhi2023"})
        made: dict[str, Any] = {}
        for key, kind, channel in (
            ("citizen_online", "citizen", "online"),
            ("legal_letter", "legal_person", "letter"),
            ("citizen_letter", "citizen", "letter"),
        ):
            body = application(
                applicant_kind=kind, channel=channel, request_content=f"{tag} {key}（测试）"
            )
            made[key] = created_id(http.post(NEW, data=body))
        made["tag"] = tag
        return made


def listed(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr class="[^"]*" data-case-id="(\d+)"', html)]


def test_the_list_filters_by_enum_summary_fields_shown_as_selects(
    console: Console, three_requests: dict[str, Any]
) -> None:
    http = console("cgj_handler")
    q = three_requests["tag"]
    everything = http.get("/cases", params={"type": "disclosure_request", "q": q})
    doc = page(everything.text)
    # The type's summary fields become filters; enums are selects with their choices.
    kind = by_id(doc, "f-field-applicant_kind")
    assert kind is not None and kind.tag == "select"
    assert [o.get("value") for o in kind.xpath("./option")] == [
        "",
        "citizen",
        "legal_person",
        "other_org",
    ]
    assert by_id(doc, "f-field-channel") is not None
    assert by_id(doc, "f-field-delivery") is not None
    # The hotline's own controls do not apply to this type.
    assert by_id(doc, "f-urgency") is None and by_id(doc, "f-street") is None
    ids = {three_requests[k] for k in ("citizen_online", "legal_letter", "citizen_letter")}
    assert set(listed(everything.text)) == ids

    letters = http.get(
        "/cases",
        params={"type": "disclosure_request", "q": q, "channel": "letter"},
    )
    assert set(listed(letters.text)) == {
        three_requests["legal_letter"],
        three_requests["citizen_letter"],
    }
    assert value_of(page(letters.text), "f-field-channel") == "letter"
    both = http.get(
        "/cases",
        params={
            "type": "disclosure_request",
            "q": q,
            "channel": "letter",
            "applicant_kind": "citizen",
        },
    )
    assert listed(both.text) == [three_requests["citizen_letter"]]
    # The work queue filters the same way.
    queue = http.get(
        "/work", params={"type": "disclosure_request", "applicant_kind": "legal_person"}
    )
    assert three_requests["legal_letter"] in listed(queue.text)
    assert three_requests["citizen_letter"] not in listed(queue.text)


def test_a_filter_value_the_field_cannot_hold_is_said_not_applied(console: Console) -> None:
    response = console("cgj_handler").get(
        "/cases", params={"type": "disclosure_request", "channel": "pigeon"}
    )
    assert response.status_code == 200
    assert (
        text_of(page(response.text), "filter-error")
        == "提交方式的筛选值无效：pigeon（此条件未生效）"
    )


def test_the_state_filter_offers_only_the_chosen_type_states(console: Console) -> None:
    doc = page(console("cgj_handler").get("/cases", params={"type": "disclosure_request"}).text)
    states = [o.get("value") for o in by_id(doc, "f-state").xpath("./option")]
    assert states == [
        "",
        "received",
        "awaiting_completion",
        "awaiting_third_party",
        "replied",
        "withdrawn",
        "abandoned",
    ]


def test_the_api_list_filters_by_summary_fields(
    login: Login, three_requests: dict[str, Any]
) -> None:
    api = login("cgj_handler")
    q = three_requests["tag"]

    def ids(**params: str) -> set[int]:
        response = api.get("/api/v1/cases", params={"type": "disclosure_request", "q": q, **params})
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert ids(**{"f.channel": "letter"}) == {
        three_requests["legal_letter"],
        three_requests["citizen_letter"],
    }
    assert ids(**{"f.channel": "letter", "f.applicant_kind": "legal_person"}) == {
        three_requests["legal_letter"]
    }
    assert ids(**{"f.applicant_kind": "citizen,legal_person"}) == ids()
    assert ids(**{"f.channel": "letter", "state": "replied"}) == set()


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"f.channel": "letter"}, "type_required", "type"),
        ({"type": "disclosure_request", "f.reply_text": "x"}, "unknown_filter", "f.reply_text"),
        ({"type": "disclosure_request", "f.channel": "pigeon"}, "invalid_value", "f.channel"),
        ({"type": "no_such_type", "f.channel": "letter"}, "unknown_case_type", "type"),
    ],
)
def test_the_api_refuses_filters_it_cannot_apply(
    login: Login, params: dict[str, str], code: str, field: str
) -> None:
    response = login("cgj_handler").get("/api/v1/cases", params=params)
    assert response.status_code == 422, response.text
    assert (response.json()["code"], response.json()["field"]) == (code, field)


# ---------------------------------------------------------------------------------------------
# Countdowns in the clock's own unit


def test_countdowns_speak_the_unit_of_the_running_clock(
    console: Console, login: Login, clock: FakeClock
) -> None:
    operator, dispatcher = login("operator1"), login("dispatcher1")
    urgent = operator.register(urgency="urgent")["id"]
    dispatcher.act(urgent, "dispatch", lead_unit="SF-CGJ")
    login("cgj_handler").act(urgent, "acknowledge")
    http = console("cgj_handler")

    # The hotline's urgent handling limit is 24 hours: it counts in hours, from the start.
    clocks = page(http.get(f"/cases/{urgent}").text)
    assert "剩余24小时" in text_of(clocks, "clocks")
    clock.advance(hours=3)
    assert "剩余21小时" in text_of(page(http.get(f"/cases/{urgent}").text), "clocks")
    row = page(http.get("/work", params={"type": "hotline", "q": str(urgent)}).text)
    assert "剩余21小时" in text_of(row, "case-list")

    # A disclosure request's reply is due in 20 working days; the 7 working days to ask for
    # completion are a period (the office may ask), shown on the page but not the list's due.
    request = created_id(http.post(NEW, data=application()))
    listed_row = http.get("/work", params={"type": "disclosure_request", "q": str(request)})
    assert "剩余20个工作日" in text_of(page(listed_row.text), "case-list")
    clocks = text_of(page(http.get(f"/cases/{request}").text), "clocks")
    assert "期间内 剩余7个工作日" in clocks and "剩余20个工作日" in clocks
