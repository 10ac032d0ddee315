"""Records: export (masked), the audit of every case's hash chain, API keys."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from fazhi.actions.platform import Platform
from fazhi.bootstrap import default_type
from fazhi.cli.app import apikey_app, app, audit_app
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.terminal import fail, out, ready_platform


def _acting_user(p: Platform, username: str | None, roles: tuple[str, ...]) -> Actor:
    """The named active user, or the first active user whose primary role is one of
    `roles` — with every role it holds (it sees what any of them may see)."""
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
        try:
            return actor_for(p, user, roles_of(session, user.id))
        except DomainError as exc:
            fail(exc.message)


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="输出文件（.csv 或 .xlsx）")],
    type_: Annotated[
        str | None, typer.Option("--type", help="案件类型（默认本部署的主要类型）")
    ] = None,
    since: Annotated[str | None, typer.Option("--from", help="起始日期 2023-01-01")] = None,
    until: Annotated[str | None, typer.Option("--to", help="截止日期（不含）")] = None,
    as_user: Annotated[
        str | None, typer.Option("--as", help="以此账号导出（其可见范围；缺省为系统管理员）")
    ] = None,
) -> None:
    """导出案件（个人信息已脱敏；只含导出账号可见的案件）。"""
    from fazhi.read.export import export_cases

    p = ready_platform()
    actor = _acting_user(p, as_user, ("admin",))
    try:
        start = date.fromisoformat(since) if since else None
        end = date.fromisoformat(until) if until else None
        count = export_cases(p, path, type_ or default_type(), start, end, actor)
    except ValueError:
        fail("日期格式应为 2023-01-01")
    except DomainError as exc:
        fail(exc.message)
    out.print(f"已导出 {count} 件到 {path}")


@audit_app.command("verify")
def audit_verify() -> None:
    """校验每个案件的事件哈希链，指出第一个被改动的事件；并对照最近的锚点（同 trail verify）。"""
    from fazhi.cli.trail import verify_trail

    verify_trail(ready_platform())


@apikey_app.command("create")
def apikey_create(
    name: Annotated[str, typer.Argument(help="对方系统的名称，如 xiangyiban")],
    purpose: Annotated[str, typer.Option(help="open311 或 transfer")] = "open311",
) -> None:
    """签发一个接口密钥（只显示这一次）。"""
    from fazhi.actions.api_keys import issue_key
    from fazhi.store.db import transaction

    p = ready_platform()
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

    p = ready_platform()
    with transaction(p.sessions) as session:
        count = revoke_key(session, name, purpose)
    out.print(f"已停用 {count} 个密钥")
