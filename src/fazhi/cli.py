"""The `fazhi` command. The database comes from FAZHI_DATABASE_URL (default var/fazhi.db)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import select

from fazhi.actions.platform import Platform
from fazhi.domain.calendar import CalendarYearUnknown, WorkCalendar
from fazhi.domain.errors import DomainError
from fazhi.notifications.cli import notify_app

app = typer.Typer(
    help="Fazhi 法治 — 法治政府建设运行平台", no_args_is_help=True, pretty_exceptions_enable=False
)
calendar_app = typer.Typer(help="节假日与期限计算", no_args_is_help=True)
apikey_app = typer.Typer(help="外部系统接口密钥（Open311、平台转办）", no_args_is_help=True)
audit_app = typer.Typer(help="全过程记录校验", no_args_is_help=True)
app.add_typer(calendar_app, name="calendar")
app.add_typer(audit_app, name="audit")
app.add_typer(apikey_app, name="apikey")
app.add_typer(notify_app, name="notify")
out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 2) -> None:
    err.print(f"[red]错误：{message}[/red]")
    raise typer.Exit(code)


def platform() -> Platform:
    return Platform.create()


def _init(p: Platform) -> None:
    from fazhi.store.migrate import upgrade

    upgrade(p.engine)


@app.command()
def init() -> None:
    """创建或升级数据库结构。"""
    p = platform()
    _init(p)
    out.print(f"数据库已就绪：{p.engine.url.render_as_string(hide_password=True)}")


@app.command("load-org")
def load_org(path: Annotated[Path, typer.Argument(help="组织文件（fazhi-org/1 YAML）")]) -> None:
    """载入组织架构与账号（按编码幂等更新）。"""
    from fazhi.actions.org import load_org_into
    from fazhi.catalog.org_file import OrgFileError
    from fazhi.catalog.org_file import load_org as read_org
    from fazhi.store.db import transaction

    try:
        spec = read_org(path)
    except OrgFileError as exc:
        for problem in exc.problems:
            err.print(f"[red]- {problem}[/red]")
        fail(f"组织文件有 {len(exc.problems)} 处错误，未写入任何数据")
        return
    p = platform()
    _init(p)
    with transaction(p.sessions) as session:
        result = load_org_into(session, spec)
    p.forget_units()
    out.print(
        f"单位：新增 {result.units_created}，更新 {result.units_updated}；"
        f"账号：新增 {result.users_created}，更新 {result.users_updated}"
    )


@app.command()
def demo(
    orders: Annotated[int, typer.Option(help="2023年合成工单数")] = 3000,
    current: Annotated[int, typer.Option(help="近期在办的合成工单数")] = 120,
    seed: Annotated[int, typer.Option(help="随机种子")] = 2023,
) -> None:
    """载入石峰区演示组织和合成数据（已载入则跳过）。"""
    from fazhi.actions.org import load_org_into
    from fazhi.catalog.org_file import load_demo_org
    from fazhi.demo.generate import demo_loaded, generate
    from fazhi.store.db import transaction

    p = platform()
    _init(p)
    with transaction(p.sessions) as session:
        load_org_into(session, load_demo_org())
    p.forget_units()
    with p.sessions() as session:
        if demo_loaded(session, p.region_code):
            out.print("演示数据已存在，跳过生成。")
            return
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("生成合成工单", total=orders + current)
        made, recent = generate(
            p.sessions, p, orders, seed, current, lambda n: bar.advance(task, n)
        )
    out.print(f"已生成 2023 年合成工单 {made} 件、近期在办 {recent} 件（均为合成数据）。")


def print_logins() -> None:
    from fazhi.catalog.org_file import load_demo_org
    from fazhi.catalog.roles import default_roles

    roles = default_roles()
    table = Table(title="演示账号（合成数据，仅供演示）")
    for column in ("用户名", "密码", "角色", "单位"):
        table.add_column(column)
    spec = load_demo_org()
    for user in spec.users:
        table.add_row(
            user.username,
            user.password,
            "、".join(roles.label(r) for r in user.roles),
            spec.unit(user.unit_code).name,
        )
    out.print(table)


@app.command()
def logins() -> None:
    """列出演示账号。"""
    print_logins()


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    show_logins: Annotated[bool, typer.Option(help="启动前列出演示账号")] = False,
) -> None:
    """启动控制台与接口服务。"""
    import uvicorn

    from fazhi.bootstrap import create_app

    p = platform()
    _init(p)
    if show_logins:
        print_logins()
    out.print(f"控制台与接口：http://{host}:{port}/   接口文档：http://{host}:{port}/docs")
    uvicorn.run(create_app(p), host=host, port=port, log_level="warning")


def _acting_user(p: Platform, username: str | None, roles: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from fazhi.actions.auth import actor_for, roles_of
    from fazhi.store.models import User

    with p.sessions() as session:
        stmt = select(User).where(User.region_code == p.region_code, User.active.is_(True))
        if username:
            user = session.scalar(stmt.where(User.username == username))
        else:
            user = session.scalar(stmt.where(User.role.in_(roles)).order_by(User.id))
        if user is None:
            fail(f"找不到可用的账号 {username or '、'.join(roles)}")
        return actor_for(p, user, roles_of(session, user.id))  # type: ignore[arg-type]


def _importer(path: Path, as_user: str | None) -> tuple[Platform, Any]:
    """The platform and the acting operator for a file import."""
    if not path.exists():
        fail(f"文件不存在：{path}")
    p = platform()
    _init(p)
    return p, _acting_user(p, as_user, ("operator",))


def _run_batch(p: Platform, label: str, total: int, run: Callable[..., Any]) -> Any:
    """One all-or-nothing batch with a progress bar: committed only when every row is good."""
    session = p.sessions()
    transaction = session.begin()
    try:
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task(label, total=total)
            report = run(session, lambda n: bar.advance(task, n))
        if report.ok:
            transaction.commit()
        else:
            transaction.rollback()
    except DomainError as exc:
        transaction.rollback()
        fail(exc.message)
    finally:
        session.close()
    return report


def _fail_rows(rows: list[Any], total: int) -> None:
    for e in rows:
        # escape(): the field's brackets and the file's own text are not rich markup.
        line = (
            f"第 {e.line} 行（{e.external_id or '无编号'}）"
            f"{'[' + e.field + '] ' if e.field else ''}{e.message}"
        )
        err.print(f"[red]{escape(line)}[/red]")
    fail(f"{len(rows)} 处错误，本批 {total} 行均未导入")


@app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="工单文件（.csv 或 .xlsx）")],
    source: Annotated[str, typer.Option(help="来源平台标识，用于去重")] = "import",
    as_user: Annotated[
        str | None, typer.Option("--as", help="以哪个账号登记（默认第一个话务员）")
    ] = None,
) -> None:
    """导入12345工单：全部通过才写入；同一外部编号不会重复导入。"""
    from fazhi.actions.cases import ActionContext
    from fazhi.actions.imports import import_work_orders, read_rows

    p, actor = _importer(path, as_user)
    try:
        total = sum(1 for _ in read_rows(path))
    except DomainError as exc:
        fail(exc.message)
    report = _run_batch(
        p,
        "导入工单",
        total,
        lambda session, progress: import_work_orders(
            session, ActionContext(p, actor, p.now()), path, source, progress
        ),
    )
    if not report.ok:
        _fail_rows(report.errors, report.rows)
    out.print(f"共 {report.rows} 行：新建 {report.created}，已存在跳过 {report.skipped_existing}")


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="输出文件（.csv 或 .xlsx）")],
    type_: Annotated[str, typer.Option("--type", help="案件类型")] = "hotline",
    since: Annotated[str | None, typer.Option("--from", help="起始日期 2023-01-01")] = None,
    until: Annotated[str | None, typer.Option("--to", help="截止日期（不含）")] = None,
    as_user: Annotated[
        str | None, typer.Option("--as", help="以此账号导出（其可见范围；缺省为系统管理员）")
    ] = None,
) -> None:
    """导出案件（个人信息已脱敏；只含导出账号可见的案件）。"""
    from fazhi.read.export import export_cases

    p = platform()
    _init(p)
    actor = _acting_user(p, as_user, ("admin",))
    try:
        start = date.fromisoformat(since) if since else None
        end = date.fromisoformat(until) if until else None
        count = export_cases(p, path, type_, start, end, actor)
    except ValueError:
        fail("日期格式应为 2023-01-01")
    except DomainError as exc:
        fail(exc.message)
    out.print(f"已导出 {count} 件到 {path}")


@audit_app.command("verify")
def audit_verify() -> None:
    """校验每个案件的事件哈希链，指出第一个被改动的事件。"""
    from fazhi.store.audit import verify_all

    p = platform()
    _init(p)
    with p.sessions() as session:
        result = verify_all(session)
    if result.ok:
        out.print(f"校验通过：{result.cases} 个案件，{result.events} 条事件，哈希链完整。")
        return
    for case_id, broken in result.breaks:
        err.print(
            f"[red]案件 {case_id}：事件 {broken.event_id}（第 {broken.seq} 条）"
            f"{broken.reason}[/red]"
        )
    fail(f"校验失败：{len(result.breaks)} 个案件的记录链断裂", 1)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"日期格式应为 2023-09-28：{text}")
        raise


def _calendar() -> WorkCalendar:
    """The working calendar; a fresh install gets its (empty) override table first."""
    p = platform()
    _init(p)
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
    p = platform()
    _init(p)
    with transaction(p.sessions) as session:
        saved = save_arrangement(session, arrangement, f"{path.name}", datetime.now(UTC))
    out.print(f"已保存 {arrangement.year} 年的 {saved} 个调整日。")


@calendar_app.command("list")
def calendar_list() -> None:
    """列出已知年份与调整日。"""
    from fazhi.actions.calendar import list_overrides

    p = platform()
    _init(p)
    out.print("已知年份：" + "、".join(str(y) for y in sorted(p.calendar().known_years())))
    with p.sessions() as session:
        for row in list_overrides(session):
            label = "放假" if row.kind == "holiday" else "上班"
            out.print(f"{row.day.isoformat()} {label} {row.name}（{row.source}）")


@app.command("export-template")
def export_template(path: Annotated[Path, typer.Argument(help="输出 .csv 模板")]) -> None:
    """写出工单导入模板（表头与一行合成示例）。"""
    from fazhi.actions.imports import COLUMNS

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


@apikey_app.command("create")
def apikey_create(
    name: Annotated[str, typer.Argument(help="对方系统的名称，如 xiangyiban")],
    purpose: Annotated[str, typer.Option(help="open311 或 transfer")] = "open311",
) -> None:
    """签发一个接口密钥（只显示这一次）。"""
    from fazhi.actions.api_keys import issue_key
    from fazhi.store.db import transaction

    p = platform()
    _init(p)
    try:
        with transaction(p.sessions) as session:
            issued = issue_key(session, p, name, purpose, p.now())
    except DomainError as exc:
        fail(exc.message)
        return
    out.print(f"系统账号：{issued.username}")
    out.print(f"api_key（请妥善保存，不再显示）：{issued.key}", soft_wrap=True)


@apikey_app.command("revoke")
def apikey_revoke(name: str, purpose: str = "open311") -> None:
    """停用某系统的全部密钥。"""
    from fazhi.actions.api_keys import revoke_key
    from fazhi.store.db import transaction

    p = platform()
    _init(p)
    with transaction(p.sessions) as session:
        count = revoke_key(session, name, purpose)
    out.print(f"已停用 {count} 个密钥")


# --- transfers from other platforms (12315, 欠薪线索) ---------------------------------------

transfer_app = typer.Typer(help="其他平台转办（12315、欠薪线索）", no_args_is_help=True)
app.add_typer(transfer_app, name="transfer")
SourceOption = Annotated[str, typer.Option("--source", help="来源平台：12315 或 wage_clue")]


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
    from fazhi.actions.transfers import import_transfer_file, read_transfer_file

    p, actor = _importer(path, as_user)
    try:
        total = len(read_transfer_file(path, source))
    except DomainError as exc:
        fail(exc.message)
    report = _run_batch(
        p,
        "导入转办",
        total,
        lambda session, progress: import_transfer_file(
            session, ActionContext(p, actor, p.now()), path, source, progress
        ),
    )
    if not report.ok:
        _fail_rows(report.rejected, report.rows)
    out.print(
        f"共 {report.rows} 行：新建 {report.created}，更新 {report.updated}，"
        f"未变 {report.unchanged}，拒绝 0"
    )


@transfer_app.command("template")
def transfer_template(
    path: Annotated[Path, typer.Argument(help="输出 .csv 模板")], source: SourceOption
) -> None:
    """写出某来源平台的转办模板（表头与一行合成示例）。"""
    from fazhi.actions.transfers import template_rows

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


# ---------------------------------------------------------------------------------------------
# 统计汇总表 (rollups): analytics rebuild

analytics_app = typer.Typer(help="统计汇总表（热点、难点、趋势、单位绩效）", no_args_is_help=True)
app.add_typer(analytics_app, name="analytics")


@analytics_app.command("rebuild")
def analytics_rebuild() -> None:
    """由事件记录重算统计汇总表 rollup_daily（用于已有数据库；平时由各操作实时维护）。"""
    from time import perf_counter

    from fazhi.actions.rollups import do_rebuild_rollups
    from fazhi.store.db import transaction

    p = platform()
    _init(p)
    started = perf_counter()
    with transaction(p.sessions) as session:
        events = do_rebuild_rollups(session, p)
    out.print(f"已由 {events} 条事件重算汇总表，用时 {perf_counter() - started:.1f} 秒。")


# ---------------------------------------------------------------------------------------------
# 派单建议 (dispatch suggestion): suggest, train, models

route_app = typer.Typer(help="派单建议模型（分类与承办单位推荐）", no_args_is_help=True)
app.add_typer(route_app, name="route")


@route_app.command("suggest")
def route_suggest(
    input_file: Annotated[
        Path, typer.Option("--input", help="每行一条诉求内容的文本文件（UTF-8）；- 为标准输入")
    ],
    k: Annotated[int, typer.Option("--k", min=1, max=24, help="每条返回的候选分类数")] = 3,
) -> None:
    """逐行输出 JSON：{line, text, candidates: [{category, unit, score}]}，顺序与输入一致。"""
    import orjson

    from fazhi.routing.suggest import current_suggester
    from fazhi.routing.suggestion import category_labels, lead_unit

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
    from fazhi.routing.suggest import category_counts, train_cold_start, train_from_orders
    from fazhi.routing.suggest import list_versions as versions_of
    from fazhi.routing.suggestion import closed_order_examples

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
    from fazhi.routing.suggest import list_versions as versions_of
    from fazhi.routing.suggest import models_dir

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


if __name__ == "__main__":
    app()
