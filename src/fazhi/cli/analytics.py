"""统计汇总表: rebuild rollup_daily from the events."""

from __future__ import annotations

from fazhi.cli.app import analytics_app
from fazhi.terminal import out, ready_platform


@analytics_app.command("rebuild")
def analytics_rebuild() -> None:
    """由事件记录重算统计汇总表 rollup_daily（用于已有数据库；平时由各操作实时维护）。"""
    from time import perf_counter

    from fazhi.actions.rollups import do_rebuild_rollups
    from fazhi.store.db import transaction

    p = ready_platform()
    started = perf_counter()
    with transaction(p.sessions) as session:
        events = do_rebuild_rollups(session, p)
    out.print(f"已由 {events} 条事件重算汇总表，用时 {perf_counter() - started:.1f} 秒。")
