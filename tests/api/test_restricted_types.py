"""A restricted type over HTTP: its named roles read its cases, each read an event of the
case; every other role gets 404 from every endpoint and page that takes a case — as if the
case did not exist. The endpoints are enumerated from the app's routes, so a new one is
covered without touching this file.

And masking by kind: what each user sees whole of a case's personal data is what its
roles see for that type (a 12345 operator never opens a penalty case at all).
"""

from __future__ import annotations

import hashlib
import inspect
import re
import typing
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from sqlalchemy import select

from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import Document, DocumentBlob, Event
from tests.support import TLS, ServerThread, browser_client, serving
from tests.visibility_support import (
    NAMED_ELSEWHERE,
    PASSWORD,
    PENALTY,
    RESTRICTED,
    add_user,
    outsider_name,
)

ID_NUMBER = "11010519491231002X"
SUBJECT = "测试矫正对象"
SUMMARY = "接收社区矫正对象（受限类型测试）"
# Path parameters that name a case, and what the others are filled with.
CASE_PARAMS = {"case_id", "lead_id", "request_id"}
OTHER_PARAMS = {
    "action": "visit",
    "fmt": "json",
    "type_name": "hotline",
    "decision": "approve",
    "digest": "0" * 64,  # a check-in photo's SHA-256
}
# Routes that serve one type only: they answer 404 for this type to everyone (Open311 the
# hotline's orders; a correction subject's file and terminal, community_correction's cases).
ONE_TYPE_ONLY = re.compile(r"^/open311/|^(/api/v1)?/correction/subjects/")


@pytest.fixture(scope="module")
def vserver(vplatform: Platform) -> Iterator[ServerThread]:
    with serving(vplatform) as thread:
        yield thread


@pytest.fixture(scope="module")
def clients(vserver: ServerThread) -> Iterator[dict[str, httpx.Client]]:
    made: dict[str, httpx.Client] = {}
    yield made
    for client in made.values():
        client.close()


def client(vserver: ServerThread, clients: dict[str, httpx.Client], username: str) -> httpx.Client:
    """A client signed in as `username` for both the API (bearer) and the pages (cookie)."""
    if username not in clients:
        response = httpx.post(
            f"{vserver.url}/api/v1/auth/token",
            json={"username": username, "password": PASSWORD},
            verify=TLS,
        )
        assert response.status_code == 200, response.text
        token = response.json()["access_token"]
        # A browser's client: its console forms carry the form token (fazhi.http.csrf).
        bearer = {"authorization": f"Bearer {token}"}
        cookie = {"fazhi_token": token}
        clients[username] = browser_client(vserver.url, headers=bearer, cookies=cookie)
    return clients[username]


@pytest.fixture(scope="module")
def restricted(
    vplatform: Platform, vserver: ServerThread, clients: dict[str, httpx.Client]
) -> dict[str, Any]:
    """A restricted case enrolled by tx_sfs (田心街道司法所), with one document."""
    officer = client(vserver, clients, "tx_sfs")
    fields = {"summary": SUMMARY, "subject_name": SUBJECT, "subject_id_number": ID_NUMBER}
    response = officer.post("/api/v1/cases", json={"type": RESTRICTED, "fields": fields})
    assert response.status_code == 201, response.text
    case = response.json()
    # Written directly: who may upload which kind is the document engine's (not here).
    data = "报到记录（测试）".encode()
    digest = hashlib.sha256(data).hexdigest()
    officer_id = officer.get("/api/v1/me").json()["id"]
    with transaction(vplatform.sessions) as session:
        if session.get(DocumentBlob, digest) is None:
            session.add(DocumentBlob(sha256=digest, data=data))
        document = Document(
            case_id=case["id"],
            region_code=vplatform.region_code,
            kind="report",
            filename="report.txt",
            content_type="text/plain",
            size=len(data),
            sha256=digest,
            uploaded_by=officer_id,
            uploaded_at=vplatform.now(),
        )
        session.add(document)
        session.flush()
        document_id = document.id
    return {**case, "document_id": document_id}


def events_of(platform: Platform, case_id: int) -> list[Event]:
    with platform.sessions() as session:
        return list(session.scalars(select(Event).where(Event.case_id == case_id)))


def _dummy(annotation: Any) -> Any:
    origin = typing.get_origin(annotation) or annotation
    return {list: [], dict: {}, str: "", int: 0, float: 0.0, bool: False}.get(origin)


def case_routes(app: Any) -> list[tuple[str, str, Any]]:
    """(method, path template, endpoint) of every route whose path names a case."""
    found = []
    for route in iter_route_contexts(app.routes):
        path = getattr(route, "path", None) or ""
        params = set(re.findall(r"{(\w+)(?::\w+)?}", path))
        if not params & CASE_PARAMS:
            continue
        unknown = params - CASE_PARAMS - set(OTHER_PARAMS) - {"document_id"}
        assert not unknown, f"{path}: fill in {unknown} in OTHER_PARAMS"
        endpoint = getattr(route.original_route, "endpoint", None)
        for method in sorted(getattr(route, "methods", None) or ()):
            if method != "HEAD":
                found.append((method, path, endpoint))
    return found


