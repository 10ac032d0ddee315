"""The demo's year of penalty cases (`fazhi demo`): the platform's own cases walk through
the one door and the machine review at closing finds exactly the defects planted in them —
nothing in the others — while the 16 files of 区交警大队 come in as review tasks; the
published decisions reach the public page. All data synthetic."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import func, select

from fazhi.actions.org import load_org_into
from fazhi.actions.platform import Platform
from fazhi.catalog.org_file import load_demo_org
from fazhi.domain.durations import LOCAL_TZ
from fazhi.enforcement.demo.case_files import demo_files
from fazhi.enforcement.demo.certificates import seed_certificates
from fazhi.enforcement.demo.penalty_cases import SUMMARY, YEAR, seed_penalty_cases
from fazhi.enforcement.demo.penalty_items import seed_penalty_items
from fazhi.enforcement.store import CaseFileReview
from fazhi.store.db import transaction
from fazhi.store.models import Case
from tests.databases import drop, fresh_url, open_platform
from tests.support import FakeClock


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, str]]:
    url = fresh_url(tmp_path_factory.mktemp("penalty-year"), "penalty_year")
    platform = open_platform(url, FakeClock(datetime(2024, 1, 2, 9, 0, tzinfo=LOCAL_TZ)))
    with transaction(platform.sessions) as session:
        load_org_into(session, load_demo_org())
    seed_certificates(platform)
    seed_penalty_items(platform)
    said = seed_penalty_cases(platform)
    yield platform, said
    platform.engine.dispose()
    drop(url)


def test_the_year_is_written_once_through_the_one_door(year: tuple[Platform, str]) -> None:
    platform, said = year
    assert f"行政处罚案件{len(YEAR) + len(SUMMARY)}件" in said and "交警大队案卷16份" in said
    assert seed_penalty_cases(platform) == ""  # a second `fazhi demo` adds nothing
    with platform.sessions() as session:
        states = dict(
            session.execute(
                select(Case.state, func.count())
                .where(Case.type == "penalty_case")
                .group_by(Case.state)
            ).all()
        )
    open_at_year_end = sum(1 for *_, o in YEAR if "stop" in o)
    assert states.pop("closed") == len(YEAR) - open_at_year_end + len(SUMMARY)
    assert sum(states.values()) == open_at_year_end
    assert set(states) == {"filed", "notified", "decided"}


def test_the_review_at_closing_finds_the_planted_defects_and_nothing_else(
    year: tuple[Platform, str],
) -> None:
    platform, _ = year
    with platform.sessions() as session:
        tasks = session.scalars(
            select(CaseFileReview).where(CaseFileReview.source == "platform")
        ).all()
        found = {t.case_number: sorted({f["rule"] for f in t.machine["findings"]}) for t in tasks}
    closed = len(YEAR) - sum(1 for *_, o in YEAR if "stop" in o) + len(SUMMARY)
    assert len(found) == closed
    rules = sorted(r for rs in found.values() for r in rs)
    # 3 cases without the ID copy, 1 fine above its benchmark, 1 served late.
    assert rules == sorted(["identity.proof"] * 3 + ["benchmark.range"] + ["service.in_time"]), (
        found
    )
    assert sum(1 for rs in found.values() if not rs) == closed - 5


def test_the_traffic_police_files_come_in_as_review_tasks(year: tuple[Platform, str]) -> None:
    platform, _ = year
    with platform.sessions() as session:
        imported = session.scalars(
            select(CaseFileReview).where(CaseFileReview.source == "import")
        ).all()
    assert len(imported) == 16
    assert {t.agency for t in imported} == {"株洲市公安局交通警察支队石峰大队"}
    planted_in = {name for name, (_, classes) in demo_files().items() if classes}
    assert {t.case_number for t in imported if t.machine["findings"]} == {
        demo_files()[name][0]["case_number"] for name in planted_in
    }


def test_the_reviewer_judges_the_sixteen_files_in_september(year: tuple[Platform, str]) -> None:
    """The organised review the report counts (16本): the reviewer's verdict on each imported
    file, the machine's score confirmed and the planted defects named; the platform's own
    cases keep only the machine's review."""
    platform, _ = year
    with platform.sessions() as session:
        tasks = session.scalars(select(CaseFileReview)).all()
    judged = [t for t in tasks if t.status == "done"]
    assert len(judged) == 16 and {t.source for t in judged} == {"import"}
    for task in judged:
        assert task.reviewed_at is not None and task.reviewer_score == round(task.machine_score)
        day = task.reviewed_at.astimezone(LOCAL_TZ).date()
        assert day.month == 9 and 13 <= day.day <= 18 and day.weekday() < 5
        assert ("责令整改" in (task.reviewer_note or "")) == bool(task.machine["findings"])
