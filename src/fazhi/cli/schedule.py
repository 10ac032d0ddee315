"""`fazhi schedule run`: one pass of the scheduler as the platform's system account."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.markup import escape

from fazhi.cli.app import schedule_app
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.terminal import fail, out, ready_platform


@schedule_app.command("run")
def schedule_run(
    once_at: Annotated[
        str | None,
        typer.Option("--once-at", help="按此时刻运行一次（ISO，如 2024-03-01T09:00；缺省为现在）"),
    ] = None,
) -> None:
    """运行一次调度：关闭到期的周期时限窗口，执行各案件类型到期的定时规则。"""
    from fazhi.actions.schedule import run_schedules
    from fazhi.actions.system_account import system_actor

    try:
        at = datetime.fromisoformat(once_at) if once_at else None
    except ValueError:
        fail("时刻格式应为 2024-03-01T09:00")
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=LOCAL_TZ)
    p = ready_platform()
    now = at or p.now()
    try:
        actor = system_actor(p)
        report = run_schedules(p, actor, now)
    except DomainError as exc:
        fail(exc.message)
    out.print(
        f"调度完成（{now.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}）：更新时限 {report.ticked} 件，"
        f"执行操作 {report.actions} 项，被拒绝 {len(report.refused)} 项。"
    )
    if report.anchored or report.anonymised:
        out.print(
            f"每日任务：写入链头锚点 {int(report.anchored)} 个，匿名化 {report.anonymised} 件。"
        )
    for case_id, action, message in report.refused:
        out.print(
            f"[yellow]案件 {case_id}：操作 {escape(action)} 被拒绝：{escape(message)}[/yellow]"
        )
