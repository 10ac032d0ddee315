"""法治督查 over the API: a visit to 区城管局 with its findings, each with a rectification
requirement and a due date; the unit reports, the inspectors verify (or send it back); the
visit cannot close while a finding is open, unless a district leader closes it with a reason.
All names are synthetic."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.support import ApiClient

CASES = "/api/v1/cases"
REVIEWER = "sfj_legality"


def unit_id(client: ApiClient, code: str) -> int:
    units = client.get("/api/v1/units").json()
    items = units["items"] if isinstance(units, dict) else units
    return int(next(u["id"] for u in items if u["code"] == code))


def visit(reviewer: ApiClient, unit: int) -> int:
    fields = {
        "subject": "行政执法工作法治督查（测试）",
        "inspected_unit": unit,
        "visited_on": "2023-06-01",
        "inspectors": "督查组（测试）",
        "three_systems_checked": True,
        "report_heard": True,
        "files_sampled": 10,
    }
    response = reviewer.post(CASES, json={"type": "rule_of_law_inspection", "fields": fields})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def refusal(client: ApiClient, case_id: int, action: str, **inputs: Any) -> str:
    response = client.post(f"{CASES}/{case_id}/actions/{action}", json={"inputs": inputs})
    return str(assert_error(response, 422)["message"])


def finding(reviewer: ApiClient, case_id: int, text: str) -> None:
    reviewer.act(case_id, "add_finding", finding=text, requirement="逐卷整改", due_on="2023-07-01")


def test_a_visit_closes_only_when_every_finding_is_rectified(login: Login) -> None:
    reviewer, unit, leader = login(REVIEWER), login("cgj_handler"), login("leader1")
    case_id = visit(reviewer, unit_id(reviewer, "SF-CGJ"))
    assert "直接办结" in refusal(reviewer, case_id, "give_feedback", feedback="当场反馈")
    finding(reviewer, case_id, "案卷文书不规范（测试）")
    finding(reviewer, case_id, "公示信息未及时更新（测试）")
    finding(reviewer, case_id, "执法记录仪使用不规范（测试）")
    reviewer.act(case_id, "give_feedback", feedback="当场反馈评查情况")
    assert "未整改" in refusal(reviewer, case_id, "close")

    unit.act(case_id, "report_rectification", number=1, report="已整改")
    # Verified only once reported; a failed verification sends it back.
    assert "第2条" in refusal(reviewer, case_id, "verify_rectification", number=2, passed="passed")
    back = reviewer.act(case_id, "verify_rectification", number=1, passed="failed", note="不到位")
    assert back["fields"]["findings"][0]["status"] == "open"
    unit.act(case_id, "report_rectification", number=1, report="再次整改")
    reviewer.act(case_id, "verify_rectification", number=1, passed="passed")
    unit.act(case_id, "report_rectification", number=2, report="已更新公示")
    done = reviewer.act(case_id, "verify_rectification", number=2, passed="passed")
    assert done["fields"]["open_findings"] == 1
    assert "未整改" in refusal(reviewer, case_id, "close")
    # The reviewer may not waive a finding; a district leader may, with the reason.
    response = reviewer.post(
        f"{CASES}/{case_id}/actions/waive_finding", json={"inputs": {"number": 3, "reason": "x"}}
    )
    assert_error(response, 403)
    assert refusal(leader, case_id, "waive_finding", number=3) != ""
    leader.act(case_id, "waive_finding", number=3, reason="设备已报废更新，问题不复存在")
    closed = reviewer.act(case_id, "close")
    assert closed["state"] == "closed"

    rows = reviewer.get("/api/v1/legality/findings", params={"year": 2023}).json()["items"]
    mine = [r for r in rows if r["case_id"] == case_id]
    assert [r["status"] for r in mine] == ["verified", "verified", "waived"]
    assert mine[0]["inspected_unit"] == "石峰区城市管理和综合执法局"


def test_another_unit_may_not_report_for_the_inspected_one(login: Login) -> None:
    reviewer = login(REVIEWER)
    case_id = visit(reviewer, unit_id(reviewer, "SF-CGJ"))
    finding(reviewer, case_id, "问题（测试）")
    reviewer.act(case_id, "give_feedback", feedback="反馈")
    response = login("zjj_handler").post(
        f"{CASES}/{case_id}/actions/report_rectification",
        json={"inputs": {"number": 1, "report": "x"}},
    )
    assert response.status_code in (403, 404), response.text
