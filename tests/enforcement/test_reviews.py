"""评查任务: a penalty case is reviewed by the machine when it closes; files from other systems
are imported and reviewed at once; the reviewer's verdict stands beside the machine's; the
report gives each unit's scores, where the two differ and the most frequent defects."""

from __future__ import annotations

import uuid

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.api.test_penalty_case import walk_to_closing
from tests.enforcement.review.files import clean_general, without
from tests.support import FakeClock

URL = "/api/v1/case-file-reviews"


def test_a_closed_case_is_reviewed_by_the_machine_and_judged_by_the_reviewer(
    login: Login, clock: FakeClock
) -> None:
    case_id = walk_to_closing(login, clock, identity=False)
    reviewer = login("case_reviewer")
    pending = reviewer.get(URL, params={"status": "pending"}).json()["items"]
    task = next(t for t in pending if t["case_id"] == case_id)
    assert task["source"] == "platform" and task["machine"]["score"] == 97
    assert task["agency"] == "石峰区城市管理综合执法大队"
    assert [f["defect"] for f in task["machine"]["findings"]] == ["identity_proof_missing"]

    url = f"{URL}/{task['id']}/verdict"
    assert_error(login("cgj_enforcer").post(url, json={"score": 90}), 403, "forbidden_role")
    assert assert_error(reviewer.post(url, json={"score": 120}), 422)["field"] == "score"
    close = reviewer.post(url, json={"score": 95, "note": "缺身份证复印件（测试）"}).json()
    assert close["status"] == "done" and close["differs"] is False
    apart = reviewer.post(url, json={"score": 80, "note": "另有送达问题（测试）"}).json()
    assert apart["differs"] is True and apart["reviewer"]["score"] == 80


def test_an_outside_file_is_imported_reviewed_and_reported_by_unit(login: Login) -> None:
    reviewer = login("case_reviewer")
    agency = f"某区市场监督管理局{uuid.uuid4().hex[:4]}（测试）"
    files = [
        {**clean_general(), "agency": {"name": agency}},
        {**without(clean_general(), "service_proof"), "agency": {"name": agency}},
    ]
    for i, manifest in enumerate(files):
        created = reviewer.post(URL, json={"file": f"外部{i}", "manifest": manifest})
        assert created.status_code == 201, created.text
    bad = reviewer.post(URL, json={"file": "坏", "manifest": {"format": "fazhi-case-file/1"}})
    assert assert_error(bad, 422, "invalid_manifest")["field"] == "procedure"
    assert_error(login("operator1").post(URL, json={"manifest": files[0]}), 403)

    units = login("supervisor1").get(f"{URL}/report").json()["units"]
    row = next(u for u in units if u["agency"] == agency)
    assert (row["files"], row["reviewed"], row["differ"]) == (2, 0, 0)
    assert row["machine_mean"] < 100 and row["reviewer_mean"] is None
    assert {d["defect"] for d in row["top_defects"]} >= {"service_proof_missing"}
