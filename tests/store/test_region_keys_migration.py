"""Migration 0033 gives every row that hangs on a case its case's region_code: rows written
before it take the region of their case, the column is required afterwards, and the
migration can be taken back down and up again."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import Engine, inspect, text

from fazhi.store.db import make_engine
from fazhi.store.migrate import alembic_config
from tests.databases import drop, fresh_url

CASE_TABLES = ("case_units", "case_access", "clocks", "events", "documents", "case_links")
AT = "2023-06-01 01:00:00"


def _run(engine: Engine, verb: str, target: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, verb)(config, target)


def _case(conn: object, case_id: int, region: str) -> None:
    run = conn.execute  # type: ignore[attr-defined]
    run(
        text(
            "INSERT INTO cases (id, region_code, type, state, terminal, version, title, fields,"
            " marks, open_to_units, created_at, updated_at, repeat_call)"
            " VALUES (:id, :r, 'hotline', 'registered', false, 1, '测试（合成）', '{}', '[]',"
            " false, :at, :at, false)"
        ),
        {"id": case_id, "r": region, "at": AT},
    )
    run(
        text(
            "INSERT INTO events (case_id, seq, action, at, actor, to_state, payload, prev_hash,"
            " hash, seal) VALUES (:id, 1, 'register', :at, '{}', 'registered', '{}', :h, :h, 1)"
        ),
        {"id": case_id, "at": AT, "h": "0" * 64},
    )
    run(
        text(
            'INSERT INTO clocks (case_id, name, label, basis, "limit", start_action, started_at,'
            " due_at, extended) VALUES (:id, 'handle', '办理', '测试', '5wd', 'register', :at,"
            " :at, 0)"
        ),
        {"id": case_id, "at": AT},
    )


def test_rows_of_a_case_take_its_region(tmp_path: Path) -> None:
    url = fresh_url(tmp_path, "region_keys")
    engine = make_engine(url)
    try:
        _run(engine, "upgrade", "0032")  # the migration before this one
        with engine.begin() as conn:
            _case(conn, 1, "430204")
            _case(conn, 2, "430211")
        _run(engine, "upgrade", "0033")
        for table in CASE_TABLES:
            column = {c["name"]: c for c in inspect(engine).get_columns(table)}["region_code"]
            assert column["nullable"] is False, table
        with engine.connect() as conn:
            for table in ("events", "clocks"):
                rows = conn.execute(text(f"SELECT case_id, region_code FROM {table} ORDER BY 1"))
                assert [tuple(r) for r in rows] == [(1, "430204"), (2, "430211")], table
        _run(engine, "downgrade", "0032")
        assert "region_code" not in {c["name"] for c in inspect(engine).get_columns("events")}
        _run(engine, "upgrade", "head")
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM events WHERE region_code IS NULL")) == 0
    finally:
        engine.dispose()
        drop(url)
