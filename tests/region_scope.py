"""The multi-district rule, read from SQL: every statement that touches a tenant-scoped table
(one with a `region_code` column — decided from the models, so a new table joins the rule by
having one) names its region for each such table it reads or writes:

- `SELECT … FROM t` / `JOIN t` / `UPDATE t` / `DELETE FROM t`: a condition on
  `t.region_code` (or on the alias's): `= ?`, `IN (…)`, or a join `= other.region_code`;
- `INSERT INTO t (…)`: the row carries `region_code`.

This is what lets PostgreSQL prune region partitions and Citus route a statement to one
shard (docs/scaling.md), and what keeps one district from reading another's rows."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine

from fazhi.store.models import Base


def tenant_tables() -> frozenset[str]:
    """Every table with a region_code column (the engine's and every type package's)."""
    import fazhi.bootstrap  # noqa: F401  (imports every type package's models)

    return frozenset(t.name for t in Base.metadata.tables.values() if "region_code" in t.c)


_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+\"?(\w+)\"?\s*\(([^)]*)\)", re.I | re.S)
# A table in a FROM list, a JOIN, or the target of UPDATE / DELETE, with its alias if any.
_TABLE = re.compile(
    r"(?:\bFROM|\bJOIN|\bUPDATE|,)\s+\"?(\w+)\"?(?!\s*\.)(?:\s+AS\s+\"?(\w+)\"?)?", re.I
)


def _scoped(sql: str, name: str, only_table: bool) -> bool:
    qualified = re.compile(
        rf"(?<![\w.]){name}\.region_code\s*(?:=|IN\b|IS\b)|=\s*{name}\.region_code\b", re.I
    )
    if qualified.search(sql):
        return True
    # Hand-written SQL may leave the column unqualified when one tenant table is named.
    return only_table and re.search(r"(?<![\w.])region_code\s*(?:=|IN\b)", sql, re.I) is not None


def unscoped_tables(sql: str, tenant: frozenset[str]) -> list[str]:
    """The tenant tables `sql` touches without naming their region (empty: it obeys)."""
    rest = sql
    missing: list[str] = []
    insert = _INSERT.match(sql)
    if insert:
        table, columns = insert.group(1), insert.group(2)
        if table in tenant and "region_code" not in re.split(r"[\s,\"]+", columns):
            missing.append(table)
        # INSERT … SELECT: the SELECT obeys the rule too; VALUES has no tables.
        rest = sql[insert.end() :]
        if not re.search(r"\bSELECT\b", rest, re.I):
            return missing
    found = [(m.group(1), m.group(2) or m.group(1)) for m in _TABLE.finditer(rest)]
    named = [(t, alias) for t, alias in found if t in tenant]
    for table, alias in named:
        if not _scoped(rest, alias, len(named) == 1):
            missing.append(table if alias == table else f"{table} AS {alias}")
    return missing


@dataclass
class Captured:
    """Statements run on an engine, each with the step of the tour that ran it."""

    step: str = "set-up"
    # (step, statement, the fazhi line that ran it)
    statements: list[tuple[str, str, str]] = field(default_factory=list)

    def violations(self, tenant: frozenset[str]) -> dict[str, tuple[str, str, list[str]]]:
        """Distinct offending statements → (the first step that ran it, the fazhi line that
        sent it, its unscoped tables)."""
        out: dict[str, tuple[str, str, list[str]]] = {}
        for step, sql, where in self.statements:
            if sql in out:
                continue
            missing = unscoped_tables(sql, tenant)
            if missing:
                out[sql] = (step, where, missing)
        return out


def _caller() -> str:
    """The innermost line of fazhi's own code outside the store's plumbing."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if "/fazhi/" in name and "/fazhi/store/db" not in name and "/site-packages/" not in name:
            return f"{name.split('/fazhi/', 1)[1]}:{frame.f_lineno}"
        frame = frame.f_back  # type: ignore[assignment]
    return "?"


@contextmanager
def capturing(engine: Engine) -> Iterator[Captured]:
    """Record every statement the engine sends (SQLAlchemy's before_cursor_execute)."""
    captured = Captured()

    def record(conn: object, cursor: object, sql: str, *args: object) -> None:
        captured.statements.append((captured.step, " ".join(sql.split()), _caller()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield captured
    finally:
        event.remove(engine, "before_cursor_execute", record)