@pytest.fixture(scope="module")
def routes(vserver: ServerThread) -> list[tuple[str, str, Any]]:
    return case_routes(vserver.server.config.app)


def request_for(
    http: httpx.Client, method: str, path: str, endpoint: Any, case: dict[str, Any]
) -> httpx.Response:
    """The request, with a body that passes the route's own validation (so that what
    answers is the handler, not the framework)."""
    values = {**OTHER_PARAMS, "document_id": case["document_id"]}
    url = re.sub(
        r"{(\w+)(?::\w+)?}",
        lambda m: str(case["id"] if m.group(1) in CASE_PARAMS else values[m.group(1)]),
        path,
    )
    kwargs: dict[str, Any] = {}
    if method != "GET":
        hints = typing.get_type_hints(endpoint, include_extras=True) if endpoint else {}
        models = [h for h in hints.values() if inspect.isclass(h) and issubclass(h, BaseModel)]
        forms = [n for n, h in hints.items() if "Form" in repr(h) or "File" in repr(h)]
        if models:
            kwargs["json"] = {
                name: _dummy(field.annotation)
                for name, field in models[0].model_fields.items()
                if field.is_required()
            }
        elif forms:
            kwargs["data"] = {n: "x" for n in forms if "File" not in repr(hints[n])}
            kwargs["files"] = {"file": ("x.txt", b"x", "text/plain")}
        else:
            kwargs["data"] = {}
    return http.request(method, url, **kwargs)


def test_the_enumeration_finds_the_case_endpoints_and_pages(
    routes: list[tuple[str, str, Any]],
) -> None:
    paths = {path for _, path, _ in routes}
    for expected in (
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/events",
        "/api/v1/cases/{case_id}/documents/{document_id}",
        "/api/v1/cases/{case_id}/actions/{action}",
        "/cases/{case_id}",
        "/cases/{case_id}/do/{action}",
        "/cases/{case_id}/reveal",
    ):
        assert expected in paths
    assert len(routes) >= 15


def outsiders(platform: Platform) -> list[str]:
    """A user per role the type does not name (in the district's root unit, which has
    access to every case), the named roles in units it does not reach, and the demo's."""
    named = set(platform.types.get(RESTRICTED).visibility.roles)  # type: ignore[union-attr]
    users = [outsider_name(s.name) for s in platform.roles.assignable if s.name not in named]
    return [*users, *NAMED_ELSEWHERE, "operator1", "supervisor1", "sfj_aid", "tx_mediator"]


def test_every_other_role_gets_404_from_every_endpoint_and_page(
    vplatform: Platform,
    routes: list[tuple[str, str, Any]],
    vserver: ServerThread,
    clients: dict[str, httpx.Client],
    restricted: dict[str, Any],
) -> None:
    before = len(events_of(vplatform, restricted["id"]))
    users = outsiders(vplatform)
    assert len(users) >= 20
    for username in users:
        http = client(vserver, clients, username)
        for method, path, endpoint in routes:
            response = request_for(http, method, path, endpoint, restricted)
            assert response.status_code == 404, (username, method, path, response.text[:300])
            assert SUBJECT not in response.text and SUMMARY not in response.text
        number = restricted["number"]
        listed = http.get("/api/v1/cases", params={"q": number}).json()
        assert (listed["items"], listed["total"]) == ([], 0), username
        for page in (f"/cases?q={number}", f"/work?q={number}"):
            assert f'data-case-id="{restricted["id"]}"' not in http.get(page).text, username
    # Nothing any of them did reached the case: not even a read event.
    assert len(events_of(vplatform, restricted["id"])) == before


def test_the_named_role_reaches_every_endpoint_and_page(
    routes: list[tuple[str, str, Any]],
    vserver: ServerThread,
    clients: dict[str, httpx.Client],
    restricted: dict[str, Any],
) -> None:
    http = client(vserver, clients, "tx_sfs")
    for method, path, endpoint in routes:
        response = request_for(http, method, path, endpoint, restricted)
        if ONE_TYPE_ONLY.match(path):
            assert response.status_code == 404, path
        else:
            assert response.status_code not in (404, 500), (method, path, response.text[:300])
    number = restricted["number"]
    assert [c["id"] for c in http.get("/api/v1/cases", params={"q": number}).json()["items"]] == [
        restricted["id"]
    ]
    # Its work list holds the case too (the queues of both its roles count).
    assert f'data-case-id="{restricted["id"]}"' in http.get(f"/work?q={number}").text


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("/api/v1/cases/{id}", {"read": "case"}),
        ("/api/v1/cases/{id}/events", {"read": "events"}),
        ("/api/v1/cases/{id}/documents", {"read": "documents"}),
        ("/api/v1/cases/{id}/documents/{document_id}", {"read": "document"}),
        ("/cases/{id}", {"read": "case_page"}),
    ],
)
def test_each_read_of_a_restricted_case_is_one_event(
    vplatform: Platform,
    vserver: ServerThread,
    clients: dict[str, httpx.Client],
    restricted: dict[str, Any],
    path: str,
    what: dict[str, Any],
) -> None:
    before = len(events_of(vplatform, restricted["id"]))
    response = client(vserver, clients, "tx_sfs").get(path.format(**restricted))
    assert response.status_code == 200
    added = events_of(vplatform, restricted["id"])[before:]
    assert len(added) == 1
    event = added[0]
    if "document_id" in path:
        what = {**what, "document_id": restricted["document_id"]}
    assert (event.action, event.payload) == ("read", what)
    assert event.actor["username"] == "tx_sfs"
    assert event.from_state == event.to_state == "supervising"


