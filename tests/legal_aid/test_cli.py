"""`fazhi legal-aid lawyers import FILE` and `fazhi legal-aid target YEAR N` at the terminal:
the register all or nothing (every bad row on stderr, exit 1), the target checked; both as
the platform's account. Synthetic lawyers only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from fazhi.cli import app
from fazhi.legal_aid.store import Lawyer
from fazhi.store.models import ImportedFigure


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """A database of its own with the demo organisation (the system account's unit)."""
    env = {"FAZHI_DATABASE_URL": f"sqlite:///{tmp_path / 'fazhi.db'}", "COLUMNS": "200"}
    assert CliRunner().invoke(app, ["init"], env=env).exit_code == 0
    org = Path(__file__).resolve().parents[2] / "src" / "fazhi" / "demo" / "org.yaml"
    assert CliRunner().invoke(app, ["load-org", str(org)], env=env).exit_code == 0
    return env


def _rows(env: dict[str, str], model: type) -> list:
    engine = create_engine(env["FAZHI_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(model)).all())
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
def test_the_register_and_the_target_are_kept_from_the_terminal(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("执业证号,姓名,律师事务所\nL001,,某所（合成）\nL002,乙律师,\n", "utf-8")
    refused = CliRunner().invoke(app, ["legal-aid", "lawyers", "import", str(bad)], env=cli_env)
    assert refused.exit_code == 1 and "第1行" in refused.stderr and "第2行" in refused.stderr
    assert _rows(cli_env, Lawyer) == []
    good = tmp_path / "good.csv"
    good.write_text("执业证号,姓名,律师事务所,在册\nL001,甲律师,某所（合成）,是\n", "utf-8")
    done = CliRunner().invoke(app, ["legal-aid", "lawyers", "import", str(good)], env=cli_env)
    assert done.exit_code == 0 and "新增 1 条" in done.stdout, done.output

    zero = CliRunner().invoke(app, ["legal-aid", "target", "2023", "0"], env=cli_env)
    assert zero.exit_code == 1 and "正整数" in zero.stderr
    set_ = CliRunner().invoke(app, ["legal-aid", "target", "2023", "260"], env=cli_env)
    assert set_.exit_code == 0, set_.output
    # Kept as the target of the indicator legal_aid.accepted (the `targets` source).
    assert [
        (r.code, r.period_start.isoformat(), r.period_end.isoformat(), r.value)
        for r in _rows(cli_env, ImportedFigure)
    ] == [("targets.legal_aid.accepted", "2023-01-01", "2023-12-31", "260")]
