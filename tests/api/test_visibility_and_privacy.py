"""Who may see an order, and how much of the caller they see.

Visibility (as built in fazhi.actions.cases): the hotline centre, supervisors, district leaders
and admins see every order of the district. A unit sees an order only when it has an access
row for it; access rows are written for every unit that is or was lead or assisting unit and
for *every ancestor* of such a unit (and for the registering unit and its ancestors). A unit
that may not see an order gets 404, exactly as if it did not exist: never 403, which would
confirm that the order exists.

Personal data: operators and dispatchers (who talk to callers) see names, phones and ID numbers
whole; everyone else sees them masked, in the order and in its events. Units and supervisors may
unmask on purpose with POST /reveal, which is recorded as an event; district leaders may not.
"""

from __future__ import annotations

from tests.api.flows import CASES, Desk, assert_error

ID_NUMBER = "11010519491231002X"  # the GB 11643 example: its check digit is X
CALLER = {"caller_name": "测试甲乙", "caller_phone": "17000001234", "caller_id_number": ID_NUMBER}


def test_a_street_cannot_see_another_streets_order_anywhere(desk: Desk) -> None:
    case_id = desk.dispatched(lead="SF-TX")
    number = desk.case(case_id)["number"]
    xsl = desk["xsl_handler"]
    for path in (
        f"{CASES}/{case_id}",
        f"{CASES}/{case_id}/events",
        f"{CASES}/{case_id}/actions",
        f"{CASES}/{case_id}/documents",
    ):
        assert_error(xsl.get(path), 404, "not_found")
    assert_error(
        xsl.post(f"{CASES}/{case_id}/actions/acknowledge", json={"inputs": {}}), 404, "not_found"
    )
    assert_error(xsl.post(f"{CASES}/{case_id}/reveal"), 404, "not_found")
    listed = xsl.get(CASES, params={"q": number}).json()
    assert (listed["items"], listed["total"]) == ([], 0)
    # …while the street it was sent to sees it, in its list too.
    tx = desk["tx_handler"]
    assert tx.case(case_id).status_code == 200
    assert [c["id"] for c in tx.get(CASES, params={"q": number}).json()["items"]] == [case_id]


def test_a_missing_order_and_a_hidden_order_answer_the_same_404(desk: Desk) -> None:
    case_id = desk.dispatched(lead="SF-TX")
    hidden = desk["xsl_handler"].case(case_id)
    missing = desk["xsl_handler"].case(99_999_999)
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_a_community_does_not_see_its_streets_order(desk: Desk) -> None:
    """Access goes up the tree, never down: an order led by 田心街道 gives access to 田心街道 and
    the district above it, not to 田心东社区 (SF-TX-C01) below it."""
    case_id = desk.dispatched(lead="SF-TX")
    assert_error(desk["txc01_handler"].case(case_id), 404, "not_found")


def test_a_street_sees_and_may_act_on_its_communitys_order(desk: Desk) -> None:
    """An order led by 田心东社区 gives access to the community and every unit above it, so
    田心街道 sees it; the lead-unit rule counts a unit's subtree, so the street may also act
    for its community (acknowledge here)."""
    case_id = desk.dispatched(lead="SF-TX-C01")
    assert desk["txc01_handler"].case(case_id).status_code == 200
    assert desk["tx_handler"].case(case_id).status_code == 200
    assert desk.action_names(case_id, "tx_handler") == ["acknowledge", "return"]
    assert_error(desk["xsl_handler"].case(case_id), 404, "not_found")


def test_a_unit_that_returned_an_order_still_sees_it_but_may_no_longer_act(desk: Desk) -> None:
    case_id = desk.returned()
    desk.dispatcher.act(case_id, "reassign", lead_unit="SF-ZJJ")
    response = desk.handler.case(case_id)
    assert response.status_code == 200
    assert response.json()["lead_unit"]["code"] == "SF-ZJJ"
    assert desk.action_names(case_id, "cgj_handler") == []
    assert [e["action"] for e in desk.events(case_id, "cgj_handler")] == [
        "register",
        "dispatch",
        "return",
        "reassign",
    ]
    assert_error(
        desk.handler.post(f"{CASES}/{case_id}/actions/acknowledge", json={"inputs": {}}),
        403,
        "not_your_case",
    )


def test_region_wide_roles_see_every_order_and_units_only_their_own(desk: Desk) -> None:
    case_id = desk.registered()
    for username in ("operator1", "dispatcher1", "supervisor1", "leader1", "admin"):
        assert desk[username].case(case_id).status_code == 200, username
    for username in ("cgj_handler", "cgj_leader", "tx_handler", "zjj_handler"):
        assert_error(desk[username].case(case_id), 404, "not_found")


