"""`fazhi types …`: commands about case type files (mounted by the `fazhi` command)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fazhi.catalog.type_check import check_type_files, files_to_check

app = typer.Typer(help="案件类型文件", no_args_is_help=True)


@app.callback()
def types() -> None:
    """案件类型文件的检查。"""


def types_check(paths: list[Path]) -> int:
    """Print every fault as FILE: PATH: MESSAGE; 1 when there is one, else 0."""
    faults = check_type_files(paths or None)
    for fault in faults:
        typer.echo(str(fault))
    if faults:
        files = len({f.file for f in faults})
        typer.echo(f"{len(faults)} fault(s) in {files} file(s)", err=True)
        return 1
    checked, _ = files_to_check(paths or None)
    typer.echo(f"{len(checked)} type file(s) checked: no faults")
    return 0


@app.command()
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="类型文件或目录（默认：内置类型及 FAZHI_CASE_TYPES_DIR）"),
    ] = None,
) -> None:
    """检查类型文件，列出每个文件的全部错误（文件: 位置: 说明）。"""
    raise typer.Exit(types_check(paths or []))
