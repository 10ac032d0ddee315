"""The two clocks of 法律援助法 art.43, counted in working days as the demo deployment's
configuration says (the law leaves the day type open): 7 days to decide on an application,
3 days from the decision to assign a lawyer — across 2023's holidays and make-up working
days; the time the applicant takes to supply missing material is not counted (suspended)."""

from __future__ import annotations

from tests.api.conftest import Login
from tests.legal_aid.conftest import OFFICER, apply, clock_of
from tests.support import FakeClock


def test_the_review_runs_7_working_days_across_national_day(login: Login, clock: FakeClock) -> None:
    clock.set("2023-09-28T10:00:00+08:00")  # Thursday before 中秋+国庆 (9/29–10/6)
    body = apply(login(OFFICER))
    review = clock_of(body, "review")
    # 10/7 and 10/8 are make-up working days: 10/7, 10/8, 10/9 … 10/13.
    assert review["due_at"] == "2023-10-13T23:59:59+08:00"
    assert "第四十三条" in review["basis"] and "工作日" in review["basis"]


def test_the_assignment_runs_3_working_days_from_the_decision_across_may_day(
    login: Login, clock: FakeClock
) -> None:
    clock.set("2023-04-26T10:00:00+08:00")
    centre = login(OFFICER)
    case_id = apply(centre)["id"]
    clock.set("2023-04-27T15:00:00+08:00")  # Thursday; 4/29–5/3 is 劳动节
    accepted = centre.act(case_id, "accept")
    assert clock_of(accepted, "review")["running"] is False
    assign = clock_of(accepted, "assign")
    # 4/28, then 5/4 and 5/5.
    assert assign["due_at"] == "2023-05-05T23:59:59+08:00"
    assert "三日内指派" in assign["basis"]


def test_the_time_taken_to_supply_material_does_not_count(login: Login, clock: FakeClock) -> None:
    clock.set("2023-06-15T10:00:00+08:00")  # Thursday; 6/22–24 端午, 6/25 a make-up day
    centre = login(OFFICER)
    created = apply(centre, hardship_evidence="")
    assert clock_of(created, "review")["due_at"] == "2023-06-27T23:59:59+08:00"
    clock.set("2023-06-19T10:00:00+08:00")  # two working days used (6/16, 6/19)
    suspended = centre.act(created["id"], "request_materials", missing="低保证明")
    assert "中止" in clock_of(suspended, "review")["remaining"], clock_of(suspended, "review")
    clock.set("2023-07-03T10:00:00+08:00")  # supplied two weeks later
    resumed = centre.act(created["id"], "materials_supplied", hardship_evidence="低保证明（测试）")
    # Five working days remain from 7/3: 7/4 … 7/10.
    assert clock_of(resumed, "review")["due_at"] == "2023-07-10T23:59:59+08:00"
    assert resumed["fields"]["hardship_evidence"] == "低保证明（测试）"
