"""Steps of the hotline loop over HTTP, shared by the API tests.

A `Desk` holds one logged-in client per demo user and brings a fresh work order to any state
of the hotline type by taking the real actions, so every test starts from an order it made
itself (the database is shared by the whole session).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.support import ApiClient

CASES = "/api/v1/cases"
LEAD = "SF-CGJ"  # 区城管局: the default lead unit of CITY_APPEARANCE orders


class Desk:
    def __init__(self, login: Callable[[str], ApiClient]) -> None:
        self._login = login
        self._clients: dict[str, ApiClient] = {}

    def __getitem__(self, username: str) -> ApiClient:
        if username not in self._clients:
            self._clients[username] = self._login(username)
        return self._clients[username]

    @property
    def operator(self) -> ApiClient:
        return self["operator1"]

    @property
    def dispatcher(self) -> ApiClient:
        return self["dispatcher1"]

    @property
    def handler(self) -> ApiClient:
        return self["cgj_handler"]

    @property
    def supervisor(self) -> ApiClient:
        return self["supervisor1"]

    # -- reading -------------------------------------------------------------------------------

    def case(self, case_id: int, as_user: str = "operator1") -> dict[str, Any]:
        response = self[as_user].case(case_id)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def events(self, case_id: int, as_user: str = "operator1") -> list[dict[str, Any]]:
        response = self[as_user].get(f"{CASES}/{case_id}/events")
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    def action_names(self, case_id: int, as_user: str) -> list[str]:
        response = self[as_user].get(f"{CASES}/{case_id}/actions")
        assert response.status_code == 200, response.text
        return [a["name"] for a in response.json()["actions"]]

    def clock(self, case_id: int, name: str, running: bool = True) -> dict[str, Any]:
        """The (running, by default) clock of that name; the newest one when several."""
        clocks = [
            c
            for c in self.case(case_id)["clocks"]
            if c["name"] == name and (c["running"] or not running)
        ]
        assert clocks, f"no clock {name} on case {case_id}"
        return dict(clocks[-1])

    # -- bringing an order to a state -----------------------------------------------------------

    def registered(self, **fields: Any) -> int:
        return int(self.operator.register(**fields)["id"])

    def dispatched(self, lead: str = LEAD, assisting: tuple[str, ...] = (), **fields: Any) -> int:
        case_id = self.registered(**fields)
        inputs: dict[str, Any] = {"lead_unit": lead}
        if assisting:
            inputs["assisting_units"] = list(assisting)
        self.dispatcher.act(case_id, "dispatch", **inputs)
        return case_id

    def returned(self, **kw: Any) -> int:
        case_id = self.dispatched(**kw)
        self.handler.act(case_id, "return", reason="不属于本单位职责（测试）")
        return case_id

    def handling(self, **kw: Any) -> int:
        case_id = self.dispatched(**kw)
        self.handler.act(case_id, "acknowledge")
        return case_id

    def replied(self, **kw: Any) -> int:
        case_id = self.handling(**kw)
        self.handler.act(case_id, "reply", reply="已到现场劝离摊贩（测试）", result="resolved")
        return case_id

    def revisited(self, rating: str = "satisfied", **kw: Any) -> int:
        case_id = self.replied(**kw)
        self.operator.act(case_id, "revisit", rating=rating, note="回访记录（测试）")
        return case_id

    def closed(self, **kw: Any) -> int:
        case_id = self.revisited("satisfied", **kw)
        self.operator.act(case_id, "close")
        return case_id

    def extension_pending(self, days: int = 3, **kw: Any) -> int:
        case_id = self.handling(**kw)
        self.handler.act(case_id, "request_extension", days=days, reason="需协调多部门（测试）")
        return case_id

    def challenge_posted(self, **kw: Any) -> int:
        case_id = self.handling(**kw)
        self.supervisor.act(case_id, "post_challenge", reason="久拖未决，挂榜征集领办单位（测试）")
        return case_id


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is the platform's JSON error: {code, message} with a Chinese message."""
    assert response.status_code == status, (
        f"expected {status}: {response.status_code} {response.text}"
    )
    body = response.json()
    assert isinstance(body, dict), body
    assert isinstance(body.get("code"), str) and body["code"], body
    assert has_chinese(body.get("message")), body
    if code is not None:
        assert body["code"] == code, body
    return dict(body)


def has_chinese(text: Any) -> bool:
    return isinstance(text, str) and any("\u4e00" <= ch <= "\u9fff" for ch in text)
