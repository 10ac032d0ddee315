"""`fazhi legal-aid lawyers import FILE`: the lawyer register's CSV import at the terminal (all
rows or none, every bad row printed); `fazhi legal-aid target YEAR N`: the year's target. Both
act as the platform's own account (whoever has the shell runs the deployment), in the admin
log like the console's changes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

legal_aid_app = typer.Typer(help="法律援助：律师名册、年度任务数", no_args_is_help=True)
lawyers_app = typer.Typer(help="律师名册", no_args_is_help=True)
legal_aid_app.add_typer(lawyers_app, name="lawyers")


def _fail(message: str, rest: tuple[str, ...] = ()) -> typer.Exit:
    typer.echo(f"错误：{message}", err=True)
    for line in rest:
        typer.echo(f"  {line}", err=True)
    return typer.Exit(1)


@lawyers_app.command("import")
def import_lawyers(
    path: Annotated[Path, typer.Argument(help="CSV：执业证号,姓名,律师事务所,执业领域,在册")],
) -> None:
    """导入律师名册（全部正确才写入；执业证号已有的更新）。"""
    from fazhi.actions.context import ActionContext
    from fazhi.actions.system_account import system_actor
    from fazhi.domain.errors import DomainError
    from fazhi.legal_aid import lawyers
    from fazhi.store.db import transaction
    from fazhi.terminal import init_database, platform

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"错误：无法读取 {path}（{exc}）", err=True)
        raise typer.Exit(2) from None
    p = platform()
    init_database(p)
    ctx = ActionContext(p, system_actor(p), p.now())
    try:
        with transaction(p.sessions) as session:
            rows = lawyers.check_rows(ctx, lawyers.parse_csv(text))
            added, updated = lawyers.do_import(session, ctx, rows)
    except DomainError as exc:
        # The message names the first five bad rows; the rest follow one a line.
        raise _fail(exc.message, tuple(p.message for p in exc.problems[5:])) from None
    typer.echo(f"已导入律师名册：新增 {added} 条，更新 {updated} 条。")


@legal_aid_app.command("target")
def set_target(
    year: Annotated[int, typer.Argument(help="年度，如 2023")],
    target: Annotated[int, typer.Argument(help="年度任务数（件）")],
) -> None:
    """设定法律援助年度任务数（完成率的分母）。"""
    from fazhi.actions.context import ActionContext
    from fazhi.actions.system_account import system_actor
    from fazhi.domain.errors import DomainError
    from fazhi.legal_aid.targets import check_target, do_set_target
    from fazhi.store.db import transaction
    from fazhi.terminal import init_database, platform

    p = platform()
    init_database(p)
    ctx = ActionContext(p, system_actor(p), p.now())
    try:
        with transaction(p.sessions) as session:
            do_set_target(session, ctx, *check_target(ctx, year, target))
    except DomainError as exc:
        raise _fail(exc.message) from None
    typer.echo(f"已设定{year}年法律援助任务数：{target} 件。")


def register(app: typer.Typer) -> None:
    app.add_typer(legal_aid_app, name="legal-aid")
