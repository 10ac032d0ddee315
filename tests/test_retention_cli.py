"""`fazhi retention run [--dry-run]` on a demo database ten years on: the closed orders lose
every caller's phone, the trail still verifies, and the dry run changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from fazhi.cli import app


def _db(env: dict[str, str]) -> tuple[list[str], int, str]:
    """The closed orders' phones, their count, and every row of the case tables as text."""
    engine = create_engine(env["FAZHI_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            phones = [
                str(p)
                for (p,) in conn.execute(
                    text("SELECT json_extract(fields, '$.caller_phone') FROM cases WHERE terminal")
                )
                if p
            ]
            closed = conn.execute(text("SELECT count(*) FROM cases WHERE terminal")).scalar_one()
            dump = "\n".join(
                str(list(row))
                for table in ("cases", "events", "documents", "outbox")
                for row in conn.execute(text(f"SELECT * FROM {table}"))
            )
        return phones, int(closed), dump
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
def test_retention_run_anonymises_old_closed_orders_and_the_trail_verifies(
    tmp_path: Path,
) -> None:
    env = {"FAZHI_DATABASE_URL": f"sqlite:///{tmp_path / 'fazhi.db'}", "COLUMNS": "200"}
    runner = CliRunner()
    made = runner.invoke(
        app, ["demo", "--orders", "8", "--current", "0", "--only", "hotline"], env=env
    )
    assert made.exit_code == 0, made.output
    phones, closed, before = _db(env)
    assert closed and phones and all(p in before for p in phones)
    later = {**env, "FAZHI_NOW": "2034-06-01T09:00:00+08:00"}

    dry = runner.invoke(app, ["retention", "run", "--dry-run"], env=later)
    assert dry.exit_code == 0, dry.output
    assert f"待匿名化：{closed} 件" in dry.output
    assert _db(env)[2] == before

    done = runner.invoke(app, ["retention", "run"], env=later)
    assert done.exit_code == 0, done.output
    assert f"已匿名化 {closed} 件" in done.output
    after = _db(env)[2]
    assert not [p for p in phones if p in after]

    verified = runner.invoke(app, ["audit", "verify"], env=env)
    assert verified.exit_code == 0, verified.output
    again = runner.invoke(app, ["retention", "run", "--dry-run"], env=later)
    assert "待匿名化：0 件" in again.output
