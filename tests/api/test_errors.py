"""Every bad request gets the platform's JSON error {code, message} with a Chinese message and
a 4xx status: never a 500, never a bare framework message."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.actions.platform import Platform
from fazhi.catalog.registry import default_case_types
from tests.api.flows import CASES, LEAD, Desk, assert_error

HOTLINE = default_case_types().get("hotline")
assert HOTLINE is not None
VALID = {"request_kind": "complaint", "category": "CITY_APPEARANCE", "content": "（测试）"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def new_hotline(desk: Desk, **fields: Any) -> httpx.Response:
    return desk.operator.post(CASES, json={"type": "hotline", "fields": {**VALID, **fields}})


# ---------------------------------------------------------------------------------------------
# Authentication


def test_no_token_is_401_unauthenticated(anonymous: httpx.Client) -> None:
    for path in (CASES, f"{CASES}/1", "/api/v1/me", "/api/v1/calendar/days"):
        assert_error(anonymous.get(path), 401, "unauthenticated")
    assert_error(anonymous.post(CASES, json={"type": "hotline"}), 401, "unauthenticated")


def test_a_made_up_token_is_401(anonymous: httpx.Client) -> None:
    response = anonymous.get(CASES, headers={"authorization": "Bearer not-a-real-token"})
    assert_error(response, 401, "unauthenticated")


def test_a_wrong_password_is_401_login_failed_and_says_nothing_about_the_user(
    anonymous: httpx.Client,
) -> None:
    wrong = anonymous.post(
        "/api/v1/auth/token", json={"username": "operator1", "password": "wrong"}
    )
    unknown = anonymous.post("/api/v1/auth/token", json={"username": "nobody", "password": "wrong"})
    assert assert_error(wrong, 401, "login_failed") == assert_error(unknown, 401, "login_failed")


def test_a_login_without_password_or_with_a_broken_body_is_refused(anonymous: httpx.Client) -> None:
    body = assert_error(
        anonymous.post("/api/v1/auth/token", json={"username": "operator1"}), 422, "required"
    )
    assert body["field"] == "password"
    assert_error(
        anonymous.post(
            "/api/v1/auth/token", content=b"{oops", headers={"content-type": "application/json"}
        ),
        400,
        "invalid_json",
    )
    assert_error(anonymous.post("/api/v1/auth/token", json=["operator1"]), 400, "invalid_json")


# ---------------------------------------------------------------------------------------------
# Creating cases


def test_a_malformed_json_body_is_422_invalid_json(desk: Desk) -> None:
    response = desk.operator.post(
        CASES,
        content=b'{"type": "hotline", "fields": {',
        headers={"content-type": "application/json"},
    )
    assert_error(response, 422, "invalid_json")


def test_a_body_of_the_wrong_shape_is_422_with_the_field_named(desk: Desk) -> None:
    response = desk.operator.post(CASES, json={"type": "hotline", "fields": ["not", "a", "map"]})
    body = assert_error(response, 422, "invalid_request")
    assert body["field"] == "fields"
    response = desk.operator.post(CASES, json={"fields": VALID})
    assert assert_error(response, 422, "invalid_request")["field"] == "type"


def test_an_unknown_case_type_is_422(desk: Desk) -> None:
    response = desk.operator.post(CASES, json={"type": "no_such_type", "fields": VALID})
    body = assert_error(response, 422, "unknown_case_type")
    assert body["field"] == "type"


def test_an_unknown_creating_action_is_422(desk: Desk) -> None:
    response = desk.operator.post(
        CASES, json={"type": "hotline", "action": "dispatch", "fields": VALID}
    )
    assert_error(response, 422, "unknown_action")


def test_an_unknown_field_is_422_naming_it(desk: Desk) -> None:
    body = assert_error(new_hotline(desk, favourite_colour="蓝"), 422, "unknown_field")
    assert body["field"] == "favourite_colour"


def test_internal_fields_cannot_be_set_at_registration(desk: Desk) -> None:
    body = assert_error(new_hotline(desk, dispatch_count=5), 422, "unknown_field")
    assert body["field"] == "dispatch_count"


def test_every_missing_required_field_is_listed_in_problems(desk: Desk) -> None:
    response = desk.operator.post(CASES, json={"type": "hotline", "fields": {}})
    body = assert_error(response, 422, "invalid_input")
    problems = body["problems"]
    assert {p["field"] for p in problems} == {"request_kind", "category", "content"}
    assert all(p["code"] == "required" for p in problems)
    messages = {p["field"]: p["message"] for p in problems}
    assert messages == {
        "request_kind": "请选择诉求类型",
        "category": "请选择诉求分类",
        "content": "请填写诉求内容",
    }


def test_a_value_outside_an_enum_is_422_listing_the_choices(desk: Desk) -> None:
    body = assert_error(new_hotline(desk, request_kind="shouting"), 422, "invalid_value")
    assert body["field"] == "request_kind"
    assert "投诉" in body["message"]


def test_content_longer_than_4000_characters_is_422_too_long(desk: Desk) -> None:
    body = assert_error(new_hotline(desk, content="长" * 4001), 422, "too_long")
    assert body["field"] == "content"
    assert new_hotline(desk, content="长" * 4000).status_code == 201


def test_bad_phone_and_coordinates_are_422(desk: Desk) -> None:
    assert assert_error(new_hotline(desk, caller_phone="12345"), 422)["field"] == "caller_phone"
    assert assert_error(new_hotline(desk, longitude=200), 422)["field"] == "longitude"
    assert assert_error(new_hotline(desk, latitude="north"), 422)["field"] == "latitude"


def test_a_huge_number_is_refused_not_crashed_on(desk: Desk) -> None:
    response = desk.operator.post(
        CASES,
        content=b'{"type": "hotline", "fields": {"request_kind": "complaint", '
        b'"category": "CITY_APPEARANCE", "content": "x", "longitude": 1'
        + b"0" * 400
        + b', "latitude": 27.9}}',
        headers={"content-type": "application/json"},
    )
    assert assert_error(response, 422)["field"] == "longitude"


# ---------------------------------------------------------------------------------------------
# Actions


def test_an_unknown_action_is_404(desk: Desk) -> None:
    case_id = desk.registered()
    response = desk.dispatcher.post(f"{CASES}/{case_id}/actions/teleport", json={"inputs": {}})
    body = assert_error(response, 404, "unknown_action")
    assert "teleport" in body["message"]


def test_an_action_on_a_case_that_does_not_exist_is_404(desk: Desk) -> None:
    response = desk.dispatcher.post(
        f"{CASES}/99999999/actions/dispatch", json={"inputs": {"lead_unit": LEAD}}
    )
    assert_error(response, 404, "not_found")
    assert_error(desk.dispatcher.get(f"{CASES}/99999999/events"), 404, "not_found")


def test_a_non_numeric_case_id_is_422(desk: Desk) -> None:
    assert_error(desk.operator.get(f"{CASES}/abc"), 422, "invalid_request")


def test_an_unknown_unit_in_dispatch_is_422_on_that_input(desk: Desk) -> None:
    case_id = desk.registered()
    response = desk.dispatcher.post(
        f"{CASES}/{case_id}/actions/dispatch", json={"inputs": {"lead_unit": "SF-NOWHERE"}}
    )
    body = assert_error(response, 422, "unknown_unit")
    assert body["field"] == "lead_unit"
    assert "SF-NOWHERE" in body["message"]
    response = desk.dispatcher.post(
        f"{CASES}/{case_id}/actions/dispatch",
        json={"inputs": {"lead_unit": LEAD, "assisting_units": ["SF-TX", "SF-NOWHERE"]}},
    )
    assert assert_error(response, 422, "unknown_unit")["field"] == "assisting_units"
    assert desk.case(case_id)["state"] == "registered"


def test_a_missing_required_action_input_is_422_required(desk: Desk) -> None:
    case_id = desk.registered()
    response = desk.dispatcher.post(f"{CASES}/{case_id}/actions/dispatch", json={"inputs": {}})
    assert assert_error(response, 422, "required")["field"] == "lead_unit"


def test_an_unknown_action_input_is_422(desk: Desk) -> None:
    case_id = desk.dispatched()
    response = desk.handler.post(
        f"{CASES}/{case_id}/actions/acknowledge", json={"inputs": {"mood": "happy"}}
    )
    assert assert_error(response, 422, "unknown_field")["field"] == "mood"


def test_a_version_that_is_not_an_integer_is_422(desk: Desk) -> None:
    case_id = desk.dispatched()
    response = desk.handler.post(
        f"{CASES}/{case_id}/actions/acknowledge", json={"inputs": {}, "version": "latest"}
    )
    assert assert_error(response, 422, "invalid_request")["field"] == "version"


# ---------------------------------------------------------------------------------------------
# Listing


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": 0}, "page"),
        ({"page_size": 500}, "page_size"),
        ({"page": "first"}, "page"),
        ({"overdue": "perhaps"}, "overdue"),
        ({"due_before": "2023-06-01T00:00:00"}, "due_before"),
        ({"created_from": "2023-06-01T00:00:00"}, "created_from"),
        ({"due_before": "next week"}, "due_before"),
        ({"sort": "title"}, "sort"),
        ({"unit": "SF-NOWHERE"}, "unit"),
        ({"q": "长" * 101}, "q"),
    ],
)
def test_bad_list_parameters_are_422_naming_the_parameter(
    desk: Desk, params: dict[str, Any], field: str
) -> None:
    body = assert_error(desk.operator.get(CASES, params=params), 422)
    assert body["field"] == field


def test_an_unknown_route_and_a_wrong_method_get_the_json_error_shape(desk: Desk) -> None:
    assert_error(desk.operator.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(desk.operator.http.delete(CASES), 405, "method_not_allowed")


# ---------------------------------------------------------------------------------------------
# Uploads


def upload(
    desk: Desk,
    case_id: int,
    kind: str,
    data: bytes,
    content_type: str,
    username: str = "cgj_handler",
) -> httpx.Response:
    return desk[username].post(
        f"{CASES}/{case_id}/documents",
        data={"kind": kind},
        files={"file": ("材料.pdf", data, content_type)},
    )


def test_an_upload_of_an_unsupported_type_is_415(desk: Desk) -> None:
    case_id = desk.dispatched()
    response = upload(desk, case_id, "photo", b"MZ\x90\x00", "application/x-msdownload")
    assert_error(response, 415, "unsupported_media_type")


def test_an_empty_upload_is_422(desk: Desk) -> None:
    case_id = desk.dispatched()
    assert_error(upload(desk, case_id, "photo", b"", "application/pdf"), 422, "empty_file")


def test_an_upload_of_an_unknown_document_kind_is_422_listing_the_kinds(desk: Desk) -> None:
    case_id = desk.dispatched()
    body = assert_error(
        upload(desk, case_id, "selfie", PDF, "application/pdf"), 422, "unknown_document_kind"
    )
    assert body["field"] == "kind"
    assert "现场照片" in body["message"]


def test_an_upload_over_the_size_limit_is_413(
    desk: Desk, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = desk.dispatched()
    # The limit is configuration (FAZHI_MAX_UPLOAD_MB, 20 MB by default); lower it for the
    # test rather than send 20 MB over loopback.
    monkeypatch.setattr(
        platform, "settings", dataclasses.replace(platform.settings, max_upload_bytes=1024 * 1024)
    )
    body = assert_error(
        upload(desk, case_id, "photo", b"x" * (1024 * 1024 + 1), "application/pdf"),
        413,
        "too_large",
    )
    assert "1 MB" in body["message"]
    assert (
        upload(desk, case_id, "photo", b"x" * (1024 * 1024), "application/pdf").status_code == 201
    )


def test_an_upload_without_a_file_or_kind_is_422(desk: Desk) -> None:
    case_id = desk.dispatched()
    response = desk.handler.post(f"{CASES}/{case_id}/documents", data={"kind": "photo"})
    assert assert_error(response, 422, "document_file_required")["field"] == "file"
    response = desk.handler.post(
        f"{CASES}/{case_id}/documents", files={"file": ("a.pdf", PDF, "application/pdf")}
    )
    assert assert_error(response, 422, "invalid_request")["field"] == "kind"


def test_an_upload_to_a_closed_order_is_409_and_by_a_leader_403(desk: Desk) -> None:
    case_id = desk.closed()
    assert_error(
        upload(desk, case_id, "photo", PDF, "application/pdf", "operator1"),
        409,
        "document_not_allowed_in_state",
    )
    open_id = desk.dispatched()
    assert_error(
        upload(desk, open_id, "photo", PDF, "application/pdf", "leader1"),
        403,
        "document_forbidden_role",
    )


def test_a_good_upload_is_listed_downloadable_and_recorded(desk: Desk) -> None:
    case_id = desk.dispatched()
    response = upload(desk, case_id, "photo", PDF, "application/pdf")
    assert response.status_code == 201, response.text
    document = response.json()
    assert (document["kind"], document["size"], document["filename"]) == (
        "photo",
        len(PDF),
        "材料.pdf",
    )
    listed = desk.handler.get(f"{CASES}/{case_id}/documents").json()["items"]
    assert [d["id"] for d in listed] == [document["id"]]
    raw = desk.handler.get(f"{CASES}/{case_id}/documents/{document['id']}/file")
    assert (raw.status_code, raw.content) == (200, PDF)
    assert raw.headers["content-type"] == "application/pdf"
    assert desk.events(case_id)[-1]["action"] == "document_added"
    assert_error(desk.handler.get(f"{CASES}/{case_id}/documents/99999999"), 404, "not_found")


# ---------------------------------------------------------------------------------------------
# Fuzzing: random JSON where fields and inputs go


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**20, max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)
field_names = st.sampled_from([f.name for f in HOTLINE.fields] + ["type", "", "状态"])
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def assert_handled(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert_error(response, response.status_code)


@FUZZ
@given(
    fields=st.dictionaries(field_names, json_values, max_size=6),
    base=st.booleans(),
    type_=st.sampled_from(["hotline", "disclosure_request"]),
)
def test_random_fields_when_registering_never_cause_a_server_error(
    desk: Desk, fields: dict[str, Any], base: bool, type_: str
) -> None:
    body = {**(VALID if base else {}), **fields}
    assert_handled(desk.operator.post(CASES, json={"type": type_, "fields": body}))


@FUZZ
@given(body=json_values)
def test_a_random_json_body_when_registering_never_causes_a_server_error(
    desk: Desk, body: Any
) -> None:
    assert_handled(desk.operator.post(CASES, json=body))


# Each fuzzed action, who may take it and the state it is taken from, so the random inputs
# reach input validation instead of being refused by role or state first.
ACTIONS = {
    "dispatch": ("dispatcher1", Desk.registered),
    "reassign": ("dispatcher1", Desk.dispatched),
    "return": ("cgj_handler", Desk.dispatched),
    "request_extension": ("cgj_handler", Desk.handling),
    "reply": ("cgj_handler", Desk.handling),
    "supervise": ("supervisor1", Desk.handling),
    "revisit": ("operator1", Desk.replied),
}
INPUT_NAMES = sorted({i.name for a in HOTLINE.actions for i in a.inputs} | {"x"})


@FUZZ
@given(
    action=st.sampled_from(sorted(ACTIONS)),
    inputs=st.dictionaries(st.sampled_from(INPUT_NAMES), json_values, max_size=5),
)
def test_random_action_inputs_never_cause_a_server_error(
    desk: Desk, action: str, inputs: dict[str, Any]
) -> None:
    username, bring = ACTIONS[action]
    case_id = bring(desk)
    response = desk[username].post(f"{CASES}/{case_id}/actions/{action}", json={"inputs": inputs})
    assert_handled(response)


def test_a_nul_character_in_text_is_refused_not_stored(login: Any) -> None:
    """PostgreSQL cannot store NUL; the platform refuses it on every database alike."""
    operator = login("operator1")
    response = operator.post(
        "/api/v1/cases",
        json={
            "type": "hotline",
            "fields": {
                "request_kind": "complaint",
                "category": "CITY_APPEARANCE",
                "content": "占道经营\x00测试",
            },
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "content"
    assert "控制字符" in body["message"]
