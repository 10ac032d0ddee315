"""plan_action, refusals and available_actions as a specification of the workflow rules.

Pure domain: hand-built snapshots, actors and units, the shipped type files and a
WorkCalendar. No database. Times are Asia/Shanghai; Thursday 2023-06-01 09:00 is "now".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from fazhi.catalog.registry import load_case_types
from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.case_type import CaseType
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor, UnitRef
from fazhi.domain.workflow import (
    CaseSnapshot,
    ClockRecord,
    Plan,
    available_actions,
    plan_action,
    refusals,
    unmark_choices,
)

TYPES = load_case_types()
HOTLINE: CaseType = TYPES.get("hotline")  # type: ignore[assignment]
DISCLOSURE: CaseType = TYPES.get("disclosure_request")  # type: ignore[assignment]
CAL = WorkCalendar()
NOW = datetime(2023, 6, 1, 9, 0, tzinfo=LOCAL_TZ)  # a Thursday

# A small organisation tree: paths hold the ids from the root.
DISTRICT = UnitRef(1, "SF", "石峰区", "district", "/1/")
CENTRE = UnitRef(2, "SF-12345", "石峰区12345热线服务中心", "centre", "/1/2/")
CGJ = UnitRef(3, "SF-CGJ", "石峰区城市管理和综合执法局", "department", "/1/3/")
CGJ_TEAM = UnitRef(4, "SF-CGJ-ZFDD", "石峰区城市管理综合执法大队", "department", "/1/3/4/")
TX = UnitRef(5, "SF-TX", "田心街道", "street", "/1/5/")
DCS = UnitRef(6, "SF-DCS", "石峰区人民政府督查室", "department", "/1/6/")
SFJ = UnitRef(7, "SF-SFJ", "石峰区司法局", "department", "/1/7/")
UNITS = {u.code: u for u in (DISTRICT, CENTRE, CGJ, CGJ_TEAM, TX, DCS, SFJ)}


def resolve(value: Any) -> UnitRef | None:
    if isinstance(value, UnitRef):
        return value
    if isinstance(value, int):
        return next((u for u in UNITS.values() if u.id == value), None)
    return UNITS.get(str(value))


def actor(username: str, role: str, unit: UnitRef) -> Actor:
    return Actor(
        user_id=hash(username) % 1000,
        username=username,
        name=f"{username}的名字",
        role=role,
        unit=unit,
        region_code="430204",
    )


OPERATOR = actor("operator1", "operator", CENTRE)
DISPATCHER = actor("dispatcher1", "dispatcher", CENTRE)
CGJ_HANDLER = actor("cgj_handler", "unit_handler", CGJ)
CGJ_LEADER = actor("cgj_leader", "unit_leader", CGJ)
TEAM_HANDLER = actor("team_handler", "unit_handler", CGJ_TEAM)
DISTRICT_HANDLER = actor("district_handler", "unit_handler", DISTRICT)
TX_HANDLER = actor("tx_handler", "unit_handler", TX)
TX_LEADER = actor("tx_leader", "unit_leader", TX)
SUPERVISOR = actor("supervisor1", "supervisor", DCS)
SFJ_HANDLER = actor("sfj_handler", "unit_handler", SFJ)

REGISTER = {
    "request_kind": "complaint",
    "category": "CITY_APPEARANCE",
    "content": "小区门口流动摊贩占道经营（测试合成数据）",
}


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), LOCAL_TZ)


def plan(
    case: CaseSnapshot,
    who: Actor,
    action: str,
    now: datetime = NOW,
    calendar: WorkCalendar = CAL,
    case_type: CaseType = HOTLINE,
    **inputs: Any,
) -> Plan:
    return plan_action(case_type, case, who, action, inputs, now, calendar, resolve)


def refused(
    case: CaseSnapshot,
    who: Actor,
    action: str,
    now: datetime = NOW,
    calendar: WorkCalendar = CAL,
    case_type: CaseType = HOTLINE,
    **inputs: Any,
) -> DomainError:
    with pytest.raises(DomainError) as info:
        plan(case, who, action, now, calendar, case_type, **inputs)
    return info.value


def messages(error: DomainError) -> list[str]:
    return [p.message for p in error.problems] or [error.message]


def codes(error: DomainError) -> list[str]:
    return [p.code for p in error.problems] or [error.code]


def apply(case: CaseSnapshot, p: Plan) -> CaseSnapshot:
    """The snapshot after the plan is written (what the actions layer would store)."""
    stopped = {id(c) for c in p.clocks_stopped}
    clocks = [c for c in case.clocks if c.running and id(c) not in stopped] + p.clocks_started
    return CaseSnapshot(
        state=p.to_state,
        fields=dict(p.fields),
        lead_unit=p.lead_unit,
        assisting_units=p.assisting_units,
        clocks=clocks,
        marks=list(p.marks),
        open_to_units=p.open_to_units,
        document_kinds=case.document_kinds,
    )


def running(case: CaseSnapshot, name: str) -> ClockRecord:
    clock = case.running_clock(name)
    assert clock is not None, f"clock {name} not running"
    return clock


def registered(**fields: Any) -> CaseSnapshot:
    return apply(CaseSnapshot(), plan(CaseSnapshot(), OPERATOR, "register", **REGISTER, **fields))


def dispatched(lead: str = "SF-CGJ", **inputs: Any) -> CaseSnapshot:
    return apply(registered(), plan(registered(), DISPATCHER, "dispatch", lead_unit=lead, **inputs))


def handling(lead: str = "SF-CGJ", **inputs: Any) -> CaseSnapshot:
    case = dispatched(lead, **inputs)
    return apply(case, plan(case, CGJ_HANDLER if lead == "SF-CGJ" else TX_HANDLER, "acknowledge"))


def replied() -> CaseSnapshot:
    case = handling()
    return apply(case, plan(case, CGJ_HANDLER, "reply", reply="已清理占道摊贩", result="resolved"))


def revisited(rating: str) -> CaseSnapshot:
    case = replied()
    return apply(case, plan(case, OPERATOR, "revisit", rating=rating))


# --- role and state -----------------------------------------------------------------------


def test_a_role_not_listed_for_the_action_is_refused_with_403() -> None:
    error = refused(registered(), OPERATOR, "dispatch", lead_unit="SF-CGJ")
    assert error.code == "forbidden_role"
    assert error.status == 403
    assert "派单" in error.message


def test_an_action_not_allowed_from_the_current_state_is_refused_with_409() -> None:
    error = refused(registered(), DISPATCHER, "reassign", lead_unit="SF-CGJ")
    assert error.code == "invalid_state"
    assert error.status == 409
    assert "待派单" in error.message


def test_a_creating_action_cannot_be_taken_on_an_existing_case() -> None:
    error = refused(registered(), OPERATOR, "register", **REGISTER)
    assert error.code == "invalid_state"


def test_an_unknown_action_is_refused_with_404() -> None:
    error = refused(registered(), DISPATCHER, "teleport")
    assert (error.code, error.status) == ("unknown_action", 404)


def test_role_is_checked_before_state() -> None:
    # The operator may not dispatch at all, whatever the state.
    assert refused(handling(), OPERATOR, "dispatch", lead_unit="SF-CGJ").code == "forbidden_role"


# --- party --------------------------------------------------------------------------------


def test_lead_unit_party_lets_only_the_lead_unit_act() -> None:
    case = dispatched("SF-CGJ")
    assert plan(case, CGJ_HANDLER, "acknowledge").to_state == "handling"
    error = refused(case, TX_HANDLER, "acknowledge")
    assert (error.code, error.status) == ("not_your_case", 403)


def test_lead_unit_party_admits_a_unit_above_the_lead_but_not_one_below() -> None:
    case = dispatched("SF-CGJ")
    assert plan(case, DISTRICT_HANDLER, "acknowledge").to_state == "handling"
    assert refused(case, TEAM_HANDLER, "acknowledge").code == "not_your_case"


def test_lead_unit_party_is_refused_when_the_case_has_no_lead() -> None:
    case = replace(dispatched("SF-CGJ"), lead_unit=None)
    assert refused(case, CGJ_HANDLER, "acknowledge").code == "not_your_case"


def test_involved_unit_party_admits_lead_and_assisting_units_only() -> None:
    case = handling("SF-CGJ", assisting_units=["SF-TX"])
    assert plan(case, CGJ_HANDLER, "handle", note="已到现场").to_state == "handling"
    assert plan(case, TX_HANDLER, "handle", note="协助劝离").to_state == "handling"
    outsider = actor("zjj_handler", "unit_handler", SFJ)
    assert refused(case, outsider, "handle", note="x").code == "not_your_case"


def test_an_assisting_unit_may_not_take_lead_unit_actions() -> None:
    case = handling("SF-CGJ", assisting_units=["SF-TX"])
    error = refused(case, TX_HANDLER, "reply", reply="已处理", result="resolved")
    assert error.code == "not_your_case"


def test_open_to_units_party_needs_the_case_to_be_open() -> None:
    case = registered()
    posted = apply(case, plan(case, SUPERVISOR, "post_challenge", reason="长期未解决"))
    assert posted.open_to_units
    assert plan(posted, TX_LEADER, "claim_challenge", note="我街道领办").to_state == "handling"
    closed_again = replace(posted, open_to_units=False)
    assert refused(closed_again, TX_LEADER, "claim_challenge", note="x").code == "not_your_case"


def test_anyone_party_needs_no_unit_relation() -> None:
    case = dispatched("SF-CGJ")
    p = plan(case, SUPERVISOR, "supervise", kind="key_supervision", reason="群众反映强烈")
    assert p.to_state == "dispatched"


# --- guards -------------------------------------------------------------------------------


def test_field_guard_lt_refuses_a_return_after_three_dispatches() -> None:
    case = dispatched("SF-CGJ")
    case.fields["dispatch_count"] = 3
    error = refused(case, CGJ_HANDLER, "return", reason="不属于本单位职责")
    assert (error.code, error.status) == ("guard_failed", 422)
    assert "已派单3次" in error.message
    case.fields["dispatch_count"] = 2
    assert plan(case, CGJ_HANDLER, "return", reason="不属于本单位职责").to_state == "returned"


def test_field_guard_on_an_absent_counter_compares_as_zero() -> None:
    case = dispatched("SF-CGJ")
    case.fields.pop("dispatch_count")
    assert plan(case, CGJ_HANDLER, "return", reason="不属于本单位职责").to_state == "returned"


def test_field_guards_present_and_absent() -> None:
    case = handling()
    error = refused(case, DISPATCHER, "approve_extension", days=3)
    assert "没有待审批的延期申请" in error.message
    pending = apply(
        case, plan(case, CGJ_HANDLER, "request_extension", days=3, reason="需协调产权单位")
    )
    again = refused(pending, CGJ_HANDLER, "request_extension", days=2, reason="再延")
    assert "延期申请正在审批中" in again.message
    assert plan(pending, DISPATCHER, "approve_extension", days=3).to_state == "handling"


def test_field_guards_eq_and_in() -> None:
    satisfied = revisited("satisfied")
    assert (
        "只有回访不满意的工单才能重办" in refused(satisfied, OPERATOR, "reopen", reason="x").message
    )
    assert plan(satisfied, OPERATOR, "close").to_state == "closed"
    dissatisfied = revisited("dissatisfied")
    assert plan(dissatisfied, OPERATOR, "reopen", reason="未解决").to_state == "handling"
    assert "回访不满意" in refused(dissatisfied, OPERATOR, "close").message


def test_clock_within_guard_holds_until_the_due_moment_inclusive() -> None:
    case = dispatched("SF-CGJ")
    due = running(case, "return_window").due_at
    assert due == end_of(date(2023, 6, 2))
    assert plan(case, CGJ_HANDLER, "return", now=due, reason="不属于本单位职责")
    error = refused(
        case, CGJ_HANDLER, "return", now=due + timedelta(seconds=1), reason="不属于本单位职责"
    )
    assert "已超过退单时限" in error.message


def test_clock_within_guard_fails_when_the_clock_is_not_running() -> None:
    case = dispatched("SF-CGJ")
    case.clocks = [c for c in case.clocks if c.name != "return_window"]
    assert "已超过退单时限" in refused(case, CGJ_HANDLER, "return", reason="x").message


def test_every_failing_guard_is_reported_not_only_the_first() -> None:
    case = dispatched("SF-CGJ")
    case.fields["dispatch_count"] = 3
    late = NOW + timedelta(days=3)
    error = refused(case, CGJ_HANDLER, "return", now=late, reason="x")
    assert codes(error) == ["guard_failed", "guard_failed"]
    assert error.status == 422
    assert any("已派单3次" in m for m in messages(error))
    assert any("已超过退单时限" in m for m in messages(error))


def test_mark_guard_needs_the_mark_and_no_mark_guard_refuses_it() -> None:
    case = registered()
    opened = replace(case, open_to_units=True)  # open, but never posted
    assert "该工单没有挂榜" in refused(opened, TX_LEADER, "claim_challenge", note="x").message
    posted = apply(case, plan(case, SUPERVISOR, "post_challenge", reason="长期未解决"))
    assert "该工单已挂榜" in refused(posted, SUPERVISOR, "post_challenge", reason="x").message


def test_documents_named_by_an_action_must_be_uploaded_first() -> None:
    case = apply(
        CaseSnapshot(),
        plan(
            CaseSnapshot(),
            SFJ_HANDLER,
            "apply",
            case_type=DISCLOSURE,
            applicant_kind="citizen",
            applicant_name="张三",
            request_content="2022年财政预算",
        ),
    )
    error = refused(
        case,
        SFJ_HANDLER,
        "reply",
        case_type=DISCLOSURE,
        reply_kind="disclosed",
        reply_text="予以公开",
    )
    assert (error.code, error.status) == ("document_missing", 422)
    assert "答复告知书" in error.message
    with_letter = replace(case, document_kinds=frozenset({"reply_letter"}))
    p = plan(
        with_letter,
        SFJ_HANDLER,
        "reply",
        case_type=DISCLOSURE,
        reply_kind="disclosed",
        reply_text="予以公开",
    )
    assert p.to_state == "replied"


def test_refusals_is_empty_when_the_action_is_allowed() -> None:
    case = dispatched("SF-CGJ")
    action = HOTLINE.action("acknowledge")
    assert action is not None
    assert refusals(HOTLINE, action, case, CGJ_HANDLER, NOW) == []
    assert [p.code for p in refusals(HOTLINE, action, case, TX_HANDLER, NOW)] == ["not_your_case"]


def test_available_actions_lists_what_each_actor_may_do_now() -> None:
    case = dispatched("SF-CGJ")

    def names(who: Actor) -> set[str]:
        return {a.name for a in available_actions(HOTLINE, case, who, NOW)}

    assert names(CGJ_HANDLER) == {"acknowledge", "return"}
    assert names(DISPATCHER) == {"reassign", "merge"}
    # Nothing is supervised yet: there is nothing to clear (解除督办 is not offered).
    # 诉求不合理认定 is the supervisor's too (an order left out of the units' assessment).
    assert names(SUPERVISOR) == {"supervise", "post_challenge", "mark_unreasonable"}
    assert names(TX_HANDLER) == set()
    assert names(OPERATOR) == {"merge"}
    # After the return window the lead unit may only acknowledge.
    late = {a.name for a in available_actions(HOTLINE, case, CGJ_HANDLER, NOW + timedelta(days=2))}
    assert late == {"acknowledge"}


def test_available_actions_never_offers_creating_actions() -> None:
    for who in (OPERATOR, DISPATCHER, CGJ_HANDLER, SUPERVISOR):
        assert not any(a.create for a in available_actions(HOTLINE, CaseSnapshot(), who, NOW))


def test_a_terminal_case_offers_no_actions() -> None:
    closed = apply(revisited("satisfied"), plan(revisited("satisfied"), OPERATOR, "close"))
    assert closed.state == "closed"
    for who in (OPERATOR, DISPATCHER, CGJ_HANDLER, CGJ_LEADER, SUPERVISOR, TX_LEADER):
        assert available_actions(HOTLINE, closed, who, NOW) == []


# --- inputs -------------------------------------------------------------------------------


def test_required_input_missing_is_refused_with_the_field_named() -> None:
    error = refused(registered(), DISPATCHER, "dispatch")
    assert (error.code, error.field, error.status) == ("required", "lead_unit", 422)
    assert "主办单位" in error.message


def test_an_unknown_input_is_refused() -> None:
    error = refused(registered(), DISPATCHER, "dispatch", lead_unit="SF-CGJ", priority="high")
    assert (error.code, error.field) == ("unknown_field", "priority")


def test_an_unknown_unit_is_refused_once_not_also_as_missing() -> None:
    error = refused(registered(), DISPATCHER, "dispatch", lead_unit="SF-NOPE")
    assert (error.code, error.field) == ("unknown_unit", "lead_unit")
    assert codes(error) == ["unknown_unit"]


def test_every_bad_input_is_reported_at_once() -> None:
    error = refused(
        CaseSnapshot(),
        OPERATOR,
        "register",
        request_kind="complaint",
        category="NO_SUCH",
        caller_phone="12345",
        caller_id_number="110105194912310021",
    )
    assert error.code == "invalid_input"
    fields = {p.field for p in error.problems}
    assert {"category", "caller_phone", "caller_id_number", "content"} <= fields


def test_internal_fields_cannot_be_set_at_creation() -> None:
    for name, value in (
        ("rating", "satisfied"),
        ("dispatch_count", 0),
        ("answer", "已答复"),
        ("reply", "已处理"),
    ):
        error = refused(CaseSnapshot(), OPERATOR, "register", **REGISTER, **{name: value})
        assert (error.code, error.field) == ("unknown_field", name)


def test_a_creating_action_may_declare_an_internal_field_as_its_own_input() -> None:
    p = plan(
        CaseSnapshot(),
        OPERATOR,
        "resolve_at_intake",
        **REGISTER,
        answer="办理时间为工作日9:00-17:00",
    )
    assert p.to_state == "closed"
    assert p.fields["answer"] == "办理时间为工作日9:00-17:00"


def test_creation_fills_defaults_of_fields_not_given() -> None:
    p = plan(CaseSnapshot(), OPERATOR, "register", **REGISTER)
    assert p.fields["channel"] == "phone"
    assert p.fields["urgency"] == "normal"
    assert p.from_state is None and p.to_state == "registered"
    assert "rating" not in p.fields


def test_required_if_makes_an_input_required_by_another_inputs_value() -> None:
    case = CaseSnapshot(state="received", lead_unit=SFJ, document_kinds=frozenset({"reply_letter"}))
    error = refused(
        case,
        SFJ_HANDLER,
        "reply",
        case_type=DISCLOSURE,
        reply_kind="refused",
        reply_text="不予公开",
    )
    assert (error.code, error.field) == ("required", "refusal_ground")
    ok = plan(
        case,
        SFJ_HANDLER,
        "reply",
        case_type=DISCLOSURE,
        reply_kind="refused",
        refusal_ground="state_secret",
        reply_text="不予公开",
    )
    assert ok.fields["refusal_ground"] == "state_secret"
    # Not needed when the reply discloses the information.
    plain = plan(
        case,
        SFJ_HANDLER,
        "reply",
        case_type=DISCLOSURE,
        reply_kind="disclosed",
        reply_text="予以公开",
    )
    assert "refusal_ground" not in plain.fields


def test_inputs_are_normalised_and_recorded_for_the_event() -> None:
    p = plan(
        registered(),
        DISPATCHER,
        "dispatch",
        lead_unit="SF-CGJ",
        assisting_units="SF-TX,SF-TX",
        note="  请尽快处理 ",
    )
    assert p.inputs["lead_unit"] == {"id": CGJ.id, "code": "SF-CGJ", "name": CGJ.name}
    assert p.inputs["assisting_units"] == [TX.brief()]
    assert p.inputs["note"] == "请尽快处理"


# --- effects ------------------------------------------------------------------------------


def test_assign_lead_from_an_input_records_the_change() -> None:
    p = plan(registered(), DISPATCHER, "dispatch", lead_unit="SF-CGJ")
    assert p.lead_unit == CGJ
    assert p.changes["lead_unit"] == [None, CGJ.brief()]
    assert p.units_changed


def test_assign_lead_actor_unit_makes_the_actors_unit_lead() -> None:
    p = plan(
        CaseSnapshot(),
        SFJ_HANDLER,
        "apply",
        case_type=DISCLOSURE,
        applicant_kind="citizen",
        applicant_name="张三",
        request_content="2022年财政预算",
    )
    assert p.lead_unit == SFJ
    posted = apply(registered(), plan(registered(), SUPERVISOR, "post_challenge", reason="x"))
    claimed = plan(posted, TX_LEADER, "claim_challenge", note="我街道领办")
    assert claimed.lead_unit == TX
    assert claimed.open_to_units is False


def test_assisting_units_never_include_the_lead() -> None:
    p = plan(
        registered(),
        DISPATCHER,
        "dispatch",
        lead_unit="SF-CGJ",
        assisting_units=["SF-CGJ", "SF-TX"],
    )
    assert p.lead_unit == CGJ
    assert p.assisting_units == (TX,)


def test_an_assisting_unit_that_becomes_lead_leaves_the_assisting_list() -> None:
    case = dispatched("SF-CGJ", assisting_units=["SF-TX"])
    posted = apply(case, plan(case, SUPERVISOR, "post_challenge", reason="x"))
    claimed = plan(posted, TX_LEADER, "claim_challenge", note="领办")
    assert claimed.lead_unit == TX
    assert claimed.assisting_units == ()
    assert claimed.changes["assisting_units"] == [[TX.brief()], []]


def test_reassign_without_assisting_units_clears_them() -> None:
    case = dispatched("SF-CGJ", assisting_units=["SF-TX"])
    p = plan(case, DISPATCHER, "reassign", lead_unit="SF-TX")
    assert (p.lead_unit, p.assisting_units) == (TX, ())


def test_increment_counts_from_zero_and_adds_one() -> None:
    first = plan(registered(), DISPATCHER, "dispatch", lead_unit="SF-CGJ")
    assert first.fields["dispatch_count"] == 1
    assert first.changes["dispatch_count"] == [None, 1]
    case = dispatched("SF-CGJ")
    case.fields["dispatch_count"] = 2
    assert plan(case, DISPATCHER, "reassign", lead_unit="SF-TX").fields["dispatch_count"] == 3


def test_set_copies_an_input_into_a_field() -> None:
    p = plan(handling(), CGJ_HANDLER, "request_extension", days="4", reason="需协调")
    assert p.fields["extension_requested"] == 4
    assert "days" not in p.fields  # inputs that are not fields are not stored as fields
    assert p.changes["extension_requested"] == [None, 4]


def test_clear_removes_fields_and_increment_counts_the_approval() -> None:
    case = handling()
    pending = apply(case, plan(case, CGJ_HANDLER, "request_extension", days=4, reason="需协调"))
    approved = plan(pending, DISPATCHER, "approve_extension", days=3)
    assert "extension_requested" not in approved.fields
    assert approved.fields["extension_count"] == 1
    assert approved.changes["extension_requested"] == [4, None]
    rejected = plan(pending, DISPATCHER, "reject_extension", reason="理由不足")
    assert "extension_requested" not in rejected.fields
    assert "extension_count" not in rejected.fields


def test_reopen_clears_the_rating_and_counts_the_reopening() -> None:
    p = plan(revisited("dissatisfied"), OPERATOR, "reopen", reason="摊贩又回来了")
    assert "rating" not in p.fields
    assert p.fields["reopen_count"] == 1


def test_mark_records_kind_who_when_and_why() -> None:
    p = plan(dispatched(), SUPERVISOR, "supervise", kind="key_supervision", reason="群众多次反映")
    assert p.marks == [
        {
            "kind": "key_supervision",
            "by": "supervisor1",
            "by_name": SUPERVISOR.name,
            "unit": DCS.name,
            "at": NOW.isoformat(),
            "reason": "群众多次反映",
        }
    ]


def test_the_same_mark_cannot_be_set_twice() -> None:
    case = dispatched()
    marked = apply(case, plan(case, SUPERVISOR, "supervise", kind="key_supervision", reason="x"))
    error = refused(marked, SUPERVISOR, "supervise", kind="key_supervision", reason="y")
    assert (error.code, error.status) == ("already_marked", 409)
    other = plan(marked, SUPERVISOR, "supervise", kind="leader_assignment", reason="y")
    assert [m["kind"] for m in other.marks] == ["key_supervision", "leader_assignment"]


def test_unmark_removes_only_the_named_mark() -> None:
    case = dispatched()
    case = apply(case, plan(case, SUPERVISOR, "supervise", kind="key_supervision", reason="x"))
    case = apply(case, plan(case, SUPERVISOR, "post_challenge", reason="挂榜"))
    assert {m["kind"] for m in case.marks} == {"key_supervision", "open_challenge"}
    p = plan(case, SUPERVISOR, "clear_supervision", kind="key_supervision", reason="已落实")
    assert [m["kind"] for m in p.marks] == ["open_challenge"]
    assert p.open_to_units is True  # clearing another mark leaves the challenge open


def test_clearing_is_offered_only_once_a_mark_is_set() -> None:
    case = dispatched()
    action = HOTLINE.action("clear_supervision")
    assert action is not None
    problems = refusals(HOTLINE, action, case, SUPERVISOR, NOW)
    assert [p.message for p in problems] == ["该工单没有督办标记，无需解除"]
    error = refused(case, SUPERVISOR, "clear_supervision", kind="key_supervision", reason="x")
    assert error.message == "该工单没有督办标记，无需解除"
    case = apply(case, plan(case, SUPERVISOR, "supervise", kind="key_supervision", reason="x"))
    assert refusals(HOTLINE, action, case, SUPERVISOR, NOW) == []


def test_only_a_mark_the_case_carries_can_be_cleared() -> None:
    case = dispatched()
    case = apply(case, plan(case, SUPERVISOR, "supervise", kind="key_supervision", reason="x"))
    error = refused(case, SUPERVISOR, "clear_supervision", kind="open_challenge", reason="x")
    assert (error.field, error.status) == ("kind", 422)
    assert error.message == "该工单没有「揭榜挂帅」标记"
    assert unmark_choices(HOTLINE, action_of("clear_supervision"), case) == {
        "kind": (("key_supervision", "政府重点督办"),)
    }


def action_of(name: str) -> Any:
    found = HOTLINE.action(name)
    assert found is not None
    return found


def test_planning_an_action_without_to_keeps_the_state() -> None:
    case = handling()
    assert plan(case, CGJ_HANDLER, "handle", note="已到现场").to_state == "handling"


# --- clocks -------------------------------------------------------------------------------


def test_dispatch_starts_the_acknowledge_return_and_handle_clocks() -> None:
    p = plan(registered(), DISPATCHER, "dispatch", lead_unit="SF-CGJ")
    due = {c.name: c.due_at for c in p.clocks_started}
    # Thursday 6/1: 1 WD → Friday 6/2; 5 WD → 6/2, 6/5, 6/6, 6/7, 6/8.
    assert due == {
        "acknowledge": end_of(date(2023, 6, 2)),
        "return_window": end_of(date(2023, 6, 2)),
        "handle": end_of(date(2023, 6, 8)),
    }
    started = {c.name: c for c in p.clocks_started}
    assert started["handle"].limit == "5wd"
    assert started["handle"].start_action == "dispatch"
    assert started["handle"].started_at == NOW
    assert "演示默认" in started["handle"].basis


def test_the_limit_follows_the_urgency_chosen_at_dispatch() -> None:
    urgent = plan(registered(), DISPATCHER, "dispatch", lead_unit="SF-CGJ", urgency="urgent")
    due = {c.name: c.due_at for c in urgent.clocks_started}
    assert due["acknowledge"] == NOW + timedelta(minutes=30)
    assert due["handle"] == NOW + timedelta(hours=24)
    assert urgent.next_due == NOW + timedelta(minutes=30)
    complex_ = plan(registered(), DISPATCHER, "dispatch", lead_unit="SF-CGJ", urgency="complex")
    handle = next(c for c in complex_.clocks_started if c.name == "handle")
    # 6/2 … 6/21 is 14 WD (端午 6/22–24 off), 6/25 (make-up Sunday) is the 15th.
    assert (handle.limit, handle.due_at) == ("15wd", end_of(date(2023, 6, 25)))


def test_a_stop_action_stops_its_clocks_and_leaves_others_running() -> None:
    case = dispatched("SF-CGJ")
    p = plan(case, CGJ_HANDLER, "acknowledge", now=NOW + timedelta(hours=2))
    assert {c.name for c in p.clocks_stopped} == {"acknowledge", "return_window"}
    assert all(c.stopped_at == NOW + timedelta(hours=2) for c in p.clocks_stopped)
    assert p.clocks_started == []
    after = apply(case, p)
    assert [c.name for c in after.clocks if c.running] == ["handle"]
    assert p.next_due == end_of(date(2023, 6, 8))


def test_a_start_action_restarts_a_running_clock_from_now() -> None:
    case = handling()
    later = datetime(2023, 6, 5, 10, 0, tzinfo=LOCAL_TZ)  # Monday
    p = plan(case, DISPATCHER, "reassign", now=later, lead_unit="SF-TX")
    assert "handle" in {c.name for c in p.clocks_stopped}
    handle = next(c for c in p.clocks_started if c.name == "handle")
    assert handle.started_at == later
    assert handle.due_at == end_of(date(2023, 6, 12))  # 6/6, 7, 8, 9, 12
    after = apply(case, p)
    assert sum(1 for c in after.clocks if c.running and c.name == "handle") == 1


def test_reopen_restarts_the_handle_clock_with_its_own_limit() -> None:
    # A complex order gets 15 WD at dispatch, but a reopening always gets 5 WD.
    case = handling(urgency="complex")
    assert running(case, "handle").limit == "15wd"
    case = apply(case, plan(case, CGJ_HANDLER, "reply", reply="已处理", result="resolved"))
    assert case.running_clock("handle") is None
    case = apply(case, plan(case, OPERATOR, "revisit", rating="dissatisfied"))
    later = datetime(2023, 6, 5, 10, 0, tzinfo=LOCAL_TZ)
    p = plan(case, OPERATOR, "reopen", now=later, reason="未解决")
    handle = next(c for c in p.clocks_started if c.name == "handle")
    assert (handle.limit, handle.start_action) == ("5wd", "reopen")
    assert handle.due_at == end_of(date(2023, 6, 12))


def test_next_due_is_the_earliest_running_clock() -> None:
    # acknowledge (6/2) < handle (6/8).
    assert plan(registered(), DISPATCHER, "dispatch", lead_unit="SF-CGJ").next_due == end_of(
        date(2023, 6, 2)
    )
    # A hand-built set of running clocks: the minimum wins, stopped ones do not count.
    early, late = end_of(date(2023, 6, 5)), end_of(date(2023, 6, 9))
    stopped_earlier = ClockRecord(
        "acknowledge",
        "签收时限",
        "b",
        "1wd",
        NOW,
        end_of(date(2023, 6, 2)),
        "dispatch",
        stopped_at=NOW,
    )
    clocks = [
        ClockRecord("handle", "办理时限", "b", "5wd", NOW, late, "dispatch"),
        ClockRecord("revisit", "回访时限", "b", "2wd", NOW, early, "reply"),
        stopped_earlier,
    ]
    snap = CaseSnapshot(state="handling", lead_unit=CGJ, clocks=clocks)
    assert plan(snap, CGJ_HANDLER, "handle", note="x").next_due == early


def test_next_due_is_none_when_no_clock_runs() -> None:
    case = replied()
    assert running(case, "revisit")
    p = plan(case, SUPERVISOR, "close_after_review", reason="已依法答复")
    assert p.to_state == "closed"
    assert [c.name for c in p.clocks_stopped] == ["revisit"]
    assert p.next_due is None


def test_an_approved_extension_adds_working_days_to_the_running_clock() -> None:
    case = handling()
    pending = apply(case, plan(case, CGJ_HANDLER, "request_extension", days=3, reason="需协调"))
    p = plan(pending, DISPATCHER, "approve_extension", days=3)
    (extended,) = p.clocks_extended
    assert (extended.name, extended.extended, extended.limit) == ("handle", 3, "5wd")
    # 5 + 3 WD from Thursday 6/1: 6/2, 5, 6, 7, 8, 9, 12, 13.
    assert extended.due_at == end_of(date(2023, 6, 13))
    assert extended.started_at == NOW  # an extension does not restart the clock
    assert p.next_due == end_of(date(2023, 6, 13))


def test_an_extension_across_a_holiday_skips_it_and_counts_make_up_days() -> None:
    monday = datetime(2023, 6, 19, 9, 0, tzinfo=LOCAL_TZ)
    clock = ClockRecord(
        "handle", "办理时限", "b", "5wd", monday, end_of(date(2023, 6, 27)), "dispatch"
    )
    case = CaseSnapshot(
        state="handling", lead_unit=CGJ, clocks=[clock], fields={"extension_requested": 2}
    )
    p = plan(case, DISPATCHER, "approve_extension", now=monday, days=2)
    # 6/20, 6/21, (端午 6/22–24 off), 6/25 make-up Sunday, 6/26, 6/27 = 5; then 6/28, 6/29.
    assert p.clocks_extended[0].due_at == end_of(date(2023, 6, 29))


def test_extensions_may_not_exceed_the_types_maximum_in_total() -> None:
    clock = ClockRecord(
        "handle", "办理时限", "b", "5wd", NOW, end_of(date(2023, 6, 21)), "dispatch", extended=8
    )
    case = CaseSnapshot(
        state="handling", lead_unit=CGJ, clocks=[clock], fields={"extension_requested": 3}
    )
    error = refused(case, DISPATCHER, "approve_extension", days=3)
    assert (error.code, error.field, error.status) == ("extension_too_long", "days", 422)
    assert "10" in error.message
    ok = plan(case, DISPATCHER, "approve_extension", days=2)
    assert ok.clocks_extended[0].extended == 10
    # 5 + 10 WD from 6/1: … 6/21 is the 14th, 6/25 (make-up Sunday) the 15th.
    assert ok.clocks_extended[0].due_at == end_of(date(2023, 6, 25))


def test_an_extension_of_an_hour_based_limit_adds_working_days_to_its_due_date() -> None:
    # Urgent orders have 24 hours; an approved extension is counted in working days (the
    # input is 批准延期工作日), not added to the hours.
    case = handling(urgency="urgent")
    assert running(case, "handle").due_at == NOW + timedelta(hours=24)  # Friday 6/2 09:00
    case.fields["extension_requested"] = 2
    p = plan(case, DISPATCHER, "approve_extension", days=2)
    # Due Friday 6/2; two working days later is Tuesday 6/6, to the end of that day.
    assert p.clocks_extended[0].due_at == end_of(date(2023, 6, 6))


def test_a_year_without_a_calendar_is_refused_as_a_domain_error() -> None:
    in_2027 = datetime(2027, 3, 1, 9, 0, tzinfo=LOCAL_TZ)
    error = refused(registered(), DISPATCHER, "dispatch", now=in_2027, lead_unit="SF-CGJ")
    assert (error.code, error.status) == ("calendar_year_unknown", 422)
    assert "2027年" in error.message


def test_a_deadline_running_into_an_unknown_year_is_refused() -> None:
    only_2023 = WorkCalendar(use_builtin=False, override_years=[2023])
    december = datetime(2023, 12, 28, 9, 0, tzinfo=LOCAL_TZ)
    error = refused(
        registered(), DISPATCHER, "dispatch", now=december, calendar=only_2023, lead_unit="SF-CGJ"
    )
    assert error.code == "calendar_year_unknown"
    assert "2024年" in error.message
    # Hour-based limits need no calendar.
    urgent = plan(
        registered(),
        DISPATCHER,
        "dispatch",
        now=december,
        calendar=only_2023,
        lead_unit="SF-CGJ",
        urgency="urgent",
    )
    assert urgent.next_due == december + timedelta(minutes=30)
