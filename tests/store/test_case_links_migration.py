"""Migration 0011 adds case_links, indexed from both ends, and the schema it builds is the
one the models describe; it can be taken back down and up again."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

import fazhi.hotline.store
import fazhi.store
from fazhi.store.db import make_engine
from fazhi.store.migrate import alembic_config, upgrade
from fazhi.store.models import Base


def _every_model() -> None:
    """Import every module that declares tables, so the comparison sees them all (whatever
    else this process happened to import first)."""
    for package in (fazhi.store, fazhi.hotline.store):
        for module in pkgutil.iter_modules(package.__path__):
            if module.name != "migrations":
                importlib.import_module(f"{package.__name__}.{module.name}")
    importlib.import_module("fazhi.enforcement.store")
    importlib.import_module("fazhi.enforcement.inspections.store")
    importlib.import_module("fazhi.legal_aid.store")
    importlib.import_module("fazhi.correction.store")
    importlib.import_module("fazhi.report.store")


def _run(engine: Engine, verb: str, target: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, verb)(config, target)


@pytest.mark.sqlite_only
def test_case_links_are_indexed_both_ways_and_match_the_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'links.db'}")
    upgrade(engine)
    table = inspect(engine)
    assert table.get_pk_constraint("case_links")["constrained_columns"] == [
        "from_case_id",
        "field",
        "to_case_id",
    ]
    assert [i["column_names"] for i in table.get_indexes("case_links")] == [
        ["to_case_id", "from_case_id"]
    ]
    _every_model()
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []

    _run(engine, "downgrade", "0011-1")
    assert "case_links" not in inspect(engine).get_table_names()
    _run(engine, "upgrade", "head")
    assert "case_links" in inspect(engine).get_table_names()
    engine.dispose()