def test_the_read_events_show_in_the_cases_trail(
    vserver: ServerThread, clients: dict[str, httpx.Client], restricted: dict[str, Any]
) -> None:
    trail = client(vserver, clients, "tx_sfs").get(f"/api/v1/cases/{restricted['id']}/events")
    reads = [e for e in trail.json()["items"] if e["action"] == "read"]
    assert reads and reads[-1]["action_label"] == "查阅案件"


# --------------------------------------------------------------------------- masking by kind


@pytest.fixture(scope="module")
def penalty(
    vplatform: Platform, vserver: ServerThread, clients: dict[str, httpx.Client]
) -> dict[str, Any]:
    """A penalty-like case opened by 田心街道综合行政执法大队."""
    add_user(vplatform, "mask_legal_tx", ("legal_reviewer",), "SF-TX")
    add_user(vplatform, "mask_legal_petition", ("legal_reviewer", "petition_officer"), "SF-TX")
    add_user(vplatform, "mask_legal_enforcer", ("legal_reviewer", "enforcement_officer"), "SF-TX")
    fields = {
        "summary": "占道经营（测试）",
        "party_name": "测试甲乙",
        "party_id_number": ID_NUMBER,
        "party_phone": "17000001234",
    }
    enforcer = client(vserver, clients, "tx_enforcer")
    response = enforcer.post("/api/v1/cases", json={"type": PENALTY, "fields": fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def shown(vserver: ServerThread, clients: dict[str, httpx.Client], user: str, case_id: int) -> Any:
    response = client(vserver, clients, user).get(f"/api/v1/cases/{case_id}")
    assert response.status_code == 200, (user, response.text)
    fields = response.json()["fields"]
    return fields["party_name"], fields["party_id_number"], fields["party_phone"]


def test_a_12345_operator_never_opens_a_penalty_case(
    vserver: ServerThread, clients: dict[str, httpx.Client], penalty: dict[str, Any]
) -> None:
    response = client(vserver, clients, "operator1").get(f"/api/v1/cases/{penalty['id']}")
    assert response.status_code == 404
    assert ID_NUMBER not in response.text


def test_each_user_sees_whole_the_kinds_its_named_roles_see(
    vserver: ServerThread, clients: dict[str, httpx.Client], penalty: dict[str, Any]
) -> None:
    whole = ("测试甲乙", ID_NUMBER, "17000001234")
    masked = ("测**乙", "110105********002X", "170****1234")
    case_id = penalty["id"]
    assert shown(vserver, clients, "tx_enforcer", case_id) == whole
    # The legal reviewer checks identity (name, ID number); the phone it may unmask.
    assert shown(vserver, clients, "mask_legal_tx", case_id) == (*whole[:2], masked[2])
    # A petition officer sees phones, but the penalty type does not name that role.
    assert shown(vserver, clients, "mask_legal_petition", case_id) == (*whole[:2], masked[2])
    # With the enforcement officer's role besides, the union is everything.
    assert shown(vserver, clients, "mask_legal_enforcer", case_id) == whole
    for user in ("supervisor1", "leader1", "admin"):
        assert shown(vserver, clients, user, case_id) == masked, user


def test_a_reveal_unmasks_only_the_kinds_the_roles_may_reveal(
    vplatform: Platform,
    vserver: ServerThread,
    clients: dict[str, httpx.Client],
    penalty: dict[str, Any],
) -> None:
    case_id = penalty["id"]
    body = client(vserver, clients, "mask_legal_tx").post(f"/api/v1/cases/{case_id}/reveal")
    assert body.status_code == 200, body.text
    assert body.json()["fields"]["party_phone"] == "17000001234"
    last = events_of(vplatform, case_id)[-1]
    assert (last.action, last.payload) == ("reveal_personal_data", {"fields": ["party_phone"]})
    # The district leader may unmask nothing.
    refused = client(vserver, clients, "leader1").post(f"/api/v1/cases/{case_id}/reveal")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden_role")


def test_a_normal_type_records_no_reads(
    vplatform: Platform,
    vserver: ServerThread,
    clients: dict[str, httpx.Client],
    penalty: dict[str, Any],
) -> None:
    before = len(events_of(vplatform, penalty["id"]))
    client(vserver, clients, "supervisor1").get(f"/api/v1/cases/{penalty['id']}")
    client(vserver, clients, "supervisor1").get(f"/cases/{penalty['id']}")
    assert len(events_of(vplatform, penalty["id"])) == before
