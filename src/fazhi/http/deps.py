"""Request plumbing: the platform, the unit of work and the acting user.

`Work` (session + action context) is defined with the actions so that the read-side
builders can take it too; it is re-exported here for the routers and pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any, TypeVar

import orjson
from fastapi import Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from fazhi.actions.auth import authenticate
from fazhi.actions.context import ActionContext, Work
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.store.db import transaction

__all__ = [
    "TOKEN_COOKIE",
    "Work",
    "default_case_type",
    "json_response",
    "platform_of",
    "require_role",
    "token_of",
    "work",
    "write",
]

TOKEN_COOKIE = "fazhi_token"
T = TypeVar("T")


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


@contextmanager
def work(request: Request, write: bool = False) -> Iterator[Work]:
    """One transaction for the whole request, starting with who is asking.

    `write=True` for requests that change records: they queue for the writer's turn.
    """
    platform = platform_of(request)
    token = token_of(request)
    with platform.writing() if write else nullcontext(), transaction(platform.sessions) as session:
        now = platform.now()
        actor = authenticate(session, platform, token, now)
        yield Work(session, ActionContext(platform, actor, now))


def require_role(actor: Actor, *roles: str) -> None:
    if not actor.has_role(*roles):
        raise DomainError("forbidden_role", "当前角色无权执行此操作", 403)


def _work_in(session: Session, platform: Platform, token: str) -> Work:
    now = platform.now()
    actor = authenticate(session, platform, token, now)
    return Work(session, ActionContext(platform, actor, now))


async def write(request: Request, fn: Callable[[Work], T]) -> T:
    """Run a change to case records by the signed-in caller and return its answer once it is
    committed (`write_session`)."""
    platform = platform_of(request)
    token = token_of(request)
    return await write_session(request, lambda session: fn(_work_in(session, platform, token)))


async def write_session(request: Request, fn: Callable[[Session], T]) -> T:
    """Run a change in a transaction of its own and return its answer once it is committed;
    for callers who authenticate inside `fn` (an outside system's API key).

    On SQLite the change joins the group commit (api.writer): SQLite has one writer, so
    worker threads would buy no parallelism, only hand-offs and lock waits. On PostgreSQL
    it runs in the thread pool in a transaction of its own.
    """
    platform = platform_of(request)
    if platform.engine.dialect.name == "sqlite":
        from fazhi.http.writer import committer

        result: T = await committer(platform).submit(fn)
        return result

    def run() -> T:
        with transaction(platform.sessions) as session:
            return fn(session)

    return await run_in_threadpool(run)


def default_case_type(request: Request) -> str | None:
    """The deployment's main case type, as the app's composition root set it (the default
    `type` of the statistics)."""
    return getattr(request.app.state, "default_case_type", None)


def json_response(body: Any, status_code: int = 200) -> Response:
    """JSON encoded with orjson: several times faster than the standard library on the
    larger case documents, which matters on the registration path."""
    return Response(orjson.dumps(body), status_code=status_code, media_type="application/json")
