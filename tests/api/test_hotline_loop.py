"""The 12345 hotline closed loop over real HTTP: each test states one rule of the loop.

Every order is made by the test that uses it; the FakeClock starts each test at
Thu 2023-06-01 09:00 (+08:00) and tests move it to put actions at chosen moments.
"""

from __future__ import annotations

from itertools import pairwise

from fazhi.domain.trail import GENESIS
from tests.api.flows import CASES, LEAD, Desk, assert_error
from tests.support import FakeClock

# The scripted walk: (when, who, action, inputs, from state, to state).
WALK = [
    ("2023-06-01T09:00:00+08:00", "operator1", "register", None, None, "registered"),
    (
        "2023-06-01T09:10:00+08:00",
        "dispatcher1",
        "dispatch",
        {"lead_unit": LEAD},
        "registered",
        "dispatched",
    ),
    ("2023-06-01T10:00:00+08:00", "cgj_handler", "acknowledge", {}, "dispatched", "handling"),
    (
        "2023-06-02T16:30:00+08:00",
        "cgj_handler",
        "reply",
        {"reply": "已劝离流动摊贩（测试）", "result": "resolved"},
        "handling",
        "replied",
    ),
    (
        "2023-06-05T09:30:00+08:00",
        "operator1",
        "revisit",
        {"rating": "dissatisfied", "note": "市民称摊贩又回来了（测试）"},
        "replied",
        "revisited",
    ),
    (
        "2023-06-05T09:40:00+08:00",
        "operator1",
        "reopen",
        {"reason": "回访不满意（测试）"},
        "revisited",
        "handling",
    ),
    (
        "2023-06-07T15:00:00+08:00",
        "cgj_handler",
        "reply",
        {"reply": "已设置固定巡查点位（测试）", "result": "resolved"},
        "handling",
        "replied",
    ),
    (
        "2023-06-08T09:00:00+08:00",
        "operator1",
        "revisit",
        {"rating": "satisfied"},
        "replied",
        "revisited",
    ),
    ("2023-06-08T09:05:00+08:00", "operator1", "close", {}, "revisited", "closed"),
]
ROLES = {"operator1": "operator", "dispatcher1": "dispatcher", "cgj_handler": "unit_handler"}


def test_scripted_walk_from_register_to_close_is_recorded_step_by_step_in_a_hash_chain(
    desk: Desk, clock: FakeClock
) -> None:
    case_id = 0
    for when, who, action, inputs, _, to_state in WALK:
        clock.set(when)
        if action == "register":
            case_id = desk.registered()
            continue
        body = desk[who].act(case_id, action, **(inputs or {}))
        assert body["state"] == to_state, action

    case = desk.case(case_id)
    assert case["state"] == "closed" and case["terminal"] is True
    assert case["closed_at"] == WALK[-1][0]
    assert case["fields"]["reopen_count"] == 1
    assert case["fields"]["rating"] == "satisfied"

    events = desk.events(case_id)
    assert [e["action"] for e in events] == [step[2] for step in WALK]
    assert [e["seq"] for e in events] == list(range(1, len(WALK) + 1))
    for event, (when, who, action, _, from_state, to_state) in zip(events, WALK, strict=True):
        assert event["at"] == when, action
        assert event["actor"]["username"] == who, action
        assert event["actor"]["role"] == ROLES[who], action
        assert event["from_state"] == from_state, action
        assert event["to_state"] == to_state, action
        assert event["action_label"], action

    # The chain: the first event hangs from the genesis hash, each later one from its parent.
    assert events[0]["prev_hash"] == GENESIS
    for parent, child in pairwise(events):
        assert child["prev_hash"] == parent["hash"]
    assert len({e["hash"] for e in events}) == len(events)


