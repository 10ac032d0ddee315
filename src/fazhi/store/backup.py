"""Backup and restore: one .tar holding the database, the server secret, the dispatch models
and a manifest (version, time, migration, rows per table, SHA-256 of every member).

The database is copied consistently while the server runs: SQLite through its online backup
API (one step, a read snapshot; writers are not blocked under WAL), PostgreSQL by `pg_dump -Fc`
on a snapshot exported from a repeatable-read transaction, in which the rows are counted
too, so the manifest's counts describe exactly what the dump holds. Documents are rows of
the database and come with it. The secret keys the trail's seals: without it a restored
trail could not be verified, so it travels in the archive (keep archives as secret as the
key itself).

A restore checks every member's hash, refuses a database that already holds users or cases
unless forced, loads the dump, then checks the rows per table against the manifest and
every case's hash chain.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Connection, Engine, inspect, text

from fazhi import __version__
from fazhi.store.audit import verify_all
from fazhi.store.db import make_engine, normalise_url, session_factory
from fazhi.store.secret import load_or_create_secret

FORMAT = "fazhi-backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite"
PG_MEMBER = "database.pgdump"
SECRET_MEMBER = "secret.key"
MODELS_PREFIX = "models/"
# Tables whose rows make a database "in use": restoring over it needs --force.
IN_USE_TABLES = ("users", "cases")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    counts: dict[str, int]
    cases: int
    events: int


# ---------------------------------------------------------------------------------------------
# Shared


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _counts(conn: Connection) -> dict[str, int]:
    names = sorted(n for n in inspect(conn).get_table_names() if not n.startswith("sqlite_"))
    return {n: int(conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one()) for n in names}


def _revision(conn: Connection) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(value) if value is not None else None


def pg_tool(name: str) -> str:
    """Debian's newest PostgreSQL client binary (as scripts/pg-test-cluster.sh finds the
    server's), else the one on PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_major)
    if found:
        return str(found[-1])
    on_path = shutil.which(name)
    if on_path is None:
        raise BackupError(f"找不到 PostgreSQL 工具 {name}（请安装 postgresql-client）")
    return on_path


def _major(path: Path) -> tuple[int, ...]:
    version = path.parent.parent.name
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def _libpq_url(engine: Engine) -> str:
    """The URL as libpq reads it (no SQLAlchemy driver name)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} 执行失败：{done.stderr.strip()[:2000]}")


# ---------------------------------------------------------------------------------------------
# Backup


def backup(
    url: str, archive: Path, secret_file: Path, models_dir: Path | None = None
) -> dict[str, Any]:
    """Write the archive (atomically: a partial file never has the final name); return its
    manifest."""
    engine = make_engine(normalise_url(url))
    try:
        with tempfile.TemporaryDirectory(prefix="fazhi-backup-") as work:
            folder = Path(work)
            if engine.dialect.name == "sqlite":
                member, counts, revision = _dump_sqlite(engine, folder / SQLITE_MEMBER)
            else:
                member, counts, revision = _dump_postgres(engine, folder / PG_MEMBER)
            members: dict[str, Path] = {member: folder / member}
            if not secret_file.is_file():
                raise BackupError(f"找不到服务器密钥文件 {secret_file}")
            members[SECRET_MEMBER] = secret_file
            if models_dir is not None and models_dir.is_dir():
                for path in sorted(p for p in models_dir.rglob("*") if p.is_file()):
                    members[MODELS_PREFIX + path.relative_to(models_dir).as_posix()] = path
            manifest = {
                "format": FORMAT,
                "version": __version__,
                "created_at": datetime.now(UTC).isoformat(),
                "database": engine.dialect.name,
                "alembic_revision": revision,
                "counts": counts,
                "members": {name: _sha256(path) for name, path in members.items()},
            }
            _write_tar(archive, manifest, members)
    finally:
        engine.dispose()
    return manifest


def _dump_sqlite(engine: Engine, target: Path) -> tuple[str, dict[str, int], str | None]:
    source_path = engine.url.database
    if not source_path or source_path == ":memory:":
        raise BackupError("内存数据库无法备份")
    if not Path(source_path).is_file():
        raise BackupError(f"找不到数据库文件 {source_path}")
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, so the copy is one consistent snapshot
        # (a stepwise copy restarts whenever the server writes in between).
        source.backup(copy, pages=-1)
    finally:
        copy.close()
        source.close()
    copied = make_engine(f"sqlite:///{target}")
    try:
        with copied.connect() as conn:
            counts, revision = _counts(conn), _revision(conn)
    finally:
        copied.dispose()
    return SQLITE_MEMBER, counts, revision


def _dump_postgres(engine: Engine, target: Path) -> tuple[str, dict[str, int], str | None]:
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            counts, revision = _counts(conn), _revision(conn)
            # The snapshot lives as long as this transaction: pg_dump reads exactly it.
            _run(
                [
                    pg_tool("pg_dump"),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={target}",
                    f"--dbname={_libpq_url(engine)}",
                ]
            )
    return PG_MEMBER, counts, revision


def _write_tar(archive: Path, manifest: dict[str, Any], members: dict[str, Path]) -> None:
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(archive.name + ".part")
    # The archive holds the server secret: readable by the owner only.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
        tar.addfile(info, io.BytesIO(data))
        for name, path in members.items():
            tar.add(path, arcname=name, recursive=False)
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(partial, archive)


# ---------------------------------------------------------------------------------------------
# Restore


@contextmanager
def _unpacked(archive: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """The manifest and a folder holding exactly its members, each hash checked. Names are
    taken from the manifest, never from the tar, so nothing lands outside the folder."""
    try:
        tar = tarfile.open(archive, mode="r")  # noqa: SIM115  (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"无法读取备份文件 {archive}：{exc}") from None
    with tar, tempfile.TemporaryDirectory(prefix="fazhi-restore-") as work:
        folder = Path(work)
        manifest = _read_manifest(tar)
        for name, expected in manifest["members"].items():
            pure = PurePosixPath(name)
            if pure.is_absolute() or ".." in pure.parts:
                raise BackupError(f"备份清单中的文件名不合法：{name}")
            try:
                source = tar.extractfile(name)
            except KeyError:
                source = None
            if source is None:
                raise BackupError(f"备份文件缺少 {name}")
            target = folder / pure
            target.parent.mkdir(parents=True, exist_ok=True)
            with source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
            if _sha256(target) != expected:
                raise BackupError(f"备份文件中的 {name} 校验值不符（文件已损坏或被改动）")
        yield manifest, folder


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = tar.extractfile(MANIFEST)
    except KeyError:
        handle = None
    if handle is None:
        raise BackupError("备份文件中没有清单 manifest.json")
    try:
        manifest: dict[str, Any] = json.loads(handle.read())
    except ValueError:
        raise BackupError("备份清单 manifest.json 无法解析") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')}")
    return manifest


def in_use(engine: Engine) -> bool:
    """Whether the database already holds users or cases."""
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        for table in IN_USE_TABLES:
            if table in names and conn.execute(text(f'SELECT 1 FROM "{table}" LIMIT 1')).first():
                return True
    return False


def restore(
    archive: Path,
    url: str,
    secret_file: Path,
    models_dir: Path | None = None,
    force: bool = False,
) -> RestoreReport:
    """Restore the archive into the database at `url` (stop the server first), with its secret
    and models; then verify rows per table and every case's chain."""
    engine = make_engine(normalise_url(url))
    try:
        with _unpacked(archive) as (manifest, folder):
            if manifest["database"] != engine.dialect.name:
                raise BackupError(
                    f"备份来自 {manifest['database']} 数据库，不能恢复到 {engine.dialect.name}"
                )
            if not force and in_use(engine):
                raise BackupError("目标数据库已有账号或案件；确需覆盖请加 --force")
            if engine.dialect.name == "sqlite":
                _load_sqlite(engine, folder / SQLITE_MEMBER)
            else:
                _load_postgres(engine, folder / PG_MEMBER)
            _put_secret(folder / SECRET_MEMBER, secret_file)
            if models_dir is not None:
                _put_models(folder, manifest, models_dir)
        return _verify(engine, manifest, load_or_create_secret(str(secret_file)))
    finally:
        engine.dispose()


