"""The synthetic 2023 legal-aid year (`fazhi demo`) reproduces the seed report's figures
through the type's declared statistics: 456 cases approved and handled against a target of
260 (175%), (2023)湘援0204刑136号 a provincial excellent case. Run into a fresh database of
its own (the shared one keeps the other suites' small data sets), once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fazhi.actions.org import load_org_into
from fazhi.actions.platform import Platform
from fazhi.catalog.org_file import load_demo_org
from fazhi.catalog.registry import default_case_types
from fazhi.domain.durations import LOCAL_TZ
from fazhi.legal_aid import plugin
from fazhi.legal_aid.read import statistics
from fazhi.settings import Settings
from fazhi.store.db import make_engine, session_factory, transaction
from fazhi.store.migrate import upgrade
from fazhi.store.models import Case
from tests.legal_aid.conftest import OFFICER, ctx_of
from tests.support import FakeClock


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('legal-aid-demo')) / 'demo.db'}"
    engine = make_engine(url)
    upgrade(engine)
    platform = Platform(
        settings=Settings(database_url=url),
        engine=engine,
        sessions=session_factory(engine),
        types=default_case_types(),
        clock=FakeClock(datetime(2024, 1, 10, 9, tzinfo=LOCAL_TZ)),
    )
    with transaction(platform.sessions) as session:
        load_org_into(session, load_demo_org())
    yield platform
    engine.dispose()


@pytest.mark.sqlite_only
def test_the_demo_year_gives_the_seed_figures(fresh: Platform) -> None:
    message = plugin.generate_demo(fresh, 0, 0, 1, lambda n: None)
    assert "456件" in message and "175%" in message
    assert "跳过" in plugin.generate_demo(fresh, 0, 0, 1, lambda n: None)  # once only
    now = datetime(2024, 1, 10, 9, tzinfo=LOCAL_TZ)
    with transaction(fresh.sessions) as session:
        for username in (OFFICER, "leader1"):
            body = statistics(session, ctx_of(fresh, session, username, now), 2023)
            assert body["accepted"] == 456 and body["target"] == 260
            assert round(body["completion_rate"] * 100) == 175
            kinds = {k["kind"]: k["count"] for k in body["by_kind"]}
            assert sum(kinds.values()) == 456 and kinds["criminal"] >= 136
            assert [c["aid_number"] for c in body["excellent_cases"]] == ["(2023)湘援0204刑136号"]
            assert body["refused"] == 7 and body["closed"] >= body["evaluated"] > 30
        # Court notices (art.36) are granted on receipt, without the eligibility review.
        cases = list(session.scalars(select(Case).where(Case.type == "legal_aid")))
        notices = [c for c in cases if (c.fields or {}).get("channel") == "court_notice"]
        assert len(notices) == body["by_notice"] > 40
        assert body["reviewed"] == 456 - len(notices) + 7
        # Every accepted case carries a number of its year, each number once.
        numbers = [
            (c.fields or {}).get("aid_number")
            for c in session.scalars(select(Case).where(Case.type == "legal_aid"))
        ]
        given = [n for n in numbers if n]
        assert len(given) == len(set(given)) == 456
        assert all(n.startswith("(2023)湘援0204") for n in given)
        labelled = session.scalar(
            select(func.count()).where(Case.type == "legal_aid", ~Case.title.contains("合成"))
        )
        assert labelled == 0  # synthetic, and labelled so
