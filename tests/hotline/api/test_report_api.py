"""POST /api/v1/reports: a grid worker's report (multipart: fields, coordinates and photos)
registered as a hotline case on its grid, with its photos, in one transaction; errors are
JSON {code, message, field} and write nothing."""

from __future__ import annotations

import struct
import uuid
import zlib
from typing import Any

import httpx
from sqlalchemy import func, select

from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import Case, Document, Event
from tests.api.conftest import Login
from tests.support import TLS, ServerThread

WORKER = "grid_tx_c01_g01"
INSIDE_G01 = ("113.161500", "27.910000")
NOWHERE = ("113.500000", "28.500000")


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


TINY_WEBP = (
    b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00"
    b"\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
)


def fields(point: tuple[str, str] | None = INSIDE_G01, **extra: str) -> dict[str, str]:
    body = {
        "category": "SANITATION",
        "content": f"垃圾桶满溢未清运（测试合成数据 {uuid.uuid4().hex[:6]}）",
        "urgency": "urgent",
    }
    if point:
        body.update(longitude=point[0], latitude=point[1])
    body.update(extra)
    return body


def counts(platform: Platform) -> tuple[int, int, int]:
    with transaction(platform.sessions) as session:
        return (
            int(session.scalar(select(func.count()).select_from(Case)) or 0),
            int(session.scalar(select(func.count()).select_from(Document)) or 0),
            int(session.scalar(select(func.count()).select_from(Event)) or 0),
        )


def error(response: httpx.Response, status: int, code: str, field: str | None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = dict(response.json())
    assert body["code"] == code, body
    assert body.get("field") == field, body
    assert body["message"]
    return body


def test_a_report_is_registered_on_its_grid_with_photos(login: Login, platform: Platform) -> None:
    worker = login(WORKER)
    before = counts(platform)
    files = [
        ("photos", ("scene.png", tiny_png(), "image/png")),
        ("photos", ("scene.webp", TINY_WEBP, "image/webp")),
    ]
    response = worker.post("/api/v1/reports", data=fields(), files=files)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["type"] == "hotline" and body["state"] == "registered"
    assert body["fields"]["channel"] == "grid_worker"
    assert body["fields"]["request_kind"] == "report"
    assert body["fields"]["urgency"] == "urgent"
    assert [d["kind"] for d in body["documents"]] == ["photo", "photo"]
    assert [d["filename"] for d in body["documents"]] == ["scene.png", "scene.webp"]
    assert counts(platform) == (before[0] + 1, before[1] + 2, before[2] + 3)
    case_id = body["id"]
    with transaction(platform.sessions) as session:
        case = session.get(Case, case_id)
        assert case is not None and case.grid_id is not None
        assert platform.directory().by_id[case.grid_id].name == "田心东社区第一网格"
        assert case.fields["caller_name"] == "彭小军"
    # The worker sees the case, its photos and its events afterwards.
    assert worker.get(f"/api/v1/cases/{case_id}").status_code == 200
    listed = worker.get(f"/api/v1/cases/{case_id}/documents").json()["items"]
    assert len(listed) == 2
    events = worker.get(f"/api/v1/cases/{case_id}/events").json()["items"]
    assert len(events) == 3


def test_a_report_without_photos_is_fine(login: Login) -> None:
    response = login(WORKER).post("/api/v1/reports", data=fields())
    assert response.status_code == 201, response.text
    assert response.json()["documents"] == []


def test_no_place_is_refused_and_nothing_written(login: Login, platform: Platform) -> None:
    before = counts(platform)
    files = [("photos", ("scene.png", tiny_png(), "image/png"))]
    for data in (fields(NOWHERE), fields(None)):
        response = login(WORKER).post("/api/v1/reports", data=data, files=files)
        body = error(response, 422, "location_unknown", "address")
        assert body["message"] == "无法确定事件位置，请开启定位或填写地址"
    assert counts(platform) == before


def test_bad_photos_reject_the_whole_report(login: Login, platform: Platform) -> None:
    worker = login(WORKER)
    before = counts(platform)
    text_file = [
        ("photos", ("ok.png", tiny_png(), "image/png")),
        ("photos", ("notes.txt", b"hello", "text/plain")),
    ]
    response = worker.post("/api/v1/reports", data=fields(), files=text_file)
    error(response, 415, "unsupported_media_type", "photos")
    seven = [("photos", (f"p{i}.png", tiny_png(), "image/png")) for i in range(7)]
    response = worker.post("/api/v1/reports", data=fields(), files=seven)
    error(response, 422, "too_many_photos", "photos")
    limit = platform.settings.max_upload_bytes
    huge = [("photos", ("big.png", tiny_png() + b"\x00" * limit, "image/png"))]
    response = worker.post("/api/v1/reports", data=fields(), files=huge)
    error(response, 413, "too_large", "photos")
    assert counts(platform) == before


def test_field_errors_are_json(login: Login, platform: Platform) -> None:
    worker = login(WORKER)
    before = counts(platform)
    error(
        worker.post("/api/v1/reports", data=fields(category="NOPE")),
        422,
        "invalid_value",
        "category",
    )
    response = worker.post("/api/v1/reports", data=fields(content=""))
    assert response.status_code == 422 and response.json()["field"] == "content"
    response = worker.post("/api/v1/reports", data=fields(("200", "27.91")))
    assert response.status_code == 422, response.text
    assert counts(platform) == before


def test_who_may_report(login: Login, server: ServerThread, platform: Platform) -> None:
    before = counts(platform)
    for username in ("operator1", "cgj_handler", "tx_leader"):
        response = login(username).post("/api/v1/reports", data=fields())
        error(response, 403, "forbidden_role", None)
    anonymous = httpx.post(f"{server.url}/api/v1/reports", data=fields(), verify=TLS)
    error(anonymous, 401, "unauthenticated", None)
    assert counts(platform) == before
