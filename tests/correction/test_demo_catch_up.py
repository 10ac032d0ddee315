"""The demo's correction year served at a later date: the first scheduler run does not owe every
day since the synthetic year ended. The daily clock's `catch_up: 31` bounds what a run owes —
the last 31 days' misses, each with its anomaly — and the tick's event names the older days
closed without one; a second run owes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import select

from fazhi.actions.platform import Platform
from fazhi.correction import plugin
from fazhi.domain.durations import LOCAL_TZ
from fazhi.store.models import Case, Event
from tests.correction.support import local, schedule
from tests.databases import organised_platform
from tests.support import FakeClock

# The synthetic demo year's content and pages: the same on either database.
pytestmark = pytest.mark.dialect_neutral


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """The correction demo in a database of its own (the run below ticks every subject)."""
    clock = FakeClock(datetime(2024, 1, 10, 9, tzinfo=LOCAL_TZ))
    with organised_platform(
        tmp_path_factory.mktemp("correction-demo"), "correction_demo", clock
    ) as p:
        assert "矫正对象" in plugin.generate_demo(p, 0, 0, 1, lambda n: None)
        yield p


def _anomalies(platform: Platform) -> list[Case]:
    with platform.sessions() as session:
        return list(session.scalars(select(Case).where(Case.type == "correction_anomaly")))


def test_serving_the_demo_months_later_owes_a_bounded_catch_up_with_a_notice(
    demo: Platform,
) -> None:
    before = {a.id for a in _anomalies(demo)}
    with demo.sessions() as session:
        open_subjects = list(
            session.scalars(
                select(Case.id).where(Case.type == "community_correction", Case.terminal.is_(False))
            )
        )
    assert open_subjects
    report = schedule(demo, local("2024-06-01", 0, 30))  # 152 days after the year's end
    assert not report.refused
    new = [a for a in _anomalies(demo) if a.id not in before]
    missed = [a for a in new if a.fields["anomaly_kind"] == "missed"]
    per_subject: dict[int, list[str]] = {}
    for a in missed:
        per_subject.setdefault(int(a.fields["subject_case"]), []).append(a.fields["anomaly_day"])
    # Every open subject: exactly the last 31 days, 5/1 to 5/31, once each.
    assert set(per_subject) == set(open_subjects)
    for days in per_subject.values():
        assert sorted(days) == [f"2024-05-{d:02d}" for d in range(1, 32)]
    with demo.sessions() as session:
        ticks = list(
            session.scalars(
                select(Event).where(
                    Event.action == "clocks_ticked", Event.case_id.in_(open_subjects)
                )
            )
        )
    notices = [s for e in ticks for s in (e.payload.get("clocks", {}).get("skipped") or [])]
    assert len(notices) == len(open_subjects)
    assert all(
        (n["name"], n["from"], n["to"]) == ("daily_check_in", "2024-01-01", "2024-04-30")
        for n in notices
    )
    # Run again: nothing owed twice.
    again = schedule(demo, local("2024-06-01", 1, 30))
    assert again.ticked == 0
    assert len(_anomalies(demo)) == len(before) + len(new)
