"""Command-line plumbing shared by the `fazhi` command and the sub-commands type packages
add to it: console output, failing with a Chinese message, the platform (its database
brought to the newest schema), the acting user, and all-or-nothing batches of rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from sqlalchemy import select

from fazhi.actions.auth import actor_for, roles_of
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.store.migrate import upgrade
from fazhi.store.models import User

out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[red]错误：{message}[/red]")
    raise typer.Exit(code)


def platform() -> Platform:
    return Platform.create()


def init_database(p: Platform) -> None:
    """Create or upgrade the schema (every command may be the first one run)."""
    upgrade(p.engine)


def ready_platform() -> Platform:
    p = platform()
    init_database(p)
    return p


def acting_user(p: Platform, username: str | None, roles: tuple[str, ...]) -> Actor:
    """The named active user, or the first active user holding one of `roles`."""
    with p.sessions() as session:
        stmt = select(User).where(User.region_code == p.region_code, User.active.is_(True))
        if username:
            user = session.scalar(stmt.where(User.username == username))
        else:
            user = session.scalar(stmt.where(User.role.in_(roles)).order_by(User.id))
        if user is None:
            fail(f"找不到可用的账号 {username or '、'.join(roles)}")
        return actor_for(p, user, roles_of(session, user.id))


def importer(path: Path, as_user: str | None) -> tuple[Platform, Actor]:
    """The platform and the acting operator for a file import."""
    if not path.exists():
        fail(f"文件不存在：{path}")
    p = ready_platform()
    return p, acting_user(p, as_user, ("operator",))


def run_batch(p: Platform, label: str, total: int, run: Callable[..., Any]) -> Any:
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


def fail_rows(rows: list[Any], total: int) -> NoReturn:
    for e in rows:
        # escape(): the field's brackets and the file's own text are not rich markup.
        line = (
            f"第 {e.line} 行（{e.external_id or '无编号'}）"
            f"{'[' + e.field + '] ' if e.field else ''}{e.message}"
        )
        err.print(f"[red]{escape(line)}[/red]")
    fail(f"{len(rows)} 处错误，本批 {total} 行均未导入")
