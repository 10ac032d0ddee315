"""The `fazhi` command's Typer apps: the engine's commands register on them, type packages
add theirs (`register_cli`)."""

from __future__ import annotations

import typer

from fazhi.notifications.cli import notify_app
from fazhi.types_cli import app as types_app

app = typer.Typer(
    help="Fazhi 法治 — 法治政府建设运行平台", no_args_is_help=True, pretty_exceptions_enable=False
)
calendar_app = typer.Typer(help="节假日与期限计算", no_args_is_help=True)
apikey_app = typer.Typer(help="外部系统接口密钥（Open311、平台转办）", no_args_is_help=True)
audit_app = typer.Typer(help="全过程记录校验", no_args_is_help=True)
schedule_app = typer.Typer(help="定时任务（周期时限、定时规则）", no_args_is_help=True)
analytics_app = typer.Typer(help="统计汇总表（按案件类型定义的指标）", no_args_is_help=True)
trail_app = typer.Typer(help="全过程记录：锚点与校验", no_args_is_help=True)
retention_app = typer.Typer(help="个人信息保存期限（到期匿名化）", no_args_is_help=True)
shards_app = typer.Typer(help="按地区分区与分片（PostgreSQL、postgres_fdw）", no_args_is_help=True)
app.add_typer(calendar_app, name="calendar")
app.add_typer(trail_app, name="trail")
app.add_typer(retention_app, name="retention")
app.add_typer(audit_app, name="audit")
app.add_typer(apikey_app, name="apikey")
app.add_typer(notify_app, name="notify")
app.add_typer(analytics_app, name="analytics")
app.add_typer(schedule_app, name="schedule")
app.add_typer(types_app, name="types")
app.add_typer(shards_app, name="shards")
