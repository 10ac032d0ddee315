"""Schemathesis over the whole OpenAPI schema, as an admin and as a unit's handler: no answer
is a 5xx, and every error is JSON in the documented shape — {code, message} with a Chinese
message, or under /open311/ GeoReport v2's list of {code, description}. The Open311
parameters, which the schema does not list (the endpoints read raw strings), are fuzzed with
hypothesis directly.

Runs on a server and database of its own (the fuzzer's writes — calendar days, cases,
documents — must not disturb the shared fixtures), with bounded, derandomized examples.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from fazhi.actions.org import load_org_into
from fazhi.actions.platform import Platform
from fazhi.catalog.org_file import load_demo_org
from fazhi.catalog.registry import default_case_types
from fazhi.settings import Settings
from fazhi.store.db import make_engine, session_factory, transaction
from fazhi.store.migrate import upgrade
from tests.api.flows import has_chinese
from tests.conftest import DEFAULT_NOW, PASSWORD
from tests.support import TLS, FakeClock, ServerThread, serving

# Examples per operation, user and generation mode: 48 operations × 2 users × (6 + 4)
# ≈ 1,000 requests plus the Open311 parameters below; about a minute on 2 cores.
EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 4}
USERS = ("admin", "cgj_handler")
# Signing out would revoke the fuzzer's own token half-way.
UNAUTHENTICATED = {"POST /api/v1/auth/logout", "POST /api/v1/auth/token"}

pytestmark = pytest.mark.sqlite_only


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    platform = Platform(
        settings=Settings(database_url=url),
        engine=engine,
        sessions=session_factory(engine),
        types=default_case_types(),
        clock=FakeClock(DEFAULT_NOW),
    )
    with transaction(platform.sessions) as session:
        load_org_into(session, load_demo_org())
    with serving(platform) as thread:
        yield thread
    engine.dispose()


def _token(server: ServerThread, username: str) -> str:
    response = httpx.post(
        f"{server.url}/api/v1/auth/token",
        json={"username": username, "password": PASSWORD},
        verify=TLS,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def shape_problem(path: str, status: int, content_type: str, text: str) -> str | None:
    """What is wrong with this answer, or None."""
    if status >= 500:
        return f"{status}: {text[:200]}"
    if status < 400:
        return None
    if "json" not in content_type:
        return f"{status} not JSON ({content_type}): {text[:200]}"
    try:
        body = httpx.Response(status, content=text.encode()).json()
    except ValueError:
        return f"{status} invalid JSON: {text[:200]}"
    if path.startswith("/open311/"):
        ok = (
            isinstance(body, list)
            and bool(body)
            and all(isinstance(e, dict) and has_chinese(e.get("description")) for e in body)
        )
    else:
        ok = (
            isinstance(body, dict)
            and isinstance(body.get("code"), str)
            and has_chinese(body.get("message"))
        )
    return None if ok else f"{status} wrong error shape: {text[:200]}"


class Fuzz:
    """Runs bounded examples of one operation and keeps the first problem of each."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session = requests.Session()
        self.count = 0
        self.problems: dict[str, str] = {}

    def operation(self, operation: Any, who: str, token: str, mode: GenerationMode) -> None:
        label = f"{operation.method.upper()} {operation.path}"
        headers = {} if label in UNAUTHENTICATED else {"authorization": f"Bearer {token}"}

        # Open311's format is its file extension: vary the rest, not mostly-unknown formats.
        fixed = {"fmt": "json"} if "{fmt}" in operation.path else None

        @settings(
            max_examples=EXAMPLES[mode],
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))
        def run(case: Any) -> None:
            self.count += 1
            response = case.call(
                base_url=self.url, session=self.session, headers=headers, timeout=30
            )
            problem = shape_problem(
                case.formatted_path,
                response.status_code,
                " ".join(response.headers.get("content-type", [])),
                response.text,
            )
            if problem and label not in self.problems:
                curl = case.as_curl_command()[:300]
                self.problems[label] = f"{who} {mode.value}: {problem} ← {curl}"

        # Unsatisfiable: nothing to vary (e.g. negative data for an operation without input).
        with contextlib.suppress(Unsatisfiable):
            run()


def test_the_openapi_schema_fuzzed_as_admin_and_unit_user_gives_no_5xx_and_shaped_errors(
    fuzz_server: ServerThread,
) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzz_server.url}/openapi.json")
    tokens = {user: _token(fuzz_server, user) for user in USERS}
    fuzz = Fuzz(fuzz_server.url)
    started = time.monotonic()
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 40
    spent: dict[str, float] = {}
    for operation in operations:
        # Open311 is public: the same answers for every user, so fuzzed once.
        users = USERS[:1] if operation.path.startswith("/open311/") else USERS
        for user in users:
            for mode in EXAMPLES:
                began = time.monotonic()
                fuzz.operation(operation, user, tokens[user], mode)
                took = time.monotonic() - began
                key = f"{operation.method.upper()} {operation.path}"
                spent[key] = spent.get(key, 0.0) + took
    elapsed = time.monotonic() - started
    print(f"\nschemathesis: {fuzz.count} cases, {len(operations)} operations, {elapsed:.1f} s")
    print(sorted(spent.items(), key=lambda kv: -kv[1])[:8])
    assert not fuzz.problems, "\n".join(f"{k}: {v}" for k, v in fuzz.problems.items())


OPEN311_PARAMS = (
    "page",
    "page_size",
    "service_request_id",
    "start_date",
    "end_date",
    "status",
    "service_code",
    "jurisdiction_id",
)
ODD_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["²", "١٢", "0001-01-01", "9999-12-31", "9999-12-31T23:59:59Z", "-1", "0"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
    st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()),
)


def test_open311_parameters_fuzzed_answer_only_in_open311_shape(
    fuzz_server: ServerThread,
) -> None:
    count = 0
    with httpx.Client(base_url=fuzz_server.url, timeout=30, verify=TLS) as http:

        @settings(
            max_examples=150,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            path=st.sampled_from(
                [
                    "/open311/v2/requests.json",
                    "/open311/v2/requests.xml",
                    "/open311/v2/services.json",
                    "/open311/v2/discovery.json",
                ]
            ),
            params=st.dictionaries(st.sampled_from(OPEN311_PARAMS), ODD_TEXT, max_size=4),
            one=st.one_of(st.none(), ODD_TEXT.filter(lambda s: "/" not in s and s.strip())),
        )
        def run(path: str, params: dict[str, str], one: str | None) -> None:
            nonlocal count
            count += 1
            if one is not None:
                path = f"/open311/v2/requests/{quote(one, safe='')}.json"
            response = http.get(path, params=params)
            assert response.status_code < 500, (path, params, response.text[:200])
            if response.status_code >= 400 and path.endswith(".json"):
                problem = shape_problem(
                    path, response.status_code, response.headers["content-type"], response.text
                )
                assert problem is None, (path, params, problem)

        run()
    print(f"\nopen311 parameters: {count} cases")
