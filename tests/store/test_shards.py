"""Past one machine (issue 15, item 4): two districts' case tables placed on two other
PostgreSQL servers through postgres_fdw, and the platform working across them.

Two extra PostgreSQL clusters start on loopback (scripts/pg-test-cluster.sh, each with its
own folder and port). District A takes one hotline order on the plain database; then
`fazhi shards attach` places A on the first shard (moving that order's rows) and B on the
second; then each district runs the hotline loop through the API of its own platform, the
rows land on their district's shard and nowhere else, a statement naming a region reads
only that region's shard, every trail verifies, and `fazhi analytics city` gives the
city-wide figures across both shards."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url, text
from typer.testing import CliRunner

from fazhi.actions.org import load_org_into
from fazhi.cli import app
from fazhi.store.db import normalise_url, transaction
from fazhi.store.shards import CASE_TABLES, placements
from tests.api.flows import Desk
from tests.conftest import DEFAULT_NOW
from tests.databases import drop, fresh_url
from tests.districts import (
    B_PREFIX,
    DISTRICT_A,
    DISTRICT_B,
    api_login,
    district_platform,
    hotline_loop,
    small_district,
)
from tests.support import FakeClock, free_port, serving

pytestmark = pytest.mark.postgresql_only

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pg-test-cluster.sh"


class Cluster:
    """A throwaway PostgreSQL cluster of its own folder and port."""

    def __init__(self, name: str) -> None:
        # Readable by the server's account when the script runs it as `postgres`.
        self.folder = Path(tempfile.mkdtemp(prefix=f"fazhi-{name}-"))
        self.folder.chmod(0o755)
        self.port = free_port()
        self.env = {
            **os.environ,
            "FAZHI_PG_DIR": str(self.folder / "pg"),
            "FAZHI_PG_PORT": str(self.port),
        }
        self.url = ""

    def start(self) -> str:
        done = subprocess.run(
            [str(SCRIPT), "start"], env=self.env, capture_output=True, text=True, timeout=120
        )
        if done.returncode == 3:
            pytest.skip(f"PostgreSQL server binaries are not installed: {done.stderr.strip()}")
        assert done.returncode == 0, done.stderr
        self.url = done.stdout.strip()
        return self.url

    def stop(self) -> None:
        subprocess.run([str(SCRIPT), "stop"], env=self.env, capture_output=True, timeout=60)
        subprocess.run(["rm", "-rf", str(self.folder)], check=False)

    def scalar(self, sql: str) -> object:
        with psycopg.connect(self.url) as conn:
            row = conn.execute(sql.encode()).fetchone()
            return row[0] if row else None


@pytest.fixture(scope="module")
def shards() -> Iterator[tuple[Cluster, Cluster]]:
    first, second = Cluster("shard1"), Cluster("shard2")
    try:
        first.start()
        second.start()
        yield first, second
    finally:
        first.stop()
        second.stop()


@pytest.fixture(scope="module")
def coordinator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database on the PostgreSQL run's server, or on a cluster of its own."""
    if os.environ.get("FAZHI_TEST_DATABASE_URL", "").startswith("postgresql"):
        url = fresh_url(tmp_path_factory.mktemp("coordinator"), "coordinator")
        yield url
        drop(url)
        return
    own = Cluster("coordinator")
    try:
        yield own.start()
    finally:
        own.stop()


def _cli(url: str, *args: str) -> str:
    env = {"FAZHI_DATABASE_URL": url, "FAZHI_NOW": DEFAULT_NOW.isoformat()}
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _attach(coordinator: str, shards: tuple[Cluster, Cluster]) -> None:
    """`fazhi shards attach` for A on the first shard and B on the second."""
    for region, shard in zip((DISTRICT_A, DISTRICT_B), shards, strict=True):
        target = make_url(normalise_url(shard.url))
        moved = _cli(
            coordinator,
            "shards",
            "attach",
            "--region",
            region,
            "--host",
            "127.0.0.1",
            "--port",
            str(target.port),
            "--dbname",
            str(target.database),
            "--user",
            str(target.username),
        )
        assert f"地区 {region} 已放到" in moved


