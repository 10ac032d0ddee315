"""`metrics:`, `rates:` and `schedules:`: what a type counts, the ratios it shows, and the
rules the scheduler runs for it."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.domain.case_type import MetricSpec, RateSpec, ScheduleSpec
from fazhi.domain.durations import Duration
from tests.domain.case_type.support import assert_fault, minimal, parse, with_yaml

METRICS = """
fields:
  result: {type: enum, label: 结果, internal: true, choices: {resolved: 已解决, explained: 已解释}}
clocks:
  handle: {label: 办理期限, basis: 测试规则, start: [apply], stop: [close], limit: 5wd}
metrics:
  received: {label: 受理量, create: true}
  concluded: {label: 办结量, terminal: true}
  concluded_on_time: {label: 按期办结量, terminal: true, never_late: handle}
  replied_on_time: {label: 按时答复量, on: [close], clock: handle, met: true}
  resolved: {label: 解决量, on: [close], field: result, values: [resolved]}
  outcome: {label: 办理结果, on: [close], by: result}
  amount_total: {label: 金额合计, on: close, sum: amount}
  repeat_caller: {label: 重复来电, on: [apply], case_flag: repeat_call}
rates:
  on_time_rate: {label: 按期办结率, numerator: concluded_on_time, denominator: concluded}
schedules:
  missed_reports: {label: 漏报检查, every: 1cd, rule: check_missed_reports}
"""


def test_every_kind_of_metric() -> None:
    spec = parse(with_yaml(METRICS))
    assert [m.name for m in spec.metrics] == [
        "received",
        "concluded",
        "concluded_on_time",
        "replied_on_time",
        "resolved",
        "outcome",
        "amount_total",
        "repeat_caller",
    ]
    assert spec.metric("received") == MetricSpec("received", "受理量", create=True)
    assert spec.metric("concluded") == MetricSpec("concluded", "办结量", terminal=True)
    assert spec.metric("concluded_on_time").never_late == "handle"  # type: ignore[union-attr]
    assert spec.metric("replied_on_time") == MetricSpec(
        "replied_on_time", "按时答复量", on=("close",), clock="handle", met=True
    )
    resolved = spec.metric("resolved")
    assert resolved is not None and (resolved.field, resolved.values) == ("result", ("resolved",))
    assert spec.metric("outcome").by == "result"  # type: ignore[union-attr]
    assert spec.metric("amount_total") == MetricSpec(
        "amount_total", "金额合计", on=("close",), sum="amount"
    )
    assert spec.metric("repeat_caller").case_flag == "repeat_call"  # type: ignore[union-attr]


def test_rates_and_schedules() -> None:
    spec = parse(with_yaml(METRICS), rule_hooks=frozenset({"check_missed_reports"}))
    assert spec.rates == (RateSpec("on_time_rate", "按期办结率", "concluded_on_time", "concluded"),)
    assert spec.schedules == (
        ScheduleSpec("missed_reports", "漏报检查", Duration(1, "cd"), "check_missed_reports"),
    )


@pytest.mark.parametrize(
    ("section", "entry", "expected"),
    [
        ("metrics", {"label": "x"}, "metrics.x: a metric needs on, create or terminal"),
        ("metrics", {"label": "x", "on": ["ghost"]}, "metrics.x.on[0]: unknown action 'ghost'"),
        ("metrics", {"label": "x", "create": True, "colour": 1}, "metrics.x: unknown key 'colour'"),
        (
            "metrics",
            {"label": "x", "on": ["close"], "clock": "handle"},
            "metrics.x: clock and met go together",
        ),
        (
            "metrics",
            {"label": "x", "on": ["close"], "clock": "ghost", "met": True},
            "metrics.x.clock: unknown clock 'ghost'",
        ),
        (
            "metrics",
            {"label": "x", "terminal": True, "never_late": "ghost"},
            "metrics.x.never_late: unknown clock 'ghost'",
        ),
        (
            "metrics",
            {"label": "x", "on": ["close"], "field": "ghost", "values": [1]},
            "metrics.x.field: unknown field 'ghost'",
        ),
        (
            "metrics",
            {"label": "x", "on": ["close"], "field": "result"},
            "metrics.x: field needs values",
        ),
        (
            "metrics",
            {"label": "x", "on": ["close"], "field": "result", "values": ["lost"]},
            "metrics.x.values[0]: 'lost' is not a choice of 'result'",
        ),
        (
            "metrics",
            {"label": "x", "on": ["close"], "values": ["resolved"]},
            "metrics.x.values: values need field",
        ),
        (
            "metrics",
            {"label": "x", "on": ["close"], "sum": "site"},
            "metrics.x.sum: sum takes a money or number field",
        ),
        (
            "metrics",
            {"label": "x", "on": ["close"], "sum": "ghost"},
            "metrics.x.sum: unknown field 'ghost'",
        ),
        (
            "metrics",
            {"label": "x", "on": ["close"], "by": "site"},
            "metrics.x.by: by takes an enum or bool field",
        ),
        (
            "metrics",
            {"label": "x", "on": ["close"], "by": "ghost"},
            "metrics.x.by: unknown field 'ghost'",
        ),
        (
            "metrics",
            {"label": "x", "on": ["close"], "case_flag": "urgent"},
            "metrics.x.case_flag: unknown case flag 'urgent'",
        ),
        (
            "rates",
            {"label": "x", "numerator": "ghost", "denominator": "concluded"},
            "rates.x.numerator: unknown metric 'ghost'",
        ),
        (
            "rates",
            {"label": "x", "numerator": "concluded", "denominator": "ghost"},
            "rates.x.denominator: unknown metric 'ghost'",
        ),
        ("rates", {"label": "x", "numerator": "concluded"}, "rates.x: missing key 'denominator'"),
        (
            "schedules",
            {"label": "x", "every": "1cd", "rule": "ghost"},
            "schedules.x.rule: unknown rule hook 'ghost'",
        ),
        (
            "schedules",
            {"label": "x", "every": "daily", "rule": "check_missed_reports"},
            "schedules.x.every: bad duration 'daily'",
        ),
    ],
)
def test_a_malformed_metric_rate_or_schedule_is_refused_with_its_path(
    section: str, entry: dict[str, Any], expected: str
) -> None:
    raw = with_yaml(METRICS)
    raw[section]["x"] = entry
    assert_fault(raw, expected, rule_hooks=frozenset({"check_missed_reports"}))


def test_rule_hooks_are_not_checked_when_none_are_given() -> None:
    raw = minimal(schedules={"s": {"label": "检查", "every": "1cd", "rule": "anything"}})
    assert parse(raw).schedules[0].rule == "anything"