def test_resolve_at_intake_closes_the_order_at_once_without_dispatch(desk: Desk) -> None:
    response = desk.operator.post(
        CASES,
        json={
            "type": "hotline",
            "action": "resolve_at_intake",
            "fields": {
                "request_kind": "consultation",
                "category": "CITY_APPEARANCE",
                "content": "咨询占道经营许可如何办理（测试）",
                "answer": "可到区政务服务中心城管窗口办理（测试）",
            },
        },
    )
    assert response.status_code == 201, response.text
    case = response.json()
    assert case["state"] == "closed" and case["terminal"] is True
    assert case["closed_at"] == "2023-06-01T09:00:00+08:00"
    assert case["lead_unit"] is None and case["clocks"] == []
    events = desk.events(case["id"])
    assert [(e["action"], e["from_state"], e["to_state"]) for e in events] == [
        ("resolve_at_intake", None, "closed")
    ]
    assert desk.action_names(case["id"], "operator1") == []


def test_resolve_at_intake_needs_the_answer_given_to_the_caller(desk: Desk) -> None:
    response = desk.operator.post(
        CASES,
        json={
            "type": "hotline",
            "action": "resolve_at_intake",
            "fields": {
                "request_kind": "consultation",
                "category": "CITY_APPEARANCE",
                "content": "咨询（测试）",
            },
        },
    )
    body = assert_error(response, 422, "required")
    assert body["field"] == "answer"


def test_a_returned_order_goes_back_to_the_dispatcher_who_reassigns_it(desk: Desk) -> None:
    case_id = desk.dispatched()
    body = desk.handler.act(case_id, "return", reason="应由区住建局处理（测试）")
    assert body["state"] == "returned"
    assert body["fields"]["return_count"] == 1
    assert {c["name"]: c["running"] for c in body["clocks"]} == {
        "acknowledge": False,
        "return_window": False,
        "handle": False,
    }

    body = desk.dispatcher.act(case_id, "reassign", lead_unit="SF-ZJJ", note="改派住建局")
    assert body["state"] == "dispatched"
    assert body["lead_unit"]["code"] == "SF-ZJJ"
    assert body["fields"]["dispatch_count"] == 2
    assert desk.action_names(case_id, "zjj_handler") == ["acknowledge", "return"]
    event = desk.events(case_id)[-2]
    assert event["action"] == "return"
    assert event["payload"]["inputs"]["reason"] == "应由区住建局处理（测试）"


def test_a_return_needs_a_reason(desk: Desk) -> None:
    case_id = desk.dispatched()
    response = desk.handler.post(f"{CASES}/{case_id}/actions/return", json={"inputs": {}})
    body = assert_error(response, 422, "required")
    assert body["field"] == "reason"
    assert desk.case(case_id)["state"] == "dispatched"


def test_after_three_dispatches_the_unit_may_no_longer_return_the_order(desk: Desk) -> None:
    case_id = desk.dispatched()
    for _ in range(2):
        desk.handler.act(case_id, "return", reason="不属于本单位（测试）")
        desk.dispatcher.act(case_id, "reassign", lead_unit=LEAD)
    assert desk.case(case_id)["fields"]["dispatch_count"] == 3

    response = desk.handler.post(
        f"{CASES}/{case_id}/actions/return", json={"inputs": {"reason": "还是不属于本单位（测试）"}}
    )
    body = assert_error(response, 422, "guard_failed")
    assert "3次" in body["message"]
    assert "return" not in desk.action_names(case_id, "cgj_handler")
    blocked = desk.handler.get(f"{CASES}/{case_id}/actions").json()["blocked"]
    assert [b["name"] for b in blocked] == ["return"]
    desk.handler.act(case_id, "acknowledge")


def test_a_return_is_allowed_within_one_working_day_of_dispatch_across_a_weekend(
    desk: Desk, clock: FakeClock
) -> None:
    clock.set("2023-06-02T17:00:00+08:00")  # Friday afternoon
    case_id = desk.dispatched()
    assert desk.clock(case_id, "return_window")["due_at"] == "2023-06-05T23:59:59+08:00"
    clock.set("2023-06-05T10:00:00+08:00")  # Monday: the one working day is still running
    assert desk.handler.act(case_id, "return", reason="不属于本单位（测试）")["state"] == "returned"


