"""Which rollup counters each event adds to (fazhi.domain.rollup), read from the type's own
`metrics:` declarations: the hotline's and the disclosure request's as shipped, and small
constructed declarations for `sum` and `by`."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from fazhi.catalog.registry import load_case_types
from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.case_type import CaseType, MetricSpec
from fazhi.domain.rollup import (
    MAX_METRIC_NAME,
    RollupFacts,
    counting_day,
    dated_deltas,
    elapsed_workdays,
    fen,
    late_clocks_needed,
    metric_deltas,
    volume_metric,
    weekdays_between,
)

TYPES = load_case_types()
HOTLINE = TYPES.get("hotline")
DISCLOSURE = TYPES.get("disclosure_request")
assert HOTLINE is not None and DISCLOSURE is not None


def facts(**kw: Any) -> RollupFacts:
    base: dict[str, Any] = {
        "action": "handle",
        "created": False,
        "from_terminal": False,
        "to_terminal": False,
    }
    base.update(kw)
    return RollupFacts(**base)


def metrics(case_type: CaseType = HOTLINE, **kw: Any) -> list[str]:  # type: ignore[assignment]
    deltas = metric_deltas(case_type.metrics, facts(**kw), case_type)
    assert all(n == 1 for _, n in deltas)
    return [m for m, _ in deltas]


def test_registration_counts_received_only() -> None:
    assert metrics(action="register", created=True) == ["received"]


def test_resolve_at_intake_is_received_and_closed_on_time() -> None:
    assert metrics(action="resolve_at_intake", created=True, to_terminal=True) == [
        "received",
        "closed",
        "closed_on_time",
    ]


def test_dispatch_and_reassign() -> None:
    assert metrics(action="dispatch") == ["dispatched"]
    assert metrics(action="reassign") == ["dispatched"]


def test_a_repeat_call_counts_against_each_unit_it_is_dispatched_to() -> None:
    flagged = {"repeat_call": True}
    assert metrics(action="dispatch", flags=flagged) == ["dispatched", "repeat_caller"]
    assert metrics(action="reassign", flags=flagged) == ["dispatched", "repeat_caller"]
    assert metrics(action="acknowledge", flags=flagged) == ["acknowledged"]


def test_acknowledge_on_time_depends_on_the_acknowledge_clock() -> None:
    met = (("acknowledge", True), ("return_window", True))
    late = (("acknowledge", False), ("return_window", True))
    assert metrics(action="acknowledge", stopped=met) == ["acknowledged", "acknowledged_on_time"]
    assert metrics(action="acknowledge", stopped=late) == ["acknowledged"]


def test_reply_counts_on_time_and_resolved() -> None:
    resolved = {"result": "resolved"}
    assert metrics(action="reply", stopped=(("handle", True),), fields=resolved) == [
        "replied",
        "replied_on_time",
        "resolved",
    ]
    explained = {"result": "explained"}
    assert metrics(action="reply", stopped=(("handle", False),), fields=explained) == ["replied"]


def test_revisit_ratings() -> None:
    assert metrics(action="revisit", fields={"rating": "satisfied"}) == ["rated", "satisfied"]
    basically = {"rating": "basically_satisfied"}
    assert metrics(action="revisit", fields=basically) == ["rated", "satisfied"]
    assert metrics(action="revisit", fields={"rating": "dissatisfied"}) == [
        "rated",
        "dissatisfied",
    ]


def test_return_reopen_supervise() -> None:
    assert metrics(action="return", stopped=(("handle", True),)) == ["returned"]
    assert metrics(action="reopen") == ["reopened"]
    assert metrics(action="supervise") == ["supervised"]
    assert metrics(action="post_challenge") == ["supervised"]
    assert metrics(action="clear_supervision") == []
    assert metrics(action="handle") == []


def test_closing_on_time_depends_on_every_handle_clock() -> None:
    assert metrics(action="close", to_terminal=True) == ["closed", "closed_on_time"]
    late = {"handle": True}
    assert metrics(action="close", to_terminal=True, late=late) == ["closed"]
    # Only a transition into a terminal state closes.
    assert metrics(action="close", from_terminal=True, to_terminal=True) == []


def test_lateness_is_looked_up_only_when_a_never_late_metric_would_count() -> None:
    assert late_clocks_needed(HOTLINE.metrics, facts(action="close", to_terminal=True)) == {
        "handle"
    }
    assert late_clocks_needed(HOTLINE.metrics, facts(action="reply")) == frozenset()
    closed_already = facts(action="close", from_terminal=True, to_terminal=True)
    assert late_clocks_needed(HOTLINE.metrics, closed_already) == frozenset()


def test_a_disclosure_request_is_on_time_by_its_own_reply_clock() -> None:
    """Replied 40 days after application: its 答复时限 (clock `reply`) was missed, so it is
    replied and concluded, but neither on time — whatever the hotline's clocks are called."""
    late_reply = {
        "action": "reply",
        "stopped": (("reply", False),),
        "to_terminal": True,
        "fields": {"reply_kind": "disclosed"},
        "late": {"reply": True},
    }
    late = ["replied", "concluded", "received_concluded", "outcome:disclosed"]
    assert metrics(DISCLOSURE, **late_reply) == late
    on_time = {**late_reply, "stopped": (("reply", True),), "late": {"reply": False}}
    assert metrics(DISCLOSURE, **on_time) == [
        "replied",
        "replied_on_time",
        "concluded",
        "concluded_on_time",
        "received_concluded",
        "received_concluded_on_time",
        "outcome:disclosed",
    ]
    # The hotline's clock name means nothing to it.
    assert metrics(DISCLOSURE, **{**late_reply, "stopped": (("handle", True),)}) == late


