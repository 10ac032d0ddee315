"""What the statistics tests share: clients valid at any test time, and a known week of hotline
orders taken through the real actions over HTTP.

The suite shares one database, so each test module builds its own week (a Monday nobody else
uses) and asserts figures for that week and, mostly, for one lead unit.

Tokens (API bearer tokens and console cookies) are minted with the clock briefly set to a far
future moment, as tests/api/conftest.py does, so one token per user stays valid however the
tests move the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import httpx

from fazhi.domain.durations import LOCAL_TZ
from tests.api.flows import Desk
from tests.support import TLS, ApiClient, FakeClock, ServerThread, browser_client

PASSWORD = "fazhi2023"
TOKEN_MINT_TIME = datetime(2099, 1, 1, 9, 0, tzinfo=LOCAL_TZ)
LEAD = "SF-CGJ"  # 区城管局, whose handler is cgj_handler
LEAD_NAME = "石峰区城市管理和综合执法局"
OTHER = "SF-TX"  # 田心街道, whose leader is tx_leader

_api: dict[tuple[str, str], ApiClient] = {}
_console: dict[tuple[str, str], httpx.Client] = {}


def _at_mint_time(clock: FakeClock, call: Any) -> Any:
    saved = clock.moment
    clock.set(TOKEN_MINT_TIME)
    try:
        return call()
    finally:
        clock.moment = saved


def api_client(server: ServerThread, clock: FakeClock, username: str) -> ApiClient:
    key = (server.url, username)
    if key not in _api:
        response = _at_mint_time(
            clock,
            lambda: httpx.post(
                f"{server.url}/api/v1/auth/token",
                json={"username": username, "password": PASSWORD},
                verify=TLS,
            ),
        )
        assert response.status_code == 200, response.text
        body = response.json()
        http = httpx.Client(
            base_url=server.url,
            timeout=30,
            headers={"authorization": f"Bearer {body['access_token']}"},
            verify=TLS,
        )
        _api[key] = ApiClient(http, username, dict(body["user"]))
    return _api[key]


def console_client(server: ServerThread, clock: FakeClock, username: str) -> httpx.Client:
    """A client signed in to the console (session cookie), not following redirects."""
    key = (server.url, username)
    if key not in _console:
        http = browser_client(server.url)
        response = _at_mint_time(
            clock, lambda: http.post("/login", data={"username": username, "password": PASSWORD})
        )
        assert response.status_code == 303, response.text
        _console[key] = http
    return _console[key]


def make_desk(server: ServerThread, clock: FakeClock) -> Desk:
    return Desk(lambda username: api_client(server, clock, username))


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), LOCAL_TZ)


@dataclass
class Week:
    """The orders of one known week (Monday to Friday), by letter; see `build_week`."""

    monday: date
    ids: dict[str, int] = field(default_factory=dict)

    @property
    def friday(self) -> date:
        return self.monday + timedelta(days=4)

    @property
    def query(self) -> str:
        return f"from={self.monday.isoformat()}&to={self.friday.isoformat()}"


# What `build_week` makes, for the lead unit LEAD over Monday–Friday:
#   received 7 (A B D | C I | E | – | H), of which closed by Friday 5 (A B C D I) → 71.4%
#   closed in the week 6 (A G | D | B C | I | –): on time 5 (B's urgent 24 h handling was late)
#   ratings given in the week 6 (A sat, B basically, C dissatisfied then — reopened — sat, G sat,
#   I dissatisfied; D closed unrated) → 4/6 = 66.7%: C's first rating counts, or a reopening
#   would hide the dissatisfaction that caused it
#   returns 1 (D, returned by the lead unit itself), reopenings 1 (C)
# Outside LEAD: F resolved at intake (no lead unit) on Thursday, J led by OTHER (open).
EXPECTED = {
    "received": 7,
    "received_closed": 5,
    "closed": 6,
    "closed_on_time": 5,
    "satisfied": 3,
    "basically_satisfied": 1,
    "rated": 6,
    "returns": 1,
    "reopenings": 1,
}
RECEIVED_PER_DAY = [3, 2, 1, 0, 1]
CLOSED_PER_DAY = [2, 1, 2, 1, 0]


def build_week(desk: Desk, clock: FakeClock, monday: date, tag: str) -> Week:
    """Take the orders of the table above through the hotline loop at known times."""
    assert monday.weekday() == 0
    week = Week(monday)
    mon, tue, wed, thu, fri = (monday + timedelta(days=i) for i in range(5))
    before = monday - timedelta(days=3)  # the Friday before
    after = monday + timedelta(days=7)  # the Monday after
    operator, dispatcher, handler = desk.operator, desk.dispatcher, desk.handler
    supervisor = desk.supervisor

    def register(name: str, when: datetime, **fields: Any) -> int:
        clock.set(when)
        content = f"{tag}·{name}：小区门口流动摊贩占道经营（测试合成数据）"
        case_id = int(operator.register(content=content, **fields)["id"])
        week.ids[name] = case_id
        return case_id

    def act(client: ApiClient, case_id: int, when: datetime, action: str, **inputs: Any) -> None:
        clock.set(when)
        client.act(case_id, action, **inputs)

    def to_handling(case_id: int, when: datetime, lead: str = LEAD) -> None:
        act(dispatcher, case_id, when + timedelta(minutes=5), "dispatch", lead_unit=lead)
        act(handler, case_id, when + timedelta(minutes=10), "acknowledge")

    reply = {"reply": "已到现场处理（测试）", "result": "resolved"}

    # G: received the Friday before, closed on Monday.
    g = register("G", at(before, 9))
    to_handling(g, at(before, 9))
    act(handler, g, at(before, 15), "reply", **reply)
    act(operator, g, at(mon, 9), "revisit", rating="satisfied")
    act(operator, g, at(mon, 9, 5), "close")
    # A: Monday, closed the same day, satisfied.
    a = register("A", at(mon, 9))
    to_handling(a, at(mon, 9))
    act(handler, a, at(mon, 14), "reply", **reply)
    act(operator, a, at(mon, 15), "revisit", rating="satisfied")
    act(operator, a, at(mon, 15, 5), "close")
    # B: Monday, urgent (24 h to handle), replied on Wednesday: late; basically satisfied.
    b = register("B", at(mon, 9, 30), urgency="urgent")
    to_handling(b, at(mon, 9, 30))
    act(handler, b, at(wed, 10), "reply", **reply)
    act(operator, b, at(wed, 11), "revisit", rating="basically_satisfied")
    act(operator, b, at(wed, 11, 5), "close")
    # D: Monday, returned once by the lead unit, sent back to it, closed after review unrated.
    d = register("D", at(mon, 10))
    act(dispatcher, d, at(mon, 10, 5), "dispatch", lead_unit=LEAD)
    act(handler, d, at(mon, 10, 30), "return", reason="需核实职责（测试）")
    act(dispatcher, d, at(mon, 10, 45), "reassign", lead_unit=LEAD)
    act(handler, d, at(mon, 11), "acknowledge")
    act(handler, d, at(tue, 10), "reply", **reply)
    act(supervisor, d, at(tue, 10, 30), "close_after_review", reason="已依法答复（测试）")
    # C: Tuesday, dissatisfied, reopened, replied again, satisfied on Wednesday.
    c = register("C", at(tue, 9))
    to_handling(c, at(tue, 9))
    act(handler, c, at(tue, 12), "reply", **reply)
    act(operator, c, at(tue, 14), "revisit", rating="dissatisfied")
    act(operator, c, at(tue, 14, 10), "reopen", reason="仍未解决（测试）")
    act(handler, c, at(wed, 10), "reply", **reply)
    act(operator, c, at(wed, 11), "revisit", rating="satisfied")
    act(operator, c, at(wed, 11, 5), "close")
    # I: Tuesday, dissatisfied, closed after review on Thursday.
    i = register("I", at(tue, 10))
    to_handling(i, at(tue, 10))
    act(handler, i, at(tue, 15), "reply", **reply)
    act(operator, i, at(tue, 16), "revisit", rating="dissatisfied")
    act(supervisor, i, at(thu, 9), "close_after_review", reason="诉求已依法答复（测试）")
    # E: Wednesday, still being handled.
    e = register("E", at(wed, 9))
    to_handling(e, at(wed, 9))
    # F: Thursday, answered on the call (no lead unit).
    clock.set(at(thu, 10))
    response = operator.post(
        "/api/v1/cases",
        json={
            "type": "hotline",
            "action": "resolve_at_intake",
            "fields": {
                "request_kind": "consultation",
                "category": "CITY_APPEARANCE",
                "content": f"{tag}·F：咨询占道经营处罚标准（测试合成数据）",
                "answer": "已当场答复（测试）",
            },
        },
    )
    assert response.status_code == 201, response.text
    week.ids["F"] = int(response.json()["id"])
    # J: Wednesday, led by another unit (a street), open.
    j = register("J", at(wed, 11))
    act(dispatcher, j, at(wed, 11, 5), "dispatch", lead_unit=OTHER)
    # H: Friday, closed the Monday after.
    h = register("H", at(fri, 9))
    to_handling(h, at(fri, 9))
    act(handler, h, at(after, 10), "reply", **reply)
    act(operator, h, at(after, 11), "revisit", rating="satisfied")
    act(operator, h, at(after, 11, 5), "close")
    return week
