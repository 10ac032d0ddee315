"""统计汇总表: rebuild rollup_daily from the events; the city's figures over its districts."""

from __future__ import annotations

from typing import Annotated

import typer

from fazhi.cli.app import analytics_app
from fazhi.terminal import fail, out, ready_platform


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


@analytics_app.command("city")
def analytics_city(
    start: Annotated[str, typer.Option("--from", help="起始日期 YYYY-MM-DD（含）")],
    end: Annotated[str, typer.Option("--to", help="截止日期 YYYY-MM-DD（含）")],
    case_type: Annotated[str, typer.Option("--type", help="案件类型")] = "hotline",
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """全市各区县汇总：期间受理、办结，当前在办、超期，以及该类型各项统计指标。"""
    import json
    from dataclasses import asdict
    from datetime import date

    from fazhi.analytics.city import city_figures
    from fazhi.analytics.period import Period

    try:
        period = Period(date.fromisoformat(start), date.fromisoformat(end))
    except ValueError:
        fail("日期应写成 YYYY-MM-DD")
    p = ready_platform()
    with p.sessions() as session:
        rows = city_figures(session, period, p.now(), case_type)
    if as_json:
        out.print_json(json.dumps([asdict(r) for r in rows], ensure_ascii=False))
        return
    out.print("地区\t名称\t受理\t办结\t在办\t超期")
    for r in rows:
        out.print(f"{r.region_code}\t{r.name}\t{r.received}\t{r.closed}\t{r.open}\t{r.overdue}")
