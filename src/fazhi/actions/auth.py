"""Logins and bearer tokens. Tokens are random; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from fazhi.actions.platform import Platform
from fazhi.actions.visibility import sight_for
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.store.models import ApiToken, User, UserRole

_hasher = PasswordHasher()
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
    .where(ApiToken.token_hash == bindparam("digest"))
)
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


def login(
    session: Session, platform: Platform, username: str, password: str, now: datetime
) -> IssuedToken:
    user = session.scalar(select(User).where(User.username == username))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None:
        raise DomainError("login_failed", "用户名或密码错误", 401)
    actor = actor_for(platform, user, roles_of(session, user.id))
    if not signs_in(platform, actor):
        raise DomainError("login_failed", "用户名或密码错误", 401)
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=platform.settings.token_hours)
    session.add(
        ApiToken(token_hash=_digest(token), user_id=user.id, created_at=now, expires_at=expires)
    )
    return IssuedToken(token, expires, actor)


# A valid token's actor is remembered briefly: the lookup would otherwise be a query on
# every request. Logout in this process forgets it at once; elsewhere within TOKEN_CACHE_TTL.
TOKEN_CACHE_TTL = 30.0
TOKEN_CACHE_MAX = 10_000


def authenticate(session: Session, platform: Platform, token: str, now: datetime) -> Actor:
    # The actor carries what its roles see of each loaded type (its sight), so the entry is
    # kept per set of types: platforms that share the cache but load other types (a
    # deployment's reload, the test suite's fixture types) never reuse another's sight.
    digest = f"{_digest(token)}:{id(platform.types)}"
    cached = platform.token_cache.get(digest)
    if cached is not None:
        actor, expires_at, fetched = cached
        if expires_at > now and time.monotonic() - fetched < TOKEN_CACHE_TTL:
            return actor
        platform.token_cache.pop(digest, None)
    actor, expires_at = _lookup(session, platform, _digest(token), now)
    if len(platform.token_cache) >= TOKEN_CACHE_MAX:
        platform.token_cache.clear()
    platform.token_cache[digest] = (actor, expires_at, time.monotonic())
    return actor


def _lookup(
    session: Session, platform: Platform, digest: str, now: datetime
) -> tuple[Actor, datetime]:
    rows = session.connection().execute(_TOKEN_LOOKUP, {"digest": digest}).all()
    row = rows[0] if rows else None
    if row is None:
        raise DomainError("unauthenticated", "请先登录", 401)
    if row.revoked:
        raise DomainError("session_ended", "已退出登录，请重新登录", 401)
    if row.expires_at <= now:
        raise DomainError("session_expired", "登录已过期，请重新登录", 401)
    if not row.active:
        raise DomainError("account_disabled", "账号已停用", 401)
    held = [r.held_role for r in rows if r.held_role]
    return actor_for(platform, row, held), row.expires_at


def logout(session: Session, platform: Platform, token: str) -> None:
    digest = _digest(token)
    for key in [k for k in platform.token_cache if k.startswith(f"{digest}:")]:
        platform.token_cache.pop(key, None)
    session.execute(update(ApiToken).where(ApiToken.token_hash == digest).values(revoked=True))
