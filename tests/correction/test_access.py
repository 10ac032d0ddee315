"""Only the judicial bureau's correction officers and the judicial offices see these records:
every other role gets nothing from every endpoint and page (403 for the office's views, 404
for anything of a subject's, as if it did not exist); another office sees none of this
office's subjects; every opening of a subject's file is an event of the case; the export is
masked and watermarked."""

from __future__ import annotations

import pytest

from tests.api.conftest import Login
from tests.correction.support import BUREAU, CASES, OFFICER, OTHER_OFFICE, at, register
from tests.support import FakeClock
from tests.web.conftest import Console

# One holder of every other role of the demo organisation, the district's leaders and its
# administrator included, and the bureau's other judicial staff (legal aid, reconsideration,
# legality review, case-file review): need to know, not rank, opens these files.
OUTSIDERS = (
    "operator1",
    "dispatcher1",
    "supervisor1",
    "leader1",
    "admin",
    "cgj_handler",
    "cgj_leader",
    "tx_handler",
    "grid_tx_c01_g01",
    "tx_mediator",
    "cgj_legal",
    "tx_enforcer",
    "case_reviewer",
    "sfj_legality",
    "sfj_aid",
    "sfj_fuyi",
    "rsj_arbitrator",
    "rsj_inspector",
)


@pytest.fixture
def subject(login: Login, clock: FakeClock) -> int:
    officer = login(OFFICER)
    at(clock, "2023-05-08")
    case_id = int(
        register(officer, judgment_effective_on="2023-05-08", term_start="2023-05-08")["id"]
    )
    officer.act(case_id, "report_in", reported_on="2023-05-08")
    return case_id


@pytest.mark.parametrize("username", OUTSIDERS)
def test_every_other_role_gets_nothing_from_the_endpoints(
    login: Login, subject: int, username: str
) -> None:
    client = login(username)
    # The office's views are refused; a subject's endpoints answer as if it did not exist.
    for path in ("/api/v1/correction/day", "/api/v1/correction/day.csv"):
        response = client.get(path)
        assert response.status_code == 403, (path, response.text)
        assert response.json()["code"] == "forbidden_role"
    history = client.get(f"/api/v1/correction/subjects/{subject}/history")
    assert history.status_code == 404 and "测试社区矫正人员" not in history.text
    bound = client.post(
        f"/api/v1/correction/subjects/{subject}/devices", json={"device_id": "T-OUTSIDER"}
    )
    assert bound.status_code == 404
    assert client.get(f"{CASES}/{subject}").status_code == 404
    assert client.get(f"{CASES}/{subject}/events").status_code == 404
    for type_name in ("community_correction", "correction_anomaly", "resettlement"):
        listed = client.get(CASES, params={"type": type_name})
        assert listed.status_code != 200 or listed.json()["total"] == 0
    assert client.post(CASES, json={"type": "community_correction", "fields": {}}).status_code in (
        403,
        404,
        422,
    )


@pytest.mark.parametrize("username", OUTSIDERS)
def test_every_other_role_gets_nothing_from_the_pages(
    console: Console, subject: int, username: str
) -> None:
    http = console(username)
    assert http.get("/correction").status_code == 403
    assert http.get(f"/correction/subjects/{subject}").status_code == 404
    assert http.get(f"/cases/{subject}").status_code == 404
    assert "社区矫正" not in http.get("/cases").text


def test_another_office_sees_none_of_this_offices_subjects(login: Login, subject: int) -> None:
    other = login(OTHER_OFFICE)
    day = other.get("/api/v1/correction/day").json()
    assert subject not in [s["id"] for s in day["subjects"]]
    assert other.get(f"/api/v1/correction/subjects/{subject}/history").status_code == 404
    assert other.get(f"{CASES}/{subject}").status_code == 404
    # The bureau's officer sees every office's subjects.
    bureau = login(BUREAU).get("/api/v1/correction/day").json()
    assert subject in [s["id"] for s in bureau["subjects"]]


def test_every_opening_of_a_subjects_file_is_an_event(login: Login, subject: int) -> None:
    officer = login(OFFICER)

    def reads() -> list[dict[str, object]]:
        events = officer.get(f"{CASES}/{subject}/events").json()["items"]
        return [e for e in events if e["action"] == "read"]

    before = len(reads())
    assert login(BUREAU).get(f"/api/v1/correction/subjects/{subject}/history").status_code == 200
    after = reads()
    # The history read and the events listing itself are both recorded.
    assert len(after) >= before + 1
    assert any(
        e["payload"].get("read") == "history" and e["actor"]["username"] == BUREAU for e in after
    )


def test_the_day_view_and_the_subjects_file_open_for_the_officer(
    console: Console, subject: int
) -> None:
    http = console(OFFICER)
    page = http.get("/correction")
    assert page.status_code == 200 and f'data-subject="{subject}"' in page.text
    file = http.get(f"/correction/subjects/{subject}")
    assert file.status_code == 200 and "本次查阅已记录" in file.text


def test_the_export_is_masked_and_names_who_took_it_and_when(login: Login, subject: int) -> None:
    response = login(OFFICER).get("/api/v1/correction/day.csv")
    assert response.status_code == 200
    lines = response.text.lstrip("\ufeff").splitlines()
    assert "导出人：陆建华（tx_sfs）" in lines[0] and "导出时间：" in lines[0]
    assert "测试社区矫正人员" not in response.text  # names masked: the file leaves the platform
