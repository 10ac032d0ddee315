"""Request plumbing: the platform, the unit of work and the acting user."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.orm import Session

from fazhi.actions.auth import authenticate
from fazhi.actions.cases import ActionContext
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.store.db import transaction

TOKEN_COOKIE = "fazhi_token"


def platform_of(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


def token_of(request: Request) -> str:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    cookie = request.cookies.get(TOKEN_COOKIE)
    if cookie:
        return cookie
    raise DomainError("unauthenticated", "请先登录", 401)


@dataclass
class Work:
    session: Session
    ctx: ActionContext

    @property
    def actor(self) -> Actor:
        return self.ctx.actor

    @property
    def platform(self) -> Platform:
        return self.ctx.platform


@contextmanager
def work(request: Request) -> Iterator[Work]:
    """One transaction for the whole request, starting with who is asking."""
    platform = platform_of(request)
    token = token_of(request)
    with transaction(platform.sessions) as session:
        now = platform.now()
        actor = authenticate(session, platform, token, now)
        yield Work(session, ActionContext(platform, actor, now))


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise DomainError("forbidden_role", "当前角色无权执行此操作", 403)
