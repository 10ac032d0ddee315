"""法治指标 on the command line: the catalogue's check, every indicator's value for a year,
a source's import template, and the import of a filled template (all rows or none)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from fazhi.actions.context import ActionContext, Work
from fazhi.actions.figure_imports import (
    batch_json,
    check_import_figures,
    do_import_figures,
    read_workbook,
    template_workbook,
)
from fazhi.analytics import indicators as ix
from fazhi.analytics.record_sources import record_source_names
from fazhi.catalog.indicator_catalog import IndicatorCatalogError, load_indicator_catalog
from fazhi.catalog.registry import default_case_types
from fazhi.cli.app import app
from fazhi.domain.errors import DomainError
from fazhi.store.db import transaction
from fazhi.terminal import acting_user, err, fail, out, ready_platform

indicators_app = typer.Typer(
    help="法治指标：目录校验、指标值、其他系统数据导入", no_args_is_help=True
)
app.add_typer(indicators_app, name="indicators")


@indicators_app.command("check")
def check() -> None:
    """校验指标目录（含 FAZHI_INDICATORS_DIR）与各案件类型声明的统计项是否一致。"""
    try:
        # Loading the types imports their hook modules, which register the record sources.
        types = default_case_types()
        catalog = load_indicator_catalog(types, records=record_source_names())
    except IndicatorCatalogError as exc:
        for problem in exc.problems:
            err.print(f"[red]{escape(problem)}[/red]")
        fail(f"指标目录有 {len(exc.problems)} 处错误")
    out.print(
        f"指标 {len(catalog.indicators)} 项，数据来源 {len(catalog.sources)} 个，"
        f"评价方案 {len(catalog.schemes)} 个：校验通过。"
    )


@indicators_app.command("list")
def list_values(
    year: int = typer.Option(..., "--year", help="年度"),
    unit: str = typer.Option("", "--unit", help="单位编码（默认全区）"),
) -> None:
    """列出某年度全部指标的值、目标与完成情况。"""
    p = ready_platform()
    actor = acting_user(p, None, tuple(sorted(ix.INDICATOR_ROLES)))
    with transaction(p.sessions) as session:
        w = Work(session, ActionContext(p, actor, p.now()))
        try:
            scope = ix.scope_for(w, date(year, 1, 1), date(year, 12, 31), unit or None)
        except DomainError as exc:
            fail(exc.message)
        body = ix.dashboard_body(w, scope)
    table = Table("指标编码", "指标", "数值", "目标", "完成", "来源")
    for area in body["areas"]:
        for v in area["indicators"]:
            met = "" if v["met"] is None else ("达标" if v["met"] else "未达标")
            source = "平台" if v["computed"] else "导入"
            table.add_row(v["id"], v["name"], v["display"], v["target_display"], met, source)
    out.print(table)


@indicators_app.command("template")
def template(
    source: str = typer.Argument(..., help="数据来源（如 service_hall）"),
    year: int = typer.Option(..., "--year", help="年度"),
    output: Path = typer.Option(Path("."), "--output", help="输出目录"),
) -> None:
    """生成某数据来源的导入模板（Excel）。"""
    catalog = load_indicator_catalog(default_case_types())
    found = catalog.source(source)
    if found is None:
        fail(f"没有数据来源 {source}（可选：{'、'.join(s.name for s in catalog.sources)}）")
    output.mkdir(parents=True, exist_ok=True)
    path = output / f"{source}_{year}.xlsx"
    path.write_bytes(template_workbook(found, year))
    out.print(f"已生成 {path}")


@indicators_app.command("import")
def import_file(
    source: str = typer.Argument(..., help="数据来源（如 service_hall）"),
    path: Path = typer.Argument(..., help="按模板填写的 .xlsx"),
    as_user: str = typer.Option("", "--as", help="导入人账号（默认第一个依法治区办账号）"),
) -> None:
    """导入其他系统数据：逐行校验，任一行有误整批不导入。"""
    if not path.exists():
        fail(f"文件不存在：{path}")
    p = ready_platform()
    actor = acting_user(p, as_user or None, ("rule_of_law_office", "admin"))
    data = path.read_bytes()
    try:
        rows = read_workbook(data)
        with transaction(p.sessions) as session:
            ctx = ActionContext(p, actor, p.now())
            plan = check_import_figures(ctx, ix.catalog_of(p), source, path.name, data, rows)
            body = batch_json(do_import_figures(session, ctx, plan), plan)
    except DomainError as exc:
        for problem in exc.problems:
            err.print(f"[red]{escape(problem.message)}[/red]")
        fail(exc.message if not exc.problems else f"{len(exc.problems)} 处错误，整批未导入")
    out.print(
        f"已导入第 {body['batch']} 批：{body['source_label']} {body['rows']} 项"
        f"（未填数值 {body['skipped']} 行），文件 SHA-256 {body['sha256'][:12]}…"
    )
