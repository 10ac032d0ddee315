"""Many clients at once, over real HTTP: a create keyed by an external id is written once and
every other caller is told so (200, `created: false`, the same case); many clients doing the
same state change on one case have exactly one winner, the others a clear JSON conflict.

On SQLite the writes share the group commit; on PostgreSQL (FAZHI_TEST_DATABASE_URL) they are
real concurrent transactions, where the unique index refuses the losers of a create race."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from fazhi.actions.platform import Platform
from fazhi.store.audit import verify_all
from fazhi.store.models import Case, Event
from tests.api.conftest import Login
from tests.api.flows import Desk, has_chinese
from tests.hotline.api.test_transfer_api import complaint, new_key
from tests.support import TLS, ServerThread

CLIENTS = 32
ORDER = {
    "request_kind": "complaint",
    "category": "CITY_APPEARANCE",
    "content": "小区门口流动摊贩占道经营（并发测试合成数据）",
}


def all_at_once(
    n: int, call: Callable[[httpx.Client, int], httpx.Response]
) -> list[httpx.Response]:
    """`call(client, i)` from `n` clients, each with its own connection, released together."""
    start = threading.Barrier(n)
    clients = [httpx.Client(timeout=60, verify=TLS) for _ in range(n)]

    def one(i: int) -> httpx.Response:
        start.wait()
        return call(clients[i], i)

    try:
        with ThreadPoolExecutor(n) as pool:
            return list(pool.map(one, range(n)))
    finally:
        for client in clients:
            client.close()


def events_of(platform: Platform, case_id: int) -> list[Event]:
    with platform.sessions() as session:
        stmt = select(Event).where(Event.case_id == case_id).order_by(Event.seq)
        return list(session.scalars(stmt))


def test_concurrent_creates_with_one_external_id_make_one_case(
    login: Login, server: ServerThread, platform: Platform
) -> None:
    headers = login("operator1").http.headers
    ids = [f"CC-{uuid.uuid4().hex[:10]}" for _ in range(4)]

    def create(client: httpx.Client, i: int) -> httpx.Response:
        # Eight clients race for each of the four ids.
        return client.post(
            f"{server.url}/api/v1/cases",
            headers=headers,
            json={
                "type": "hotline",
                "fields": ORDER,
                "external_source": "12345-province",
                "external_id": ids[i % len(ids)],
            },
        )

    answers = all_at_once(CLIENTS, create)
    assert [a.text for a in answers if a.status_code >= 500] == []
    by_id: dict[str, list[dict[str, Any]]] = {}
    for answer in answers:
        assert answer.status_code in (200, 201), answer.text
        body = answer.json()
        assert body["created"] is (answer.status_code == 201)
        by_id.setdefault(body["external"]["id"], []).append(body)
    for external_id, bodies in by_id.items():
        assert sum(b["created"] for b in bodies) == 1, external_id
        assert len({b["id"] for b in bodies}) == 1, external_id
    with platform.sessions() as session:
        stored = session.scalars(select(Case.external_id).where(Case.external_id.in_(ids))).all()
    assert sorted(stored) == sorted(by_id)


def test_concurrent_transfers_of_one_record_register_it_once(
    server: ServerThread, platform: Platform
) -> None:
    key = new_key(platform)
    external_id = f"CT-{uuid.uuid4().hex[:10]}"

    def transfer(client: httpx.Client, _: int) -> httpx.Response:
        return client.post(
            f"{server.url}/api/v1/transfers/12315",
            headers={"X-Api-Key": key},
            json={"records": [complaint(external_id)]},
        )

    answers = all_at_once(24, transfer)
    assert [a.text for a in answers if a.status_code != 200] == []
    results = [a.json()["cases"][0] for a in answers]
    assert sorted(r["result"] for r in results).count("created") == 1
    assert {r["result"] for r in results} <= {"created", "unchanged"}
    assert len({r["id"] for r in results}) == 1


@pytest.mark.parametrize(
    ("action", "inputs"),
    [
        ("acknowledge", {}),
        ("return", {"reason": "不属于本单位职责（并发测试）"}),
    ],
)
def test_many_clients_doing_one_state_change_have_one_winner(
    login: Login, server: ServerThread, platform: Platform, action: str, inputs: dict[str, Any]
) -> None:
    desk = Desk(login)
    case_id = desk.dispatched()
    before = len(events_of(platform, case_id))
    headers = desk.handler.http.headers

    def act(client: httpx.Client, _: int) -> httpx.Response:
        return client.post(
            f"{server.url}/api/v1/cases/{case_id}/actions/{action}",
            headers=headers,
            json={"inputs": inputs},
        )

    answers = all_at_once(CLIENTS, act)
    assert [a.status_code for a in answers if a.status_code == 200] == [200]
    for loser in (a for a in answers if a.status_code != 200):
        assert loser.status_code in (409, 422), loser.text
        body = loser.json()
        assert body["code"] and has_chinese(body["message"]), body
    events = events_of(platform, case_id)
    assert [e.action for e in events[before:]] == [action]
    with platform.sessions() as session:
        assert verify_all(session, platform.secret).ok
