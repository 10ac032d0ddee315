"""`set:` effects as a specification: literals, inputs, fields, tokens and compute hooks."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from fazhi.domain.case_type import CaseType, Effects, FieldSpec, ValueExpr
from fazhi.domain.errors import DomainError
from fazhi.domain.hooks import ComputeContext, register_compute
from fazhi.domain.records import DocumentRecord
from fazhi.domain.workflow import CaseSnapshot
from tests.domain.typekit import OFFICER, UNIT, act, at, field, matter, refuse, run

# 07:30 in Shanghai is still the previous day in UTC.
EARLY = at(date(2023, 6, 1), 7, 30)
OPEN = CaseSnapshot(state="open")


def setting(*pairs: tuple[str, ValueExpr], inputs: tuple[FieldSpec, ...] = ()) -> CaseType:
    return matter(
        act("record", inputs=inputs, effects=Effects(set=pairs)),
        fields=(
            field("decided_at", "datetime"),
            field("decided_on", "date"),
            field("note", "string"),
            field("officer", "string"),
            field("unit", "unit"),
            field("amount", "money"),
            field("copy", "money"),
            field("parties", "list"),
            field("parties_copy", "list"),
            field("confirm_by", "date"),
        ),
    )


def test_now_is_the_actions_instant_in_utc_for_a_datetime_and_the_local_date_for_a_date() -> None:
    kind = setting(
        ("decided_at", ValueExpr("token", "now")), ("decided_on", ValueExpr("token", "now"))
    )
    fields = run(kind, OPEN, "record", EARLY).fields
    assert fields["decided_at"] == "2023-05-31T23:30:00+00:00"
    assert fields["decided_on"] == "2023-06-01"


def test_today_is_the_local_date() -> None:
    kind = setting(("decided_on", ValueExpr("token", "today")))
    assert run(kind, OPEN, "record", EARLY).fields["decided_on"] == "2023-06-01"


def test_actor_and_actor_unit_name_who_acts() -> None:
    kind = setting(
        ("officer", ValueExpr("token", "actor")), ("unit", ValueExpr("token", "actor_unit"))
    )
    fields = run(kind, OPEN, "record", EARLY).fields
    assert fields["officer"] == {"id": OFFICER.user_id, "username": "officer1", "name": "王测试"}
    assert fields["unit"] == UNIT.id


def test_a_literal_that_spells_a_token_is_stored_as_written() -> None:
    kind = setting(("note", ValueExpr("literal", "now")))
    assert run(kind, OPEN, "record", EARLY).fields["note"] == "now"


def test_input_and_field_values_are_copied() -> None:
    kind = setting(
        ("note", ValueExpr("input", "remark")),
        ("copy", ValueExpr("field", "amount")),
        ("parties_copy", ValueExpr("field", "parties")),
        inputs=(field("remark", "string"), field("amount", "string")),
    )
    case = CaseSnapshot(state="open", fields={"amount": "10.00", "parties": [{"name": "甲"}]})
    plan = run(kind, case, "record", EARLY, remark=" 已核实 ", amount="25.50")
    assert plan.fields["note"] == "已核实"
    assert plan.fields["copy"] == "25.50"  # the field as the action leaves it so far
    assert plan.fields["parties_copy"] == [{"name": "甲"}]
    plan.fields["parties_copy"][0]["name"] = "乙"
    assert plan.fields["parties"] == [{"name": "甲"}]  # a copy, not the same list


# --- compute hooks ------------------------------------------------------------------------


@register_compute("test_court_confirmation_deadline", returns="date")
def court_confirmation_deadline(ctx: ComputeContext) -> date:
    """《人民调解法》第三十三条: 30 days from the agreement taking effect to apply for
    judicial confirmation; a last day that is not a working day moves to the next one."""
    agreement = next((d for d in ctx.documents if d.kind == "agreement" and d.active), None)
    signed = agreement.data.get("signed_on") if agreement else None
    if not signed:
        raise DomainError("agreement_missing", "请先录入调解协议签订日期", 422)
    return ctx.calendar.add_calendar_days(date.fromisoformat(signed), 30)


@register_compute("test_fields_seen", returns="string")
def fields_seen(ctx: ComputeContext) -> str:
    return f"{ctx.fields.get('note')}|{ctx.inputs.get('remark')}|{ctx.actor.username}|{ctx.target}"


CONFIRM = setting(("confirm_by", ValueExpr("compute", "test_court_confirmation_deadline")))


def signed(on: str) -> CaseSnapshot:
    return CaseSnapshot(state="open", documents=(DocumentRecord("agreement", {"signed_on": on}),))


def test_a_compute_hook_gives_the_court_confirmation_deadline() -> None:
    # 2023-09-20 + 30 days = 10-20, a Friday.
    plan = run(CONFIRM, signed("2023-09-20"), "record", EARLY)
    assert plan.fields["confirm_by"] == "2023-10-20"
    # 2023-09-01 + 30 = 10-01, inside the National Day holiday (9/29–10/6): the day after
    # it ends, 10-07 (a make-up Saturday), is the last day.
    plan = run(CONFIRM, signed("2023-09-01"), "record", EARLY)
    assert plan.fields["confirm_by"] == "2023-10-07"


def test_a_hook_raising_a_domain_error_refuses_the_action_with_its_message() -> None:
    error = refuse(CONFIRM, OPEN, "record", EARLY)
    assert (error.code, error.message, error.status) == (
        "agreement_missing",
        "请先录入调解协议签订日期",
        422,
    )


def test_a_hook_sees_the_fields_as_left_so_far_the_inputs_and_the_actor() -> None:
    kind = setting(
        ("note", ValueExpr("input", "remark")),
        ("officer", ValueExpr("compute", "test_fields_seen")),
        inputs=(field("remark", "string"),),
    )
    plan = run(kind, OPEN, "record", EARLY, remark="核实")
    assert plan.fields["officer"] == "核实|核实|officer1|officer"


def test_an_unregistered_hook_is_an_error_not_a_silent_value() -> None:
    kind = setting(("note", ValueExpr("compute", "no_such_hook")))
    with pytest.raises(DomainError) as info:
        run(kind, OPEN, "record", EARLY)
    assert info.value.code == "unknown_hook"


def test_a_hooks_datetime_is_stored_in_utc_and_money_with_two_decimals() -> None:
    @register_compute("test_an_instant", returns="datetime")
    def an_instant(ctx: ComputeContext) -> datetime:
        return ctx.now + timedelta(hours=1)

    @register_compute("test_a_sum", returns="money")
    def a_sum(ctx: ComputeContext) -> Decimal:
        return Decimal("12.5") + Decimal("0.25")

    kind = setting(
        ("decided_at", ValueExpr("compute", "test_an_instant")),
        ("amount", ValueExpr("compute", "test_a_sum")),
    )
    fields = run(kind, OPEN, "record", EARLY).fields
    assert fields["decided_at"] == "2023-06-01T00:30:00+00:00"
    assert fields["amount"] == "12.75"
