"""Logins and bearer tokens. Tokens are random; only their SHA-256 is stored.

Passwords are hashed only in worker threads, in bounded slots (`hashing`), never on the
event loop and never inside the writer's turn (issue 9, finding 2)."""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from fazhi.actions import login_guard
from fazhi.actions.passwords import hasher as _hasher
from fazhi.actions.platform import Platform, on_event_loop
from fazhi.actions.totp import totp_step
from fazhi.actions.visibility import sight_for
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.store.db import transaction
from fazhi.store.models import ApiToken, User, UserRole

# Verifying against a dummy hash when the user is unknown keeps the timing the same.
_DUMMY_HASH = _hasher.hash("fazhi-dummy-password")
# Built once: it runs on every request.
_TOKEN_LOOKUP = (
    select(
        ApiToken.revoked,
        ApiToken.expires_at,
        User.id,
        User.username,
        User.display_name,
        User.role,
        User.unit_id,
        User.region_code,
        User.active,
        UserRole.role.label("held_role"),
    )
    .join(User, User.id == ApiToken.user_id)
    # One row per role held: the roles come with the token in the same query.
    .outerjoin(UserRole, UserRole.user_id == User.id)
    # A token works only on its user's district's platform (one region per process).
    .where(ApiToken.token_hash == bindparam("digest"), User.region_code == bindparam("region"))
)
_LOGIN_USER = select(
    User.id,
    User.password_hash,
    User.active,
    User.totp_active,
    User.totp_secret,
    User.totp_last_step,
).where(User.region_code == bindparam("region"), User.username == bindparam("username"))
_ROLES_OF = select(UserRole.role).where(UserRole.user_id == bindparam("user_id"))


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime
    actor: Actor


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def roles_of(session: Session, user_id: int) -> tuple[str, ...]:
    """Every role the user holds, as stored in user_roles (the primary among them)."""
    return tuple(session.connection().execute(_ROLES_OF, {"user_id": user_id}).scalars())


def actor_for(platform: Platform, user: User | Row[Any], roles: Iterable[str] = ()) -> Actor:
    """The acting user, from a User row or a selected row with the same column names.

    `roles` are the roles held besides the primary one (`user.role`), in any order; the
    actor lists them primary first, the rest in catalog order."""
    unit = platform.directory().by_id.get(user.unit_id)
    if unit is None:
        raise DomainError("unit_inactive", "该账号所属单位已停用", 403)
    others = platform.roles.ordered({r for r in roles if r != user.role})
    held = (user.role, *others)
    return Actor(
        user_id=user.id,
        username=user.username,
        name=user.display_name,
        role=user.role,
        unit=unit,
        region_code=user.region_code,
        roles=held,
        sight=sight_for(platform, held),
    )


def signs_in(platform: Platform, actor: Actor) -> bool:
    """System accounts (every role a system role) never sign in to the console or API."""
    return not all(r in platform.roles and platform.roles[r].system for r in actor.roles)


MAX_PASSWORD = 128
# At most this many argon2 computations at once (each keeps a core busy for tens of ms),
# so a flood of sign-ins queues here instead of taking every core; beyond HASH_WAITING
# queued, a sign-in is refused at once rather than holding a worker thread.
HASH_SLOTS = max(1, (os.cpu_count() or 2) - 1)
HASH_WAITING = 16
_slots = threading.BoundedSemaphore(HASH_SLOTS)
_queue = threading.Lock()
_queued = 0
T = TypeVar("T")


def hashing(fn: Callable[[], T]) -> T:
    """Run an argon2 hash or check in one of the bounded slots. In a worker thread only:
    never on the event loop (it would stop every request)."""
    global _queued
    if on_event_loop():
        raise RuntimeError("password hashing on the event loop; run it in the thread pool")
    with _queue:
        if _queued >= HASH_WAITING:
            raise DomainError("busy", "登录请求过多，请稍后再试", 503)
        _queued += 1
    try:
        with _slots:
            return fn()
    finally:
        with _queue:
            _queued -= 1


def check_password_length(password: str, field: str = "password") -> None:
    """Before any hashing: a password longer than anyone types is refused unread."""
    if len(password) > MAX_PASSWORD:
        raise DomainError("password_too_long", f"密码不能超过{MAX_PASSWORD}位", 422, field)


