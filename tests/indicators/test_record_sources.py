"""An indicator that counts a type package's own records (`records:`): 组织评查行政执法案卷
counts the case files a reviewer gave a verdict in the period — an imported file and a
platform case alike, each for the unit that kept it — and its ledger lists exactly those
files; a file the machine reviewed but no reviewer judged is not counted. A catalogue naming
a record source no package registers is refused. Synthetic files only."""

from __future__ import annotations

import uuid

import pytest

from fazhi.analytics.record_sources import record_source_names
from fazhi.catalog.indicator_catalog import load_indicator_catalog
from fazhi.catalog.registry import default_case_types
from fazhi.domain.indicators.parse import IndicatorCatalogError, parse_catalog
from tests.api.conftest import Login
from tests.api.test_penalty_case import walk_to_closing
from tests.enforcement.review.files import clean_general
from tests.indicators.support import OFFICE, value
from tests.support import FakeClock, at

ID = "enforcement.case_files_reviewed"
REVIEWS = "/api/v1/case-file-reviews"
DAY = "2023-11-28"  # the verdicts' day: a period of that day only holds this test's files
ONE_DAY = {"from": DAY, "to": DAY}


def _import(login: Login, agency: str) -> int:
    reviewer = login("case_reviewer")
    manifest = {**clean_general(), "agency": {"name": agency}}
    created = reviewer.post(
        REVIEWS, json={"file": f"外部{uuid.uuid4().hex[:4]}", "manifest": manifest}
    )
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def _judge(login: Login, task_id: int, score: int) -> None:
    judged = login("case_reviewer").post(
        f"{REVIEWS}/{task_id}/verdict", json={"score": score, "note": "（测试）"}
    )
    assert judged.status_code == 200, judged.text


def test_reviewed_files_are_counted_by_the_day_of_the_verdict_and_listed_in_the_ledger(
    login: Login, clock: FakeClock
) -> None:
    office = login(OFFICE)
    before = value(office, ID, **ONE_DAY)["value"]
    police = value(office, ID, unit="SF-JJDD", **ONE_DAY)["value"]
    city = value(office, ID, unit="SF-CGJ-ZFDD", **ONE_DAY)["value"]
    # A platform case closes (the machine reviews it) and three files come in: nothing counts
    # until a reviewer gives a verdict.
    case_id = walk_to_closing(login, clock, identity=True)
    task = next(
        t
        for t in login("case_reviewer").get(REVIEWS, params={"status": "pending"}).json()["items"]
        if t["case_id"] == case_id
    )
    traffic = _import(login, "株洲市公安局交通警察支队石峰大队")
    outside = _import(login, f"外省某局{uuid.uuid4().hex[:4]}（测试）")
    unjudged = _import(login, "株洲市公安局交通警察支队石峰大队")
    assert value(office, ID, **ONE_DAY)["value"] == before

    at(clock, DAY, 10)
    for task_id in (task["id"], traffic, outside):
        _judge(login, task_id, 95)
    got = value(office, ID, **ONE_DAY)
    assert got["value"] == before + 3 and got["computed"] is True
    assert got["inputs"] == [f"records:{ID}"]
    # The traffic police's file counts for their unit; the outside agency's for the district.
    assert value(office, ID, unit="SF-JJDD", **ONE_DAY)["value"] == police + 1
    # The platform case counts for its lead unit, 城管执法大队.
    assert value(office, ID, unit="SF-CGJ-ZFDD", **ONE_DAY)["value"] == city + 1

    ledger = office.get(f"/api/v1/indicators/{ID}/ledger", params=ONE_DAY).json()
    (sheet,) = ledger["sheets"]
    assert sheet["input"] == f"records:{ID}" and sheet["count"] == got["value"]
    assert sheet["total"] == got["value"]
    assert sheet["columns"][:4] == ["序号", "案卷编号", "执法单位", "来源"]
    sources = [row[3] for row in sheet["rows"]]
    assert sources.count("外部系统导入") >= 2 and "平台案件" in sources
    assert all(row[5] == 95 for row in sheet["rows"][-3:])
    done = login("case_reviewer").get(REVIEWS, params={"status": "done"}).json()["items"]
    assert unjudged not in {t["id"] for t in done}

    # The Excel ledger has the same rows (after its definition sheet).
    xlsx = office.get(f"/api/v1/indicators/{ID}/ledger", params={**ONE_DAY, "format": "xlsx"})
    assert xlsx.status_code == 200


def test_a_record_source_no_package_registers_is_refused() -> None:
    types = list(default_case_types())
    catalog = load_indicator_catalog(types, records=record_source_names())
    assert catalog.indicator(ID) is not None
    assert f"{ID}" in record_source_names()
    spec = {
        "name": "测试",
        "definition": "测试",
        "formula": {"count": "records:enforcement.no_such_source"},
        "unit": "本",
        "owner": "SF",
    }
    area = {"area": "测试", "indicators": {"test.unknown_records": spec}}
    with pytest.raises(IndicatorCatalogError) as refused:
        parse_catalog([("areas/test.yaml", area)], None, [], None, record_source_names())
    assert "no type package registers the record source 'enforcement.no_such_source'" in str(
        refused.value.problems
    )
    nameless = {**spec, "formula": {"count": "records:nodot"}}
    with pytest.raises(IndicatorCatalogError) as bad:
        parse_catalog(
            [("areas/test.yaml", {"area": "测试", "indicators": {"t.x": nameless}})], None, []
        )
    assert "write records:OWNER.NAME" in str(bad.value.problems)
