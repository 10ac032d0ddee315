"""The daily anchor of every chain head (fazhi.store.anchors) through `fazhi trail anchor` and
`fazhi audit verify` / `fazhi trail verify`: a whole case deleted, a chain cut short and an
altered anchor are each reported, where every remaining chain on its own still verifies."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from fazhi.cli import app

# The CLI works on a SQLite file of its own here: the PostgreSQL run would only repeat it.
pytestmark = pytest.mark.sqlite_only

# The demo database's cases: the hotline demo's 6 orders of 2023 and 1 of 2022 only (`--only
# hotline`; the other types' demo years are anchored the same way and would only make the
# test slower).
CASES = 7


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = tmp_path_factory.mktemp("anchors") / "demo.db"
    env = {"FAZHI_DATABASE_URL": f"sqlite:///{path}", "COLUMNS": "200"}
    result = CliRunner().invoke(
        app, ["demo", "--orders", "6", "--current", "0", "--only", "hotline"], env=env
    )
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A fresh copy of the demo database with an anchor written."""
    path = tmp_path / "fazhi.db"
    # The backup API, not a file copy: the demo's last writes may still be in its WAL file.
    with closing(sqlite3.connect(demo_file)) as source, closing(sqlite3.connect(path)) as target:
        source.backup(target)
    env = {"FAZHI_DATABASE_URL": f"sqlite:///{path}", "COLUMNS": "200"}
    result = CliRunner().invoke(app, ["trail", "anchor"], env=env)
    assert result.exit_code == 0, result.output
    assert f"已写入锚点：{CASES} 个案件" in result.output
    yield env


def _sql(env: dict[str, str], *statements: str) -> None:
    engine = create_engine(env["FAZHI_DATABASE_URL"])
    try:
        with engine.begin() as conn:
            conn.execute(text("PRAGMA foreign_keys = OFF"))
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _verify(env: dict[str, str], command: str = "audit") -> tuple[int, str]:
    result = CliRunner().invoke(app, [command, "verify"], env=env)
    return result.exit_code, "".join(result.output.split())


def test_an_untouched_database_matches_its_anchor(db: dict[str, str]) -> None:
    for command in ("audit", "trail"):
        code, output = _verify(db, command)
        assert code == 0, output
        assert f"校验通过：{CASES}个案件" in output and "对照锚点#1" in output


def test_a_whole_case_deleted_is_reported(db: dict[str, str]) -> None:
    tables = ("events", "clocks", "case_units", "case_access", "documents", "outbox")
    _sql(
        db,
        *(f"DELETE FROM {t} WHERE case_id = 2" for t in tables),
        "DELETE FROM cases WHERE id = 2",
    )
    code, output = _verify(db)
    assert code == 1, output
    assert "案件2：锚定时存在" in output and "现已被删除" in output


def test_a_chain_cut_short_is_reported(db: dict[str, str]) -> None:
    _sql(
        db,
        "DELETE FROM events WHERE case_id = 3"
        " AND seq = (SELECT max(seq) FROM events WHERE case_id = 3)",
    )
    code, output = _verify(db)
    assert code == 1, output
    assert "案件3：记录链被截短" in output


def test_an_altered_anchor_is_reported(db: dict[str, str]) -> None:
    _sql(db, "UPDATE anchor_heads SET seq = seq - 1 WHERE case_id = 4")
    code, output = _verify(db)
    assert code == 1, output
    assert "锚点被改动" in output
    _sql(
        db,
        "UPDATE anchor_heads SET seq = seq + 1 WHERE case_id = 4",
        "UPDATE chain_anchors SET cases = 5",
    )
    code, output = _verify(db)
    assert code == 1 and "锚点签名不符" in output, output
