"""Repeats and merging over HTTP: similar orders of an existing order and for the intake,
POST /cases/{lead}/merge, and the repeat-request rate per unit and category. Each test works
in a period of its own (the database is shared by the session). All data is synthetic."""

from __future__ import annotations

import uuid
from typing import Any

from fazhi.actions.platform import Platform
from tests.api.conftest import Login
from tests.api.flows import CASES, Desk, assert_error
from tests.support import FakeClock

STALL = "清水塘路{tag}小区大门口有流动摊贩占道经营，影响居民通行"
STALL_AGAIN = "清水塘路{tag}小区门口流动摊贩占道经营，堵住居民通行"
NOISE = "工地夜间施工噪音扰民，凌晨还在打桩"
LON, LAT = 113.1020, 27.9650  # inside 清水塘社区第一网格 (synthetic polygons)


def unique_phone() -> str:
    return f"137{uuid.uuid4().int % 10**8:08d}"


def order(desk: Desk, text: str, lon: float, lat: float, **fields: Any) -> int:
    return desk.registered(
        content=text,
        category="PUBLIC_ORDER",
        longitude=lon,
        latitude=lat,
        caller_phone=fields.pop("caller_phone", unique_phone()),
        **fields,
    )


def test_similar_orders_are_near_identical_requests_nearby_not_far_or_different(
    desk: Desk, login: Login, clock: FakeClock
) -> None:
    tag = uuid.uuid4().hex[:4]
    clock.set("2024-12-16T10:00:00+08:00")
    first = order(desk, STALL.format(tag=tag), LON, LAT)
    clock.set("2024-12-18T15:00:00+08:00")
    again = order(desk, STALL_AGAIN.format(tag=tag), LON, LAT + 0.001)  # about 111 m north
    far = order(desk, STALL_AGAIN.format(tag=tag), LON + 0.05, LAT)  # about 5 km east
    different = order(desk, NOISE, LON, LAT)

    body = desk.dispatcher.get(f"{CASES}/{again}/similar").json()
    assert body["thresholds"]["distance_max_m"] == 300
    found = {i["id"]: i for i in body["items"]}
    assert first in found and far not in found and different not in found
    hit = found[first]
    assert hit["likely_duplicate"] and hit["mergeable"] and not hit["repeat_caller"]
    assert hit["similarity"] >= 0.35 and 100 < hit["distance_m"] < 120
    assert hit["explanation"].startswith(f"内容相似 {round(hit['similarity'] * 100)}%，相距 1")
    assert "2 天前" in hit["explanation"]
    # Seen from the first order, the later one comes after it.
    later = {i["id"]: i for i in desk.dispatcher.get(f"{CASES}/{first}/similar").json()["items"]}
    assert "天后" in later[again]["explanation"]

    params = {"text": STALL.format(tag=tag), "longitude": LON, "latitude": LAT + 0.0005}
    intake = desk.operator.get("/api/v1/routing/similar", params=params).json()["items"]
    assert {first, again} <= {i["id"] for i in intake}
    assert far not in {i["id"] for i in intake} and different not in {i["id"] for i in intake}
    assert_error(login("cgj_handler").get("/api/v1/routing/similar", params=params), 403)
    assert_error(desk.operator.get(f"{CASES}/999999999/similar"), 404, "not_found")


def test_the_same_phone_is_a_repeat_caller_whatever_the_text(desk: Desk, clock: FakeClock) -> None:
    phone = unique_phone()
    clock.set("2024-12-16T11:00:00+08:00")
    earlier = order(desk, NOISE, LON, LAT, caller_phone=phone)
    clock.set("2024-12-17T11:00:00+08:00")
    items = desk.operator.get(
        "/api/v1/routing/similar", params={"phone": phone, "text": "完全不同的诉求"}
    ).json()["items"]
    mine = [i for i in items if i["id"] == earlier]
    assert mine and mine[0]["repeat_caller"] and not mine[0]["likely_duplicate"]
    assert "同一来电号码" in mine[0]["explanation"]


