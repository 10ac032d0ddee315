"""The hotline's commands: import work orders (and their template), transfers from other
platforms, and the dispatch suggestion model (suggest, train, models)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from fazhi.domain.errors import DomainError
from fazhi.terminal import err, fail, fail_rows, importer, out, platform, run_batch

transfer_app = typer.Typer(help="其他平台转办（12315、欠薪线索）", no_args_is_help=True)
route_app = typer.Typer(help="派单建议模型（分类与承办单位推荐）", no_args_is_help=True)
SourceOption = Annotated[str, typer.Option("--source", help="来源平台：12315 或 wage_clue")]


def register(app: typer.Typer) -> None:
    """Add the hotline's commands to `fazhi`."""
    app.command("import")(import_)
    app.command("export-template")(export_template)
    app.add_typer(transfer_app, name="transfer")
    app.add_typer(route_app, name="route")


def import_(
    path: Annotated[Path, typer.Argument(help="工单文件（.csv 或 .xlsx）")],
    source: Annotated[str, typer.Option(help="来源平台标识，用于去重")] = "import",
    as_user: Annotated[
        str | None, typer.Option("--as", help="以哪个账号登记（默认第一个话务员）")
    ] = None,
) -> None:
    """导入12345工单：全部通过才写入；同一外部编号不会重复导入。"""
    from fazhi.actions.cases import ActionContext
    from fazhi.hotline.actions.imports import do_import_work_orders, read_rows

    p, actor = importer(path, as_user)
    try:
        total = sum(1 for _ in read_rows(path))
    except DomainError as exc:
        fail(exc.message)
    report = run_batch(
        p,
        "导入工单",
        total,
        lambda session, progress: do_import_work_orders(
            session, ActionContext(p, actor, p.now()), path, source, progress
        ),
    )
    if not report.ok:
        fail_rows(report.errors, report.rows)
    out.print(f"共 {report.rows} 行：新建 {report.created}，已存在跳过 {report.skipped_existing}")


def export_template(path: Annotated[Path, typer.Argument(help="输出 .csv 模板")]) -> None:
    """写出工单导入模板（表头与一行合成示例）。"""
    from fazhi.hotline.actions.imports import COLUMNS

    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS.values())
        writer.writerow(
            [
                "EXT-0001",
                "2023-06-01 09:30",
                "电话",
                "投诉",
                "市容秩序",
                "一般",
                "小区门口有流动摊贩占道经营（合成示例）",
                "张三",
                "17000000001",
                "田心街道某社区",
                "113.13",
                "27.93",
            ]
        )
    out.print(f"模板已写出：{path}")


@transfer_app.command("import")
def transfer_import(
    path: Annotated[Path, typer.Argument(help="来源平台导出的文件（.csv 或 .xlsx）")],
    source: SourceOption,
    as_user: Annotated[
        str | None, typer.Option("--as", help="以哪个账号登记（默认第一个话务员）")
    ] = None,
) -> None:
    """导入其他平台导出的转办文件：全部通过才写入；重复导入不会重复登记，内容变更则补充。"""
    from fazhi.actions.cases import ActionContext
    from fazhi.hotline.actions.transfers import do_import_transfer_file, read_transfer_file

    p, actor = importer(path, as_user)
    try:
        total = len(read_transfer_file(path, source))
    except DomainError as exc:
        fail(exc.message)
    report = run_batch(
        p,
        "导入转办",
        total,
        lambda session, progress: do_import_transfer_file(
            session, ActionContext(p, actor, p.now()), path, source, progress
        ),
    )
    if not report.ok:
        fail_rows(report.rejected, report.rows)
    out.print(
        f"共 {report.rows} 行：新建 {report.created}，更新 {report.updated}，"
        f"未变 {report.unchanged}，拒绝 0"
    )


@transfer_app.command("template")
def transfer_template(
    path: Annotated[Path, typer.Argument(help="输出 .csv 模板")], source: SourceOption
) -> None:
    """写出某来源平台的转办模板（表头与一行合成示例）。"""
    from fazhi.hotline.actions.transfers import template_rows

    try:
        header, example = template_rows(source)
    except DomainError as exc:
        fail(exc.message)
        return
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(example)
    out.print(f"模板已写出：{path}")


