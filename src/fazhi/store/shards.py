"""Past one machine on PostgreSQL: the case tables partitioned by region, and a region's
partitions placed on another PostgreSQL server through postgres_fdw (docs/scaling.md).

`partition_case_tables` turns each case table (`cases` and the rows that hang on a case,
all of which carry `region_code` since migration 0033) into a table partitioned by
LIST (region_code) whose DEFAULT partition is the old table, rows and indexes kept.
`attach_shard` then creates a region's tables on a shard server, copies the region's rows
there, and attaches them as foreign-table partitions: the platform keeps reading and writing
`cases`, `events`, … on the coordinator, and PostgreSQL routes each statement by its
`region_code` (every tenant-scoped statement names it: tests/test_region_scope.py).

What the layout gives up, and why: a partitioned table with foreign partitions can hold no
unique index or foreign key of its own, so the coordinator drops the foreign keys into and
out of the case tables; each shard keeps the primary keys and unique constraints of its
own tables (an event's (case_id, seq) stays unique there), ids stay unique through the
coordinator's sequences, and the one door (fazhi.actions) keeps the references. Only the
database owner runs this, once per region, with the servers stopped."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Connection, Engine, text

# Every table whose rows belong to one case, the case table first.
CASE_TABLES = ("cases", "case_units", "case_access", "clocks", "events", "documents", "case_links")
REGION = re.compile(r"^\d{6}$")


class ShardError(Exception):
    """A refusal of the shard commands, in Chinese for the operator."""


@dataclass(frozen=True)
class ShardServer:
    """Where a region's partitions live: a PostgreSQL database reachable from the
    coordinator (and from this command, which creates the tables there)."""

    host: str
    port: int
    dbname: str
    user: str
    password: str = ""

    def conninfo(self) -> str:
        return psycopg.conninfo.make_conninfo(
            host=self.host,
            port=self.port,
            dbname=self.dbname,
            user=self.user,
            password=self.password or None,
        )


@dataclass(frozen=True)
class Placement:
    """One partition of a case table: a region (None: the default partition) and where."""

    table: str
    partition: str
    region: str | None
    server: str | None  # the foreign server's name; None for a local partition


def default_partition(table: str) -> str:
    return f"{table}_default"


def region_partition(table: str, region: str) -> str:
    return f"{table}_{region}"


def server_name(region: str) -> str:
    return f"shard_{region}"


def _require_postgresql(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        raise ShardError("按地区分区与分片只适用于 PostgreSQL 数据库")


def _is_partitioned(conn: Connection, table: str) -> bool:
    return bool(
        conn.scalar(
            text(
                "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
                "WHERE c.relname = :t AND c.relnamespace = 'public'::regnamespace"
            ),
            {"t": table},
        )
    )


def _foreign_keys(conn: Connection, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """(table, constraint) of every foreign key on or into the tables."""
    rows = conn.execute(
        text(
            "SELECT DISTINCT c.conrelid::regclass::text, c.conname FROM pg_constraint c "
            "WHERE c.contype = 'f' AND (c.conrelid::regclass::text = ANY(:t) "
            "OR c.confrelid::regclass::text = ANY(:t))"
        ),
        {"t": list(tables)},
    )
    return [(str(t), str(n)) for t, n in rows]


def partition_case_tables(engine: Engine) -> list[str]:
    """Partition each case table by LIST (region_code), the existing table becoming its
    DEFAULT partition (rows, indexes and sequences kept). Returns the tables converted now
    (none when already done)."""
    _require_postgresql(engine)
    done: list[str] = []
    with engine.begin() as conn:
        todo = tuple(t for t in CASE_TABLES if not _is_partitioned(conn, t))
        if not todo:
            return done
        for table, constraint in _foreign_keys(conn, CASE_TABLES):
            conn.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"'))
        for table in todo:
            local = default_partition(table)
            conn.execute(text(f'ALTER TABLE "{table}" RENAME TO "{local}"'))
            conn.execute(
                text(
                    f'CREATE TABLE "{table}" (LIKE "{local}" INCLUDING DEFAULTS) '
                    "PARTITION BY LIST (region_code)"
                )
            )
            conn.execute(text(f'ALTER TABLE "{table}" ATTACH PARTITION "{local}" DEFAULT'))
            done.append(table)
    return done


def _columns(conn: Connection, table: str) -> list[tuple[str, str, bool]]:
    """(name, type as PostgreSQL writes it, not null) of the table's columns, in order."""
    rows = conn.execute(
        text(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull "
            "FROM pg_attribute a WHERE a.attrelid = CAST(:t AS regclass) AND a.attnum > 0 "
            "AND NOT a.attisdropped ORDER BY a.attnum"
        ),
        {"t": table},
    )
    return [(str(n), str(t), bool(nn)) for n, t, nn in rows]


def _shard_ddl(conn: Connection, table: str) -> list[str]:
    """The statements that create `table` on a shard as the coordinator's default
    partition has it: the same columns and types, its primary key and unique constraints
    and its indexes. No serial defaults: ids come from the coordinator's sequences."""
    local = default_partition(table)
    columns = ", ".join(
        f'"{name}" {kind}{" NOT NULL" if not_null else ""}'
        for name, kind, not_null in _columns(conn, local)
    )
    ddl = [f'CREATE TABLE IF NOT EXISTS public."{table}" ({columns})']
    constraints = conn.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = CAST(:t AS regclass) AND contype IN ('p', 'u') ORDER BY conname"
        ),
        {"t": local},
    )
    ddl += [
        f'ALTER TABLE public."{table}" ADD CONSTRAINT "{name}" {definition}'
        for name, definition in constraints
    ]
    # Indexes that back no constraint (the worklist's, the trail's), renamed to the table.
    indexes = conn.execute(
        text(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = CAST(:t AS regclass) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1"
        ),
        {"t": local},
    )
    for (definition,) in indexes:
        create = definition.replace(f"ON public.{local} ", f'ON public."{table}" ', 1)
        create = create.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
        ddl.append(create.replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1))
    return ddl


