"""Setting up and running a deployment: init, load-org, demo, logins, serve."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from fazhi.bootstrap import TYPE_PACKAGES
from fazhi.cli.app import app
from fazhi.terminal import err, fail, out, ready_platform

demo_app = typer.Typer(help="演示数据：石峰区演示（默认）与合成城市（generate）")
app.add_typer(demo_app, name="demo")


@app.command()
def init() -> None:
    """创建或升级数据库结构。"""
    p = ready_platform()
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
    p = ready_platform()
    with transaction(p.sessions) as session:
        result = load_org_into(session, spec)
    p.forget_units()
    out.print(
        f"单位：新增 {result.units_created}，更新 {result.units_updated}；"
        f"账号：新增 {result.users_created}，更新 {result.users_updated}"
    )


@demo_app.callback(invoke_without_command=True)
def demo(
    ctx: typer.Context,
    orders: Annotated[int, typer.Option(help="2023年合成工单数")] = 3000,
    current: Annotated[int, typer.Option(help="近期在办的合成工单数")] = 120,
    seed: Annotated[int, typer.Option(help="随机种子")] = 2023,
    only: Annotated[
        str,
        typer.Option(
            help="只生成这些业务模块的合成数据（逗号分隔，如 hotline,enforcement）；默认全部"
        ),
    ] = "",
) -> None:
    """载入石峰区演示组织和各案件类型的合成数据（已载入则跳过）；demo generate 生成合成城市。"""
    if ctx.invoked_subcommand is not None:
        return
    from fazhi.actions.org import load_org_into
    from fazhi.catalog.org_file import load_demo_org
    from fazhi.store.db import transaction

    # The packages with demo data (the annual report has none of its own).
    names = [
        getattr(package, "NAME", "")
        for package in TYPE_PACKAGES
        if getattr(package, "generate_demo", None) is not None
    ]
    wanted = {n.strip() for n in only.split(",") if n.strip()} or set(names)
    unknown = sorted(wanted - set(names))
    if unknown:
        fail(f"未知的业务模块：{'、'.join(unknown)}（可选：{'、'.join(names)}）")
    p = ready_platform()
    with transaction(p.sessions) as session:
        load_org_into(session, load_demo_org())
    p.forget_units()
    for package in TYPE_PACKAGES:
        generate = getattr(package, "generate_demo", None)
        if generate is None or getattr(package, "NAME", "") not in wanted:
            continue
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task("生成合成数据", total=orders + current)
            message = generate(p, orders, current, seed, lambda n, t=task: bar.advance(t, n))
        out.print(message)
    if not only.strip():
        # The figures other systems report (service hall, 好差评, registrations …), imported
        # through their templates: the whole demo only, as they stand beside every type's.
        from fazhi.actions.demo_figures import seed_figures

        out.print(seed_figures(p) or "其他系统报送的演示数据已存在，跳过。")


@demo_app.command("generate")
def demo_generate(
    orders: Annotated[int, typer.Option(help="合成工单总数（分布到各合成区）")] = 10_000,
    districts: Annotated[int, typer.Option(help="合成区个数（1–99）")] = 1,
    seed: Annotated[int, typer.Option(help="随机种子")] = 2026,
    years: Annotated[int, typer.Option(help="历史年数（截至今天）")] = 5,
) -> None:
    """批量生成合成城市：若干合成区（仿石峰区组织）及多年合成工单，用于规模测试。"""
    import time

    from fazhi.actions.org import load_org_into
    from fazhi.catalog.city import MAX_DISTRICTS, synthetic_district
    from fazhi.catalog.org_file import load_demo_org
    from fazhi.store.db import transaction

    if not 1 <= districts <= MAX_DISTRICTS:
        fail(f"合成区个数须在 1–{MAX_DISTRICTS} 之间")
    if orders < 0 or not 1 <= years <= 20:
        fail("工单数不能为负，历史年数须在 1–20 之间")
    p = ready_platform()
    demo = load_demo_org()
    specs = [synthetic_district(demo, k) for k in range(1, districts + 1)]
    with transaction(p.sessions) as session:
        for spec in specs:
            load_org_into(session, spec)
    p.forget_units()
    counts = split_orders(orders, [s.region_code for s in specs], random.Random(seed))
    for package in TYPE_PACKAGES:
        generate = getattr(package, "generate_city", None)
        if generate is None:
            continue
        started, cpu = time.perf_counter(), time.process_time()
        with _city_progress() as bar:
            task = bar.add_task("批量生成合成工单", total=orders)
            message = generate(p, counts, seed, years, lambda n, t=task: bar.advance(t, n))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        out.print(message)
        rate = orders / seconds if seconds > 0 else 0.0
        # CPU time too: on a shared machine wall time says more about the neighbours.
        per_cpu = orders / cpu if cpu > 0 else 0.0
        out.print(
            f"用时 {seconds:.1f} 秒，约 {rate:,.0f} 件/秒"
            f"（本进程 CPU {cpu:.1f} 秒，约 {per_cpu:,.0f} 件/CPU秒）"
        )
    names = "、".join(f"{s.units[0].name}（{s.region_code}）" for s in specs[:5])
    more = f" 等 {len(specs)} 个" if len(specs) > 5 else ""
    out.print(f"合成区：{names}{more}；登录名前缀 c01. 起，密码同演示账号")


def split_orders(orders: int, regions: list[str], rng: random.Random) -> dict[str, int]:
    """`orders` over the districts, each with its own size (districts differ: 0.5–1.5×)."""
    weights = [rng.uniform(0.5, 1.5) for _ in regions]
    total = sum(weights)
    counts = [int(orders * w / total) for w in weights]
    for i in range(orders - sum(counts)):
        counts[i % len(counts)] += 1
    return dict(zip(regions, counts, strict=True))


class _RateColumn(ProgressColumn):
    """Orders per second, as rich measures the task's speed."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} 件/秒" if speed else "", style="progress.data.speed")


def _city_progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
    )


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
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="服务进程数（共用一个端口；一般取 CPU 核数）")
    ] = 1,
    show_logins: Annotated[bool, typer.Option(help="启动前列出演示账号")] = False,
) -> None:
    """启动控制台与接口服务。"""
    from fazhi.actions.passwords import PROFILE, PROFILE_VARIABLE
    from fazhi.actions.platform import Platform
    from fazhi.bootstrap import create_app
    from fazhi.cli.serving import serve_processes

    p = ready_platform()
    if PROFILE != "standard":
        warning = f"警告：{PROFILE_VARIABLE}={PROFILE}，密码哈希强度仅供测试，切勿用于生产"
        out.print(f"[bold red]{warning}[/]")
    if show_logins:
        print_logins()
    # Each worker opens its own connections (after the fork, for several).
    p.engine.dispose()

    def make_app() -> object:
        platform = Platform.create()
        platform.watch_caches()
        return create_app(platform)

    out.print(f"控制台与接口：http://{host}:{port}/   接口文档：http://{host}:{port}/docs")
    if workers > 1:
        out.print(f"服务进程：{workers} 个")
    serve_processes(host, port, workers, make_app)
