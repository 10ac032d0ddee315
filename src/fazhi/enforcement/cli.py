"""`fazhi review PATH [--format json|table] [--standard FILE]`: the machine review of case
files in the exchange format, printed as ../shared/domain/case-file-review.md describes (JSON:
one object per file and line). A file that cannot be read is reported on stderr under its
name and key, and the batch goes on; the exit code is 1 when any was.
`fazhi case-file demo FOLDER` writes the demo's synthetic files to review."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from fazhi.domain.calendar import WorkCalendar
from fazhi.enforcement.demo.case_files import write_demo_files
from fazhi.enforcement.review.engine import Review, number, review
from fazhi.enforcement.review.files import case_files
from fazhi.enforcement.review.manifest import ManifestError, parse_manifest
from fazhi.enforcement.review.rules import DEFECT_LABELS
from fazhi.enforcement.review.standard import StandardError
from fazhi.enforcement.review.standard_file import DEFAULT_STANDARD, load_standard


class Format(StrEnum):
    json = "json"
    table = "table"


def _table(result: Review) -> str:
    head = f"{result.file}  {result.case_number}  得分 {number(result.score)}"
    lines = [head + ("  【一票否决】" if result.vetoed else "")]
    for f in result.findings:
        cost = "否决" if f.severity == "veto" else f"-{number(f.points)}"
        lines.append(f"  {cost:>5}  {DEFECT_LABELS[f.defect]}  {f.rule}  {f.message}")
    if not result.findings:
        lines.append("  未发现问题")
    return "\n".join(lines)


def review_command(
    path: Annotated[
        Path, typer.Argument(help="案卷文件夹、manifest.json、.zip，或存放多个案卷的文件夹")
    ],
    output: Annotated[
        Format, typer.Option("--format", help="json：每份案卷一行 JSON；table：表格")
    ] = Format.json,
    standard_file: Annotated[
        Path, typer.Option("--standard", help="评分标准（YAML），默认为演示标准")
    ] = DEFAULT_STANDARD,
) -> None:
    """案卷评查：按 fazhi-case-file/1 格式审查案卷并打印问题和得分。"""
    try:
        standard = load_standard(standard_file)
    except StandardError as exc:
        typer.echo(f"错误：评分标准 {exc}", err=True)
        raise typer.Exit(2) from None
    calendar = WorkCalendar()
    failed = 0
    results: list[Review] = []
    for found in case_files(path):
        if found.error:
            failed += 1
            typer.echo(f"错误：{found.name}：{found.error}", err=True)
            continue
        try:
            case_file = parse_manifest(found.raw)
        except ManifestError as exc:
            failed += 1
            where = f"键 {exc.key}：" if exc.key else ""
            typer.echo(f"错误：{found.name}：manifest.json {where}{exc.message}", err=True)
            continue
        result = review(case_file, standard, calendar, found.name)
        results.append(result)
        for note in result.notes:
            typer.echo(f"提示：{found.name}：{note}", err=True)
        if output is Format.json:
            typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            typer.echo(_table(result))
    if output is Format.table and results:
        mean = sum(r.score for r in results) / len(results)
        vetoed = sum(r.vetoed for r in results)
        typer.echo(f"共 {len(results)} 份案卷，平均 {mean:.1f} 分，一票否决 {vetoed} 份。")
    if failed:
        raise typer.Exit(1)


case_file_app = typer.Typer(help="执法案卷（fazhi-case-file/1 交换格式）", no_args_is_help=True)


@case_file_app.command("demo")
def demo_command(
    folder: Annotated[Path, typer.Argument(help="写入合成案卷的文件夹")],
    seed: Annotated[int, typer.Option(help="随机种子（同一种子生成同样的案卷）")] = 2023,
) -> None:
    """生成区交警大队16份合成案卷（部分植入评查问题，见 planted.json），供 fazhi review 演示。"""
    made = write_demo_files(folder, seed)
    typer.echo(f"已在 {folder} 生成合成案卷 {made} 份（植入问题见 planted.json）。")
    typer.echo(f"审查：fazhi review {folder} --format table")


@case_file_app.command("export")
def export_command(
    folder: Annotated[Path, typer.Argument(help="写入的文件夹（每案一个子文件夹，含全部文书）")],
    case_id: Annotated[int | None, typer.Option("--case", help="只导出该案件（内部编号）")] = None,
) -> None:
    """把平台的行政处罚案件导出为 fazhi-case-file/1 案卷（默认：全部已结案案件）。"""
    from fazhi.actions.context import ActionContext
    from fazhi.actions.system_account import system_actor
    from fazhi.domain.errors import DomainError
    from fazhi.enforcement.full_record import record_files, safe_folder
    from fazhi.enforcement.read import case_record_of, closed_case_ids
    from fazhi.terminal import init_database, platform

    p = platform()
    init_database(p)
    ctx = ActionContext(p, system_actor(p), p.now())
    written = 0
    with p.sessions() as session:
        ids = [case_id] if case_id is not None else closed_case_ids(session, p.region_code)
        for one in ids:
            try:
                manifest, files = case_record_of(session, ctx, one)
            except DomainError as exc:
                typer.echo(f"错误：案件 {one}：{exc.message}", err=True)
                raise typer.Exit(1) from None
            target = folder / safe_folder(manifest["case_number"])
            target.mkdir(parents=True, exist_ok=True)
            for name, data in record_files(manifest, files).items():
                (target / name).write_bytes(data)
            written += 1
    typer.echo(f"已导出 {written} 份案卷到 {folder}。")


@case_file_app.command("import")
def import_command(
    path: Annotated[
        Path,
        typer.Argument(help="外部系统的案卷：文件夹、manifest.json、.zip，或多个案卷的文件夹"),
    ],
) -> None:
    """导入外部系统案卷（fazhi-case-file/1）为评查任务，并立即机器评查；格式有误的逐份报告，不影响其他案卷。"""
    from fazhi.actions.context import ActionContext
    from fazhi.actions.system_account import system_actor
    from fazhi.domain.errors import DomainError
    from fazhi.enforcement.reviews import do_import_file
    from fazhi.store.db import transaction
    from fazhi.terminal import init_database, platform

    p = platform()
    init_database(p)
    ctx = ActionContext(p, system_actor(p), p.now())
    imported = failed = 0
    for found in case_files(path):
        if found.error:
            failed += 1
            typer.echo(f"错误：{found.name}：{found.error}", err=True)
            continue
        try:
            with transaction(p.sessions) as session:
                task = do_import_file(session, ctx, found.raw, found.name[:200])
                score, vetoed = task.machine_score, task.machine_vetoed
        except DomainError as exc:
            failed += 1
            where = f"键 {exc.field}：" if exc.field else ""
            typer.echo(f"错误：{found.name}：{where}{exc.message}", err=True)
            continue
        imported += 1
        typer.echo(f"{found.name}：机器评分 {score:g}{'（一票否决）' if vetoed else ''}")
    typer.echo(f"已导入 {imported} 份案卷为评查任务，{failed} 份未导入。")
    if failed:
        raise typer.Exit(1)


@case_file_app.command("review-all")
def review_all_command(
    closed_from: Annotated[
        str, typer.Option("--from", help="结案日期起（YYYY-MM-DD，含当日）；不填为不限")
    ] = "",
    closed_to: Annotated[
        str, typer.Option("--to", help="结案日期止（YYYY-MM-DD，含当日）；不填为不限")
    ] = "",
) -> None:
    """对已结案的行政处罚案件批量机器评查（可限定结案日期区间；评查任务中保留评查员的评定）。"""
    from datetime import date, datetime, time, timedelta

    from fazhi.actions.context import ActionContext
    from fazhi.actions.system_account import system_actor
    from fazhi.domain.durations import LOCAL_TZ
    from fazhi.enforcement.read import closed_case_ids
    from fazhi.enforcement.reviews import REVIEWER_ROLES, do_review_case
    from fazhi.store.db import transaction
    from fazhi.terminal import init_database, platform

    def day_start(text: str, option: str, after: int = 0) -> datetime | None:
        if not text:
            return None
        try:
            day = date.fromisoformat(text) + timedelta(days=after)
        except ValueError:
            typer.echo(f"错误：{option} 应为 YYYY-MM-DD 日期", err=True)
            raise typer.Exit(2) from None
        return datetime.combine(day, time(), LOCAL_TZ)

    start, end = day_start(closed_from, "--from"), day_start(closed_to, "--to", after=1)
    if start and end and end <= start:
        typer.echo("错误：--to 早于 --from", err=True)
        raise typer.Exit(2)
    p = platform()
    init_database(p)
    ctx = ActionContext(p, system_actor(p, REVIEWER_ROLES), p.now())
    with transaction(p.sessions) as session:
        ids = closed_case_ids(session, p.region_code, start, end)
        done = [do_review_case(session, ctx, i) for i in ids]
    vetoed = sum(t.machine_vetoed for t in done)
    mean = sum(t.machine_score for t in done) / len(done) if done else 0.0
    typer.echo(f"已评查 {len(done)} 份案卷，机器评分平均 {mean:.1f}，一票否决 {vetoed} 份。")


certificates_app = typer.Typer(help="执法证件库", no_args_is_help=True)
penalty_items_app = typer.Typer(help="行政处罚事项清单（含裁量基准）", no_args_is_help=True)


def _import_register(path: Path, register: Any, what: str) -> None:
    """One register's CSV import at the terminal (as the platform's own account): all rows
    or none, every bad row printed."""
    from fazhi.actions.context import ActionContext
    from fazhi.actions.system_account import system_actor
    from fazhi.domain.errors import DomainError
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
            rows = register.check_rows(session, ctx, register.parse_csv(text))
            added, updated = register.do_import(session, ctx, rows)
    except DomainError as exc:
        typer.echo(f"错误：{exc.message}", err=True)
        for problem in exc.problems[5:]:
            typer.echo(f"  {problem.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"已导入{what}：新增 {added} 条，更新 {updated} 条。")


@certificates_app.command("import")
def import_certificates(
    path: Annotated[Path, typer.Argument(help="CSV：执法证号,姓名,单位,有效期起,有效期止")],
) -> None:
    """导入执法证件（全部正确才写入；证号已有的更新有效期）。"""
    from fazhi.enforcement import certificates

    _import_register(path, certificates, "执法证件")


@penalty_items_app.command("import")
def import_penalty_items(
    path: Annotated[
        Path,
        typer.Argument(
            help="CSV，每个情形一行：事项编码,事项名称,实施单位,处罚依据,违法情形,罚款下限,罚款上限"
        ),
    ],
) -> None:
    """导入行政处罚事项及其裁量基准（全部正确才写入；编码已有的整项替换）。"""
    from fazhi.enforcement import penalty_items

    _import_register(path, penalty_items, "行政处罚事项")


def register(app: typer.Typer) -> None:
    app.command("review")(review_command)
    app.add_typer(case_file_app, name="case-file")
    app.add_typer(certificates_app, name="certificates")
    app.add_typer(penalty_items_app, name="penalty-items")