def test_a_return_after_the_one_working_day_window_is_refused(desk: Desk, clock: FakeClock) -> None:
    clock.set("2023-06-02T17:00:00+08:00")
    case_id = desk.dispatched()
    clock.set("2023-06-06T10:00:00+08:00")  # Tuesday: the window closed Monday night
    response = desk.handler.post(
        f"{CASES}/{case_id}/actions/return", json={"inputs": {"reason": "不属于本单位（测试）"}}
    )
    body = assert_error(response, 422, "guard_failed")
    assert "退单时限" in body["message"]
    assert desk.action_names(case_id, "cgj_handler") == ["acknowledge"]


def test_an_approved_extension_moves_the_handle_due_date_by_exactly_the_approved_working_days(
    desk: Desk,
) -> None:
    case_id = desk.handling()  # dispatched Thu 06-01: 5 WD → Thu 06-08
    assert desk.clock(case_id, "handle")["due_at"] == "2023-06-08T23:59:59+08:00"

    body = desk.handler.act(case_id, "request_extension", days=5, reason="需协调产权单位（测试）")
    assert body["fields"]["extension_requested"] == 5
    assert desk.clock(case_id, "handle")["due_at"] == "2023-06-08T23:59:59+08:00"

    body = desk.dispatcher.act(case_id, "approve_extension", days=3, note="同意延期3个工作日")
    handle = next(c for c in body["clocks"] if c["name"] == "handle" and c["running"])
    # 3 working days after Thu 06-08: Fri 06-09, Mon 06-12, Tue 06-13.
    assert handle["due_at"] == "2023-06-13T23:59:59+08:00"
    assert handle["extended"] == 3
    assert body["due_at"] == handle["due_at"]
    assert body["fields"]["extension_count"] == 1
    assert "extension_requested" not in body["fields"]
    event = desk.events(case_id)[-1]
    assert event["payload"]["clocks"]["extended"][0]["name"] == "handle"


def test_approving_more_days_than_asked_needs_the_confirmation_input(desk: Desk) -> None:
    case_id = desk.handling()
    desk.handler.act(case_id, "request_extension", days=2, reason="需协调（测试）")
    response = desk.dispatcher.post(
        f"{CASES}/{case_id}/actions/approve_extension", json={"inputs": {"days": 4}}
    )
    assert "多于申请" in assert_error(response, 422, "guard_failed")["message"]
    assert desk.case(case_id)["fields"]["extension_requested"] == 2
    body = desk.dispatcher.act(case_id, "approve_extension", days=4, confirm_more=True)
    handle = next(c for c in body["clocks"] if c["name"] == "handle" and c["running"])
    assert handle["extended"] == 4


def test_an_urgent_order_extension_also_counts_in_working_days(desk: Desk) -> None:
    case_id = desk.handling(urgency="urgent")  # 24 h: Fri 2023-06-02 09:00
    assert desk.clock(case_id, "handle")["due_at"] == "2023-06-02T09:00:00+08:00"
    desk.handler.act(case_id, "request_extension", days=2, reason="需协调（测试）")
    body = desk.dispatcher.act(case_id, "approve_extension", days=2)
    handle = next(c for c in body["clocks"] if c["name"] == "handle" and c["running"])
    # Two working days after Fri 06-02 are Mon 06-05 and Tue 06-06, not two more hours.
    assert handle["due_at"] == "2023-06-06T23:59:59+08:00"


