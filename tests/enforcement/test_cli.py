"""`fazhi review PATH`: one JSON object per case file and line (or a table), for a folder of
case folders and zips; a malformed manifest is reported on stderr under its file and key and
the batch goes on (exit code 1 then)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fazhi.cli import app
from tests.enforcement.review.files import changed, clean_general, clean_summary, without


def write(folder: Path, manifest: Any) -> Path:
    folder.mkdir(parents=True)
    text = manifest if isinstance(manifest, str) else json.dumps(manifest, ensure_ascii=False)
    (folder / "manifest.json").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    root = tmp_path / "files"
    write(root / "01-clean", clean_general())
    write(root / "02-no-service", without(clean_general(), "service_proof"))
    write(root / "03-bad-date", changed(clean_general(), "decision", date="2023-13-01"))
    write(root / "04-not-json", "{not json")
    with zipfile.ZipFile(root / "05-summary.zip", "w") as archive:
        archive.writestr("石交简88/manifest.json", json.dumps(clean_summary(), ensure_ascii=False))
    return root


def test_a_folder_is_reviewed_file_by_file_and_bad_ones_do_not_stop_it(batch: Path) -> None:
    result = CliRunner().invoke(app, ["review", str(batch), "--format", "json"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    by_file = {Path(r["file"]).name: r for r in lines}
    assert set(by_file) == {"01-clean", "02-no-service", "石交简88"}
    assert by_file["01-clean"]["score"] == 100 and by_file["01-clean"]["findings"] == []
    assert by_file["石交简88"]["score"] == 100
    defects = {f["defect"] for f in by_file["02-no-service"]["findings"]}
    assert "service_proof_missing" in defects
    assert "03-bad-date" in result.stderr and "documents[13].date" in result.stderr
    assert "04-not-json" in result.stderr and "不是有效的 JSON" in result.stderr


def test_the_table_names_each_finding_and_sums_up(batch: Path) -> None:
    result = CliRunner().invoke(app, ["review", str(batch / "02-no-service"), "--format", "table"])
    assert result.exit_code == 0
    assert "无决定文书送达材料" in result.stdout and "共 1 份案卷" in result.stdout


def test_a_missing_path_and_a_bad_standard_are_clear_errors(tmp_path: Path, batch: Path) -> None:
    missing = CliRunner().invoke(app, ["review", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "路径不存在" in missing.stderr
    standard = tmp_path / "standard.yaml"
    standard.write_text("rules: {no.such: {severity: veto}}", encoding="utf-8")
    bad = CliRunner().invoke(app, ["review", str(batch), "--standard", str(standard)])
    assert bad.exit_code == 2 and "no.such" in bad.stderr


def test_the_demo_files_report_each_planted_defect_and_nothing_on_clean_ones(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "demo"
    made = CliRunner().invoke(app, ["case-file", "demo", str(folder)])
    assert made.exit_code == 0 and "16" in made.stdout
    planted: dict[str, list[str]] = json.loads((folder / "planted.json").read_text("utf-8"))
    assert sum(1 for classes in planted.values() if classes) == 8
    result = CliRunner().invoke(app, ["review", str(folder)])
    assert result.exit_code == 0, result.stderr
    reviews = {Path(r["file"]).name: r for r in map(json.loads, result.stdout.splitlines())}
    assert set(reviews) == set(planted)
    for name, classes in planted.items():
        found = {f["defect"] for f in reviews[name]["findings"]}
        assert found == set(classes), name
        lost = sum(f["points"] for f in reviews[name]["findings"])
        assert reviews[name]["score"] == 100 - lost and (lost > 0) == bool(classes)


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {"FAZHI_DATABASE_URL": f"sqlite:///{tmp_path / 'fazhi.db'}", "COLUMNS": "200"}
    assert CliRunner().invoke(app, ["init"], env=env).exit_code == 0
    org = Path(__file__).resolve().parents[2] / "src" / "fazhi" / "demo" / "org.yaml"
    assert CliRunner().invoke(app, ["load-org", str(org)], env=env).exit_code == 0
    return env


@pytest.mark.sqlite_only
def test_certificates_are_imported_from_the_terminal(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    good = tmp_path / "certs.csv"
    good.write_text(
        "执法证号,姓名,单位,有效期起,有效期止\nC0001,甲某,,2023-01-01,2025-12-31\n", "utf-8"
    )
    done = CliRunner().invoke(app, ["certificates", "import", str(good)], env=cli_env)
    assert done.exit_code == 0 and "新增 1 条" in done.stdout, done.output
    bad = tmp_path / "bad.csv"
    bad.write_text("执法证号,姓名,单位,有效期起,有效期止\nC0002,,,2023-01-01,x\n", "utf-8")
    refused = CliRunner().invoke(app, ["certificates", "import", str(bad)], env=cli_env)
    assert refused.exit_code == 1 and "第1行" in refused.stderr
