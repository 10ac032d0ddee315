"""Database engines and sessions for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_SQLITE = "var/fazhi.db"


def default_url() -> str:
    url = os.environ.get("FAZHI_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{Path(DEFAULT_SQLITE).resolve()}"


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while one writer commits; NORMAL sync is durable at checkpoints
    # and is the documented pairing for WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    # Let SQLAlchemy say when transactions begin (see _sqlite_begin): the driver's own
    # implicit BEGIN comes only before the first write, so a SAVEPOINT taken earlier would
    # open the transaction itself and its RELEASE would commit everything done so far.
    dbapi_connection.isolation_level = None


# Per thread: should its next transaction take SQLite's write lock at BEGIN?
_immediate = threading.local()


def begin_immediately() -> None:
    """Make this thread's next SQLite transaction BEGIN IMMEDIATE (Platform.writing).

    A deferred transaction that reads first and writes later cannot wait for another
    process's writer: SQLite refuses its upgrade at once (SQLITE_BUSY, its snapshot is
    stale) instead of calling the busy handler. Taking the write lock at BEGIN waits for it
    (busy_timeout), which is what lets several server processes share one database file.
    Only the next transaction: a read the writer opens meanwhile in a session of its own
    (the unit directory loading) must not wait for the writer's own lock."""
    _immediate.armed = True


def disarm_immediate() -> None:
    _immediate.armed = False


def _sqlite_begin(connection: Any) -> None:
    if getattr(_immediate, "armed", False):
        _immediate.armed = False
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def make_engine(url: str | None = None) -> Engine:
    url = normalise_url(url or default_url())
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            pool_size=8,
            max_overflow=8,
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        pool_size=10,
        max_overflow=10,
        pool_pre_ping=True,
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
    )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error."""
    with factory() as session, session.begin():
        yield session