def test_only_one_extension_may_be_requested(desk: Desk) -> None:
    case_id = desk.extension_pending()
    response = desk.handler.post(
        f"{CASES}/{case_id}/actions/request_extension",
        json={"inputs": {"days": 2, "reason": "再申请（测试）"}},
    )
    assert "审批中" in assert_error(response, 422, "guard_failed")["message"]

    desk.dispatcher.act(case_id, "approve_extension", days=3)
    response = desk.handler.post(
        f"{CASES}/{case_id}/actions/request_extension",
        json={"inputs": {"days": 2, "reason": "再申请（测试）"}},
    )
    assert "已延期一次" in assert_error(response, 422, "guard_failed")["message"]


def test_a_rejected_extension_leaves_the_due_date_and_allows_no_approval_afterwards(
    desk: Desk,
) -> None:
    case_id = desk.extension_pending()
    before = desk.clock(case_id, "handle")["due_at"]
    body = desk.dispatcher.act(case_id, "reject_extension", reason="理由不充分（测试）")
    assert "extension_requested" not in body["fields"]
    assert desk.clock(case_id, "handle")["due_at"] == before
    response = desk.dispatcher.post(
        f"{CASES}/{case_id}/actions/approve_extension", json={"inputs": {"days": 2}}
    )
    assert_error(response, 422, "guard_failed")


def test_an_extension_of_more_than_ten_working_days_is_refused(desk: Desk) -> None:
    case_id = desk.handling()
    response = desk.handler.post(
        f"{CASES}/{case_id}/actions/request_extension",
        json={"inputs": {"days": 11, "reason": "（测试）"}},
    )
    assert assert_error(response, 422, "invalid_value")["field"] == "days"
    desk.handler.act(case_id, "request_extension", days=10, reason="（测试）")
    response = desk.dispatcher.post(
        f"{CASES}/{case_id}/actions/approve_extension", json={"inputs": {"days": 11}}
    )
    assert assert_error(response, 422, "invalid_value")["field"] == "days"


def test_supervision_records_who_marked_the_order_and_why(desk: Desk, clock: FakeClock) -> None:
    case_id = desk.handling()
    clock.advance(hours=1)
    body = desk.supervisor.act(
        case_id, "supervise", kind="key_supervision", reason="群众反映强烈，列入重点督办（测试）"
    )
    assert body["marks"] == [
        {
            "kind": "key_supervision",
            "by": "supervisor1",
            "by_name": "陈立新",
            "unit": "石峰区人民政府督查室",
            "at": "2023-06-01T02:00:00+00:00",
            "reason": "群众反映强烈，列入重点督办（测试）",
        }
    ]
    assert body["state"] == "handling"
    brief = desk.operator.get(CASES, params={"q": body["number"]}).json()["items"]
    assert [c["marks"] for c in brief] == [["key_supervision"]]

    response = desk.supervisor.post(
        f"{CASES}/{case_id}/actions/supervise",
        json={"inputs": {"kind": "key_supervision", "reason": "重复督办（测试）"}},
    )
    assert_error(response, 409, "already_marked")

    body = desk.supervisor.act(
        case_id, "clear_supervision", kind="key_supervision", reason="已按期办结整改（测试）"
    )
    assert body["marks"] == []


