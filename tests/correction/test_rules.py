"""The pure rules behind the anomalies and the day view: which days the daily clock owes as
missed, what is wrong with a check-in, when it is late, and a day's status — the daily
obligation holding on holidays (National Day 2023) as on any day."""

from __future__ import annotations

from datetime import date, datetime

from fazhi.catalog.registry import default_case_types
from fazhi.correction.hooks import (
    check_in_anomaly,
    correction_check_in_anomalies,
    is_late,
    report_due,
)
from fazhi.correction.read import subject_status
from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.clocks import plan_clock_tick, start_clock
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.hooks import RuleContext, ScheduledAction
from fazhi.domain.records import CaseSnapshot


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


SUBJECT = {"reported_on": "2023-09-27", "check_in_by": "10:00"}


def test_every_day_without_a_check_in_is_owed_by_the_daily_clock_holidays_included() -> None:
    case_type = default_case_types().get("community_correction")
    assert case_type is not None
    spec = case_type.clock("daily_check_in")
    assert spec is not None and spec.repeat is not None
    reported = local("2023-09-28T09:00")
    window = start_clock(spec, "report_in", {}, reported, WorkCalendar())
    case = CaseSnapshot(state="supervising", fields=dict(SUBJECT), clocks=[window])
    # At 00:30 on 10/3 with no check-in since the report: 9/28, 9/29 (中秋), 9/30, 10/1 and
    # 10/2 (国庆) are all owed, each once and by its day.
    tick = plan_clock_tick(case_type, case, local("2023-10-03T00:30"), WorkCalendar())
    assert [(a.action, a.inputs["missed_on"]) for a in tick.actions] == [
        ("miss_check_in", d)
        for d in ("2023-09-28", "2023-09-29", "2023-09-30", "2023-10-01", "2023-10-02")
    ]


def test_the_rule_raises_a_bad_latest_check_in_once_and_never_a_missed_day() -> None:
    fields = {
        **SUBJECT,
        "last_check_in_at": local("2023-10-01T11:20").isoformat(),
        "check_in_result": "inside",
        "check_in_late": True,
    }
    case = CaseSnapshot(state="supervising", fields=fields)
    owed = correction_check_in_anomalies(
        RuleContext(case, local("2023-10-05T01:00"), WorkCalendar())
    )
    assert owed == [ScheduledAction("flag_check_in", {"anomaly_kind": "late"})]
    seen = {**fields, "flagged_check_in_at": fields["last_check_in_at"]}
    case = CaseSnapshot(state="supervising", fields=seen)
    assert (
        correction_check_in_anomalies(RuleContext(case, local("2023-10-05T01:00"), WorkCalendar()))
        == []
    )


def test_a_check_in_is_late_after_the_subjects_deadline_in_local_time() -> None:
    assert not is_late(SUBJECT, local("2023-10-01T10:00"))
    assert is_late(SUBJECT, local("2023-10-01T10:01"))
    assert not is_late({"check_in_by": "12:30"}, local("2023-10-01T11:59"))


def test_the_worst_of_a_check_ins_faults_is_raised() -> None:
    assert check_in_anomaly({"check_in_result": "outside", "check_in_late": True}) == "out_of_area"
    assert check_in_anomaly({"check_in_result": "poor_accuracy"}) == "unverified"
    assert check_in_anomaly({"check_in_result": "inside", "check_in_late": True}) == "late"
    assert check_in_anomaly({"check_in_result": "boundary", "check_in_late": False}) is None


def test_todays_status_before_and_after_the_deadline() -> None:
    yesterday = {**SUBJECT, "last_check_in_at": local("2023-10-01T08:00").isoformat()}
    assert subject_status(yesterday, "supervising", local("2023-10-02T09:00")) == "pending"
    assert subject_status(yesterday, "supervising", local("2023-10-02T10:30")) == "missing"
    today = {
        **yesterday,
        "last_check_in_at": local("2023-10-02T10:20").isoformat(),
        "check_in_result": "inside",
        "check_in_late": True,
    }
    assert subject_status(today, "supervising", local("2023-10-02T11:00")) == "late"
    assert (
        subject_status(SUBJECT, "awaiting_report", local("2023-10-02T11:00")) == "awaiting_report"
    )


def test_the_report_in_date_rolls_past_the_holiday_to_the_make_up_working_day() -> None:
    calendar = WorkCalendar()
    assert report_due(date(2023, 9, 25), calendar) == date(2023, 10, 7)  # 10/5 is off
    # 9/20 + 10 = 9/30, a holiday: on past the whole holiday to Saturday 10/7 too.
    assert report_due(date(2023, 9, 20), calendar) == date(2023, 10, 7)
    assert report_due(date(2023, 6, 1), calendar) == date(2023, 6, 12)  # 6/11 is a Sunday
