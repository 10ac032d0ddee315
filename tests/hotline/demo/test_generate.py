"""The demo year as the console shows it: the 2023 history is finished, so the operator's
工作台 holds only what is to be done now (issue 10: 152 rows, 144 of them finished 2023 orders
with no deadline), most urgent first; the year before is finished within its year and was
handled more slowly, so the average handling time fell."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fazhi.actions.org import load_org_into
from fazhi.actions.platform import Platform
from fazhi.analytics import indicators as ix
from fazhi.analytics.period import Period
from fazhi.bootstrap import create_app
from fazhi.catalog.org_file import load_demo_org
from fazhi.catalog.registry import default_case_types
from fazhi.domain.durations import LOCAL_TZ
from fazhi.hotline.demo.generate import generate, generate_previous_year
from fazhi.settings import Settings
from fazhi.store.db import make_engine, session_factory, transaction
from fazhi.store.migrate import upgrade
from fazhi.store.models import Case, Event
from tests.support import FakeClock, ServerThread, browser_client

ORDERS = 300
CURRENT = 40
PREVIOUS = 80
# A Tuesday after the demo year, as the timing suite uses.
NOW = datetime(2024, 3, 5, 10, 0, tzinfo=LOCAL_TZ)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Platform, ServerThread]]:
    path: Path = tmp_path_factory.mktemp("demo-year") / "demo.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    platform = Platform(
        settings=Settings(database_url=url),
        engine=engine,
        sessions=session_factory(engine),
        types=default_case_types(),
        clock=FakeClock(NOW),
    )
    with transaction(platform.sessions) as session:
        load_org_into(session, load_demo_org())
    assert generate(platform.sessions, platform, ORDERS, current=CURRENT) == (ORDERS, CURRENT)
    assert generate_previous_year(platform.sessions, platform, PREVIOUS) == PREVIOUS
    server = ServerThread(create_app(platform))
    server.start()
    yield platform, server
    server.stop()
    engine.dispose()


def history(state_open: bool) -> object:
    return (
        select(func.count())
        .select_from(Case)
        .where(Case.external_id.like("DEMO-2023-%"), Case.terminal.is_(not state_open))
    )


@pytest.mark.sqlite_only
def test_every_order_of_the_2023_history_is_closed(demo: tuple[Platform, ServerThread]) -> None:
    platform, _ = demo
    with platform.sessions() as session:
        assert session.scalar(history(state_open=True)) == 0
        assert session.scalar(history(state_open=False)) == ORDERS


@pytest.mark.sqlite_only
def test_the_year_before_is_closed_within_it_and_was_handled_more_slowly(
    demo: tuple[Platform, ServerThread],
) -> None:
    platform, _ = demo
    orders = Case.external_id.like("DEMO-2022-%")
    with platform.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case).where(orders)) == PREVIOUS
        assert (
            session.scalar(select(func.count()).select_from(Case).where(orders, ~Case.terminal))
            == 0
        )
        last = session.scalar(
            select(func.max(Event.at)).join(Case, Case.id == Event.case_id).where(orders)
        )
        assert last is not None and last.astimezone(LOCAL_TZ).year == 2022
        means = {}
        for year in (2022, 2023):
            scope = ix.Scope(platform.region_code, Period.year(year), None, None)
            found = ix.values(
                session, platform, platform.directory(), scope, {"hotline.mean_handling_days"}
            )
            means[year] = found["hotline.mean_handling_days"].value
    assert means[2022] is not None and means[2023] is not None
    assert means[2022] - means[2023] > 1  # working days


@pytest.mark.sqlite_only
def test_dissatisfied_orders_of_the_history_were_reviewed_by_a_supervisor(
    demo: tuple[Platform, ServerThread],
) -> None:
    # Left dissatisfied after the last call-back, an order is closed by 审核办结 with its
    # reason, as the workflow provides, not left in 已回访 for ever.
    platform, _ = demo
    with platform.sessions() as session:
        reviewed = session.execute(
            select(Event.actor, Case.state)
            .join(Case, Case.id == Event.case_id)
            .where(Case.external_id.like("DEMO-2023-%"), Event.action == "close_after_review")
        ).all()
    assert reviewed, "no order of the history was left dissatisfied and reviewed"
    assert {actor["role"] for actor, _ in reviewed} == {"supervisor"}
    assert {state for _, state in reviewed} == {"closed"}


def queue_rows(server: ServerThread, username: str) -> tuple[int, list[str]]:
    http = browser_client(server.url)
    try:
        assert (
            http.post("/login", data={"username": username, "password": "fazhi2023"}).status_code
            == 303
        )
        html = http.get("/work").text
    finally:
        http.close()
    total = re.search(r"共 (\d+)\+? 件", html)
    assert total, "no count on the work list"
    return int(total.group(1)), re.findall(r'href="/cases/\d+">(RX\d+)</a>', html)


@pytest.mark.sqlite_only
def test_the_operator_queue_holds_only_current_orders(demo: tuple[Platform, ServerThread]) -> None:
    _, server = demo
    total, numbers = queue_rows(server, "operator1")
    assert numbers, "the operator has call-backs to make among the current orders"
    assert total <= CURRENT
    assert not [n for n in numbers if n.startswith("RX2023")]


@pytest.mark.sqlite_only
def test_the_queue_is_ordered_by_urgency(demo: tuple[Platform, ServerThread]) -> None:
    platform, server = demo
    _, numbers = queue_rows(server, "dispatcher1")
    ids = [int(n[10:]) for n in numbers]
    with platform.sessions() as session:
        due = dict(session.execute(select(Case.id, Case.due_at).where(Case.id.in_(ids))).all())
    deadlines = [due[i] for i in ids]
    with_deadline = [d for d in deadlines if d is not None]
    assert with_deadline == sorted(with_deadline)
    # What has no deadline comes after everything that has one.
    assert deadlines[: len(with_deadline)] == with_deadline


@pytest.mark.sqlite_only
def test_the_demo_centre_has_missed_calls_to_call_back_and_templates(
    demo: tuple[Platform, ServerThread],
) -> None:
    from fazhi.hotline.demo.extras import MISSED_CALLS, TEMPLATES, generate_extras
    from fazhi.hotline.store.missed_calls import MissedCall

    platform, _ = demo
    with transaction(platform.sessions) as session:
        assert generate_extras(session, platform) == (MISSED_CALLS, len(TEMPLATES))
    with transaction(platform.sessions) as session:
        assert generate_extras(session, platform) == (0, 0)  # once only
    with platform.sessions() as session:
        statuses = dict(
            session.execute(
                select(MissedCall.status, func.count()).group_by(MissedCall.status)
            ).all()
        )
    assert statuses.get("open", 0) >= MISSED_CALLS // 3  # the newest wait for a call-back
    assert statuses.get("done", 0) > 0
