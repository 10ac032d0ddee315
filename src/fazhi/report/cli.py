"""`fazhi report annual --year 2023 [--output DIR] [--format docx|pdf|html|md] [--values FILE]
[--base-url URL]`: the year's draft as files (every format unless one is named), as the
platform's own account drafts it: the registered indicator sources, the values file if given
(its format in docs/data-formats.md), the narrative blocks and the findings; with the
console's address the HTML's and PDF's ledger links are absolute."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

report_app = typer.Typer(help="法治政府建设年度报告", no_args_is_help=True)


@report_app.command("annual")
def annual(
    year: Annotated[int, typer.Option("--year", help="报告年度，如 2023")],
    output: Annotated[Path, typer.Option("--output", help="输出目录")] = Path("."),
    fmt: Annotated[
        str | None, typer.Option("--format", help="docx、pdf、html 或 md；不填则全部输出")
    ] = None,
    values: Annotated[
        Path | None, typer.Option("--values", help="指标数值文件（JSON），见 data-formats")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="控制台地址（如 http://fazhi.example/），台账链接据此写全"),
    ] = None,
) -> None:
    """起草法治政府建设年度报告（默认输出 docx、pdf、html、md 四种格式）。"""
    from fazhi.actions.context import ActionContext
    from fazhi.actions.system_account import system_actor
    from fazhi.domain.errors import DomainError
    from fazhi.report.build import gather, write_all
    from fazhi.report.narratives import check_year
    from fazhi.report.values import values_from_json
    from fazhi.report.writers import FORMATS
    from fazhi.store.db import transaction
    from fazhi.terminal import fail, init_database, out, platform

    if fmt is not None and fmt not in FORMATS:
        fail(f"格式应为 {'、'.join(FORMATS)} 之一")
    try:
        chosen = check_year(year)
        given = values_from_json(values, chosen) if values is not None else {}
        p = platform()
        init_database(p)
        ctx = ActionContext(p, system_actor(p), p.now())
        with transaction(p.sessions) as session:
            draft = gather(session, ctx, chosen, given)
    except DomainError as exc:
        fail(exc.message)
    try:
        written = write_all(draft, output, (fmt,) if fmt else FORMATS, base_url)
    except OSError as exc:
        fail(f"无法写入 {output}：{exc}")
    for path in written:
        out.print(f"已写入 {path}")
    if draft.missing:
        out.print(f"{len(draft.missing)} 项指标暂无数值，相关语句未写入。")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
