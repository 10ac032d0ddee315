"""Clocks as a specification: suspension (中止) and resumption (恢复) in each unit,
extensions of suspended clocks, and repeating windows with the scheduler's catch-up.

Calendar facts used (2023): 中秋+国庆 9/29–10/6 off, 10/7 (Sat) and 10/8 (Sun) make-up
workdays; 端午 6/22–24 off, 6/25 (Sun) a make-up workday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.domain.case_type import CaseType, ExtendRule, Guard, RepeatRule
from fazhi.domain.clocks import next_due, plan_clock_tick
from fazhi.domain.durations import Duration, local_date
from fazhi.domain.hooks import ScheduledAction
from fazhi.domain.records import ClockRecord
from fazhi.domain.workflow import CaseSnapshot, Plan
from tests.domain.typekit import CAL, act, after, at, clock, end_of, field, matter, refuse, run

D = date


def typ(limit: str) -> CaseType:
    return matter(
        act("apply", create=True),
        act("suspend", to="suspended"),
        act("resume", to="open"),
        act("extend", inputs=(field("days", "int", required=True),)),
        act("conclude", to="closed"),
        act("object", guards=(Guard("clock_within", "handle", message="已超过异议期限"),)),
        clocks=(clock("handle", limit, extend=ExtendRule("extend", "days", 10)),),
    )


def started(kind: CaseType, now: datetime) -> CaseSnapshot:
    return after(CaseSnapshot(), run(kind, CaseSnapshot(), "apply", now))


def handle(case: CaseSnapshot) -> ClockRecord:
    found = case.running_clock("handle")
    assert found is not None
    return found


def step(kind: CaseType, case: CaseSnapshot, action: str, now: datetime, **inputs: object) -> Plan:
    return run(kind, case, action, now, **inputs)


WD20 = typ("20wd")
SEPT_11 = at(D(2023, 9, 11))  # a Monday


# --- suspension and resumption ------------------------------------------------------------


def test_a_working_day_clock_suspended_over_national_day_keeps_the_time_used() -> None:
    case = started(WD20, SEPT_11)
    # From 9/12: 9/12–15 (4), 9/18–22 (9), 9/25–28 (13), holiday, 10/7 (14), 10/8 (15),
    # 10/9–13 (20).
    assert handle(case).due_at == end_of(D(2023, 10, 13))

    suspended = step(WD20, case, "suspend", at(D(2023, 9, 25), 16))
    (clock_,) = suspended.clocks_suspended
    # The day of suspension counts as used: 9/12–9/25 is 10 working days, 10 remain
    # (9/26, 9/27, 9/28, 10/7, 10/8, 10/9–13).
    assert (clock_.remaining, clock_.suspended_at) == ("10wd", at(D(2023, 9, 25), 16))
    assert clock_.suspended and clock_.running and not clock_.ticking
    assert suspended.next_due is None  # a suspended clock has no deadline
    case = after(case, suspended)

    resumed = step(WD20, case, "resume", at(D(2023, 10, 9), 10))
    (clock_,) = resumed.clocks_resumed
    # Counting restarts the day after resumption: 10/10–13 (4), 10/16–20 (9), 10/23 (10).
    # The make-up workdays 10/7 and 10/8 fell inside the suspension and are not counted.
    assert clock_.due_at == end_of(D(2023, 10, 23))
    assert (clock_.suspended_at, clock_.resumed_at) == (None, at(D(2023, 10, 9), 10))
    assert resumed.next_due == end_of(D(2023, 10, 23))
    assert clock_.started_at == SEPT_11  # the clock was not restarted


def test_an_hour_clock_keeps_the_exact_seconds_left() -> None:
    kind = typ("24h")
    case = started(kind, at(D(2023, 6, 1), 9))
    suspended = step(kind, case, "suspend", at(D(2023, 6, 1), 15, 30))
    assert suspended.clocks_suspended[0].remaining == "63000s"  # 17 h 30 min
    case = after(case, suspended)
    resumed = step(kind, case, "resume", at(D(2023, 6, 5), 10))
    assert resumed.clocks_resumed[0].due_at == at(D(2023, 6, 6), 3, 30)


def test_a_month_clock_is_suspended_as_the_calendar_days_it_still_had() -> None:
    kind = typ("1mo")
    case = started(kind, at(D(2023, 6, 5)))
    assert handle(case).due_at == end_of(D(2023, 7, 5))
    suspended = step(kind, case, "suspend", at(D(2023, 6, 15)))
    assert suspended.clocks_suspended[0].remaining == "20cd"  # 6/16 … 7/5
    case = after(case, suspended)
    resumed = step(kind, case, "resume", at(D(2023, 8, 1)))
    assert resumed.clocks_resumed[0].due_at == end_of(D(2023, 8, 21))  # a Monday


def test_a_calendar_day_clock_resumes_with_its_days_and_rolls_past_a_weekend() -> None:
    kind = typ("30cd")
    case = started(kind, at(D(2023, 6, 1)))
    assert handle(case).due_at == end_of(D(2023, 7, 3))  # 7/1 is a Saturday
    suspended = step(kind, case, "suspend", at(D(2023, 6, 11)))
    assert suspended.clocks_suspended[0].remaining == "22cd"
    case = after(case, suspended)
    # 6/20 + 22 = 7/12, a Wednesday.
    assert step(kind, case, "resume", at(D(2023, 6, 20))).next_due == end_of(D(2023, 7, 12))


def test_suspending_a_suspended_clock_is_refused_and_changes_nothing() -> None:
    case = started(WD20, SEPT_11)
    case = after(case, step(WD20, case, "suspend", at(D(2023, 9, 12))))
    before = (handle(case).remaining, handle(case).suspended_at)
    error = refuse(WD20, case, "suspend", at(D(2023, 9, 20)))
    assert (error.code, error.status) == ("clock_not_running", 409)
    assert "已中止" in error.message
    assert (handle(case).remaining, handle(case).suspended_at) == before


def test_resuming_a_clock_that_is_counting_is_refused() -> None:
    error = refuse(WD20, started(WD20, SEPT_11), "resume", at(D(2023, 9, 12)))
    assert (error.code, error.status) == ("clock_not_suspended", 409)
    assert "无需恢复" in error.message


def test_a_suspended_clock_is_never_overdue_and_a_stop_while_suspended_is_in_time() -> None:
    case = started(WD20, SEPT_11)
    case = after(case, step(WD20, case, "suspend", at(D(2023, 9, 25))))
    far = at(D(2024, 6, 1))
    assert not handle(case).overdue(far)
    stopped = step(WD20, case, "conclude", far)
    assert stopped.clocks_stopped[0].met is True


def test_a_clock_within_guard_holds_while_its_clock_is_suspended_in_time() -> None:
    kind = typ("1wd")
    case = started(kind, at(D(2023, 6, 1)))  # due Friday 6/2
    in_time = after(case, step(kind, case, "suspend", at(D(2023, 6, 2), 10)))
    assert step(kind, in_time, "object", at(D(2023, 6, 9))).to_state == "suspended"
    case = started(kind, at(D(2023, 6, 1)))
    late = after(case, step(kind, case, "suspend", at(D(2023, 6, 5))))
    assert refuse(kind, late, "object", at(D(2023, 6, 9))).message == "已超过异议期限"


def test_a_clock_already_late_when_suspended_stays_late() -> None:
    kind = typ("1wd")
    case = started(kind, at(D(2023, 6, 1)))  # due Friday 6/2
    case = after(case, step(kind, case, "suspend", at(D(2023, 6, 6))))
    assert handle(case).remaining == "0wd"
    assert handle(case).overdue(at(D(2023, 6, 7)))
    resumed = step(kind, case, "resume", at(D(2023, 6, 8)))
    assert resumed.clocks_resumed[0].due_at == end_of(D(2023, 6, 2))


def test_a_clock_suspended_on_its_last_day_is_due_when_resumed() -> None:
    kind = typ("1wd")
    case = started(kind, at(D(2023, 6, 1)))
    case = after(case, step(kind, case, "suspend", at(D(2023, 6, 2), 10)))
    assert handle(case).remaining == "0wd"  # the day of suspension counts as used
    assert not handle(case).overdue(at(D(2023, 6, 7)))
    resume_at = at(D(2023, 6, 7), 9)
    assert step(kind, case, "resume", resume_at).next_due == resume_at


def test_an_extension_of_a_suspended_clock_adds_to_its_remaining() -> None:
    case = started(WD20, SEPT_11)
    case = after(case, step(WD20, case, "suspend", at(D(2023, 9, 25))))
    extended = step(WD20, case, "extend", at(D(2023, 9, 27)), days=3)
    (clock_,) = extended.clocks_extended
    assert (clock_.remaining, clock_.extended) == ("13wd", 3)
    assert extended.next_due is None  # still suspended
    case = after(case, extended)
    # 13 WD from 10/9: 10/10–13 (4), 10/16–20 (9), 10/23–26 (13).
    assert step(WD20, case, "resume", at(D(2023, 10, 9))).next_due == end_of(D(2023, 10, 26))


def test_an_extension_after_resumption_counts_from_the_resumption() -> None:
    case = started(WD20, SEPT_11)
    case = after(case, step(WD20, case, "suspend", at(D(2023, 9, 25))))
    case = after(case, step(WD20, case, "resume", at(D(2023, 10, 9))))
    assert handle(case).due_at == end_of(D(2023, 10, 23))
    extended = step(WD20, case, "extend", at(D(2023, 10, 10)), days=2)
    assert extended.clocks_extended[0].due_at == end_of(D(2023, 10, 25))
    assert extended.clocks_extended[0].remaining == "12wd"


def test_the_extension_maximum_still_applies_while_suspended() -> None:
    case = started(WD20, SEPT_11)
    case = after(case, step(WD20, case, "suspend", at(D(2023, 9, 25))))
    case = after(case, step(WD20, case, "extend", at(D(2023, 9, 26)), days=8))
    error = refuse(WD20, case, "extend", at(D(2023, 9, 27)), days=3)
    assert error.code == "extension_too_long"
    assert handle(case).remaining == "18wd"


def test_a_clock_without_suspension_extends_exactly_as_before() -> None:
    case = started(WD20, SEPT_11)
    extended = step(WD20, case, "extend", at(D(2023, 9, 12)), days=2)
    # 20 + 2 WD from 9/11: 10/13 is the 20th, 10/16 and 10/17 follow.
    assert extended.clocks_extended[0].due_at == end_of(D(2023, 10, 17))
    assert extended.clocks_extended[0].remaining is None


# --- the time granted ---------------------------------------------------------------------

PAUSES = st.lists(st.tuples(st.integers(0, 20 * 24 * 60), st.integers(0, 20 * 24 * 60)), max_size=5)


def _walk(
    kind: CaseType, start: datetime, pauses: list[tuple[int, int]]
) -> list[tuple[datetime, datetime]]:
    """Suspend after each run, resume after each pause; the counted segments and the end."""
    case = started(kind, start)
    t = start
    segments = []
    for run_minutes, pause_minutes in pauses:
        due = handle(case).due_at
        s = t + timedelta(minutes=run_minutes)
        case = after(case, step(kind, case, "suspend", s))
        segments.append((t, min(s, due)) if t <= due else (t, t))
        t = s + timedelta(minutes=pause_minutes)
        case = after(case, step(kind, case, "resume", t))
    segments.append((t, max(t, handle(case).due_at)))
    return segments


@settings(max_examples=150, deadline=None)
@given(hours=st.integers(1, 96), pauses=PAUSES)
def test_an_hour_clock_grants_exactly_its_limit_whatever_the_suspensions(
    hours: int, pauses: list[tuple[int, int]]
) -> None:
    segments = _walk(typ(f"{hours}h"), at(D(2023, 9, 20), 9, 17), pauses)
    assert sum((b - a for a, b in segments), timedelta()) == timedelta(hours=hours)


@settings(max_examples=150, deadline=None)
@given(days=st.integers(1, 30), pauses=PAUSES)
def test_a_working_day_clock_grants_its_limit_whatever_the_suspensions(
    days: int, pauses: list[tuple[int, int]]
) -> None:
    segments = _walk(typ(f"{days}wd"), at(D(2023, 9, 20), 9, 17), pauses)
    # Each running stretch uses the working days after the day it began, up to and
    # including the day it ended (the day of suspension counts as used): never more than
    # the limit, and here exactly it, since nothing is granted twice.
    used = sum(CAL.workdays_between(local_date(a), local_date(b)) for a, b in segments)
    assert used == days


# --- repeating windows --------------------------------------------------------------------

DAILY = matter(
    act("apply", create=True),
    act("check_in"),
    act("miss_check_in"),
    act("conclude", to="closed"),
    clocks=(
        clock(
            "check",
            "1cd",
            suspend=(),
            resume=(),
            repeat=RepeatRule(Duration(1, "cd"), ("check_in",), "miss_check_in"),
        ),
    ),
)
THU = D(2023, 6, 1)


def window(case: CaseSnapshot) -> ClockRecord:
    found = case.running_clock("check")
    assert found is not None
    return found


def test_the_first_window_runs_from_the_start_to_the_end_of_that_day() -> None:
    case = started(DAILY, at(THU, 10))
    first = window(case)
    assert (first.window, first.started_at, first.due_at) == (1, at(THU, 10), end_of(THU))
    assert (first.limit, first.unit_label) == ("1cd", "日")


def test_a_check_in_meets_the_window_and_opens_the_next_at_midnight() -> None:
    case = started(DAILY, at(THU, 10))
    plan = step(DAILY, case, "check_in", at(THU, 18))
    (met,) = plan.clocks_stopped
    (following,) = plan.clocks_started
    assert (met.window, met.met) == (1, True)
    assert (following.window, following.started_at) == (2, at(D(2023, 6, 2), 0))
    assert following.due_at == end_of(D(2023, 6, 2))
    assert plan.next_due == end_of(D(2023, 6, 2))


def test_a_second_check_in_in_the_same_window_is_refused() -> None:
    case = started(DAILY, at(THU, 10))
    case = after(case, step(DAILY, case, "check_in", at(THU, 18)))
    error = refuse(DAILY, case, "check_in", at(THU, 20))
    assert (error.code, error.status) == ("window_already_met", 409)
    assert "2023-06-02 00:00" in error.message
    # The next morning the new window is open.
    assert step(DAILY, case, "check_in", at(D(2023, 6, 2), 8)).clocks_stopped[0].window == 2


def test_daily_windows_over_several_days_with_a_missed_day_caught_up_by_the_tick() -> None:
    case = started(DAILY, at(THU, 10))
    case = after(case, step(DAILY, case, "check_in", at(THU, 18)))  # window 1 met
    case = after(case, step(DAILY, case, "check_in", at(D(2023, 6, 2), 9)))  # window 2 met
    window(case).id = 41  # as storage loads it
    # Nothing on Saturday 6/3. Within the day the tick has nothing to do.
    assert plan_clock_tick(DAILY, case, at(D(2023, 6, 3), 23), CAL).empty
    tick = plan_clock_tick(DAILY, case, at(D(2023, 6, 4), 0, 5), CAL)
    (missed,) = tick.stopped
    assert (missed.window, missed.met, missed.id) == (3, False, 41)
    assert tick.recorded == []
    (current,) = tick.started
    assert (current.window, current.started_at) == (4, at(D(2023, 6, 4), 0))
    assert tick.actions == [ScheduledAction("miss_check_in")]
    assert tick.next_due == end_of(D(2023, 6, 4))
    assert window(case).running  # the tick is a plan: the snapshot is unchanged
    case.clocks = [current]  # as the scheduler writes it
    assert step(DAILY, case, "check_in", at(D(2023, 6, 4), 9)).clocks_stopped[0].met is True


def test_the_tick_catches_up_several_missed_days_at_once() -> None:
    case = started(DAILY, at(THU, 10))  # window 1 is 6/1; nobody checks in until 6/5 noon
    tick = plan_clock_tick(DAILY, case, at(D(2023, 6, 4), 12), CAL)
    assert [w.window for w in tick.stopped] == [1]
    assert [(w.window, w.started_at, w.met) for w in tick.recorded] == [
        (2, at(D(2023, 6, 2), 0), False),
        (3, at(D(2023, 6, 3), 0), False),
    ]
    assert [w.window for w in tick.started] == [4]
    assert tick.actions == [ScheduledAction("miss_check_in")] * 3


def test_a_check_in_before_the_tick_came_closes_the_missed_windows_itself() -> None:
    case = started(DAILY, at(THU, 10))
    plan = step(DAILY, case, "check_in", at(D(2023, 6, 3), 9))
    assert [(w.window, w.met) for w in plan.clocks_stopped] == [(1, False)]
    assert [(w.window, w.met) for w in plan.clocks_recorded] == [(2, False), (3, True)]
    assert [w.window for w in plan.clocks_started] == [4]
    assert plan.follow_up == [ScheduledAction("miss_check_in")] * 2


DAILY_WITH_DAY = matter(
    act("apply", create=True),
    act("check_in"),
    act("miss_check_in"),
    clocks=(
        clock(
            "check",
            "1cd",
            suspend=(),
            resume=(),
            repeat=RepeatRule(Duration(1, "cd"), ("check_in",), "miss_check_in", "missed_on"),
        ),
    ),
)


def test_with_an_expire_input_each_owed_action_names_the_day_it_was_missed() -> None:
    case = started(DAILY_WITH_DAY, at(THU, 10))
    tick = plan_clock_tick(DAILY_WITH_DAY, case, at(D(2023, 6, 4), 12), CAL)
    assert [a.inputs for a in tick.actions] == [
        {"missed_on": "2023-06-01"},
        {"missed_on": "2023-06-02"},
        {"missed_on": "2023-06-03"},
    ]
    # A late check-in catching up owes the same, one per missed day, and not its own day.
    plan = step(DAILY_WITH_DAY, case, "check_in", at(D(2023, 6, 3), 11))
    assert [a.inputs["missed_on"] for a in plan.follow_up] == ["2023-06-01", "2023-06-02"]


def test_past_the_catch_up_bound_only_the_newest_missed_windows_are_owed_and_the_rest_named() -> (
    None
):
    bounded = matter(
        act("apply", create=True),
        act("check_in"),
        act("miss_check_in"),
        clocks=(
            clock(
                "check",
                "1cd",
                suspend=(),
                resume=(),
                repeat=RepeatRule(
                    Duration(1, "cd"), ("check_in",), "miss_check_in", "missed_on", catch_up=3
                ),
            ),
        ),
    )
    case = started(bounded, at(THU, 10))  # window 1 is 6/1; nobody checks in until 6/10
    tick = plan_clock_tick(bounded, case, at(D(2023, 6, 10), 0, 30), CAL)
    assert [a.inputs["missed_on"] for a in tick.actions] == [
        "2023-06-07",
        "2023-06-08",
        "2023-06-09",
    ]
    assert [w.window for w in tick.stopped] == [1]  # the open window is closed all the same
    assert [w.window for w in tick.recorded] == [7, 8, 9]  # no rows for the skipped ones
    assert [w.window for w in tick.started] == [10]
    (notice,) = tick.skipped
    assert notice.brief() == {
        "name": "check",
        "windows": [1, 6],
        "from": "2023-06-01",
        "to": "2023-06-06",
        "reason": "catch_up_bound",
    }
    # Within the bound nothing is skipped.
    assert plan_clock_tick(bounded, case, at(D(2023, 6, 4), 0, 30), CAL).skipped == []


def test_a_stop_action_ends_the_series() -> None:
    case = started(DAILY, at(THU, 10))
    plan = step(DAILY, case, "conclude", at(THU, 12))
    assert [(w.window, w.met) for w in plan.clocks_stopped] == [(1, True)]
    assert plan.clocks_started == [] and plan.next_due is None


def test_a_window_not_yet_begun_when_the_series_ends_is_neither_met_nor_missed() -> None:
    case = started(DAILY, at(THU, 10))
    case = after(case, step(DAILY, case, "check_in", at(THU, 11)))
    plan = step(DAILY, case, "conclude", at(THU, 12))
    assert [(w.window, w.met) for w in plan.clocks_stopped] == [(2, None)]


def test_a_working_day_window_spans_a_holiday_to_the_next_working_day() -> None:
    kind = matter(
        act("apply", create=True),
        act("check_in"),
        clocks=(
            clock(
                "report",
                "1wd",
                suspend=(),
                resume=(),
                repeat=RepeatRule(Duration(1, "wd"), ("check_in",)),
            ),
        ),
    )
    case = started(kind, at(D(2023, 9, 28), 10))
    assert case.clocks[0].due_at == end_of(D(2023, 9, 28))
    plan = step(kind, case, "check_in", at(D(2023, 9, 28), 15))
    (following,) = plan.clocks_started
    # From 9/29 00:00 to the end of the next working day, the make-up Saturday 10/7.
    assert (following.started_at, following.due_at) == (
        at(D(2023, 9, 29), 0),
        end_of(D(2023, 10, 7)),
    )
    # No expire action declared: missed windows are closed, nothing is owed.
    tick = plan_clock_tick(kind, after(case, plan), at(D(2023, 10, 9), 1), CAL)
    assert [w.window for w in tick.stopped] == [2] and tick.actions == []
    assert [w.due_at for w in tick.recorded] == [end_of(D(2023, 10, 8))]


def test_a_period_is_never_the_cases_deadline() -> None:
    """A clock with `deadline: false` (a party's window, 请求复查期限) does not make the case
    due."""
    start = at(D(2023, 6, 1))
    window = ClockRecord("window", "请求复查期限", "", "30cd", start, end_of(D(2023, 7, 1)), "x")
    duty = ClockRecord("review", "复查期限", "", "30cd", start, end_of(D(2023, 7, 3)), "x")
    assert next_due([window, duty]) == end_of(D(2023, 7, 1))
    assert next_due([window, duty], frozenset({"window"})) == end_of(D(2023, 7, 3))
    assert next_due([window], frozenset({"window"})) is None
