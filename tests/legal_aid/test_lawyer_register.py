"""The lawyer register over the API: a CSV under Chinese (or English) headers is imported all
or nothing — every bad row is reported at its row and column and none is written — a
licence number already held is updated (a lawyer who stopped practising), each import is in
the admin log, and the register lists each lawyer with the year's assignments. Only the
legal aid centre (and the administrator) keeps it. Synthetic lawyers only."""

from __future__ import annotations

from sqlalchemy import select

from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import AdminLog
from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.legal_aid.conftest import OFFICER

IMPORT = "/api/v1/legal-aid/lawyers/import"
HEADER = "执业证号,姓名,律师事务所,执业领域,在册\n"


def listed(login: Login) -> dict[str, dict]:
    body = login(OFFICER).get("/api/v1/legal-aid/lawyers", params={"year": 2023}).json()
    return {r["licence_number"]: r for r in body["items"]}


def test_a_file_with_bad_rows_is_refused_whole_naming_every_row(login: Login) -> None:
    csv = (
        HEADER
        + "R1430001,测试律师丁,测试律师事务所三（合成）,刑事,是\n"
        + ",测试律师戊,测试律师事务所三（合成）,民事,是\n"
        + "R1430001,测试律师己,,民事,也许\n"
    )
    body = assert_error(login(OFFICER).post(IMPORT, json={"csv": csv}), 422, "invalid_rows")
    fields = [p["field"] for p in body["problems"]]
    assert body["field"] == "rows[2].licence_number"
    assert "2行有误" in body["message"] and "第3行" in body["message"]
    assert fields == [
        "rows[2].licence_number",
        "rows[3].licence_number",
        "rows[3].law_firm",
        "rows[3].active",
    ]
    assert "R1430001" not in listed(login)  # nothing of the batch was written
    unknown = login(OFFICER).post(IMPORT, json={"csv": "证号,姓名\n1,2\n"})
    assert assert_error(unknown, 422, "unknown_columns")["field"] == "file"
    huge = "x" * 140_000  # beyond the csv module's field limit
    broken = login(OFFICER).post(IMPORT, json={"csv": HEADER + f"R1,甲,所,{huge},是\n"})
    assert assert_error(broken, 422, "bad_csv")["field"] == "file"


def test_a_good_file_adds_then_updates_and_is_logged(login: Login, platform: Platform) -> None:
    first = HEADER + "R1430002,测试律师庚,测试律师事务所三（合成）,刑事辩护,是\n"
    response = login(OFFICER).post(IMPORT, json={"csv": first})
    assert response.status_code == 200, response.text
    assert response.json() == {"added": 1, "updated": 0}
    assert listed(login)["R1430002"]["active"] is True
    english = (
        "licence_number,name,law_firm,active\nR1430002,测试律师庚,测试律师事务所四（合成）,否\n"
    )
    assert login("admin").post(IMPORT, json={"csv": english}).json() == {"added": 0, "updated": 1}
    row = listed(login)["R1430002"]
    assert row["active"] is False and row["law_firm"] == "测试律师事务所四（合成）"
    with transaction(platform.sessions) as session:
        logged = session.scalars(
            select(AdminLog).where(AdminLog.action == "lawyers_imported")
        ).all()
    assert {entry.actor_username for entry in logged} >= {OFFICER, "admin"}


def test_only_the_centre_and_the_administrator_keep_the_register(login: Login) -> None:
    row = HEADER + "R1430003,测试律师辛,测试律师事务所三（合成）,民事,是\n"
    for username in ("operator1", "tx_handler", "tx_sfs", "leader1"):
        assert_error(login(username).post(IMPORT, json={"csv": row}), 403, "forbidden_role")
    assert "R1430003" not in listed(login)
    # The district leader reads it.
    assert (
        login("leader1").get("/api/v1/legal-aid/lawyers", params={"year": 2023}).status_code == 200
    )
