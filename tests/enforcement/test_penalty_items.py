"""The penalty-item register with discretion benchmarks (裁量基准): imported all or nothing, a
decision's fine held against the benchmark of the circumstance found (refused without a
reason, the warning at decision time), and a fine outside it reported by the file's review
after closing. The demo register (SYNTHETIC) is seeded for every test."""

from __future__ import annotations

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.api.test_penalty_case import CASES, act, add, register, walk_to_closing
from tests.support import FakeClock

ITEMS = "/api/v1/penalty-items"
HEADER = "事项编码,事项名称,实施单位,处罚依据,违法情形,罚款下限,罚款上限\n"
ROAD = {"penalty_item": "CG-0101", "circumstance": "一般情节"}  # 500 to 5,000 yuan


def test_officers_read_the_register_with_each_circumstance_and_its_range(login: Login) -> None:
    body = login("cgj_enforcer").get(ITEMS).json()
    road = next(i for i in body["items"] if i["code"] == "CG-0101")
    assert road["unit"] == "SF-CGJ-ZFDD" and "城市道路管理条例" in road["basis"]
    assert [(b["circumstance"], b["min"], b["max"]) for b in road["benchmarks"]] == [
        ("初次违法且经责令立即改正", 0, 500),
        ("一般情节", 500, 5000),
        ("严重情节", 5000, 20000),
    ]
    assert_error(login("operator1").get(ITEMS), 403, "forbidden_role")


def test_an_import_reports_every_bad_row_and_writes_none(login: Login) -> None:
    admin = login("admin")
    csv = HEADER + (
        "T-1,测试事项一（合成）,SF-CGJ-ZFDD,某条例（测试）,一般,100,50\n"
        "T-2,测试事项二（合成）,NO-SUCH,某条例（测试）,一般,abc,100\n"
        "T-3,测试事项三（合成）,,某条例（测试）,一般,0,100\n"
        "T-3,测试事项三（合成）,,某条例（测试）,一般,100,200\n"
    )
    body = assert_error(admin.post(f"{ITEMS}/import", json={"csv": csv}), 422, "invalid_rows")
    fields = [p["field"] for p in body["problems"]]
    assert fields == ["rows[1].max", "rows[2].unit", "rows[2].min", "rows[4].circumstance"]
    codes = {i["code"] for i in admin.get(ITEMS).json()["items"]}
    assert not codes & {"T-1", "T-2", "T-3"}
    assert_error(
        login("cgj_enforcer").post(f"{ITEMS}/import", json={"csv": HEADER}), 403, "forbidden_role"
    )
    good = (
        HEADER
        + "T-9,测试事项九（合成）,,某条例（测试）,轻微,0,100\n"
        + "T-9,测试事项九（合成）,,某条例（测试）,严重,100,900\n"
    )
    assert admin.post(f"{ITEMS}/import", json={"csv": good}).json() == {"added": 1, "updated": 0}
    again = HEADER + "T-9,测试事项九（合成）,,某条例（测试）,轻微,0,300\n"
    assert admin.post(f"{ITEMS}/import", json={"csv": again}).json() == {"added": 0, "updated": 1}
    t9 = next(i for i in admin.get(ITEMS).json()["items"] if i["code"] == "T-9")
    assert t9["benchmarks"] == [{"circumstance": "轻微", "min": 0, "max": 300}]


def _decision_ready(login: Login) -> int:
    officer = login("cgj_enforcer")
    case_id = register(officer)
    act(officer, case_id, "file")
    add(officer, case_id, "investigation_report")
    act(officer, case_id, "end_investigation")
    act(officer, case_id, "notify_rights", notice_number="石城管告〔2023〕31号")
    add(officer, case_id, "decision_approval")
    return case_id


DECISION = {
    "penalty_kind": "fine",
    "legal_basis": "《城市道路管理条例》第四十二条（测试）",
    "decision_number": "石城管罚决〔2023〕31号",
}


def test_a_fine_outside_the_benchmark_is_refused_until_the_officer_says_why(
    login: Login,
) -> None:
    officer = login("cgj_enforcer")
    case_id = _decision_ready(login)
    url = f"{CASES}/{case_id}/actions/decide"
    over = {**DECISION, **ROAD, "fine_amount": "6000"}
    body = assert_error(officer.post(url, json={"inputs": over}), 422, "outside_benchmark")
    assert body["field"] == "fine_amount"
    assert "500至5000元" in body["message"] and "理由" in body["message"]
    unknown = {**DECISION, "penalty_item": "XX-9", "fine_amount": "600"}
    assert assert_error(officer.post(url, json={"inputs": unknown}), 422)["field"] == "penalty_item"
    wrong = {
        **DECISION,
        "penalty_item": "CG-0101",
        "circumstance": "无此情形",
        "fine_amount": "600",
    }
    refused = assert_error(officer.post(url, json={"inputs": wrong}), 422, "unknown_circumstance")
    assert refused["field"] == "circumstance" and "一般情节" in refused["message"]
    reason = "当事人拒不改正且多次违法（测试）"
    decided = act(officer, case_id, "decide", **over, benchmark_reason=reason)
    assert decided["state"] == "decided"
    assert decided["fields"]["penalty_item"] == "CG-0101"
    assert decided["fields"]["benchmark_reason"] == reason


def test_a_fine_within_the_benchmark_is_decided_and_its_file_reviews_clean(
    login: Login, clock: FakeClock
) -> None:
    case_id = walk_to_closing(login, clock, **ROAD)
    manifest = login("cgj_enforcer").get(f"{CASES}/{case_id}/case-file").json()
    assert manifest["penalty"]["benchmark"] == {
        "item": "CG-0101",
        "name": "擅自占用城市道路经营",
        "circumstance": "一般情节",
        "min": 500,
        "max": 5000,
    }
    result = login("case_reviewer").get(f"{CASES}/{case_id}/case-file/review").json()
    assert result["findings"] == [] and result["score"] == 100


def test_a_fine_decided_outside_the_benchmark_is_a_finding_of_the_review(
    login: Login, clock: FakeClock
) -> None:
    light = {"penalty_item": "CG-0101", "circumstance": "初次违法且经责令立即改正"}
    case_id = walk_to_closing(login, clock, **light, benchmark_reason="多次违法（测试）")
    result = login("case_reviewer").get(f"{CASES}/{case_id}/case-file/review").json()
    assert [(f["rule"], f["defect"], f["document"]) for f in result["findings"]] == [
        ("benchmark.range", "wrong_entry", "decision")
    ]
    assert "0至500元" in result["findings"][0]["message"]
    assert "多次违法（测试）" in result["findings"][0]["message"]
    assert result["score"] == 97
