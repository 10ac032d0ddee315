"""分片: the case tables partitioned by region on PostgreSQL, and a region's partitions
placed on another PostgreSQL server through postgres_fdw (fazhi.store.shards,
docs/scaling.md)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from fazhi.cli.app import shards_app
from fazhi.settings import Settings
from fazhi.terminal import fail, out

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _engine() -> Engine:
    from fazhi.store.db import make_engine

    return make_engine(Settings().database_url)


@shards_app.command("partition")
def shards_partition() -> None:
    """把案件表改为按地区代码分区（LIST region_code），原表成为默认分区；可重复执行。"""
    from fazhi.store.shards import ShardError, partition_case_tables

    try:
        done = partition_case_tables(_engine())
    except ShardError as exc:
        fail(str(exc))
    if done:
        out.print(f"已按地区分区：{'、'.join(done)}。")
    else:
        out.print("案件表已经按地区分区，无需再做。")


@shards_app.command("attach")
def shards_attach(
    region: Annotated[str, typer.Option("--region", help="地区代码（6 位，GB/T 2260）")],
    host: Annotated[str, typer.Option("--host", help="分片服务器地址")],
    dbname: Annotated[str, typer.Option("--dbname", help="分片服务器上的数据库名")],
    port: Annotated[int, typer.Option("--port", help="分片服务器端口")] = 5432,
    user: Annotated[str, typer.Option("--user", help="连接分片服务器的账号")] = "fazhi",
) -> None:
    """把一个地区的案件表放到另一台 PostgreSQL（postgres_fdw 外部表分区）：在分片上建表、
    迁移该地区已有数据、挂为该地区的分区。密码取自环境变量 FAZHI_SHARD_PASSWORD。请先停止服务。"""
    from fazhi.store.shards import ShardError, ShardServer, attach_shard

    shard = ShardServer(host, port, dbname, user, os.environ.get("FAZHI_SHARD_PASSWORD", ""))
    try:
        moved = attach_shard(_engine(), region, shard)
    except ShardError as exc:
        fail(str(exc))
    rows = "，".join(f"{table} {n} 行" for table, n in moved.items())
    out.print(f"地区 {region} 已放到 {host}:{port}/{dbname}：迁移 {rows}。")


@shards_app.command("list")
def shards_list() -> None:
    """列出案件表的各分区：地区与所在服务器（默认分区在本库）。"""
    from fazhi.store.shards import ShardError, placements

    try:
        found = placements(_engine())
    except ShardError as exc:
        fail(str(exc))
    if not found:
        out.print("案件表尚未分区（fazhi shards partition）。")
    for p in found:
        where = f"分片服务器 {p.server}" if p.server else "本库"
        out.print(f"{p.table}\t{p.region or '默认'}\t{p.partition}\t{where}")