def _verify(stored: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


_FAILED = ("login_failed", "用户名或密码错误", 401)


def login(
    platform: Platform,
    username: str,
    password: str,
    address: str = "",
    otp: str | None = None,
) -> IssuedToken:
    """Sign in, in a worker thread. The throttle is checked first (fazhi.actions.login_guard:
    before any hashing, the same for names with and without an account); the password is
    checked in a hashing slot outside the writer's turn; only the outcome (a failure
    counted, or the token) is written under it. Accounts with a second factor also need
    `otp` (fazhi.actions.totp)."""
    if platform.holds_writer():
        raise RuntimeError("login() inside the writer's turn: hashing would hold the lock")
    username = username.strip()
    check_password_length(password)
    now = platform.now()
    with platform.sessions() as session:
        login_guard.check_open(session, username, address, now)
        user = session.execute(
            _LOGIN_USER, {"region": platform.region_code, "username": username[:64]}
        ).first()
    ok = hashing(lambda: _verify(user.password_hash if user else _DUMMY_HASH, password))
    refusal: DomainError | None = None
    step: int | None = None
    if not ok or user is None or not user.active:
        refusal = DomainError(*_FAILED)
    elif user.totp_active:
        if not otp or not otp.strip():
            # Not a failure: the usual first step of a two-step sign-in.
            raise DomainError(
                "otp_required", "该账号已启用双因素认证，请输入动态验证码", 401, "otp"
            )
        step = totp_step(platform, user.totp_secret, otp.strip(), now, user.totp_last_step)
        if step is None:
            refusal = DomainError("otp_invalid", "动态验证码错误或已使用，请重新输入", 401, "otp")
    if refusal is not None:
        with platform.writing(), transaction(platform.sessions) as session:
            login_guard.record_failure(session, username, address, now)
        raise refusal
    assert user is not None
    with platform.writing(), transaction(platform.sessions) as session:
        # Again inside the writer's turn: a lock set by a parallel attempt counts, and a
        # code used meanwhile by a parallel sign-in is not accepted twice.
        login_guard.check_open(session, username, address, now)
        row = session.scalar(
            select(User).where(User.region_code == platform.region_code, User.id == user.id)
        )
        assert row is not None
        actor = actor_for(platform, row, roles_of(session, row.id))
        if not signs_in(platform, actor):
            raise DomainError(*_FAILED)
        if step is not None:
            if row.totp_last_step is not None and step <= row.totp_last_step:
                raise DomainError("otp_invalid", "动态验证码错误或已使用，请重新输入", 401, "otp")
            row.totp_last_step = step
        login_guard.clear(session, username, now)
        token = secrets.token_urlsafe(32)
        expires = now + timedelta(hours=platform.settings.token_hours)
        session.add(
            ApiToken(token_hash=_digest(token), user_id=row.id, created_at=now, expires_at=expires)
        )
    return IssuedToken(token, expires, actor)


# The built actor is remembered per content of the token's row (user, roles, unit) and
# per loaded types and unit directory: the token itself is looked up on every request
# (one indexed query), so a logout, deactivation or change of roles in any process counts
# at the very next request. Only the building of the actor is saved.
TOKEN_CACHE_MAX = 10_000


def authenticate(session: Session, platform: Platform, token: str, now: datetime) -> Actor:
    rows = (
        session.connection()
        .execute(_TOKEN_LOOKUP, {"digest": _digest(token), "region": platform.region_code})
        .all()
    )
    row = rows[0] if rows else None
    if row is None:
        raise DomainError("unauthenticated", "请先登录", 401)
    if row.revoked:
        raise DomainError("session_ended", "已退出登录，请重新登录", 401)
    if row.expires_at <= now:
        raise DomainError("session_expired", "登录已过期，请重新登录", 401)
    if not row.active:
        raise DomainError("account_disabled", "账号已停用", 401)
    held = tuple(sorted(r.held_role for r in rows if r.held_role))
    key = (row.id, row.username, row.display_name, row.role, row.unit_id, row.region_code, held)
    directory = platform.directory()
    cached = platform.token_cache.get(key)
    if cached is not None and cached[1] is platform.types and cached[2] is directory:
        return cached[0]
    actor = actor_for(platform, row, held)
    if len(platform.token_cache) >= TOKEN_CACHE_MAX:
        platform.token_cache.clear()
    platform.token_cache[key] = (actor, platform.types, directory)
    return actor


def logout(session: Session, platform: Platform, token: str) -> None:
    digest = _digest(token)
    session.execute(update(ApiToken).where(ApiToken.token_hash == digest).values(revoked=True))
