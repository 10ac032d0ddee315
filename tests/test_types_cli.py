"""`fazhi types check`: prints every fault as FILE: PATH: MESSAGE and exits 1, or a
one-line summary and 0."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from fazhi.types_cli import app
from tests.catalog.test_type_check import PERMIT

FIXTURES = Path(__file__).parent / "fixtures" / "case_types"


def test_the_shipped_types_check_clean() -> None:
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "21 type file(s) checked: no faults"


def test_every_fault_is_printed_with_its_file_and_path(tmp_path: Path) -> None:
    path = tmp_path / "permit.yaml"
    path.write_text(
        PERMIT.replace("XK", "xk").replace("label: 地点", "label: 地点, size: 1"), encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["check", str(path), str(FIXTURES / "good")])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{path}: number_prefix: should be upper-case letters (got 'xk')",
        f"{path}: fields.site: unknown key 'size'",
    ]
    assert "2 fault(s) in 1 file(s)" in result.output