def _constructed(*specs: MetricSpec) -> CaseType:
    assert HOTLINE is not None
    from fazhi.domain.case_type import FieldSpec

    fields = (
        FieldSpec("amount", "money", "金额"),
        FieldSpec("count", "int", "数量"),
        FieldSpec("outcome", "enum", "结果", choices=(("success", "成功"), ("failure", "失败"))),
    )
    return CaseType("t", "测试", "T", fields, HOTLINE.states, HOTLINE.actions, metrics=specs)


def test_sums_add_money_in_fen_and_numbers_as_integers() -> None:
    case_type = _constructed(
        MetricSpec("amount_total", "金额合计", on=("close",), sum="amount"),
        MetricSpec("count_total", "数量合计", on=("close",), sum="count"),
    )
    deltas = metric_deltas(
        case_type.metrics,
        facts(action="close", fields={"amount": "1234.50", "count": 3}),
        case_type,
    )
    assert deltas == [("amount_total", 123450), ("count_total", 3)]
    assert fen("0.01") == 1 and fen("abc") is None
    # A missing or zero amount adds nothing (no empty cells).
    assert metric_deltas(case_type.metrics, facts(action="close"), case_type) == []


def test_by_splits_a_counter_per_value() -> None:
    case_type = _constructed(MetricSpec("outcome", "结果", on=("close",), by="outcome"))
    got = metric_deltas(case_type.metrics, facts(action="close", fields={"outcome": "success"}))
    assert got == [("outcome:success", 1)]
    assert metric_deltas(case_type.metrics, facts(action="close")) == []


def test_a_cohort_counter_is_filed_under_the_day_the_case_was_created() -> None:
    """`day: created`: a request received on 20 December and replied on 10 January counts
    its conclusion in January and, as received-and-concluded, on 20 December."""
    received, replied = date(2022, 12, 20), date(2023, 1, 10)
    reply = facts(
        action="reply",
        stopped=(("reply", True),),
        to_terminal=True,
        fields={"reply_kind": "disclosed"},
        late={"reply": False},
    )
    got = dated_deltas(DISCLOSURE.metrics, reply, DISCLOSURE, replied, received)
    assert {(day, name) for day, name, _ in got} == {
        (replied, "replied"),
        (replied, "replied_on_time"),
        (replied, "concluded"),
        (replied, "concluded_on_time"),
        (received, "received_concluded"),
        (received, "received_concluded_on_time"),
        (replied, "outcome:disclosed"),
    }
    # The same counters and amounts as the undated mapping: only the day differs.
    undated = metric_deltas(DISCLOSURE.metrics, reply, DISCLOSURE)
    assert sorted((name, n) for _, name, n in got) == sorted(undated)
    cohort = next(m for m in DISCLOSURE.metrics if m.name == "received_concluded")
    assert counting_day(cohort, replied, received) == received
    # A cohort metric is never the volume hotspots and trends count, even with `create`.
    only = _constructed(MetricSpec("in", "收到", create=True, day="created"))
    assert volume_metric(only, unit_scope=False) is None


def test_an_elapsed_metric_adds_the_working_days_from_creation_to_close() -> None:
    """办理时长: an order received on Friday 29 September 2023 and closed on Monday 9 October
    took 3 working days: 29 Sep–6 Oct were the Mid-Autumn and National Day holiday, and
    Saturday 7 and Sunday 8 October make-up working days (调休上班)."""
    calendar = WorkCalendar()
    received, closed = date(2023, 9, 29), date(2023, 10, 9)
    close = facts(action="close", to_terminal=True, late={"handle": False})
    workdays = elapsed_workdays(calendar)
    got = dated_deltas(HOTLINE.metrics, close, HOTLINE, closed, received, workdays)
    assert (closed, "handling_days", 3) in got  # 7, 8 and 9 October
    # Closed the day it came in: nothing to add (and no zero counter is written).
    same_day = dated_deltas(
        HOTLINE.metrics, close, HOTLINE, received, received, elapsed_workdays(calendar)
    )
    assert "handling_days" not in {name for _, name, _ in same_day}
    # Without a calendar the time cannot be counted: the metric is left out, the rest stay.
    assert "handling_days" not in dict(metric_deltas(HOTLINE.metrics, close, HOTLINE))
    assert "closed" in dict(metric_deltas(HOTLINE.metrics, close, HOTLINE))


def test_a_year_the_calendar_does_not_know_counts_mondays_to_fridays() -> None:
    calendar = WorkCalendar()
    # 2031 has no holiday notice: Friday 3 January to Monday 13 January is six weekdays.
    assert elapsed_workdays(calendar)(date(2031, 1, 3), date(2031, 1, 13)) == 6
    assert weekdays_between(date(2031, 1, 3), date(2031, 1, 13)) == 6
    assert weekdays_between(date(2031, 1, 3), date(2031, 1, 4)) == 0  # to Saturday


@pytest.mark.parametrize(
    ("case_type", "region", "unit"),
    [(HOTLINE, "received", "dispatched"), (DISCLOSURE, "received", "received")],
)
def test_the_volume_counter_is_derived_from_the_declarations(
    case_type: CaseType, region: str, unit: str
) -> None:
    """A hotline order has no unit when registered, so a unit's volume is its dispatches; a
    disclosure request is led by the unit that registers it."""
    assert volume_metric(case_type, unit_scope=False) == region
    assert volume_metric(case_type, unit_scope=True) == unit


def test_every_shipped_counter_name_fits_the_column() -> None:
    for case_type in TYPES:
        names = [m.name for m in case_type.metrics]
        assert len(set(names)) == len(names)
        assert all(len(n) <= MAX_METRIC_NAME for n in names)
