"""Migration 0009: every existing user holds its one role as a row of user_roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text

from fazhi.store.db import make_engine
from fazhi.store.migrate import alembic_config


def migrate(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@pytest.mark.sqlite_only
def test_existing_users_keep_their_role_as_their_only_role(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(engine, "0007")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO units (id, region_code, code, name, kind, path, depth, categories,"
                " address_hints, active) VALUES (1, '430204', 'SF', '石峰区', 'district', '/1/',"
                " 0, '[]', '[]', 1)"
            )
        )
        for user_id, role in ((1, "operator"), (2, "unit_handler")):
            conn.execute(
                text(
                    "INSERT INTO users (id, region_code, username, display_name, role,"
                    " unit_id, password_hash, active)"
                    " VALUES (:id, '430204', :name, '测试', :role, 1, 'x', 1)"
                ),
                {"id": user_id, "name": f"u{user_id}", "role": role},
            )
    migrate(engine, "head")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT user_id, role FROM user_roles ORDER BY user_id")).all()
    assert [tuple(r) for r in rows] == [(1, "operator"), (2, "unit_handler")]
    engine.dispose()
