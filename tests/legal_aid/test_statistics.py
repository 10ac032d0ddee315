"""The year's figures from the type's declared statistics, on a small data set of its own
year (2021, which no other suite uses): cases approved and handled by kind, against the
year's target (completion rate), refusals, assignments on time, grades and the provincial
excellent cases by their numbers. The target is set over the API and logged."""

from __future__ import annotations

from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.legal_aid.conftest import OFFICER, apply
from tests.support import FakeClock

STATS = "/api/v1/legal-aid/statistics"


def test_the_year_counts_by_kind_against_its_target(
    login: Login, clock: FakeClock, lawyer_register: list[dict[str, str]]
) -> None:
    centre = login(OFFICER)
    empty = centre.get(STATS, params={"year": 2021}).json()
    assert empty["accepted"] == 0 and empty["target"] is None and empty["completion_rate"] is None
    assert_error(centre.http.put("/api/v1/legal-aid/targets/2021", json={"target": 0}), 422)
    assert_error(
        login("tx_sfs").http.put("/api/v1/legal-aid/targets/2021", json={"target": 4}), 403
    )
    assert centre.http.put("/api/v1/legal-aid/targets/2021", json={"target": 4}).json() == {
        "year": 2021,
        "target": 4,
    }

    clock.set("2021-03-01T10:00:00+08:00")
    ids = [apply(centre, matter_kind=k)["id"] for k in ("civil", "civil", "criminal", "civil")]
    refused = apply(centre)["id"]
    clock.set("2021-03-02T10:00:00+08:00")
    numbers = [centre.act(i, "accept")["fields"]["aid_number"] for i in ids[:3]]
    assert numbers[2] == "(2021)湘援0204刑1号" and numbers[:2] == [
        "(2021)湘援0204民1号",
        "(2021)湘援0204民2号",
    ]
    centre.act(refused, "refuse", refusal_reason="不符合条件（测试）")
    lawyer = lawyer_register[0]
    clock.set("2021-03-08T10:00:00+08:00")  # 4 working days after the decision: late
    centre.act(
        ids[2],
        "assign",
        lawyer_licence=lawyer["licence_number"],
        lawyer_name=lawyer["name"],
        law_firm=lawyer["law_firm"],
    )
    centre.act(ids[2], "record_handling", held_on="2021-03-09", activity="meeting", note="会见")
    centre.act(ids[2], "close", outcome="defence_adopted", outcome_note="辩护意见被采纳（测试）")
    centre.act(ids[2], "evaluate", grade="excellent")
    centre.act(ids[2], "mark_provincial_excellent", provincial_note="全省优秀案件（测试）")
    clock.set("2022-01-04T10:00:00+08:00")  # the fourth is decided the next year
    centre.act(ids[3], "accept")

    body = centre.get(STATS, params={"year": 2021}).json()
    assert body["accepted"] == 3 and body["received"] == 5 and body["refused"] == 1
    assert {k["kind"]: k["count"] for k in body["by_kind"]} == {
        "criminal": 1,
        "civil": 2,
        "administrative": 0,
        "non_litigation": 0,
    }
    assert body["target"] == 4 and body["completion_rate"] == 0.75
    # One target: the indicators' completion rate reads the very number the centre set.
    rate = login("yfzq_office").get(
        "/api/v1/indicators/legal_aid.completion", params={"year": "2021"}
    )
    assert rate.status_code == 200, rate.text
    assert (rate.json()["target"], rate.json()["completion"]) == (4, 0.75)
    assert body["review_on_time_rate"] == 1.0 and body["assign_on_time_rate"] == 0.0
    assert body["provincial_excellent"] == 1
    assert [c["aid_number"] for c in body["excellent_cases"]] == ["(2021)湘援0204刑1号"]
    assert {g["grade"]: g["count"] for g in body["by_grade"]}["excellent"] == 1
    following = centre.get(STATS, params={"year": 2022}).json()
    assert following["accepted"] == 1 and following["excellent_cases"] == []
    assert_error(centre.get(STATS, params={"year": 1999}), 422)