def _create_on_shard(shard: ShardServer, statements: list[str]) -> None:
    try:
        with psycopg.connect(shard.conninfo(), connect_timeout=10) as remote:
            for statement in statements:
                remote.execute(statement.encode())
    except psycopg.OperationalError as exc:
        raise ShardError(f"无法连接分片服务器 {shard.host}:{shard.port}：{exc}") from exc


def attach_shard(engine: Engine, region: str, shard: ShardServer) -> dict[str, int]:
    """Place `region`'s case tables on `shard`: create them there, move the region's rows
    from the default partitions, and attach the shard's tables as the region's foreign
    partitions. Returns the rows moved per table. Partitions the case tables first when
    that was not done yet."""
    if not REGION.match(region):
        raise ShardError(f"地区代码应为 6 位数字（GB/T 2260）：{region!r}")
    _require_postgresql(engine)
    partition_case_tables(engine)
    server = server_name(region)
    with engine.connect() as conn:
        if conn.scalar(
            text(
                "SELECT 1 FROM pg_foreign_table f JOIN pg_class c ON c.oid = f.ftrelid "
                "WHERE c.relname = :p"
            ),
            {"p": region_partition("cases", region)},
        ):
            raise ShardError(f"地区 {region} 已放在分片服务器上")
        ddl = [s for table in CASE_TABLES for s in _shard_ddl(conn, table)]
    _create_on_shard(shard, ddl)
    moved: dict[str, int] = {}
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgres_fdw"))
        options = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(k), sql.Literal(v))
            for k, v in (
                ("host", shard.host),
                ("port", str(shard.port)),
                ("dbname", shard.dbname),
                # A city-wide query scans the shards at once, not one after the other.
                ("async_capable", "true"),
                ("fetch_size", "1000"),
            )
        )
        raw = conn.connection.driver_connection
        assert raw is not None
        cursor = raw.cursor()
        cursor.execute(
            sql.SQL(
                "CREATE SERVER IF NOT EXISTS {} FOREIGN DATA WRAPPER postgres_fdw OPTIONS ({})"
            ).format(sql.Identifier(server), options)
        )
        mapping = [("user", shard.user)] + (
            [("password", shard.password)] if shard.password else []
        )
        cursor.execute(
            sql.SQL(
                "CREATE USER MAPPING IF NOT EXISTS FOR CURRENT_USER SERVER {} OPTIONS ({})"
            ).format(
                sql.Identifier(server),
                sql.SQL(", ").join(
                    sql.SQL("{} {}").format(sql.Identifier(k), sql.Literal(v)) for k, v in mapping
                ),
            )
        )
        for table in CASE_TABLES:
            moved[table] = _move_region(conn, cursor, table, region, server)
    return moved


def _move_region(
    conn: Connection, cursor: psycopg.Cursor[Any], table: str, region: str, server: str
) -> int:
    """Create the region's foreign partition of `table`, copy the region's rows into it
    from the default partition, delete them there, and attach the foreign table."""
    local = default_partition(table)
    foreign = region_partition(table, region)
    columns = _columns(conn, local)
    definition = sql.SQL(", ").join(
        sql.SQL("{} {}{}").format(
            sql.Identifier(name), sql.SQL(kind), sql.SQL(" NOT NULL" if not_null else "")
        )
        for name, kind, not_null in columns
    )
    cursor.execute(
        sql.SQL(
            "CREATE FOREIGN TABLE {} ({}) SERVER {} OPTIONS (schema_name 'public', table_name {})"
        ).format(sql.Identifier(foreign), definition, sql.Identifier(server), sql.Literal(table))
    )
    names = sql.SQL(", ").join(sql.Identifier(name) for name, _, _ in columns)
    cursor.execute(
        sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} WHERE region_code = {}").format(
            sql.Identifier(foreign), names, names, sql.Identifier(local), sql.Literal(region)
        )
    )
    count = cursor.rowcount
    cursor.execute(
        sql.SQL("DELETE FROM {} WHERE region_code = {}").format(
            sql.Identifier(local), sql.Literal(region)
        )
    )
    cursor.execute(
        sql.SQL("ALTER TABLE {} ATTACH PARTITION {} FOR VALUES IN ({})").format(
            sql.Identifier(table), sql.Identifier(foreign), sql.Literal(region)
        )
    )
    return count


def placements(engine: Engine) -> list[Placement]:
    """Every partition of the case tables: its region (None for DEFAULT) and its server."""
    _require_postgresql(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT parent.relname, child.relname, pg_get_expr(child.relpartbound, child.oid),"
                " s.srvname FROM pg_inherits i"
                " JOIN pg_class parent ON parent.oid = i.inhparent"
                " JOIN pg_class child ON child.oid = i.inhrelid"
                " LEFT JOIN pg_foreign_table f ON f.ftrelid = child.oid"
                " LEFT JOIN pg_foreign_server s ON s.oid = f.ftserver"
                " WHERE parent.relname = ANY(:t) ORDER BY 1, 2"
            ),
            {"t": list(CASE_TABLES)},
        )
        out = []
        for table, partition, bound, server in rows:
            found = re.search(r"IN \('(\d{6})'\)", str(bound))
            out.append(
                Placement(
                    str(table),
                    str(partition),
                    found.group(1) if found else None,
                    str(server) if server else None,
                )
            )
    return out
