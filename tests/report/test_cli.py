"""`fazhi report annual --year 2023` at the terminal: all four files by default (one with
--format), drafted as the platform's account from the values file given (computed here from
the command's own database) and the narrative written in it; a bad format, year or values
file is refused with a Chinese message and writes nothing."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from fazhi.actions.context import ActionContext
from fazhi.actions.platform import Platform
from fazhi.actions.system_account import system_actor
from fazhi.cli import app
from fazhi.report.narratives import check_save_narrative
from fazhi.report.template import annual_template
from fazhi.report.values import value_as_json
from fazhi.settings import Settings
from fazhi.store.db import transaction
from tests.report.conftest import computed_values

NAME = "石峰区2023年法治政府建设年度报告"


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """A database of its own with the demo organisation."""
    env = {"FAZHI_DATABASE_URL": f"sqlite:///{tmp_path / 'fazhi.db'}", "COLUMNS": "200"}
    assert CliRunner().invoke(app, ["init"], env=env).exit_code == 0
    org = Path(__file__).resolve().parents[2] / "src" / "fazhi" / "demo" / "org.yaml"
    assert CliRunner().invoke(app, ["load-org", str(org)], env=env).exit_code == 0
    return env


def _platform(env: dict[str, str]) -> Platform:
    return Platform.create(Settings(database_url=env["FAZHI_DATABASE_URL"]))


def test_every_format_is_written_from_the_values_file_and_the_narrative(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    p = _platform(cli_env)
    with Session(p.engine) as session:
        values = computed_values(session, p.region_code, 2023)
    units = values["publicity.meeting_units"].value
    path = tmp_path / "values.json"
    path.write_text(json.dumps([value_as_json(v) for v in values.values()]), "utf-8")
    ctx = ActionContext(p, system_actor(p, ("rule_of_law_office",)), p.now())
    with transaction(p.sessions) as session:
        check_save_narrative(session, ctx, annual_template(), 2023, "preface", "开篇（测试）。")
    p.engine.dispose()

    out = tmp_path / "out"
    done = CliRunner().invoke(
        app,
        ["report", "annual", "--year", "2023", "--output", str(out), "--values", str(path)],
        env=cli_env,
    )
    assert done.exit_code == 0, done.output
    assert sorted(f.name for f in out.iterdir()) == sorted(
        f"{NAME}.{ext}" for ext in ("docx", "pdf", "html", "md")
    )
    md = (out / f"{NAME}.md").read_text("utf-8")
    # The figure "66个" is followed by its footnote, then the template's 单位.
    assert re.search(rf"组织全区{units}个\[\^\d+\]单位召开", md) and "开篇（测试）。" in md
    doc = Document(io.BytesIO((out / f"{NAME}.docx").read_bytes()))
    assert doc.paragraphs[0].text == NAME and doc.paragraphs[1].text == "开篇（测试）。"
    assert (out / f"{NAME}.pdf").read_bytes().startswith(b"%PDF-")
    assert "项指标暂无数值" in done.stdout

    one = tmp_path / "one"
    only = CliRunner().invoke(
        app,
        ["report", "annual", "--year", "2023", "--output", str(one), "--format", "md"],
        env=cli_env,
    )
    assert only.exit_code == 0, only.output
    assert [f.name for f in one.iterdir()] == [f"{NAME}.md"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--format", "odt"], "格式应为 docx、pdf、html、md 之一"),
        (["--values", "missing.json"], "无法读取指标数值文件"),
    ],
)
def test_a_bad_request_is_refused_and_writes_nothing(
    tmp_path: Path, cli_env: dict[str, str], args: list[str], says: str
) -> None:
    out = tmp_path / "out"
    refused = CliRunner().invoke(
        app, ["report", "annual", "--year", "2023", "--output", str(out), *args], env=cli_env
    )
    assert refused.exit_code == 2 and says in refused.stderr, refused.output
    assert not out.exists()


def test_a_values_file_with_bad_rows_names_every_one(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    path = tmp_path / "values.json"
    path.write_text(
        json.dumps(
            [
                {"id": "a.b", "name": "甲", "value": "多", "unit": "件", "ledger": "/x"},
                {"id": "a.c", "name": "乙", "unit": "件", "ledger": "/x"},
            ]
        ),
        "utf-8",
    )
    refused = CliRunner().invoke(
        app, ["report", "annual", "--year", "2023", "--values", str(path)], env=cli_env
    )
    assert refused.exit_code == 2
    assert "values[0].value不是数值" in refused.stderr and "values[1]缺少 value" in refused.stderr
