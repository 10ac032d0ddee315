"""网格员上报 (grid-worker report) pages over HTTP: the mobile form, placing the point on a
grid, the case with its photos written in one transaction (or nothing at all), the submitted
page with the worker's latest reports, and who may use it."""

from __future__ import annotations

import re
import struct
import uuid
import zlib
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import func, select

from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import Case, Document, Event, User
from tests.support import TLS, ServerThread, browser_client

PASSWORD = "fazhi2023"
WORKER = "grid_tx_c01_g01"  # 彭小军, 田心东社区第一网格
INSIDE_G01 = ("113.161500", "27.910000")  # 田心东社区第一网格
INSIDE_G02 = ("113.164000", "27.910000")  # 田心东社区第二网格: not the worker's own grid
NOWHERE = ("113.500000", "28.500000")  # outside every grid of the district
Console = Callable[[str], httpx.Client]


def tiny_png() -> bytes:
    """A valid 1×1 PNG, built by hand (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


TINY_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def report(point: tuple[str, str] | None = INSIDE_G01, **fields: str) -> dict[str, str]:
    body = {
        "category": "CITY_APPEARANCE",
        "content": f"巡查发现路口流动摊贩占道经营（测试合成数据 {uuid.uuid4().hex[:6]}）",
        "urgency": "normal",
        "address": "",
        "longitude": point[0] if point else "",
        "latitude": point[1] if point else "",
    }
    body.update(fields)
    return body


def photos(*items: tuple[str, bytes, str]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("photos", item) for item in items]


def counts(platform: Platform) -> tuple[int, int, int]:
    with transaction(platform.sessions) as session:
        return (
            int(session.scalar(select(func.count()).select_from(Case)) or 0),
            int(session.scalar(select(func.count()).select_from(Document)) or 0),
            int(session.scalar(select(func.count()).select_from(Event)) or 0),
        )


def submitted_id(response: httpx.Response) -> int:
    assert response.status_code == 303, response.text
    found = re.fullmatch(r"/report/submitted/(\d+)", response.headers["location"])
    assert found, response.headers["location"]
    return int(found.group(1))


def test_the_form_is_built_for_a_phone(console: Console) -> None:
    page = console(WORKER).get("/report")
    assert page.status_code == 200
    html = page.text
    assert "/static/hotline/report.css" in html and "/static/hotline/report.js" in html
    assert 'capture="environment"' in html and 'accept="image/*"' in html and "multiple" in html
    assert 'id="longitude"' in html and 'id="latitude"' in html
    assert len(re.findall(r'<option value="[A-Z_]+"', html)) == 24  # the 24 categories
    assert 'name="urgency"' in html and "我最近的上报" in html


def test_a_report_lands_in_the_grid_with_its_photos(console: Console, platform: Platform) -> None:
    http = console(WORKER)
    before = counts(platform)
    files = photos(("a.png", tiny_png(), "image/png"), ("b.jpg", TINY_JPEG, "image/jpeg"))
    response = http.post("/report", data=report(), files=files)
    case_id = submitted_id(response)
    assert counts(platform) == (before[0] + 1, before[1] + 2, before[2] + 3)
    with transaction(platform.sessions) as session:
        case = session.get(Case, case_id)
        assert case is not None
        worker = session.scalar(select(User).where(User.username == WORKER))
        assert worker is not None and case.created_by == worker.id
        assert case.fields["channel"] == "grid_worker"
        assert case.fields["request_kind"] == "report"
        assert case.fields["caller_name"] == "彭小军"
        assert not case.fields.get("caller_phone")
        assert case.state == "registered"
        grid_name = platform.directory().by_id[case.grid_id].name if case.grid_id else None
        assert grid_name == "田心东社区第一网格"
        documents = list(session.scalars(select(Document).where(Document.case_id == case_id)))
        assert sorted(d.kind for d in documents) == ["photo", "photo"]
        assert sorted(d.content_type for d in documents) == ["image/jpeg", "image/png"]
        actions = list(
            session.scalars(
                select(Event.action).where(Event.case_id == case_id).order_by(Event.seq)
            )
        )
        assert actions == ["register", "document_added", "document_added"]

    done = http.get(f"/report/submitted/{case_id}")
    assert done.status_code == 200
    assert re.search(rf"RX\d{{8}}{case_id:07d}", done.text)
    assert f'href="/cases/{case_id}"' in done.text
    assert "我最近的上报" in done.text and "照片 2 张" in done.text
    # The worker can open the case afterwards (the registering unit keeps sight of it).
    assert http.get(f"/cases/{case_id}").status_code == 200


def test_latest_reports_lists_only_the_workers_own(console: Console, platform: Platform) -> None:
    http = console(WORKER)
    ids = [submitted_id(http.post("/report", data=report())) for _ in range(2)]
    operator = console("operator1")
    other = operator.post(
        "/intake",
        data={
            "caller_name": "测试乙",
            "caller_phone": "13900001111",
            "request_kind": "complaint",
            "content": "热线登记的工单（测试合成数据）",
            "category": "CITY_APPEARANCE",
            "urgency": "normal",
            "channel": "phone",
            "longitude": INSIDE_G01[0],
            "latitude": INSIDE_G01[1],
            "intent": "register",
        },
    )
    assert other.status_code == 303, other.text
    other_id = int(re.search(r"/cases/(\d+)", other.headers["location"]).group(1))  # type: ignore[union-attr]
    page = http.get(f"/report/submitted/{ids[-1]}").text
    listed = [int(x) for x in re.findall(r'<li><a href="/cases/(\d+)"', page)]
    assert listed[:2] == [ids[1], ids[0]] and other_id not in listed and len(listed) <= 10


def test_a_point_outside_every_grid_without_address_is_refused(
    console: Console, platform: Platform
) -> None:
    before = counts(platform)
    response = console(WORKER).post(
        "/report", data=report(NOWHERE), files=photos(("a.png", tiny_png(), "image/png"))
    )
    assert response.status_code == 422
    assert "无法确定事件位置，请开启定位或填写地址" in response.text
    assert 'id="address-error"' in response.text
    assert counts(platform) == before


def test_an_address_places_a_report_without_coordinates(
    console: Console, platform: Platform
) -> None:
    response = console(WORKER).post("/report", data=report(None, address="田心东社区"))
    case_id = submitted_id(response)
    with transaction(platform.sessions) as session:
        case = session.get(Case, case_id)
        assert case is not None and case.fields["address"] == "田心东社区"
        # 田心东社区 has three grids: the report is placed on the community (its street
        # counts it), not left unplaced.
        community = platform.directory().by_code["SF-TX-C01"]
        assert case.grid_id == community.id


def test_a_non_image_file_rejects_the_whole_report(console: Console, platform: Platform) -> None:
    before = counts(platform)
    files = photos(("a.png", tiny_png(), "image/png"), ("notes.txt", b"not a photo", "text/plain"))
    response = console(WORKER).post("/report", data=report(), files=files)
    assert response.status_code == 422
    assert 'id="photos-error"' in response.text
    assert "照片只能是 JPG、PNG 或 WebP 图片" in response.text
    assert counts(platform) == before
    # A text file renamed .png and sent as image/png is refused too.
    renamed = photos(("fake.png", b"plain text pretending", "image/png"))
    assert console(WORKER).post("/report", data=report(), files=renamed).status_code == 422
    assert counts(platform) == before


def test_more_than_six_photos_are_refused(console: Console, platform: Platform) -> None:
    before = counts(platform)
    files = photos(*[(f"p{i}.png", tiny_png(), "image/png") for i in range(7)])
    response = console(WORKER).post("/report", data=report(), files=files)
    assert response.status_code == 422 and "最多上传 6 张照片" in response.text
    assert counts(platform) == before


def test_missing_description_is_shown_next_to_its_field(
    console: Console, platform: Platform
) -> None:
    before = counts(platform)
    response = console(WORKER).post("/report", data=report(content=""))
    assert response.status_code == 422 and 'id="content-error"' in response.text
    assert counts(platform) == before


def test_locate_shows_the_grid_and_warns_outside_the_workers_own(console: Console) -> None:
    http = console(WORKER)
    own = http.get("/report/locate", params={"longitude": INSIDE_G01[0], "latitude": INSIDE_G01[1]})
    assert own.status_code == 200
    assert "田心东社区第一网格" in own.text and "田心东社区" in own.text
    assert "place-outside" not in own.text
    other = http.get(
        "/report/locate", params={"longitude": INSIDE_G02[0], "latitude": INSIDE_G02[1]}
    )
    assert "田心东社区第二网格" in other.text and 'id="place-outside"' in other.text
    nowhere = http.get("/report/locate", params={"longitude": NOWHERE[0], "latitude": NOWHERE[1]})
    assert "坐标不在本区任何网格内" in nowhere.text


def test_a_report_outside_the_own_grid_is_still_accepted(
    console: Console, platform: Platform
) -> None:
    case_id = submitted_id(console(WORKER).post("/report", data=report(INSIDE_G02)))
    with transaction(platform.sessions) as session:
        case = session.get(Case, case_id)
        assert case is not None and case.grid_id is not None
        assert platform.directory().by_id[case.grid_id].name == "田心东社区第二网格"


@pytest.mark.parametrize("username", ["operator1", "cgj_handler"])
def test_others_get_a_friendly_403(console: Console, platform: Platform, username: str) -> None:
    http = console(username)
    page = http.get("/report")
    assert page.status_code == 403 and "无法使用网格员上报" in page.text
    before = counts(platform)
    assert http.post("/report", data=report()).status_code == 403
    assert http.get("/report/locate", params={"longitude": "113.16"}).status_code == 403
    assert counts(platform) == before


def test_signed_out_goes_to_login(server: ServerThread) -> None:
    with httpx.Client(base_url=server.url, follow_redirects=False, verify=TLS) as http:
        response = http.get("/report")
        assert response.status_code == 303 and "/login" in response.headers["location"]


def test_an_empty_file_input_is_no_photo(console: Console, platform: Platform) -> None:
    """A browser sends an empty, nameless part when no photo was chosen."""
    before = counts(platform)
    files = photos(("", b"", "application/octet-stream"))
    case_id = submitted_id(console(WORKER).post("/report", data=report(), files=files))
    assert counts(platform)[:2] == (before[0] + 1, before[1])
    assert case_id > 0


def test_a_grid_worker_lands_on_the_report_form(server: ServerThread) -> None:
    # The walk: a grid worker signed in to an empty 工作台 instead of 上报.
    with browser_client(server.url) as http:
        response = http.post("/login", data={"username": WORKER, "password": PASSWORD})
        assert response.status_code == 303
        assert response.headers["location"] == "/report"
        assert http.get("/").headers["location"] == "/report"


def test_a_department_handler_still_lands_on_the_work_list(console: Console) -> None:
    assert console("cgj_handler").get("/").headers["location"] == "/work"


def test_the_worker_sees_their_own_name_unmasked_on_their_report(
    console: Console, platform: Platform
) -> None:
    # The walk: the grid worker saw themselves as 来电人「彭*」.
    http = console(WORKER)
    case_id = submitted_id(http.post("/report", data=report()))
    fields = http.get(f"/cases/{case_id}").text.split('id="case-fields"', 1)[1]
    fields = fields.split("</dl>", 1)[0]
    assert "<dt>来电人</dt><dd>彭小军</dd>" in fields
    # Others whose role sees names masked still see it masked.
    other = console("cgj_handler").get(f"/cases/{case_id}")
    assert "彭小军" not in other.text or other.status_code == 404
