"""安置帮教: a released person's file — hand-over within 5 working days (across National Day),
the assistance group, monthly visits on the repeating clock (a month without one recorded as
missed by the scheduler), problems raised and solved — seen only by the judicial offices."""

from __future__ import annotations

from typing import Any

from fazhi.actions.platform import Platform
from fazhi.correction.demo.people import id_number
from tests.api.conftest import Login
from tests.api.flows import assert_error
from tests.correction.support import CASES, OFFICER, at, local, schedule
from tests.support import ApiClient, FakeClock


def open_file(client: ApiClient, **fields: Any) -> dict[str, Any]:
    body = {
        "person_name": "测试释放人员",
        "id_number": id_number(77),
        "office": "SF-SFJ-TX",
        "crime": "盗窃罪（测试）",
        "prison": "湖南省某监狱（测试）",
        "released_on": "2023-09-27",
        "risk_level": "key",
        **fields,
    }
    response = client.post(CASES, json={"type": "resettlement", "fields": body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_released_persons_file_from_hand_over_to_problems_solved(
    login: Login, clock: FakeClock, platform: Platform
) -> None:
    officer = login(OFFICER)
    at(clock, "2023-09-28")
    case = open_file(officer)
    handover = {c["name"]: c for c in case["clocks"]}["handover"]
    # 5 working days from 9/28: 10/7, 10/8 (make-up), 10/9, 10/10, 10/11.
    assert handover["due_at"].startswith("2023-10-11")
    case_id = case["id"]
    at(clock, "2023-10-09")
    officer.act(case_id, "receive", received_on="2023-10-09")
    officer.act(case_id, "add_member", member="测试社区干部", member_role="community")
    officer.act(case_id, "record_visit", visited_on="2023-10-09", note="首次走访（测试）")
    # The visit met the first month; none in the next (11/9 – 12/8): a missed month.
    schedule(platform, local("2023-12-10", 1))
    fields = officer.case(case_id).json()["fields"]
    assert fields["missed_visits"] >= 1
    refused = officer.post(
        f"{CASES}/{case_id}/actions/solve_problem",
        json={"inputs": {"solved_on": "2023-12-11", "problem_no": 1, "solution": "测试"}},
    )
    assert_error(refused, 422)
    at(clock, "2023-12-11")
    officer.act(
        case_id,
        "raise_problem",
        raised_on="2023-12-11",
        problem_kind="employment",
        problem="求职困难（测试）",
    )
    officer.act(
        case_id,
        "solve_problem",
        solved_on="2023-12-11",
        problem_no=1,
        solution="推荐至园区企业就业（测试）",
    )
    fields = officer.case(case_id).json()["fields"]
    assert (fields["problems_raised"], fields["problems_solved"]) == (1, 1)
    assert login("tx_handler").get(f"{CASES}/{case_id}").status_code == 404
    assert login("operator1").get(f"{CASES}/{case_id}").status_code == 404
