"""Sign-in throttling: temporary lockout of an account name and a limit per address.

Failed sign-ins are rows in the database, so every server process counts the same ones.
The checks run before any password is hashed, and they look only at the name as typed:
whether an account of that name exists changes nothing in the answer. A lockout is
written to the admin log (action `account_locked`); an admin may lift it
(`account_unlocked`, fazhi.actions.admin.users)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fazhi.domain.errors import DomainError
from fazhi.store.models import AdminLog, LoginFailure, LoginLock

MAX_NAME = 64


@dataclass(frozen=True)
class Limits:
    account_failures: int = 5
    account_window: timedelta = timedelta(minutes=15)
    lock_for: timedelta = timedelta(minutes=15)
    address_failures: int = 20
    address_window: timedelta = timedelta(minutes=10)
    # Rows older than this are deleted when a failure is written.
    keep: timedelta = timedelta(days=1)


LIMITS = Limits()


class LoginThrottled(DomainError):
    """A refusal before the password is looked at; `retry_after` in seconds."""

    retry_after: int = 60


def _throttled(code: str, message: str, seconds: float) -> LoginThrottled:
    error = LoginThrottled(code, message, 429)
    error.retry_after = max(1, math.ceil(seconds))
    return error


def _name(username: str) -> str:
    return username.strip().lower()[:MAX_NAME]


def lock_of(session: Session, username: str) -> LoginLock | None:
    return session.get(LoginLock, _name(username))


def check_open(
    session: Session, username: str, address: str, now: datetime, limits: Limits = LIMITS
) -> None:
    """Refuse (429 with a retry time) when the account name is locked or the address has
    failed too often lately; otherwise return. Reads only."""
    lock = lock_of(session, username)
    if lock is not None and lock.locked_until is not None and lock.locked_until > now:
        minutes = math.ceil((lock.locked_until - now).total_seconds() / 60)
        raise _throttled(
            "account_locked",
            f"登录失败次数过多，账号已临时锁定，请 {minutes} 分钟后再试或联系系统管理员解锁",
            (lock.locked_until - now).total_seconds(),
        )
    since = now - limits.address_window
    count, oldest = session.execute(
        select(func.count(), func.min(LoginFailure.at)).where(
            LoginFailure.address == address[:64], LoginFailure.at > since
        )
    ).one()
    if count >= limits.address_failures:
        raise _throttled(
            "too_many_attempts",
            "登录失败次数过多，请稍后再试",
            (oldest + limits.address_window - now).total_seconds(),
        )


def record_failure(
    session: Session, username: str, address: str, now: datetime, limits: Limits = LIMITS
) -> bool:
    """Count one failed sign-in; lock the account name (and log it) when this failure
    reaches the limit. True when it did. The caller holds the writer's turn."""
    name = _name(username)
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - limits.keep))
    session.add(LoginFailure(at=now, username=name, address=address[:64]))
    session.flush()
    lock = session.get(LoginLock, name)
    since = now - limits.account_window
    if lock is not None and lock.counted_from > since:
        since = lock.counted_from
    failures = (
        session.scalar(
            select(func.count()).where(LoginFailure.username == name, LoginFailure.at >= since)
        )
        or 0
    )
    if failures < limits.account_failures:
        return False
    until = now + limits.lock_for
    _set_lock(session, name, until, now)
    session.add(
        AdminLog(
            at=now,
            actor_id=None,
            actor_username="system",
            action="account_locked",
            target=f"user:{name}"[:200],
            details={"failures": failures, "address": address[:64], "until": until.isoformat()},
        )
    )
    return True


def clear(session: Session, username: str, now: datetime) -> None:
    """After a success or an unlock: no lock, and earlier failures no longer count."""
    _set_lock(session, _name(username), None, now)


def _set_lock(session: Session, name: str, until: datetime | None, now: datetime) -> None:
    """Upsert the name's lock row; two processes writing it at once both succeed."""
    values = {"locked_until": until, "counted_from": now}
    change = update(LoginLock).where(LoginLock.username == name).values(**values)
    if session.execute(change).rowcount:  # type: ignore[attr-defined]
        return
    try:
        with session.begin_nested():
            session.add(LoginLock(username=name, **values))
            session.flush()
    except IntegrityError:  # inserted by another process meanwhile
        session.execute(change)