def test_two_districts_on_two_shards(coordinator: str, shards: tuple[Cluster, Cluster]) -> None:
    first, second = shards
    clock = FakeClock(DEFAULT_NOW)
    platform_a = district_platform(coordinator, DISTRICT_A, clock)
    platform_b = district_platform(coordinator, DISTRICT_B, clock, migrate=False)
    with transaction(platform_a.sessions) as session:
        load_org_into(session, small_district(DISTRICT_A))
        load_org_into(session, small_district(DISTRICT_B, B_PREFIX))
    with serving(platform_a) as server_a:
        # A's first order, taken before the district had a shard: its rows move with it.
        before = hotline_loop(Desk(api_login(server_a.url)), content="分片前受理（测试合成数据）")
        # The shards are placed with the platform idle and its connections closed.
        platform_a.engine.dispose()
        _attach(coordinator, shards)
        assert first.scalar(f"SELECT count(*) FROM cases WHERE id = {before}") == 1
        assert first.scalar("SELECT count(*) FROM events") == 6  # register … close
        where = {(p.table, p.region): p.server for p in placements(platform_a.engine)}
        for table in CASE_TABLES:
            assert where[(table, DISTRICT_A)] == "shard_430204"
            assert where[(table, DISTRICT_B)] == "shard_430211"
            assert where[(table, None)] is None  # the default partition stays here
        listed = _cli(coordinator, "shards", "list")
        assert "cases_430211" in listed and "shard_430211" in listed

        # Each district's loop through its own platform's API, written through the
        # coordinator to the district's shard.
        with serving(platform_b) as server_b:
            desk_a = Desk(api_login(server_a.url))
            desk_b = Desk(api_login(server_b.url, B_PREFIX))
            loop_a = hotline_loop(desk_a, content="甲区分片后受理（测试合成数据）")
            loop_b = hotline_loop(desk_b, content="乙区分片后受理（测试合成数据）")
            open_a = desk_a.dispatched(content="甲区在办（测试合成数据）")
            open_b = desk_b.handling(content="乙区在办（测试合成数据）")
            # A district still sees only its own cases, wherever they live.
            assert desk_a.operator.case(loop_b).status_code == 404
            assert desk_b.operator.case(loop_a).status_code == 404

    # The rows are on their district's shard, and only there.
    for shard, region, mine in (
        (first, DISTRICT_A, {before, loop_a, open_a}),
        (second, DISTRICT_B, {loop_b, open_b}),
    ):
        ids = shard.scalar("SELECT array_agg(id ORDER BY id) FROM cases")
        assert set(ids) == mine  # type: ignore[call-overload]
        for table in CASE_TABLES:
            wrong = shard.scalar(f"SELECT count(*) FROM {table} WHERE region_code <> '{region}'")
            assert wrong == 0, table
    with platform_a.engine.connect() as conn:
        for table in CASE_TABLES:
            assert conn.scalar(text(f"SELECT count(*) FROM {table}_default")) == 0, table
        # A statement naming a region reads that region's shard alone.
        plan = "\n".join(
            conn.scalars(
                text("EXPLAIN SELECT id FROM cases WHERE region_code = :r AND id = :i"),
                {"r": DISTRICT_B, "i": loop_b},
            )
        )
    assert "cases_430211" in plan and "cases_430204" not in plan and "_default" not in plan

    # Every trail verifies, read across both shards.
    assert "校验通过：5 个案件，23 条事件" in _cli(coordinator, "audit", "verify")

    # The city-wide dashboard across the shards.
    figures = json.loads(
        _cli(
            coordinator, "analytics", "city", "--from", "2023-06-01", "--to", "2023-06-01", "--json"
        )
    )
    by_region = {f["region_code"]: f for f in figures}
    assert set(by_region) == {DISTRICT_A, DISTRICT_B}
    a, b = by_region[DISTRICT_A], by_region[DISTRICT_B]
    assert (a["received"], a["closed"], a["open"]) == (3, 2, 1)
    assert (b["received"], b["closed"], b["open"]) == (2, 1, 1)
    assert a["metrics"]["received"] == 3 and b["metrics"]["received"] == 2
    assert a["metrics"]["satisfied"] == 2 and b["metrics"]["satisfied"] == 1
    platform_a.engine.dispose()
    platform_b.engine.dispose()