def _load_sqlite(engine: Engine, dump: Path) -> None:
    path = engine.url.database
    if not path or path == ":memory:":
        raise BackupError("不能恢复到内存数据库")
    engine.dispose()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    target = sqlite3.connect(path, timeout=30)
    try:
        # The backup API replaces every page of the target in one step (its WAL included).
        source.backup(target, pages=-1)
    finally:
        target.close()
        source.close()


def _load_postgres(engine: Engine, dump: Path) -> None:
    engine.dispose()
    _run(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={_libpq_url(engine)}",
            str(dump),
        ]
    )


def _put_secret(source: Path, secret_file: Path) -> None:
    data = source.read_bytes()
    if secret_file.is_file() and secret_file.read_bytes() != data:
        # The replaced key is kept beside: the database it belonged to may still be needed.
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        secret_file.replace(secret_file.with_name(f"{secret_file.name}.replaced-{stamp}"))
    secret_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _put_models(folder: Path, manifest: dict[str, Any], models_dir: Path) -> None:
    for name in manifest["members"]:
        if name.startswith(MODELS_PREFIX):
            target = models_dir / name[len(MODELS_PREFIX) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / name, target)


def _verify(engine: Engine, manifest: dict[str, Any], key: bytes) -> RestoreReport:
    """Rows per table as the manifest says, and every chain under the restored secret."""
    with engine.connect() as conn:
        counts = _counts(conn)
    expected: dict[str, int] = manifest["counts"]
    differ = {t: (n, counts.get(t)) for t, n in expected.items() if counts.get(t) != n}
    if differ:
        listed = "、".join(f"{t}（备份 {a}，恢复后 {b}）" for t, (a, b) in sorted(differ.items()))
        raise BackupError(f"恢复后行数与备份清单不符：{listed}")
    with session_factory(engine)() as session:
        audit = verify_all(session, key)
    if not audit.ok:
        broken = "、".join(str(case_id) for case_id, _ in audit.breaks[:20])
        raise BackupError(f"恢复后记录链校验失败：{len(audit.breaks)} 个案件（{broken}）")
    return RestoreReport(manifest, counts, audit.cases, audit.events)