def test_merge_closes_duplicates_into_the_lead(desk: Desk, login: Login, clock: FakeClock) -> None:
    tag = uuid.uuid4().hex[:4]
    clock.set("2024-12-19T09:30:00+08:00")
    lead = order(desk, STALL.format(tag=tag), LON, LAT)
    dup = order(desk, STALL_AGAIN.format(tag=tag), LON, LAT)
    dup2 = desk.dispatched(content=STALL_AGAIN.format(tag=tag), category="PUBLIC_ORDER")
    url = f"{CASES}/{lead}/merge"
    reason = "同一处摊贩占道，重复诉求（测试）"

    # A unit that cannot see the lead order learns nothing of it; one that can but may not
    # merge is refused.
    handler = login("cgj_handler").post(url, json={"duplicates": [dup], "reason": reason})
    assert_error(handler, 404, "not_found")
    assert_error(desk.supervisor.post(url, json={"duplicates": [dup]}), 403, "forbidden_role")
    assert_error(desk.dispatcher.post(url, json={"duplicates": [lead], "reason": reason}), 422)
    assert_error(desk.dispatcher.post(url, json={"duplicates": [dup], "reason": ""}), 422)
    missing = desk.dispatcher.post(
        f"{CASES}/999999999/merge", json={"duplicates": [dup], "reason": reason}
    )
    assert_error(missing, 404, "not_found")

    response = desk.dispatcher.post(url, json={"duplicates": [dup, dup2], "reason": reason})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["lead"]["id"] == lead
    assert [(m["id"], m["state"], m["merged_into"]) for m in body["merged"]] == [
        (dup, "closed", lead),
        (dup2, "closed", lead),
    ]
    for case_id in (dup, dup2):
        case = desk.case(case_id, "dispatcher1")
        assert case["state"] == "closed" and case["fields"]["merged_into"] == lead
        assert not [c for c in case["clocks"] if c["running"]]
        assert desk.events(case_id)[-1]["action"] == "merge"
    last = desk.events(lead)[-1]
    assert (last["action"], last["action_label"]) == ("merge_received", "接收并单")
    assert last["payload"]["duplicates"] == [dup, dup2]

    # The merged order cannot be a lead, nor be merged again.
    other = order(desk, NOISE, LON, LAT)
    again = desk.dispatcher.post(
        f"{CASES}/{dup}/merge", json={"duplicates": [other], "reason": reason}
    )
    assert_error(again, 409, "lead_merged")
    assert desk.case(other)["state"] == "registered"
    similar = {i["id"]: i for i in desk.dispatcher.get(f"{CASES}/{lead}/similar").json()["items"]}
    assert similar[dup]["merged_into"] == lead and not similar[dup]["mergeable"]


def test_repeat_rates_per_unit_and_category(
    desk: Desk, login: Login, clock: FakeClock, platform: Platform
) -> None:
    """In the week of 2024-12-09: caller A calls Mon, Wed, Fri; caller B once on Tue; caller C
    called on 2024-12-02 (before the period) and again on Thu. Repeats: A Wed, A Fri, C Thu."""
    a, b, c = unique_phone(), unique_phone(), unique_phone()

    def call(day: str, phone: str, dispatch: bool = False) -> int:
        clock.set(f"{day}T10:00:00+08:00")
        fields = {"category": "TELECOM", "caller_phone": phone, "content": "手机信号差（测试）"}
        if dispatch:
            return desk.dispatched(lead="SF-CGJ", **fields)
        return desk.registered(**fields)

    call("2024-12-02", c)
    call("2024-12-09", a)
    call("2024-12-10", b, dispatch=True)
    call("2024-12-11", a, dispatch=True)
    call("2024-12-12", c)
    call("2024-12-13", a)
    clock.set("2024-12-16T09:00:00+08:00")

    response = login("leader1").get(
        "/api/v1/analytics/repeats", params={"from": "2024-12-09", "to": "2024-12-13"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["repeat_window_days"] == 30
    telecom = {r["key"]: r for r in body["by_category"]}["TELECOM"]
    assert (telecom["label"], telecom["orders"], telecom["repeat_orders"], telecom["rate"]) == (
        "通信网络",
        5,
        3,
        0.6,
    )
    cgj_id = str(platform.directory().by_code["SF-CGJ"].id)
    units = {r["key"]: r for r in body["by_unit"]}
    cgj = units[cgj_id]
    assert (cgj["orders"], cgj["repeat_orders"], cgj["rate"]) == (2, 1, 0.5)
    assert cgj["label"] == platform.directory().by_code["SF-CGJ"].name
    assert units[""]["label"] == "未派单" and units[""]["repeat_orders"] >= 2
    assert body["total"]["orders"] >= 5

    # Only the Monday: A's first call, no repeats.
    monday = desk.dispatcher.get(
        "/api/v1/analytics/repeats", params={"from": "2024-12-09", "to": "2024-12-09"}
    ).json()
    assert {r["key"]: r for r in monday["by_category"]}["TELECOM"]["repeat_orders"] == 0
    assert_error(desk.operator.get("/api/v1/analytics/repeats"), 403, "forbidden_role")
    bad = desk.dispatcher.get(
        "/api/v1/analytics/repeats", params={"from": "2024-12-13", "to": "2024-12-09"}
    )
    assert_error(bad, 422)
