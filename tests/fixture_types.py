"""A platform serving the shipped types plus the test-only ones in tests/fixtures/case_types
(a list field, money and date inputs, a link to the hotline), on its own SQLite database
with the demo organisation, so their cases never appear in other suites' lists."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fazhi.actions.org import load_org_into
from fazhi.actions.platform import Platform
from fazhi.catalog.org_file import load_demo_org
from fazhi.catalog.registry import load_case_types
from fazhi.settings import Settings
from fazhi.store.db import make_engine, session_factory, transaction
from fazhi.store.migrate import upgrade
from tests.support import FakeClock, ServerThread, serving

FIXTURE_TYPES = Path(__file__).resolve().parent / "fixtures" / "case_types"
# GB 11643's own example number (check digit X) and one more with a valid check digit.
ID_NUMBERS = ("11010519491231002X", "110105194912310038")


@contextmanager
def fixture_type_server(folder: Path, clock: FakeClock) -> Iterator[ServerThread]:
    url = f"sqlite:///{folder / 'fixture-types.db'}"
    engine = make_engine(url)
    upgrade(engine)
    platform = Platform(
        settings=Settings(database_url=url),
        engine=engine,
        sessions=session_factory(engine),
        types=load_case_types(FIXTURE_TYPES),
        clock=clock,
    )
    with transaction(platform.sessions) as session:
        load_org_into(session, load_demo_org())
    try:
        with serving(platform) as thread:
            yield thread
    finally:
        engine.dispose()
