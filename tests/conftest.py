"""Shared fixtures: one database (SQLite, or PostgreSQL when FAZHI_TEST_DATABASE_URL is set)
with the demo organisation, a real HTTP server on loopback and a logged-in client per user.

Run the whole suite on PostgreSQL with
    FAZHI_TEST_DATABASE_URL=postgresql://user@127.0.0.1/fazhi_test pytest
"""

from __future__ import annotations

import os

# Cheap password hashes for the whole session, set before fazhi is imported (its hasher
# reads it once) and inherited by the CLI subprocesses and xdist workers: thousands of
# sign-ins at argon2's production cost would be minutes of CPU (fazhi.actions.passwords).
os.environ.setdefault("FAZHI_PASSWORD_PROFILE", "test")
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import make_url, text

from fazhi.actions.org import load_org_into
from fazhi.actions.platform import Platform
from fazhi.catalog.org_file import load_demo_org
from fazhi.catalog.registry import default_case_types
from fazhi.domain.durations import LOCAL_TZ
from fazhi.enforcement.demo.certificates import seed_certificates
from fazhi.enforcement.demo.penalty_items import seed_penalty_items
from fazhi.enforcement.inspections.demo import seed_inspections
from fazhi.hotline.demo.catalogue import seed_catalogue
from fazhi.settings import Settings
from fazhi.store.db import make_engine, normalise_url, session_factory, transaction
from fazhi.store.migrate import upgrade
from fazhi.store.models import Base
from tests.databases import organised  # noqa: F401  (a session fixture)
from tests.support import TLS, ApiClient, FakeClock, ServerThread, serving
from tests.visibility_support import vplatform  # noqa: F401  (a session fixture)

PASSWORD = "fazhi2023"
# A Thursday in an ordinary working week of 2023.
DEFAULT_NOW = datetime(2023, 6, 1, 9, 0, tzinfo=LOCAL_TZ)

# Property tests check rules, not speed: on a shared two-core machine an example can take
# longer than Hypothesis's 200 ms default under load (speed has its benchmarks in bench/).
hypothesis_settings.register_profile("fazhi", deadline=None)
hypothesis_settings.load_profile("fazhi")


def _reset(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        else:
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker has a PostgreSQL database of its own beside the given
    one (fazhi_test_gw0, …), created when missing, so workers never reset each other's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(normalise_url(url))
    name = f"{base.database}_{worker}"
    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("FAZHI_TEST_DATABASE_URL")
    if url:
        url = _worker_database(url)
        _reset(url)
        return url
    path: Path = tmp_path_factory.mktemp("db") / "fazhi-test.db"
    return f"sqlite:///{path}"


@pytest.fixture(scope="session", autouse=True)
def _models_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Dispatch-suggestion models live in a temporary folder for the whole session (the
    cold-start model is trained there on first use), never in the working copy's var/."""
    folder = str(tmp_path_factory.mktemp("models"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FAZHI_MODELS_DIR", folder)
        # The server secret too (fazhi.store.secret): one per test session.
        patch.setenv("FAZHI_SECRET_FILE", str(Path(folder) / "secret.key"))
        yield folder


@pytest.fixture(scope="session")
def clock() -> FakeClock:
    return FakeClock(DEFAULT_NOW)


@pytest.fixture(autouse=True)
def _reset_clock(clock: FakeClock) -> None:
    clock.set(DEFAULT_NOW)


@pytest.fixture(scope="session")
def platform(database_url: str, clock: FakeClock) -> Iterator[Platform]:
    engine = make_engine(database_url)
    upgrade(engine)
    platform = Platform(
        settings=Settings(database_url=database_url),
        engine=engine,
        sessions=session_factory(engine),
        types=default_case_types(),
        clock=clock,
    )
    with transaction(platform.sessions) as session:
        load_org_into(session, load_demo_org())
    # The published dispatch catalogue, as a deployment has one: dispatches in every test
    # meet its rule (departmental items are not pushed down to streets).
    seed_catalogue(platform)
    # And the enforcement certificate register the penalty cases' officers are checked against.
    seed_certificates(platform)
    seed_penalty_items(platform)
    # And the inspections of 田心街道 (registers, planned items, a draw).
    seed_inspections(platform)
    yield platform
    engine.dispose()


@pytest.fixture(scope="session")
def server(platform: Platform) -> Iterator[ServerThread]:
    with serving(platform) as thread:
        yield thread


@pytest.fixture(scope="session")
def _tokens(server: ServerThread) -> dict[str, tuple[str, dict[str, object]]]:
    return {}


@pytest.fixture
def login(
    server: ServerThread, _tokens: dict[str, tuple[str, dict[str, object]]]
) -> Iterator[object]:
    """login("operator1") → an ApiClient for that demo user (tokens cached per session)."""
    clients: list[httpx.Client] = []

    def make(username: str) -> ApiClient:
        if username not in _tokens:
            response = httpx.post(
                f"{server.url}/api/v1/auth/token",
                json={"username": username, "password": PASSWORD},
                verify=TLS,
            )
            assert response.status_code == 200, response.text
            body = response.json()
            _tokens[username] = (body["access_token"], body["user"])
        token, user = _tokens[username]
        http = httpx.Client(
            base_url=server.url,
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
            verify=TLS,
        )
        clients.append(http)
        return ApiClient(http, username, dict(user))

    yield make
    for http in clients:
        http.close()


@pytest.fixture
def anonymous(server: ServerThread) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30, verify=TLS) as http:
        yield http


# In strict mode (CI) nothing may be skipped: a skip is reported as a failure.
STRICT = os.environ.get("FAZHI_STRICT") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in strict mode (FAZHI_STRICT=1): {report.longrepr}"
