"""The pure rules behind the anomalies and the day view: which days are missing, what is wrong
with a check-in, when it is late, and today's status — the daily obligation holding on
holidays (National Day 2023) as on any day."""

from __future__ import annotations

from datetime import date, datetime

from fazhi.correction.hooks import check_in_anomaly, is_late, missed_days, report_due
from fazhi.correction.read import subject_status
from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.durations import LOCAL_TZ


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


SUBJECT = {"reported_on": "2023-09-27", "check_in_by": "10:00"}


def test_every_day_without_a_check_in_is_missing_holidays_included() -> None:
    fields = {**SUBJECT, "last_check_in_at": local("2023-09-28T08:30").isoformat()}
    # At 00:30 on 10/3: 9/29 (中秋), 9/30, 10/1 and 10/2 (国庆) are all owed and missing.
    days = missed_days(fields, local("2023-10-03T00:30"))
    assert days == [date(2023, 9, 29), date(2023, 9, 30), date(2023, 10, 1), date(2023, 10, 2)]


def test_days_already_raised_and_today_are_not_missing() -> None:
    fields = {
        **SUBJECT,
        "last_check_in_at": local("2023-09-28T08:30").isoformat(),
        "flagged_through": "2023-09-30",
    }
    assert missed_days(fields, local("2023-10-01T23:00")) == []  # today still open
    assert missed_days(fields, local("2023-10-02T00:05")) == [date(2023, 10, 1)]


def test_the_reporting_day_is_the_first_day_owed() -> None:
    assert missed_days(SUBJECT, local("2023-09-28T01:00")) == [date(2023, 9, 27)]
    assert missed_days({"check_in_by": "10:00"}, local("2023-09-28T01:00")) == []  # not reported


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