def test_a_posted_challenge_lets_another_units_leader_claim_the_order_and_lead_it(
    desk: Desk,
) -> None:
    case_id = desk.handling()
    tx_leader = desk["tx_leader"]
    assert tx_leader.case(case_id).status_code == 404  # not involved, not yet open

    body = desk.supervisor.act(case_id, "post_challenge", reason="跨部门难题，揭榜挂帅（测试）")
    assert body["open_to_units"] is True
    assert [m["kind"] for m in body["marks"]] == ["open_challenge"]

    assert tx_leader.case(case_id).status_code == 200
    listed = tx_leader.get(CASES, params={"q": body["number"]}).json()["items"]
    assert [c["id"] for c in listed] == [case_id]
    assert desk.action_names(case_id, "tx_leader") == ["claim_challenge"]
    assert desk.action_names(case_id, "tx_handler") == []  # only a unit leader may claim

    body = tx_leader.act(case_id, "claim_challenge", note="田心街道牵头领办（测试）")
    assert body["lead_unit"]["code"] == "SF-TX"
    assert body["state"] == "handling"
    assert body["open_to_units"] is False
    assert desk.clock(case_id, "handle")["started_at"] == "2023-06-01T09:00:00+08:00"
    assert "acknowledge" not in desk.action_names(case_id, "tx_handler")
    assert "reply" in desk.action_names(case_id, "tx_handler")
    assert "reply" not in desk.action_names(case_id, "cgj_handler")  # no longer the lead
    assert desk["xsl_handler"].case(case_id).status_code == 404  # closed to units again

    body = desk.supervisor.act(
        case_id, "clear_supervision", kind="open_challenge", reason="已有单位领办（测试）"
    )
    assert body["marks"] == []


def test_two_actions_sent_with_the_same_read_version_the_second_is_a_version_conflict(
    desk: Desk,
) -> None:
    case_id = desk.dispatched()
    version = desk.case(case_id)["version"]
    first = desk.handler.post(
        f"{CASES}/{case_id}/actions/acknowledge", json={"inputs": {}, "version": version}
    )
    assert first.status_code == 200, first.text
    assert first.json()["version"] == version + 1
    second = desk.dispatcher.post(
        f"{CASES}/{case_id}/actions/reassign",
        json={"inputs": {"lead_unit": "SF-ZJJ"}, "version": version},
    )
    body = assert_error(second, 409, "version_conflict")
    assert str(version + 1) in body["message"]
    case = desk.case(case_id)
    assert (case["state"], case["lead_unit"]["code"]) == ("handling", LEAD)
    assert [e["action"] for e in desk.events(case_id)][-1] == "acknowledge"


def test_the_actions_list_shows_exactly_what_the_user_may_do_now(desk: Desk) -> None:
    case_id = desk.registered()
    # 并单 (merge) is open to the hotline centre on every open order.
    assert desk.action_names(case_id, "dispatcher1") == ["dispatch", "merge"]
    assert desk.action_names(case_id, "operator1") == ["merge"]
    # 解除督办 only once something is supervised.
    assert desk.action_names(case_id, "supervisor1") == ["supervise", "post_challenge"]
    assert desk.action_names(case_id, "admin") == []

    desk.dispatcher.act(case_id, "dispatch", lead_unit=LEAD)
    assert desk.action_names(case_id, "cgj_handler") == ["acknowledge", "return"]
    assert desk.action_names(case_id, "cgj_leader") == ["acknowledge", "return"]
    assert desk.action_names(case_id, "operator1") == ["merge"]
    assert desk.action_names(case_id, "dispatcher1") == ["reassign", "merge"]

    listing = desk.handler.get(f"{CASES}/{case_id}/actions").json()
    assert listing["version"] == 2
    ret = next(a for a in listing["actions"] if a["name"] == "return")
    assert ret["to"] == "returned"
    assert [(i["name"], i["required"]) for i in ret["inputs"]] == [("reason", True)]


def test_event_times_are_shown_in_beijing_time_and_days_count_by_the_beijing_date(
    desk: Desk, clock: FakeClock
) -> None:
    clock.set("2023-06-01T23:30:00+08:00")
    case_id = desk.registered()
    clock.advance(minutes=45)  # past midnight in Beijing, still Thursday in UTC
    desk.dispatcher.act(case_id, "dispatch", lead_unit=LEAD)
    events = desk.events(case_id)
    assert [e["at"] for e in events] == ["2023-06-01T23:30:00+08:00", "2023-06-02T00:15:00+08:00"]
    # Dispatched in the first minutes of Friday: the one working day after it is Monday.
    assert desk.clock(case_id, "acknowledge")["due_at"] == "2023-06-05T23:59:59+08:00"
