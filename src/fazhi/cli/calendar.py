"""节假日与期限计算: due dates by working or calendar days, the State Council's notice."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from fazhi.cli.app import calendar_app
from fazhi.domain.calendar import CalendarYearUnknown, WorkCalendar
from fazhi.terminal import fail, out, ready_platform


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"日期格式应为 2023-09-28：{text}")
        raise


def _calendar() -> WorkCalendar:
    """The working calendar; a fresh install gets its (empty) override table first."""
    p = ready_platform()
    return p.calendar()


def _print_due(start: str, n: int, unit: str) -> None:
    calendar = _calendar()
    count = calendar.add_workdays if unit == "wd" else calendar.add_calendar_days
    try:
        out.print(count(_parse_date(start), n).isoformat())
    except CalendarYearUnknown as exc:
        fail(str(exc))


@calendar_app.command("add-workdays")
def add_workdays(start: str, n: int) -> None:
    """打印 START 之后第 N 个工作日（当日不计）。"""
    if n < 1:
        fail("N 应为正整数")
    _print_due(start, n, "wd")


@calendar_app.command("add-days")
def add_days(start: str, n: int) -> None:
    """打印 START 之后 N 个自然日的到期日（末日非工作日顺延）。"""
    if n < 0:
        fail("N 不能为负数")
    _print_due(start, n, "cd")


@calendar_app.command("import-notice")
def import_notice(
    path: Annotated[Path, typer.Argument(help="国务院办公厅节假日安排通知全文（文本文件）")],
    yes: Annotated[bool, typer.Option("--yes", help="不询问，直接保存")] = False,
) -> None:
    """读取节假日安排通知，显示理解的内容，确认后写入调整表。"""
    from fazhi.actions.calendar import save_arrangement
    from fazhi.domain.holiday_notice import NoticeParseError, parse_notice
    from fazhi.store.db import transaction

    if not path.exists():
        fail(f"文件不存在：{path}")
    try:
        arrangement = parse_notice(path.read_text(encoding="utf-8"))
    except NoticeParseError as exc:
        fail(str(exc))
        return
    except UnicodeDecodeError:
        fail("文件应为 UTF-8 编码的文本")
        return
    out.print(f"[bold]{arrangement.year}年节假日安排：[/bold]")
    for line in arrangement.summary_lines():
        out.print(f"  {line}")
    if not yes:
        if not sys.stdin.isatty():
            fail("非交互环境请加 --yes 确认保存")
        typer.confirm("确认保存？", abort=True)
    p = ready_platform()
    with transaction(p.sessions) as session:
        saved = save_arrangement(session, arrangement, f"{path.name}", datetime.now(UTC))
    out.print(f"已保存 {arrangement.year} 年的 {saved} 个调整日。")


@calendar_app.command("list")
def calendar_list() -> None:
    """列出已知年份与调整日。"""
    from fazhi.actions.calendar import list_overrides

    p = ready_platform()
    out.print("已知年份：" + "、".join(str(y) for y in sorted(p.calendar().known_years())))
    with p.sessions() as session:
        for row in list_overrides(session):
            label = "放假" if row.kind == "holiday" else "上班"
            out.print(f"{row.day.isoformat()} {label} {row.name}（{row.source}）")
