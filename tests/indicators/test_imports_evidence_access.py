"""Figures from other systems come in through the source's template, row by row: a file with
bad rows is refused whole with every bad row named and nothing written; a good one is one
batch with its file hash and importer, and its figures stand beside the computed ones (a
rate only for exactly its period, counts adding up over the period). Evidence for an item
the platform cannot evidence is uploaded with uploader and time and turns the item's status;
an item the platform evidences takes none. Readers are the district leader, the rule-of-law
office and admin; a hotline operator is refused everywhere with a Chinese JSON error."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Login
from tests.indicators.support import OFFICE, sheets, upload, value, workbook

YEAR = {"year": "2022"}


def item(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for a in body["areas"] for i in a["items"] if i["code"] == code)


def test_a_bad_file_is_refused_whole_with_every_bad_row_named(login: Login) -> None:
    office = login(OFFICE)
    before = office.get("/api/v1/indicators/imports", params={"source": "service_hall"}).json()
    data = workbook(
        [
            ["items_handled", "", "2022-01-01", "2022-12-31", "", 73707, "件", ""],
            ["no_such_figure", "", "2022-01-01", "2022-12-31", "", 1, "", ""],
            ["free_seals", "", "2022-12-31", "2022-01-01", "", 1648, "", ""],
            ["free_photos", "", "2022-01-01", "2022-12-31", "SF-NOWHERE", "十", "", ""],
            ["satisfaction_rate", "", "2022-01-01", "2022-12-31", "", "99.98", "件", ""],
        ]
    )
    response = upload(office, "service_hall", data)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "import_rows"
    messages = [p["message"] for p in body["problems"]]
    assert any(m.startswith("第3行：项目代码“no_such_figure”") for m in messages)
    assert "第4行：期间止早于期间起" in messages
    assert "第5行：单位编码“SF-NOWHERE”不在组织机构中" in messages
    assert "第5行：数值“十”不是数字" in messages
    assert "第6行：计量单位应为“%”" in messages
    assert not any(m.startswith("第2行") for m in messages)
    after = office.get("/api/v1/indicators/imports", params={"source": "service_hall"}).json()
    assert after == before  # nothing of the file was written
    assert value(office, "service.hall_items", **YEAR)["value"] is None


def test_a_good_file_is_one_batch_and_its_figures_stand_beside_the_computed(login: Login) -> None:
    office = login(OFFICE)
    template = office.get("/api/v1/indicators/sources/service_hall/template", params=YEAR)
    rows = sheets(template.content)["数据"]
    assert rows[0][:6] == ("项目代码", "项目名称", "期间起", "期间止", "单位编码", "数值")
    assert rows[1][:2] == ("items_handled", "政务大厅受理、办结办件")
    data = workbook(
        [
            ["items_handled", "", "2022-01-01", "2022-06-30", "", 40000, "件", "上半年"],
            ["items_handled", "", "2022-07-01", "2022-12-31", "", 33707, "件", "下半年"],
            ["satisfaction_rate", "", "2022-01-01", "2022-12-31", "", "99.98%", "%", ""],
            ["free_seals", "", "2022-01-01", "2022-12-31", "", None, "套", "未填不导入"],
        ]
    )
    response = upload(office, "service_hall", data, "政务大厅2022.xlsx")
    assert response.status_code == 201, response.text
    batch = response.json()
    assert (batch["rows"], batch["skipped"], batch["filename"]) == (3, 1, "政务大厅2022.xlsx")
    assert len(batch["sha256"]) == 64
    hall = value(office, "service.hall_items", **YEAR)
    assert (hall["value"], hall["display"], hall["computed"]) == (73707, "73707件", False)
    rate = value(office, "service.satisfaction_rate", **YEAR)
    assert rate["display"] == "99.98%" and rate["met"] is True
    # The first half alone: the count of that half; the year's rate is not a half's.
    half = {"from": "2022-01-01", "to": "2022-06-30"}
    assert value(office, "service.hall_items", **half)["value"] == 40000
    assert value(office, "service.satisfaction_rate", **half)["value"] is None
    ledger = office.get("/api/v1/indicators/service.hall_items/ledger", params=YEAR).json()
    (sheet,) = ledger["sheets"]
    assert sheet["count"] == 2 and sheet["total"] == 73707
    assert {r[10] for r in sheet["rows"]} == {"方治平"}  # the importer
    # A later import of the same period supersedes the value; both batches stay listed.
    again = upload(
        office,
        "service_hall",
        workbook([["items_handled", "", "2022-07-01", "2022-12-31", "", 33708, "件", "更正"]]),
    )
    assert again.status_code == 201
    assert value(office, "service.hall_items", **YEAR)["value"] == 73708


def test_targets_are_imported_per_indicator_and_completion_follows(login: Login) -> None:
    office = login(OFFICE)
    response = upload(
        office,
        "targets",
        workbook([["legal_aid.accepted", "", "2022-01-01", "2022-12-31", "", 2, "件", ""]]),
    )
    assert response.status_code == 201, response.text
    done = value(office, "legal_aid.completion", **YEAR)
    accepted = value(office, "legal_aid.accepted", **YEAR)["value"]
    assert done["target"] == 2 and done["target_display"] == "2件"
    assert done["value"] == accepted / 2


def test_evidence_is_uploaded_for_items_the_platform_cannot_evidence(login: Login) -> None:
    office = login(OFFICE)
    scheme = "/api/v1/indicators/schemes/demonstration_2021"
    before = office.get(scheme, params=YEAR).json()
    assert item(before, "2.2")["evidence"] == "awaiting_upload"
    files = {"file": ("备案报告（测试合成）.pdf", b"%PDF-1.4 synthetic", "application/pdf")}
    added = office.http.post(
        f"{scheme}/items/2.2/evidence", data={"year": "2022", "note": "测试"}, files=files
    )
    assert added.status_code == 201, added.text
    after = item(office.get(scheme, params=YEAR).json(), "2.2")
    assert after["evidence"] == "uploaded" and after["completion"] == 1
    assert after["files"][0]["uploaded_by"] == "方治平"
    download = office.get(f"/api/v1/indicators/evidence/{added.json()['id']}/file")
    assert download.content == b"%PDF-1.4 synthetic"
    platform_item = office.http.post(
        f"{scheme}/items/1.3/evidence", data={"year": "2022"}, files=files
    )
    assert (
        platform_item.status_code == 422 and platform_item.json()["code"] == "evidence_by_platform"
    )
    leader = login("leader1").http.post(
        f"{scheme}/items/2.2/evidence", data={"year": "2022"}, files=files
    )
    assert leader.status_code == 403 and leader.json()["code"] == "forbidden_role"
    withdrawn = office.post(
        f"/api/v1/indicators/evidence/{added.json()['id']}/withdraw", json={"reason": "上传错误"}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert item(office.get(scheme, params=YEAR).json(), "2.2")["evidence"] == "awaiting_upload"


def test_readers_are_leaders_the_office_and_admin_and_errors_are_chinese_json(login: Login) -> None:
    for reader in ("leader1", OFFICE, "admin"):
        assert login(reader).get("/api/v1/indicators", params=YEAR).status_code == 200
    for outsider in ("operator1", "tx_mediator", "cgj_handler"):
        for path in (
            "/api/v1/indicators",
            "/api/v1/indicators/mediation.concluded/ledger",
            "/api/v1/indicators/schemes/demonstration_2021",
        ):
            response = login(outsider).get(path, params=YEAR)
            assert response.status_code == 403, (outsider, path)
            assert (
                response.json()["code"] == "forbidden_role"
                and "法治指标" in response.json()["message"]
            )
    office = login(OFFICE)
    bad_year = office.get("/api/v1/indicators", params={"year": "20x3"})
    assert (bad_year.status_code, bad_year.json()["code"]) == (422, "bad_year")
    unknown = office.get("/api/v1/indicators/nothing.here")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_indicator")
    unit = office.get("/api/v1/indicators", params={"year": "2022", "unit": "SF-NOWHERE"})
    assert (unit.status_code, unit.json()["code"]) == (422, "unknown_unit")
    not_xlsx = upload(office, "service_hall", b"not a workbook")
    assert (not_xlsx.status_code, not_xlsx.json()["code"]) == (422, "bad_workbook")
    operator = upload(login("operator1"), "service_hall", workbook([]))
    assert operator.status_code in (403, 422)
