"""`fazhi retention run`: anonymise cases closed longer ago than the retention period."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from fazhi.cli.app import retention_app
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.terminal import fail, out, ready_platform


@retention_app.command("run")
def retention_run(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出到期案件，不做改动")] = False,
    years: Annotated[
        int | None, typer.Option(help="保存年限（缺省为 FAZHI_RETENTION_YEARS，默认 10）", min=1)
    ] = None,
) -> None:
    """将办结超过保存年限的案件中的个人信息匿名化（记录链仍可校验）。"""
    from fazhi.actions.retention import run_retention
    from fazhi.actions.system_account import system_actor

    p = ready_platform()
    try:
        report = run_retention(p, system_actor(p), p.now(), years, dry_run)
    except DomainError as exc:
        fail(exc.message)
    cutoff = report.cutoff.astimezone(LOCAL_TZ)
    if dry_run:
        out.print(f"到期（{cutoff:%Y-%m-%d} 前办结）待匿名化：{len(report.due)} 件（未做改动）")
        for case_id in report.due:
            out.print(f"  案件 {case_id}")
        return
    out.print(
        f"已匿名化 {report.anonymised} 件（{cutoff:%Y-%m-%d} 前办结），"
        f"被拒绝 {len(report.refused)} 件。"
    )
    for case_id, message in report.refused:
        out.print(f"[yellow]案件 {case_id}：{escape(message)}[/yellow]")
    if report.refused:
        raise typer.Exit(1)
