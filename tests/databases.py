"""Databases of their own for tests that need more than the shared one: a fresh empty
database (a file on SQLite, a new database on the PostgreSQL test server), and one with the
demo organisation built once per session (loading it hashes every demo password)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from fazhi.actions.org import load_org_into
from fazhi.actions.platform import Platform
from fazhi.catalog.org_file import load_demo_org
from fazhi.catalog.registry import default_case_types
from fazhi.settings import Settings
from fazhi.store.db import make_engine, normalise_url, session_factory, transaction
from fazhi.store.migrate import upgrade
from tests.support import FakeClock


def fresh_url(folder: Path, name: str) -> str:
    base = os.environ.get("FAZHI_TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{folder / name}.db"
    database = f"fazhi_{name}_{uuid.uuid4().hex[:6]}"
    admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return make_url(normalise_url(base)).set(database=database).render_as_string(False)


def drop(url: str) -> None:
    if url.startswith("sqlite"):
        return
    admin = make_engine(os.environ["FAZHI_TEST_DATABASE_URL"])
    with admin.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def open_platform(url: str, clock: FakeClock) -> Platform:
    engine = make_engine(url)
    upgrade(engine)
    return Platform(
        settings=Settings(database_url=url),
        engine=engine,
        sessions=session_factory(engine),
        types=default_case_types(),
        clock=clock,
    )


@contextmanager
def organised_platform(folder: Path, name: str, clock: FakeClock) -> Iterator[Platform]:
    """A fresh database with the demo organisation, dropped afterwards."""
    url = fresh_url(folder, name)
    platform = open_platform(url, clock)
    with transaction(platform.sessions) as session:
        load_org_into(session, load_demo_org())
    try:
        yield platform
    finally:
        platform.engine.dispose()
        drop(url)


@pytest.fixture(scope="session")
def organised(tmp_path_factory: pytest.TempPathFactory, clock: FakeClock) -> Iterator[Platform]:
    """A database of its own with the demo organisation (the backup and crash tests')."""
    with organised_platform(tmp_path_factory.mktemp("organised"), "organised", clock) as p:
        yield p