def test_an_operator_sees_the_callers_data_whole(desk: Desk) -> None:
    case_id = desk.dispatched(**CALLER)
    fields = desk.case(case_id)["fields"]
    assert (fields["caller_name"], fields["caller_phone"], fields["caller_id_number"]) == (
        "测试甲乙",
        "17000001234",
        ID_NUMBER,
    )
    assert desk.case(case_id)["personal_data_masked"] is False


def test_a_unit_handler_sees_name_phone_and_id_number_masked(desk: Desk) -> None:
    case_id = desk.dispatched(**CALLER)
    case = desk.case(case_id, "cgj_handler")
    assert case["personal_data_masked"] is True
    assert case["fields"]["caller_phone"] == "170****1234"
    assert case["fields"]["caller_name"] == "测**乙"
    assert case["fields"]["caller_id_number"] == "110105********002X"
    assert case["fields"]["content"] == desk.case(case_id)["fields"]["content"]


def test_event_payloads_are_masked_too(desk: Desk) -> None:
    case_id = desk.dispatched(**CALLER)
    [register, _] = desk.events(case_id, "cgj_handler")
    for values in (
        register["payload"]["inputs"],
        {k: v[1] for k, v in register["payload"]["changes"].items()},
    ):
        assert values["caller_phone"] == "170****1234"
        assert values["caller_name"] == "测**乙"
        assert values["caller_id_number"] == "110105********002X"
    text = str(desk["cgj_handler"].get(f"{CASES}/{case_id}/events").json())
    assert "17000001234" not in text and ID_NUMBER not in text and "测试甲乙" not in text
    # The operator's view of the same event is whole.
    whole = desk.events(case_id, "operator1")[0]["payload"]["inputs"]
    assert whole["caller_phone"] == "17000001234"


def test_a_supervisor_and_a_district_leader_see_masked_data(desk: Desk) -> None:
    case_id = desk.registered(**CALLER)
    for username in ("supervisor1", "leader1"):
        assert desk.case(case_id, username)["fields"]["caller_phone"] == "170****1234"


def test_revealing_shows_the_whole_values_and_leaves_a_trace(desk: Desk) -> None:
    case_id = desk.dispatched(**CALLER)
    version = desk.case(case_id)["version"]
    response = desk.handler.post(f"{CASES}/{case_id}/reveal")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["personal_data_masked"] is False
    assert (
        body["fields"]["caller_phone"],
        body["fields"]["caller_id_number"],
        body["fields"]["caller_name"],
    ) == ("17000001234", ID_NUMBER, "测试甲乙")
    assert body["version"] == version  # a reveal changes nothing of the order

    last = desk.events(case_id)[-1]
    assert last["action"] == "reveal_personal_data"
    assert last["action_label"] == "查看个人信息"
    assert last["actor"]["username"] == "cgj_handler"
    assert last["payload"] == {"fields": ["caller_id_number", "caller_name", "caller_phone"]}
    assert last["from_state"] == last["to_state"] == "dispatched"
    # The next ordinary read is masked again.
    assert desk.case(case_id, "cgj_handler")["fields"]["caller_phone"] == "170****1234"


def test_a_supervisor_may_reveal(desk: Desk) -> None:
    case_id = desk.registered(**CALLER)
    response = desk.supervisor.post(f"{CASES}/{case_id}/reveal")
    assert response.status_code == 200, response.text
    assert response.json()["fields"]["caller_phone"] == "17000001234"
    assert desk.events(case_id)[-1]["actor"]["username"] == "supervisor1"


def test_a_district_leader_may_not_reveal(desk: Desk) -> None:
    case_id = desk.registered(**CALLER)
    before = len(desk.events(case_id))
    body = assert_error(desk["leader1"].post(f"{CASES}/{case_id}/reveal"), 403, "forbidden_role")
    assert "个人信息" in body["message"]
    assert len(desk.events(case_id)) == before


def test_an_operator_reveal_is_just_a_read_and_leaves_no_event(desk: Desk) -> None:
    case_id = desk.registered(**CALLER)
    before = len(desk.events(case_id))
    response = desk.operator.post(f"{CASES}/{case_id}/reveal")
    assert response.status_code == 200
    assert len(desk.events(case_id)) == before


def test_an_id_number_with_a_valid_gb11643_check_digit_is_accepted_and_uppercased(
    desk: Desk,
) -> None:
    body = desk.operator.register(caller_id_number=ID_NUMBER.lower())
    assert body["fields"]["caller_id_number"] == ID_NUMBER


def test_an_id_number_with_a_wrong_check_digit_is_422_on_that_field(desk: Desk) -> None:
    response = desk.operator.post(
        CASES,
        json={
            "type": "hotline",
            "fields": {
                "request_kind": "complaint",
                "category": "CITY_APPEARANCE",
                "content": "（测试）",
                "caller_id_number": "110105194912310021",
            },
        },
    )
    body = assert_error(response, 422, "invalid_value")
    assert body["field"] == "caller_id_number"
    assert "校验位" in body["message"]
