"""Missed calls and call-backs as the operators depend on them: a call is recorded once
whatever the telephony system resends, a CSV batch with any bad row writes nothing and names
every bad row, and a call-back closes the task, or keeps it open until the third no-answer."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext
from fazhi.actions.platform import Platform
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.missed_calls import (
    check_call_back,
    check_missed_call,
    do_call_back,
    do_import_missed_calls,
    do_record_missed_calls,
)
from fazhi.hotline.read.missed_calls import figures
from fazhi.hotline.store.missed_calls import CallBackAttempt, MissedCall
from fazhi.store.db import transaction
from fazhi.store.models import User
from tests.support import FakeClock

NOW = datetime(2031, 3, 14, 10, 0, tzinfo=LOCAL_TZ)


def ctx(platform: Platform, username: str = "operator1") -> ActionContext:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return ActionContext(platform, actor_for(platform, user), NOW)


def prefix() -> str:
    return f"C{uuid.uuid4().hex[:10]}"


def csv_of(*rows: str, header: str = "呼叫编号,来电号码,来电时间,呼入线路,等待秒数") -> bytes:
    return ("\ufeff" + "\n".join((header, *rows)) + "\n").encode("utf-8")


def count(platform: Platform, like: str) -> int:
    with platform.sessions() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(MissedCall)
                .where(MissedCall.call_id.like(f"{like}%"))
            )
            or 0
        )


def test_a_call_is_checked_field_by_field() -> None:
    call = check_missed_call(
        {"call_id": " A1 ", "caller_phone": "170-0000-1234", "called_at": "2031-03-14 09:00"}, NOW
    )
    assert (call.call_id, call.caller_phone) == ("A1", "17000001234")
    assert call.called_at == datetime(2031, 3, 14, 9, 0, tzinfo=LOCAL_TZ)  # local time
    for raw, field in (
        ({"caller_phone": "17000001234", "called_at": "2031-03-14 09:00"}, "call_id"),
        (
            {"call_id": "A", "caller_phone": "12345", "called_at": "2031-03-14 09:00"},
            "caller_phone",
        ),
        ({"call_id": "A", "caller_phone": "17000001234", "called_at": "昨天"}, "called_at"),
        (
            {"call_id": "A", "caller_phone": "17000001234", "called_at": "2031-03-15 09:00"},
            "called_at",
        ),
        (
            {
                "call_id": "A",
                "caller_phone": "17000001234",
                "called_at": "2031-03-14",
                "wait_seconds": "-3",
            },
            "wait_seconds",
        ),
    ):
        with pytest.raises(DomainError) as refused:
            check_missed_call(raw, NOW)
        assert refused.value.field == field and refused.value.message


def test_a_resent_call_is_recorded_once(platform: Platform) -> None:
    tag = prefix()
    call = check_missed_call(
        {"call_id": tag, "caller_phone": "17000001234", "called_at": "2031-03-14 09:00"}, NOW
    )
    with transaction(platform.sessions) as session:
        assert do_record_missed_calls(session, ctx(platform), [call], "api")[:2] == (1, 0)
    with transaction(platform.sessions) as session:
        assert do_record_missed_calls(session, ctx(platform), [call], "api")[:2] == (0, 1)
    assert count(platform, tag) == 1


def test_a_csv_batch_with_bad_rows_writes_nothing_and_names_every_bad_row(
    platform: Platform,
) -> None:
    tag = prefix()
    data = csv_of(
        f"{tag}-1,17000001234,2031-03-14 08:00,12345-1,30",
        f"{tag}-2,12345,2031-03-14 08:05,,",
        f"{tag}-3,17000001235,不是时间,,",
        f"{tag}-1,17000001236,2031-03-14 08:10,,",
    )
    with transaction(platform.sessions) as session:
        report = do_import_missed_calls(session, ctx(platform), data)
        assert not report.ok
        session.rollback()
    assert report.rows == 4
    assert [(e.line, e.field) for e in report.errors] == [
        (3, "caller_phone"),
        (4, "called_at"),
        (5, "call_id"),
    ]
    assert "第2行" in report.errors[2].message
    assert count(platform, tag) == 0

    good = csv_of(
        f"{tag}-1,17000001234,2031-03-14 08:00,12345-1,30",
        f"{tag}-2,17000001235,2031-03-14 08:05,,",
    )
    with transaction(platform.sessions) as session:
        report = do_import_missed_calls(session, ctx(platform), good)
    assert (report.ok, report.created, report.skipped_existing) == (True, 2, 0)
    with transaction(platform.sessions) as session:
        again = do_import_missed_calls(session, ctx(platform), good)
    assert (again.created, again.skipped_existing) == (0, 2)
    assert count(platform, tag) == 2


def test_a_file_with_the_wrong_columns_is_refused_as_a_whole(platform: Platform) -> None:
    with transaction(platform.sessions) as session, pytest.raises(DomainError) as refused:
        do_import_missed_calls(session, ctx(platform), csv_of("x,y", header="编号,电话"))
    assert refused.value.code == "unknown_columns"


def test_only_hotline_staff_record_calls(platform: Platform) -> None:
    with transaction(platform.sessions) as session, pytest.raises(DomainError) as refused:
        do_import_missed_calls(session, ctx(platform, "sfj_handler"), csv_of())
    assert refused.value.status == 403


def _one_call(platform: Platform, at: datetime) -> int:
    call = check_missed_call(
        {"call_id": prefix(), "caller_phone": "17000004321", "called_at": at.isoformat()}, NOW
    )
    with transaction(platform.sessions) as session:
        return do_record_missed_calls(session, ctx(platform), [call], "api")[2][0].id


def test_no_answer_keeps_the_task_until_the_third_try(platform: Platform) -> None:
    call_id = _one_call(platform, NOW - timedelta(hours=1))
    for attempt in (1, 2, 3):
        with transaction(platform.sessions) as session:
            c = ctx(platform)
            row = do_call_back(
                session, c, check_call_back(session, c, call_id, "no_answer", "", None)
            )
            assert row.attempts == attempt
            assert row.status == ("abandoned" if attempt == 3 else "open")
    with transaction(platform.sessions) as session:
        c = ctx(platform)
        with pytest.raises(DomainError) as refused:
            check_call_back(session, c, call_id, "answered", "", None)
        assert refused.value.code == "call_closed"
        assert (
            session.scalar(
                select(func.count())
                .select_from(CallBackAttempt)
                .where(CallBackAttempt.missed_call_id == call_id)
            )
            == 3
        )


def test_registered_needs_the_order_it_registered(platform: Platform) -> None:
    call_id = _one_call(platform, NOW - timedelta(minutes=30))
    with transaction(platform.sessions) as session:
        c = ctx(platform)
        with pytest.raises(DomainError) as refused:
            check_call_back(session, c, call_id, "registered", "", None)
        assert refused.value.field == "case"
        with pytest.raises(DomainError):
            check_call_back(session, c, call_id, "registered", "", 999_999_999)
        with pytest.raises(DomainError) as bad:
            check_call_back(session, c, call_id, "hung_up", "", None)
        assert bad.value.field == "outcome"
        row = do_call_back(
            session, c, check_call_back(session, c, call_id, "wrong_number", "空号", None)
        )
        assert (row.status, row.outcome) == ("done", "wrong_number")


def test_figures_count_first_call_backs_within_two_hours(
    platform: Platform, clock: FakeClock
) -> None:
    start = datetime(2031, 1, 1, tzinfo=LOCAL_TZ)
    late = _one_call(platform, datetime(2031, 1, 5, 8, 0, tzinfo=LOCAL_TZ))
    quick = _one_call(platform, datetime(2031, 1, 5, 9, 0, tzinfo=LOCAL_TZ))
    _one_call(platform, datetime(2031, 1, 6, 9, 0, tzinfo=LOCAL_TZ))  # never called back
    for call_id, at in ((late, datetime(2031, 1, 5, 11, 0)), (quick, datetime(2031, 1, 5, 10, 30))):
        with transaction(platform.sessions) as session:
            c = ActionContext(platform, ctx(platform).actor, at.replace(tzinfo=LOCAL_TZ))
            do_call_back(session, c, check_call_back(session, c, call_id, "answered", "", None))
    with platform.sessions() as session:
        got = figures(session, "430204", start, start + timedelta(days=31))
    assert (got.missed, got.open, got.done, got.called_back_in_time) == (3, 1, 2, 1)
    assert got.outcomes == {"answered": 2}
    assert got.in_time_rate == pytest.approx(1 / 3)
