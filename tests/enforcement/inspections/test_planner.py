"""The 1+N planner: items of one target whose windows share a working day become one visit
led by the street's enforcement team (else the department with most items); days are
working days inside the common window, at most K a day per lead unit; the report counts the
visits saved."""

from __future__ import annotations

from datetime import date

from fazhi.domain.calendar import WorkCalendar
from fazhi.enforcement.inspections.planner import PlanItem, plan

CAL = WorkCalendar()
STREET, TEAM = 100, 900
D = date


def item(
    n: int, target: int, dept: int, start: date, end: date, street: int | None = STREET
) -> PlanItem:
    return PlanItem(n, target, dept, n, start, end, street)


def test_overlapping_items_of_a_target_merge_into_one_visit_led_by_the_street_team() -> None:
    items = [
        item(1, 1, 10, D(2023, 6, 5), D(2023, 6, 20)),
        item(2, 1, 11, D(2023, 6, 12), D(2023, 6, 30)),
        item(3, 1, 12, D(2023, 6, 1), D(2023, 6, 14)),
    ]
    result = plan(items, CAL, {STREET: TEAM}, capacity=3)
    (visit,) = result.visits
    assert visit.lead_unit_id == TEAM and visit.joint
    assert visit.item_ids == (1, 2, 3) and visit.day == D(2023, 6, 12)
    assert result.report.as_json() == {
        "items": 3,
        "separate_visits": 3,
        "joint_visits": 1,
        "visits": 1,
        "visits_saved": 2,
        "unscheduled": 0,
    }


def test_windows_that_do_not_overlap_stay_separate_visits() -> None:
    items = [
        item(1, 1, 10, D(2023, 6, 5), D(2023, 6, 9)),
        item(2, 1, 11, D(2023, 6, 12), D(2023, 6, 16)),
        item(3, 2, 12, D(2023, 6, 5), D(2023, 6, 16)),  # another target
    ]
    result = plan(items, CAL, {STREET: TEAM})
    assert len(result.visits) == 3 and result.report.saved == 0
    # A visit of one department is led by that department.
    assert {v.lead_unit_id for v in result.visits} == {10, 11, 12}


def test_windows_sharing_only_a_holiday_cannot_join() -> None:
    # 2023-06-22..24: 端午节 (22, 23 holidays; 25 Sunday is a make-up workday).
    items = [
        item(1, 1, 10, D(2023, 6, 19), D(2023, 6, 23)),
        item(2, 1, 11, D(2023, 6, 22), D(2023, 6, 24)),
    ]
    result = plan(items, CAL, {STREET: TEAM})
    assert len(result.visits) == 2
    alone = next(v for v in result.visits if v.item_ids == (2,))
    assert alone.day is None and alone.reason == "no_workday"
    first = next(v for v in result.visits if v.item_ids == (1,))
    assert first.day == D(2023, 6, 19) and CAL.is_workday(first.day)


def test_without_a_street_team_the_department_with_most_items_leads() -> None:
    items = [
        item(1, 1, 11, D(2023, 6, 5), D(2023, 6, 9), street=None),
        item(2, 1, 10, D(2023, 6, 5), D(2023, 6, 9), street=None),
        item(3, 1, 11, D(2023, 6, 5), D(2023, 6, 9), street=None),
    ]
    (visit,) = plan(items, CAL, {STREET: TEAM}).visits
    assert visit.lead_unit_id == 11
    # Two items of one department in one window were one visit anyway: one saved, not two.
    assert plan(items, CAL, {}).report.saved == 1


def test_a_lead_unit_makes_at_most_k_visits_a_day() -> None:
    items = [item(n, n, 10, D(2023, 6, 5), D(2023, 6, 6)) for n in range(1, 6)]
    result = plan(items, CAL, {}, capacity=2)
    days = [v.day for v in result.visits]
    assert days.count(D(2023, 6, 5)) == 2 and days.count(D(2023, 6, 6)) == 2
    assert days.count(None) == 1
    assert next(v for v in result.visits if v.day is None).reason == "over_capacity"
    # Visits already scheduled count against the day, and no day before today is proposed.
    busy = plan(items[:1], CAL, {}, capacity=1, busy={(10, D(2023, 6, 5)): 1})
    assert busy.visits[0].day == D(2023, 6, 6)
    later = plan(items[:1], CAL, {}, not_before=D(2023, 6, 6))
    assert later.visits[0].day == D(2023, 6, 6)


def test_the_plan_does_not_depend_on_the_order_of_the_items() -> None:
    items = [
        item(1, 1, 10, D(2023, 6, 5), D(2023, 6, 20)),
        item(2, 1, 11, D(2023, 6, 12), D(2023, 6, 30)),
        item(3, 2, 12, D(2023, 6, 1), D(2023, 6, 14)),
        item(4, 2, 10, D(2023, 6, 20), D(2023, 6, 30)),
    ]
    assert plan(items, CAL, {STREET: TEAM}) == plan(items[::-1], CAL, {STREET: TEAM})
