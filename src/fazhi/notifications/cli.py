"""`fazhi notify scan` (reminders) and `fazhi notify run` (delivery)."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console

from fazhi.actions.notify import scan_reminders
from fazhi.actions.platform import Platform
from fazhi.notifications.dispatch import deliver_due
from fazhi.notifications.senders import senders_from_settings
from fazhi.store.migrate import upgrade

notify_app = typer.Typer(help="通知：临期/超期提醒与发送（发件箱）", no_args_is_help=True)
out = Console()


def _platform() -> Platform:
    p = Platform.create()
    upgrade(p.engine)
    return p


@notify_app.command("scan")
def scan() -> None:
    """为临期、超期工单向主办单位发提醒（每个时限每类只发一次）。"""
    result = scan_reminders(_platform())
    out.print(f"检查时限 {result.checked} 个，新增提醒 {result.enqueued} 条")


@notify_app.command("run")
def run(
    once: Annotated[bool, typer.Option("--once", help="发送当前到期的消息后退出")] = False,
    batch: Annotated[int, typer.Option("--batch", min=1, help="每批条数")] = 100,
    interval: Annotated[float, typer.Option("--interval", help="空闲时轮询间隔（秒）")] = 15,
) -> None:
    """发送发件箱中到期的消息；失败的按退避重试（至少送达一次）。"""
    p = _platform()
    try:
        senders = senders_from_settings()
    except ValueError as exc:
        out.print(f"[red]错误：{exc}[/red]")
        raise typer.Exit(2) from None
    while True:
        result = deliver_due(p, senders, batch)
        if once or result.handled:
            out.print(
                f"已发送 {result.sent} 条，失败待重试 {result.failed} 条，放弃 {result.dead} 条"
            )
        if once:
            return
        try:
            time.sleep(interval)
        except KeyboardInterrupt:
            return