@route_app.command("suggest")
def route_suggest(
    input_file: Annotated[
        Path, typer.Option("--input", help="每行一条诉求内容的文本文件（UTF-8）；- 为标准输入")
    ],
    k: Annotated[int, typer.Option("--k", min=1, max=24, help="每条返回的候选分类数")] = 3,
) -> None:
    """逐行输出 JSON：{line, text, candidates: [{category, unit, score}]}，顺序与输入一致。"""
    import orjson

    from fazhi.hotline.routing.suggest import current_suggester
    from fazhi.hotline.routing.suggestion import category_labels, lead_unit

    if str(input_file) == "-":
        lines = sys.stdin.read().splitlines()
    elif not input_file.is_file():
        fail(f"找不到文件：{input_file}")
        return
    else:
        lines = input_file.read_text(encoding="utf-8-sig").splitlines()
    suggester = current_suggester()
    texts = [line.strip() for line in lines]
    wanted = [t for t in texts if t]
    ranked = iter(suggester.suggest_many(wanted, k))
    from sqlalchemy.exc import SQLAlchemyError

    try:
        directory = platform().directory()
    except SQLAlchemyError:
        directory = None
        err.print("[yellow]数据库未就绪（先运行 fazhi init 与 load-org）：承办单位留空。[/yellow]")
    labels = category_labels()
    write = sys.stdout.buffer.write

    def unit_of(category: str) -> dict[str, object] | None:
        unit = lead_unit(directory, category, None) if directory is not None else None
        return unit.brief() if unit is not None else None

    for number, text in enumerate(texts, 1):
        if not text:
            record: dict[str, object] = {"line": number, "text": "", "error": "空行：没有诉求内容"}
        else:
            record = {
                "line": number,
                "text": text,
                "candidates": [
                    {
                        "category": category,
                        "category_label": labels.get(category, category),
                        "unit": unit_of(category),
                        "score": score,
                    }
                    for category, score in next(ranked)
                ],
            }
        write(orjson.dumps(record) + b"\n")
    sys.stdout.flush()


@route_app.command("train")
def route_train(
    min_orders: Annotated[
        int, typer.Option("--min-orders", help="已办结工单少于此数时不训练，继续用冷启动模型")
    ] = 500,
    without_cold_start: Annotated[
        bool, typer.Option("--without-cold-start", help="只用本地工单训练，不并入冷启动语料")
    ] = False,
) -> None:
    """用本平台已办结的热线工单（内容 → 最终分类）重新训练，留出 20% 测准确率，存为新版本。"""
    from fazhi.hotline.routing.suggest import category_counts, train_cold_start, train_from_orders
    from fazhi.hotline.routing.suggest import list_versions as versions_of
    from fazhi.hotline.routing.suggestion import closed_order_examples

    p = platform()
    texts, labels = closed_order_examples(p)
    if len(texts) < min_orders:
        out.print(f"已办结工单 {len(texts)} 件，少于 {min_orders} 件：不训练，继续使用冷启动模型。")
        if not versions_of():
            manifest = train_cold_start()
            out.print(f"已生成冷启动模型 v{manifest['version']}（合成语料）。")
        return
    if len(category_counts(labels)) < 2:
        fail("已办结工单只有一个分类，无法训练")
    manifest = train_from_orders(texts, labels, with_cold_start=not without_cold_start)
    out.print(
        f"已训练 v{manifest['version']}：工单 {len(texts)} 件（训练 {manifest['n_train']} 条，"
        f"留出 {manifest['n_test']} 条），留出集 top-1 {manifest['top1']:.1%}，"
        f"top-3 {manifest['top3']:.1%}。"
    )


@route_app.command("models")
def route_models() -> None:
    """列出已保存的模型版本及其留出集准确率（最新版本为当前使用的版本）。"""
    from fazhi.hotline.routing.suggest import list_versions as versions_of
    from fazhi.hotline.routing.suggest import models_dir

    versions = versions_of()
    if not versions:
        out.print(f"{models_dir()} 中还没有模型；首次使用时会自动训练冷启动模型。")
        return
    table = Table("版本", "来源", "训练时间", "训练条数", "留出条数", "top-1", "top-3", "当前")
    for m in versions:
        table.add_row(
            f"v{m['version']}",
            "冷启动（合成语料）" if m.get("source") == "cold_start" else "本地工单",
            str(m.get("trained_at", "")),
            str(m.get("n_train", "")),
            str(m.get("n_test", "")),
            f"{m.get('top1', 0):.1%}",
            f"{m.get('top3', 0):.1%}",
            "✓" if m is versions[-1] else "",
        )
    out.print(table)
