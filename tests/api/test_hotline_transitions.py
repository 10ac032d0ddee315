"""Every hotline action in every state, for every kind of user: allowed exactly when the type
file says so.

The expectations are derived from the loaded type (`default_case_types().get("hotline")`), not
copied by hand: an action is allowed when the order is visible to the user, the user's role is
in the action's `roles`, the state is in its `from`, the party rule holds (`lead_unit`: the
user's unit is, or is above, the lead unit; `involved_unit`: the lead or an assisting unit;
`open_to_units`: a challenge is posted) and every guard holds on the order's current fields and
clocks. The refusal is checked in that order and mapped to its status:

    not visible → 404 not_found          role → 403 forbidden_role
    state       → 409 invalid_state      party → 403 not_your_case
    guard       → 422 guard_failed

Allowed actions are taken on a fresh order in that state, with valid inputs generated from the
action's input specs, and must succeed. Refused ones are all tried on one order per state, which
must keep its version and its number of events afterwards.

The cast: the order is led by 区城管局 (SF-CGJ) with 田心街道 (SF-TX) assisting, so SF-CGJ users
are the lead unit, SF-TX users an involved but non-lead unit, and 响石岭街道 (xsl_handler) a unit
that never had anything to do with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fazhi.catalog.registry import default_case_types
from fazhi.catalog.roles import default_roles
from fazhi.domain.case_type import ActionSpec, FieldSpec, Guard
from tests.api.flows import CASES, Desk, assert_error

# A permission matrix: who may take which action is decided before any SQL is written.
pytestmark = pytest.mark.dialect_neutral

HOTLINE = default_case_types().get("hotline")
assert HOTLINE is not None

USERS = {  # username → (role, unit code)
    "operator1": ("operator", "SF-12345"),
    "dispatcher1": ("dispatcher", "SF-12345"),
    "cgj_handler": ("unit_handler", "SF-CGJ"),
    "cgj_leader": ("unit_leader", "SF-CGJ"),
    "tx_handler": ("unit_handler", "SF-TX"),
    "tx_leader": ("unit_leader", "SF-TX"),
    "xsl_handler": ("unit_handler", "SF-XSL"),
    "supervisor1": ("supervisor", "SF-DCS"),
    "leader1": ("district_leader", "SF"),
    "admin": ("admin", "SF"),
}
UNIT = dict(lead="SF-CGJ", assisting=("SF-TX",))

# Each scenario: how to bring a fresh order there. Together they reach every state of the type
# (revisited once per rating), plus a pending extension and an open challenge, so that guarded
# actions are seen both refused and allowed.
SCENARIOS: dict[str, Callable[[Desk], int]] = {
    "registered": lambda d: d.registered(),
    "dispatched": lambda d: d.dispatched(**UNIT),
    "returned": lambda d: d.returned(**UNIT),
    "handling": lambda d: d.handling(**UNIT),
    "handling_extension_pending": lambda d: d.extension_pending(**UNIT),
    "handling_challenge_posted": lambda d: d.challenge_posted(**UNIT),
    "replied": lambda d: d.replied(**UNIT),
    "revisited_satisfied": lambda d: d.revisited("satisfied", **UNIT),
    "revisited_basically_satisfied": lambda d: d.revisited("basically_satisfied", **UNIT),
    "revisited_dissatisfied": lambda d: d.revisited("dissatisfied", **UNIT),
    "closed": lambda d: d.closed(**UNIT),
}


def test_the_scenarios_reach_every_state_of_the_type() -> None:
    reached = {name.split("_")[0] for name in SCENARIOS}
    assert reached == {s.name for s in HOTLINE.states}


# ---------------------------------------------------------------------------------------------
# The expectation, from the type file


def _compare(op: str, actual: Any, expected: Any) -> bool:
    empty = actual in (None, "", [])
    number = actual if isinstance(actual, int | float) else 0
    return {
        "present": lambda: not empty,
        "absent": lambda: empty,
        "eq": lambda: actual == expected,
        "ne": lambda: actual != expected,
        "in": lambda: actual in expected,
        "not_in": lambda: actual not in expected,
        "lt": lambda: number < expected,
        "le": lambda: number <= expected,
        "gt": lambda: number > expected,
        "ge": lambda: number >= expected,
    }[op]()


def guard_holds(guard: Guard, case: dict[str, Any]) -> bool:
    marks = {m["kind"] for m in case["marks"]}
    if guard.kind == "field":
        return _compare(guard.op, case["fields"].get(guard.target), guard.value)
    if guard.kind == "clock_within":  # the test clock stands still: running means within
        return any(
            c["name"] == guard.target and c["running"] and c["status"] != "overdue"
            for c in case["clocks"]
        )
    if guard.kind == "mark":
        return guard.target in marks
    return guard.target not in marks


def _within(unit: str, other: str) -> bool:
    """Demo unit codes are paths: SF-TX-C01 lies below SF-TX."""
    return other == unit or other.startswith(unit + "-")


def party_holds(action: ActionSpec, case: dict[str, Any], unit: str) -> bool:
    lead = case["lead_unit"]["code"] if case["lead_unit"] else None
    current = ([lead] if lead else []) + [u["code"] for u in case["assisting_units"]]
    return {
        "anyone": True,
        "lead_unit": lead is not None and _within(unit, lead),
        "involved_unit": any(_within(unit, u) for u in current),
        "open_to_units": case["open_to_units"],
    }[action.party]


def visible(username: str, scenario: str, case: dict[str, Any]) -> bool:
    role, unit = USERS[username]
    if default_roles()[role].scope == "region" or case["open_to_units"]:
        return True
    # Units see orders they are or were involved in: here SF-CGJ and SF-TX once dispatched.
    return scenario != "registered" and unit in {UNIT["lead"], *UNIT["assisting"]}


def expected(
    action: ActionSpec, username: str, scenario: str, case: dict[str, Any]
) -> tuple[int, str]:
    role, unit = USERS[username]
    if not visible(username, scenario, case):
        return 404, "not_found"
    if role not in action.roles:
        return 403, "forbidden_role"
    if action.create or case["state"] not in action.from_states:
        return 409, "invalid_state"
    if not party_holds(action, case, unit):
        return 403, "not_your_case"
    if not all(guard_holds(g, case) for g in action.guards):
        return 422, "guard_failed"
    return unmark_expected(action, case) or (200, "ok")


def unmark_expected(action: ActionSpec, case: dict[str, Any]) -> tuple[int, str] | None:
    """An `unmark` action needs a mark to remove, and the mark its input names (the sample
    input: the first choice) must be one the case carries."""
    if not action.effects.unmark:
        return None
    marks = {m["kind"] for m in case["marks"]}
    spec = action.input(action.effects.unmark.removeprefix("input."))
    kinds = {code for code, _ in spec.choices} if spec else {action.effects.unmark}
    if not marks & kinds:
        return 422, "guard_failed"
    if spec is not None and valid_value(spec) not in marks:
        return 422, "not_marked"
    return None


# ---------------------------------------------------------------------------------------------
# Valid inputs, from the action's input specs

SAMPLE_UNITS = {"unit": "SF-CGJ", "unit_list": ["SF-TX"]}


def valid_value(spec: FieldSpec) -> Any:
    if spec.choices:
        return spec.choices[0][0]
    if spec.type in SAMPLE_UNITS:
        return SAMPLE_UNITS[spec.type]
    if spec.type in {"int", "number"}:
        return int(spec.min if spec.min is not None else 1)
    return f"{spec.label}（测试）"


def valid_inputs(action: ActionSpec) -> dict[str, Any]:
    return {s.name: valid_value(s) for s in action.inputs if s.required or s.type in SAMPLE_UNITS}


# ---------------------------------------------------------------------------------------------
# One order per scenario for the refusals, made once per module


@pytest.fixture(scope="module")
def shared_orders() -> dict[str, int]:
    return {}


def order_in(scenario: str, desk: Desk, cache: dict[str, int]) -> int:
    if scenario not in cache:
        cache[scenario] = SCENARIOS[scenario](desk)
    return cache[scenario]


def post_action(desk: Desk, username: str, case_id: int, action: ActionSpec) -> Any:
    return desk[username].post(
        f"{CASES}/{case_id}/actions/{action.name}", json={"inputs": valid_inputs(action)}
    )


MATRIX = [(s, a.name) for s in SCENARIOS for a in HOTLINE.actions]


@pytest.mark.parametrize(("scenario", "action_name"), MATRIX)
def test_every_action_is_allowed_exactly_when_the_type_file_says(
    scenario: str, action_name: str, desk: Desk, shared_orders: dict[str, int]
) -> None:
    action = HOTLINE.action(action_name)
    assert action is not None
    case_id = order_in(scenario, desk, shared_orders)
    case = desk.case(case_id)
    before = (case["version"], len(desk.events(case_id)))
    allowed = []
    for username in USERS:
        status, code = expected(action, username, scenario, case)
        if status == 200:
            allowed.append(username)
            continue
        response = post_action(desk, username, case_id, action)
        assert (username, response.status_code) == (username, status), response.text
        assert_error(response, status, code)
    after = desk.case(case_id)
    assert (after["version"], len(desk.events(case_id))) == before, (
        "a refused action changed the order"
    )
    assert after["state"] == case["state"]

    for username in allowed:
        fresh = SCENARIOS[scenario](desk)
        start = desk.case(fresh)
        response = post_action(desk, username, fresh, action)
        assert response.status_code == 200, f"{username} {action_name}: {response.text}"
        body = response.json()
        assert body["state"] == (action.to or start["state"])
        assert body["version"] == start["version"] + 1
        last = desk.events(fresh)[-1]
        assert (last["action"], last["actor"]["username"]) == (action_name, username)
        assert (last["from_state"], last["to_state"]) == (start["state"], body["state"])


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_actions_list_of_each_user_matches_the_type_file(
    scenario: str, desk: Desk, shared_orders: dict[str, int]
) -> None:
    case_id = order_in(scenario, desk, shared_orders)
    case = desk.case(case_id)
    for username in USERS:
        # Listed when allowed, or refused only for the sample input (a mark it does not carry).
        want = [
            a.name
            for a in HOTLINE.actions
            if expected(a, username, scenario, case) in {(200, "ok"), (422, "not_marked")}
        ]
        response = desk[username].get(f"{CASES}/{case_id}/actions")
        if not visible(username, scenario, case):
            assert_error(response, 404, "not_found")
            continue
        assert response.status_code == 200, response.text
        assert [a["name"] for a in response.json()["actions"]] == want, username


def test_the_matrix_exercises_every_kind_of_outcome(
    desk: Desk, shared_orders: dict[str, int]
) -> None:
    seen = set()
    for scenario in SCENARIOS:
        case = desk.case(order_in(scenario, desk, shared_orders))
        for action in HOTLINE.actions:
            for username in USERS:
                seen.add(expected(action, username, scenario, case))
    assert seen == {
        (200, "ok"),
        (404, "not_found"),
        (403, "forbidden_role"),
        (409, "invalid_state"),
        (403, "not_your_case"),
        (422, "guard_failed"),
        (422, "not_marked"),
    }


# ---------------------------------------------------------------------------------------------
# A few rules asserted by hand, as a check on the derivation above


def test_acknowledge_by_an_assisting_unit_is_403_not_your_case(desk: Desk) -> None:
    case_id = desk.dispatched(**UNIT)
    response = desk["tx_handler"].post(
        f"{CASES}/{case_id}/actions/acknowledge", json={"inputs": {}}
    )
    body = assert_error(response, 403, "not_your_case")
    assert "承办单位" in body["message"]


def test_acknowledge_by_a_unit_never_involved_is_404_as_if_the_order_did_not_exist(
    desk: Desk,
) -> None:
    case_id = desk.dispatched(**UNIT)
    response = desk["xsl_handler"].post(
        f"{CASES}/{case_id}/actions/acknowledge", json={"inputs": {}}
    )
    assert_error(response, 404, "not_found")


def test_an_assisting_unit_may_record_handling_but_not_reply(desk: Desk) -> None:
    case_id = desk.handling(**UNIT)
    desk["tx_handler"].act(case_id, "handle", note="田心街道配合劝离（测试）")
    response = desk["tx_handler"].post(
        f"{CASES}/{case_id}/actions/reply",
        json={"inputs": {"reply": "（测试）", "result": "resolved"}},
    )
    assert_error(response, 403, "not_your_case")


def test_close_after_a_dissatisfied_revisit_is_422_and_reopen_is_the_way(desk: Desk) -> None:
    case_id = desk.revisited("dissatisfied")
    response = desk.operator.post(f"{CASES}/{case_id}/actions/close", json={"inputs": {}})
    body = assert_error(response, 422, "guard_failed")
    assert "不满意" in body["message"]
    assert desk.action_names(case_id, "operator1") == ["reopen", "merge"]


def test_reopen_after_a_satisfied_revisit_is_422(desk: Desk) -> None:
    case_id = desk.revisited("satisfied")
    response = desk.operator.post(
        f"{CASES}/{case_id}/actions/reopen", json={"inputs": {"reason": "（测试）"}}
    )
    assert_error(response, 422, "guard_failed")


def test_a_supervisor_may_close_a_dissatisfied_order_after_review(desk: Desk) -> None:
    case_id = desk.revisited("dissatisfied")
    body = desk.supervisor.act(case_id, "close_after_review", reason="诉求已依法答复（测试）")
    assert body["state"] == "closed"


def test_dispatch_by_an_operator_is_403_and_dispatch_of_a_dispatched_order_is_409(
    desk: Desk,
) -> None:
    case_id = desk.registered()
    response = desk.operator.post(
        f"{CASES}/{case_id}/actions/dispatch", json={"inputs": {"lead_unit": "SF-CGJ"}}
    )
    assert_error(response, 403, "forbidden_role")
    desk.dispatcher.act(case_id, "dispatch", lead_unit="SF-CGJ")
    response = desk.dispatcher.post(
        f"{CASES}/{case_id}/actions/dispatch", json={"inputs": {"lead_unit": "SF-CGJ"}}
    )
    body = assert_error(response, 409, "invalid_state")
    assert "待签收" in body["message"]


def test_nothing_but_reading_is_possible_on_a_closed_order(desk: Desk) -> None:
    case_id = desk.closed()
    for username in USERS:
        response = desk[username].get(f"{CASES}/{case_id}/actions")
        if response.status_code == 200:
            assert response.json()["actions"] == [], username
