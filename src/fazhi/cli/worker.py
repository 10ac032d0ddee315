"""`fazhi worker`: the background work, beside the server processes.

One loop, any number of copies (on one machine or several, on one database):
  - every `--interval` seconds, the outbox: each copy claims its own batch
    (notifications.dispatch: FOR UPDATE SKIP LOCKED on PostgreSQL, a conditional UPDATE on
    SQLite), so no message is sent by two of them;
  - every `--schedule-minutes`, the periodic pass — reminders of cases due soon or overdue
    (`fazhi notify scan`) and the scheduler (`fazhi schedule run`: repeating windows, the
    types' timed rules, the daily anchor and retention) — by one copy at a time: it holds
    the lease "periodic" (store.leases) while it runs, and the others skip their turn.
    Both passes are idempotent, so a pass run late, or again after a crash, does no harm.

The worker reads the cache versions like a server process (Platform.watch_caches): an
admin's change to units, the calendar or deadlines counts at its next transaction. SIGTERM
or SIGINT finish the step under way, then stop.
"""

from __future__ import annotations

import logging
import signal
import time
from dataclasses import dataclass, field
from datetime import timedelta
from types import FrameType
from typing import Annotated

import typer
from rich.markup import escape

from fazhi.actions.platform import Platform
from fazhi.cli.app import app
from fazhi.notifications.dispatch import RunResult, deliver_due, dispatcher_name
from fazhi.notifications.senders import Sender, senders_from_settings
from fazhi.store.db import transaction
from fazhi.store.leases import give_up_lease, take_lease
from fazhi.terminal import fail, out, ready_platform

PERIODIC = "periodic"
log = logging.getLogger(__name__)


@dataclass
class BackgroundWorker:
    platform: Platform
    senders: dict[str, Sender]
    schedule_every: timedelta
    batch: int = 100
    name: str = field(default_factory=dispatcher_name)
    # When this copy last ran the periodic pass (monotonic seconds); None: never.
    _last_periodic: float | None = None

    def deliver(self) -> RunResult:
        return deliver_due(self.platform, self.senders, self.batch, self.name)

    def _lease(self, seconds: float) -> bool:
        now = self.platform.now()
        until = now + timedelta(seconds=seconds)
        with self.platform.writing(), transaction(self.platform.sessions) as session:
            return take_lease(session, PERIODIC, self.name, now, until)

    def periodic(self) -> bool:
        """The reminder scan and the scheduler, if no other copy is running them and this
        one's turn has come; True if it ran them."""
        due = self._last_periodic is None or (
            time.monotonic() - self._last_periodic >= self.schedule_every.total_seconds()
        )
        # Held for the pass and the period after it: the copies take turns, never overlap.
        if not due or not self._lease(self.schedule_every.total_seconds()):
            return False
        from fazhi.actions.notify import scan_reminders
        from fazhi.actions.schedule import run_schedules
        from fazhi.actions.system_account import system_actor

        self._last_periodic = time.monotonic()
        scan_reminders(self.platform)
        run_schedules(self.platform, system_actor(self.platform), self.platform.now())
        return True

    def stop(self) -> None:
        with self.platform.writing(), transaction(self.platform.sessions) as session:
            give_up_lease(session, PERIODIC, self.name, self.platform.now())


@app.command("worker")
def worker(
    interval: Annotated[
        float, typer.Option("--interval", min=0.1, help="发件箱轮询间隔（秒）")
    ] = 5,
    schedule_minutes: Annotated[
        float, typer.Option("--schedule-minutes", min=0.1, help="提醒扫描与定时调度的间隔（分钟）")
    ] = 5,
    batch: Annotated[int, typer.Option("--batch", min=1, help="每次认领的消息条数")] = 100,
    once: Annotated[bool, typer.Option("--once", help="各做一遍后退出")] = False,
) -> None:
    """后台任务：发送发件箱、提醒扫描与定时调度；可与服务进程并行运行多份，消息不会重复发送。"""
    p = ready_platform()
    p.watch_caches()
    try:
        senders = senders_from_settings()
    except ValueError as exc:
        fail(str(exc))
    background = BackgroundWorker(p, senders, timedelta(minutes=schedule_minutes), batch)
    stopping = False

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    out.print(f"后台任务已启动（{background.name}）")
    try:
        while not stopping:
            # One failing step (the database restarting, a refusal) is reported and tried
            # again next round: the worker keeps running.
            try:
                result = background.deliver()
                if result.handled:
                    out.print(
                        f"已发送 {result.sent} 条，失败待重试 {result.failed} 条，"
                        f"放弃 {result.dead} 条"
                    )
                if background.periodic():
                    out.print("已完成提醒扫描与定时调度")
            except Exception as exc:
                log.exception("background step failed")
                out.print(f"[red]后台任务出错，稍后重试：{escape(str(exc))}[/red]")
                if once:
                    raise typer.Exit(1) from None
            if once:
                break
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.2, interval))
    finally:
        background.stop()
