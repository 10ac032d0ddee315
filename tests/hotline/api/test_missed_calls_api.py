"""未接来电 over HTTP: the telephony system posts calls with its own key (a resent call is
recorded once; a batch with a bad call is refused whole with each problem), operators list
and call back, other roles are refused, and a role that may not see phones sees them masked."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from fazhi.actions.api_keys import issue_key
from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from tests.api.conftest import Login
from tests.support import TLS, FakeClock, ServerThread


@pytest.fixture
def telephony(platform: Platform, server: ServerThread) -> Any:
    with transaction(platform.sessions) as session:
        key = issue_key(
            session, platform, f"t-{uuid.uuid4().hex[:8]}", "telephony", platform.now()
        ).key
    with httpx.Client(
        base_url=server.url, headers={"X-Api-Key": key}, timeout=30, verify=TLS
    ) as http:
        yield http


def call(call_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "call_id": call_id,
        "caller_phone": "17000007788",
        "called_at": "2023-06-01T08:30:00+08:00",
        **extra,
    }


def test_the_telephony_system_posts_calls_once(telephony: httpx.Client, clock: FakeClock) -> None:
    clock.set("2023-06-01T09:00:00+08:00")
    tag = uuid.uuid4().hex[:8]
    first = telephony.post(
        "/api/v1/missed-calls", json={"calls": [call(f"{tag}-1"), call(f"{tag}-2")]}
    )
    assert first.status_code == 200, first.text
    assert (first.json()["created"], first.json()["existing"]) == (2, 0)
    again = telephony.post("/api/v1/missed-calls", json={"calls": [call(f"{tag}-1")]})
    assert (again.json()["created"], again.json()["existing"]) == (0, 1)
    assert again.json()["calls"][0]["id"] == first.json()["calls"][0]["id"]


def test_a_batch_with_a_bad_call_is_refused_whole(
    telephony: httpx.Client, clock: FakeClock, login: Login
) -> None:
    clock.set("2023-06-01T09:00:00+08:00")
    tag = uuid.uuid4().hex[:8]
    response = telephony.post(
        "/api/v1/missed-calls",
        json={
            "calls": [
                call(f"{tag}-ok"),
                call(f"{tag}-bad", caller_phone="110"),
                call("", called_at="x"),
            ]
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_calls" and "未写入" in body["message"]
    assert [p["field"] for p in body["problems"]] == ["calls[1].caller_phone", "calls[2].call_id"]
    listed = login("operator1").get("/api/v1/missed-calls").json()["calls"]
    assert not any(c["call_id"].startswith(tag) for c in listed)


def test_keys_and_bodies_are_checked(telephony: httpx.Client, server: ServerThread) -> None:
    bare = httpx.post(f"{server.url}/api/v1/missed-calls", json={"calls": [call("x")]}, verify=TLS)
    assert bare.status_code == 401 and bare.json()["code"] == "missing_api_key"
    wrong = httpx.post(
        f"{server.url}/api/v1/missed-calls",
        json={"calls": [call("x")]},
        headers={"X-Api-Key": "fz_x"},
        verify=TLS,
    )
    assert wrong.status_code == 403 and wrong.json()["message"]
    assert telephony.post("/api/v1/missed-calls", json={"calls": []}).status_code == 422
    assert (
        telephony.post(
            "/api/v1/missed-calls", json={"calls": [call(str(i)) for i in range(501)]}
        ).status_code
        == 413
    )
    assert (
        telephony.post(
            "/api/v1/missed-calls", content=b"{", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )


def test_operators_call_back_and_others_are_refused(
    telephony: httpx.Client, clock: FakeClock, login: Login
) -> None:
    clock.set("2023-06-02T09:00:00+08:00")
    tag = uuid.uuid4().hex[:8]
    posted = telephony.post(
        "/api/v1/missed-calls", json={"calls": [call(tag, called_at="2023-06-02T08:00:00+08:00")]}
    )
    missed_id = posted.json()["calls"][0]["id"]
    operator = login("operator1")
    listed = {c["call_id"]: c for c in operator.get("/api/v1/missed-calls").json()["calls"]}
    assert listed[tag]["caller_phone"] == "17000007788"  # the operator dials it
    assert listed[tag]["status_label"] == "待回拨"

    supervisor = {
        c["call_id"]: c for c in login("supervisor1").get("/api/v1/missed-calls").json()["calls"]
    }
    assert supervisor[tag]["caller_phone"] == "170****7788"
    for user in ("sfj_handler", "leader1"):
        refused = login(user).get("/api/v1/missed-calls")
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden_role"
    refused = login("supervisor1").post(
        f"/api/v1/missed-calls/{missed_id}/call-backs", json={"outcome": "answered"}
    )
    assert refused.status_code == 403

    order = operator.register(caller_phone="17000007788")
    bad = operator.post(
        f"/api/v1/missed-calls/{missed_id}/call-backs", json={"outcome": "registered"}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "case"
    done = operator.post(
        f"/api/v1/missed-calls/{missed_id}/call-backs",
        json={"outcome": "registered", "case_id": order["id"], "note": "已登记"},
    )
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["case_id"]) == ("done", order["id"])
    assert operator.get("/api/v1/missed-calls", params={"status": "nope"}).status_code == 422
    assert (
        operator.post(
            "/api/v1/missed-calls/999999999/call-backs", json={"outcome": "answered"}
        ).status_code
        == 404
    )
