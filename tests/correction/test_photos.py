"""The check-in photo (打卡照片): the terminal's JPEG or PNG is kept whole in the platform's blob
store and its sha256 in the check-in's event; an officer who may see the subject opens it from
the subject's file and the day view, each opening a recorded read like every other look at
the file; every other role gets what it gets for the rest of a subject's file (404, as if it
did not exist); a photo that is not a JPEG or PNG by its bytes, or over 2 MB, is refused."""

from __future__ import annotations

import hashlib

import pytest

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.correction.support import BUREAU, CASES, OFFICER, OTHER_OFFICE, at, check_in, supervised
from tests.support import FakeClock, ServerThread
from tests.web.conftest import Console

# The smallest well-formed files of each kind are not needed: the type is judged by the
# leading bytes (the magic number), the rest is the terminal's business. Synthetic bytes.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + bytes(200)
GIF = b"GIF89a" + bytes(100)


def _reads(officer: object, case_id: int) -> list[dict[str, object]]:
    events = officer.get(f"{CASES}/{case_id}/events").json()["items"]  # type: ignore[attr-defined]
    return [e for e in events if e["action"] == "read"]


@pytest.fixture
def photographed(login: Login, clock: FakeClock, server: ServerThread) -> tuple[int, str]:
    """A subject checked in on 2023-06-12 at 09:00 with the JPEG; (case id, its sha256)."""
    officer = login(OFFICER)
    case_id, device, token = supervised(officer, clock, "2023-06-12")
    at(clock, "2023-06-12", 9)
    done = check_in(server, device, token, photo=JPEG)
    assert done.status_code == 201, done.text
    return case_id, hashlib.sha256(JPEG).hexdigest()


def test_the_photo_is_kept_whole_and_opened_from_the_file_each_opening_recorded(
    login: Login, photographed: tuple[int, str]
) -> None:
    case_id, digest = photographed
    officer = login(OFFICER)
    events = officer.get(f"{CASES}/{case_id}/events").json()["items"]
    (taken,) = [e for e in events if e["action"] == "check_in"]
    assert taken["payload"]["inputs"]["photo_digest"] == digest  # the digest in the trail
    history = officer.get(f"/api/v1/correction/subjects/{case_id}/history").json()
    (entry,) = history["check_ins"]
    url = f"/api/v1/correction/subjects/{case_id}/photos/{digest}"
    assert entry["photo_digest"] == digest and entry["photo_url"] == url
    before = len(_reads(officer, case_id))
    bureau = login(BUREAU)
    photo = bureau.get(url)
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg" and photo.content == JPEG
    assert "no-store" in photo.headers["cache-control"]
    reads = _reads(officer, case_id)
    opened = [
        e for e in reads if e["payload"].get("read") == "photo" and e["actor"]["username"] == BUREAU
    ]
    assert len(opened) == 1 and opened[0]["payload"]["photo_digest"] == digest
    assert len(reads) > before


def test_the_day_view_links_todays_photo(
    login: Login, clock: FakeClock, photographed: tuple[int, str]
) -> None:
    case_id, digest = photographed
    at(clock, "2023-06-12", 11)
    day = login(OFFICER).get("/api/v1/correction/day").json()
    (mine,) = [s for s in day["subjects"] if s["id"] == case_id]
    assert mine["photo_url"] == f"/api/v1/correction/subjects/{case_id}/photos/{digest}"
    at(clock, "2023-06-13", 8)  # a new day, no check-in yet: no photo of today
    day = login(OFFICER).get("/api/v1/correction/day").json()
    (mine,) = [s for s in day["subjects"] if s["id"] == case_id]
    assert mine["photo_url"] is None


@pytest.mark.parametrize("username", ["operator1", "tx_handler", "admin", "sfj_aid", OTHER_OFFICE])
def test_no_one_else_sees_the_photo(
    login: Login, photographed: tuple[int, str], username: str
) -> None:
    case_id, digest = photographed
    url = f"/api/v1/correction/subjects/{case_id}/photos/{digest}"
    response = login(username).get(url)
    assert response.status_code == 404 and response.content != JPEG
    assert response.json()["code"] == "not_found"


def test_a_digest_that_is_no_check_in_photo_of_this_subject_is_not_found(
    login: Login, clock: FakeClock, server: ServerThread, photographed: tuple[int, str]
) -> None:
    case_id, digest = photographed
    officer = login(OFFICER)
    other_id, device, token = supervised(officer, clock, "2023-06-12")
    at(clock, "2023-06-12", 9, 30)
    assert check_in(server, device, token, photo=PNG).status_code == 201
    # The photo exists, but it is the first subject's: not reachable through another's file.
    assert officer.get(f"/api/v1/correction/subjects/{other_id}/photos/{digest}").status_code == 404
    assert (
        officer.get(f"/api/v1/correction/subjects/{case_id}/photos/{'0' * 64}").status_code == 404
    )
    assert (
        officer.get(f"/api/v1/correction/subjects/{case_id}/photos/not-a-digest").status_code == 404
    )
    png = officer.get(
        f"/api/v1/correction/subjects/{other_id}/photos/{hashlib.sha256(PNG).hexdigest()}"
    )
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"


def test_a_photo_must_be_a_jpeg_or_png_of_at_most_2_mb(
    login: Login, clock: FakeClock, server: ServerThread
) -> None:
    officer = login(OFFICER)
    case_id, device, token = supervised(officer, clock, "2023-06-14")
    at(clock, "2023-06-14", 9)
    assert_error(check_in(server, device, token, photo=GIF), 415, "unsupported_media_type")
    big = b"\xff\xd8\xff\xe0" + bytes(2 * 1024 * 1024)
    assert_error(check_in(server, device, token, photo=big), 413, "photo_too_large")
    assert_error(check_in(server, device, token, photo="不是Base64"), 422, "invalid_photo")
    # Nothing was taken: the day's check-in is still open, and a photo of 2 MB is taken.
    whole = b"\xff\xd8\xff\xe0" + bytes(2 * 1024 * 1024 - 4)
    assert check_in(server, device, token, photo=whole).status_code == 201
    digest = hashlib.sha256(whole).hexdigest()
    photo = officer.get(f"/api/v1/correction/subjects/{case_id}/photos/{digest}")
    assert photo.status_code == 200 and photo.content == whole


def test_the_console_shows_the_photo_from_the_file(
    console: Console, photographed: tuple[int, str]
) -> None:
    case_id, digest = photographed
    http = console(OFFICER)
    page = http.get(f"/correction/subjects/{case_id}")
    link = f"/correction/subjects/{case_id}/photos/{digest}"
    assert page.status_code == 200 and f'href="{link}"' in page.text
    photo = http.get(link)
    assert photo.status_code == 200 and photo.content == JPEG
    assert console("operator1").get(link).status_code == 404
