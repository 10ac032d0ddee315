"""/api/v1/messages: the caller's inbox, the unread count, mark one read and mark all read;
every refusal is JSON with a stable code."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.support import ApiClient

Login = Callable[[str], ApiClient]


def dispatched(login: Login) -> int:
    case_id = int(
        login("operator1").register(content="消息接口测试：路灯不亮（测试合成数据）")["id"]
    )
    login("dispatcher1").act(case_id, "dispatch", lead_unit="SF-CGJ")
    return case_id


def test_list_read_and_read_all(login: Login) -> None:
    handler = login("cgj_handler")
    assert handler.post("/api/v1/messages/read-all").json()["unread"] == 0
    case_id = dispatched(login)

    assert handler.get("/api/v1/messages/unread-count").json() == {
        "unread": 1,
        "unread_label": "1",
    }
    body = handler.get("/api/v1/messages", params={"unread": "true"}).json()
    (message,) = body["messages"]
    assert body["unread"] == 1
    assert message["case_id"] == case_id and message["case_number"].startswith("RX")
    assert (message["topic"], message["topic_label"], message["read"]) == (
        "dispatched",
        "派单",
        False,
    )
    assert message["to"] == "石峰区城市管理和综合执法局"

    read = handler.post(f"/api/v1/messages/{message['id']}/read")
    assert read.status_code == 200, read.text
    assert read.json()["message"]["read"] is True and read.json()["unread"] == 0
    # Again: still read, nothing changes.
    assert handler.post(f"/api/v1/messages/{message['id']}/read").json()["unread"] == 0
    assert handler.get("/api/v1/messages", params={"unread": "true"}).json()["messages"] == []
    listed = handler.get("/api/v1/messages", params={"limit": 5}).json()["messages"]
    assert any(m["id"] == message["id"] and m["read"] for m in listed)


def test_refusals_are_json(login: Login, anonymous: httpx.Client) -> None:
    case_id = dispatched(login)
    mine = login("cgj_handler").get("/api/v1/messages", params={"limit": 20}).json()["messages"]
    message_id = next(m["id"] for m in mine if m["case_id"] == case_id)

    other = login("zjj_handler").post(f"/api/v1/messages/{message_id}/read")
    assert other.status_code == 404
    assert other.json()["code"] == "message_not_found" and other.json()["message"] == "没有这条消息"

    bad = login("cgj_handler").get("/api/v1/messages", params={"limit": 0})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"
    assert login("cgj_handler").post("/api/v1/messages/abc/read").status_code == 422

    assert anonymous.get("/api/v1/messages").status_code == 401
    assert anonymous.get("/api/v1/messages").json()["code"] == "unauthenticated"
