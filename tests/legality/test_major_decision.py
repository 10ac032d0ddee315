"""重大行政决策 over the API: the year's catalogue is drafted item by item and published with
its date and address (then listed on the public page without sign-in); a decision's decide
action is refused until public participation, expert argument, risk assessment, legality
review and collective discussion are on record, and collective discussion waits for a
lawful legality review. All names are synthetic."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.support import ApiClient

CASES = "/api/v1/cases"
REVIEWER = "sfj_legality"


def create(client: ApiClient, type_name: str, **fields: Any) -> int:
    response = client.post(CASES, json={"type": type_name, "fields": fields})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def refusal(client: ApiClient, case_id: int, action: str, **inputs: Any) -> dict[str, Any]:
    response = client.post(f"{CASES}/{case_id}/actions/{action}", json={"inputs": inputs})
    return assert_error(response, 422)


def test_the_catalogue_is_drafted_published_and_public(
    login: Login, anonymous: httpx.Client
) -> None:
    reviewer = login(REVIEWER)
    case_id = create(reviewer, "major_decision_catalogue", year=2031, title="2031年目录（测试）")
    assert (
        "还没有决策事项"
        in refusal(
            reviewer, case_id, "publish", published_on="2031-03-01", url="http://gov.example/ml"
        )["message"]
    )
    for title in ("停车设施专项规划（测试）", "垃圾分类实施方案（测试）", "删除的事项（测试）"):
        reviewer.act(case_id, "add_item", item_title=title, undertaking_unit="区住建局")
    assert (
        refusal(
            reviewer,
            case_id,
            "add_item",
            item_title="停车设施专项规划（测试）",
            undertaking_unit="区住建局",
        )["field"]
        == "item_title"
    )
    reviewer.act(case_id, "remove_item", number=3)
    bad = refusal(reviewer, case_id, "publish", published_on="2031-03-01", url="gov.example")
    assert bad["field"] == "url" and "http" in bad["message"]
    # Not yet published: the public list does not carry it.
    public = anonymous.get("/api/v1/public/major-decision-catalogues", params={"year": 2031})
    assert public.status_code == 200 and public.json()["count"] == 0
    reviewer.act(case_id, "publish", published_on="2031-03-01", url="http://gov.example/ml")

    public = anonymous.get("/api/v1/public/major-decision-catalogues", params={"year": 2031})
    (catalogue,) = public.json()["items"]
    assert catalogue["published_on"] == "2031-03-01"
    assert [i["title"] for i in catalogue["items"]] == [
        "停车设施专项规划（测试）",
        "垃圾分类实施方案（测试）",
    ]
    page = anonymous.get("/public/major-decisions", params={"year": 2031})
    assert page.status_code == 200 and "垃圾分类实施方案（测试）" in page.text
    listed = reviewer.get("/api/v1/legality/catalogues", params={"year": 2031}).json()
    assert listed["items"][0]["state"] == "published"
    # A unit's staff may not draft the catalogue.
    response = login("cgj_handler").post(
        CASES, json={"type": "major_decision_catalogue", "fields": {"year": 2031, "title": "x"}}
    )
    assert response.status_code == 403, response.text


def test_a_decision_is_refused_until_its_procedure_is_on_record(login: Login) -> None:
    unit, leader, reviewer = login("cgj_handler"), login("cgj_leader"), login(REVIEWER)
    case_id = create(unit, "major_decision", title="某专项方案（测试）", year=2023, summary="草案")
    decide = {"decision": "adopted", "decided_on": "2023-06-01"}
    assert "公众参与" in refusal(leader, case_id, "decide", **decide)["message"]
    assert (
        "不能早于"
        in refusal(
            unit,
            case_id,
            "record_participation",
            participation_from="2023-05-10",
            participation_to="2023-05-01",
            participation_opinions=3,
            participation_record="公开征求意见",
        )["message"]
    )
    unit.act(
        case_id,
        "record_participation",
        participation_from="2023-04-01",
        participation_to="2023-05-01",
        participation_opinions=3,
        participation_record="公开征求意见",
    )
    assert "专家论证" in refusal(leader, case_id, "decide", **decide)["message"]
    unit.act(case_id, "record_expert_argument", expert_on="2023-05-05", expert_record="可行")
    assert "风险评估" in refusal(leader, case_id, "decide", **decide)["message"]
    unit.act(
        case_id,
        "record_risk_assessment",
        risk_on="2023-05-08",
        risk_level="low",
        risk_record="风险低",
    )
    assert "合法性审查" in refusal(leader, case_id, "decide", **decide)["message"]
    discussion = {
        "discussion_on": "2023-05-30",
        "discussion_meeting": "区政府常务会议",
        "discussion_record": "审议",
    }
    assert (
        "未经合法性审查"
        in refusal(unit, case_id, "record_collective_discussion", **discussion)["message"]
    )
    # Only the legality reviewer records the legality review.
    response = unit.post(f"{CASES}/{case_id}/actions/record_legality_review", json={"inputs": {}})
    assert_error(response, 403)
    reviewer.act(
        case_id,
        "record_legality_review",
        legality_on="2023-05-20",
        legality_conclusion="lawful",
        legality_record="合法",
    )
    assert "集体讨论" in refusal(leader, case_id, "decide", **decide)["message"]
    unit.act(case_id, "record_collective_discussion", **discussion)
    decided = leader.act(case_id, "decide", **decide)
    assert decided["state"] == "decided" and decided["fields"]["decision"] == "adopted"
    stats = reviewer.get("/api/v1/legality/statistics", params={"year": 2023}).json()
    assert stats["major_decisions"]["decided"] >= 1


def test_an_unlawful_draft_does_not_go_to_collective_discussion(login: Login) -> None:
    unit, reviewer = login("cgj_handler"), login(REVIEWER)
    case_id = create(unit, "major_decision", title="某方案（测试）", year=2023, summary="草案")
    reviewer.act(
        case_id,
        "record_legality_review",
        legality_on="2023-05-20",
        legality_conclusion="unlawful",
        legality_record="不合法",
    )
    message = refusal(
        unit,
        case_id,
        "record_collective_discussion",
        discussion_on="2023-05-30",
        discussion_meeting="区政府常务会议",
        discussion_record="审议",
    )["message"]
    assert "不合法" in message
