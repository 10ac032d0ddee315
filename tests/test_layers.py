"""The layers are kept by a contract (`[tool.importlinter]` in pyproject.toml, run by
`make lint`): the tree as it is keeps every contract, and an import that runs upward — a
lower layer importing a higher one, the engine importing the hotline, or one layer of the
hotline importing a higher one — breaks it. Each case lints a copy of the package with one
import added."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "src" / "fazhi", tmp_path / "fazhi", ignore=shutil.ignore_patterns("*.pyc")
    )
    return tmp_path


def test_the_tree_keeps_every_contract(copy: Path) -> None:
    result = lint(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "imported", "contract"),
    [
        ("store/audit.py", "fazhi.actions.cases", "The platform's layers import only downwards"),
        ("domain/errors.py", "fazhi.web.console", "The platform's layers import only downwards"),
        ("api/meta_routes.py", "fazhi.web.forms", "The platform's layers import only downwards"),
        ("actions/cases.py", "fazhi.hotline.actions.merge", "The engine imports no type package"),
        ("hotline/routing/repeats.py", "fazhi.hotline.api.merge", "Layers inside the hotline"),
    ],
)
def test_an_upward_import_breaks_a_contract(
    copy: Path, module: str, imported: str, contract: str
) -> None:
    target = copy / "fazhi" / module
    target.write_text(target.read_text() + f"\nimport {imported}  # noqa: E402\n")
    result = lint(copy)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken
    assert imported in broken
