"""Keys for outside systems (Open311 clients, other platforms' transfer interfaces).

A key is shown once when issued; only its SHA-256 is stored. Each key acts as its own
system account (role operator at the hotline centre, no password login), so every case it
creates or changes carries an actor in its events like any other change.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fazhi.actions.auth import actor_for, roles_of
from fazhi.actions.org import hash_password
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.store.models import ApiKey, Unit, User

PURPOSES = {
    "open311": "开放接口（Open311）",
    "transfer": "平台转办接口",
    "telephony": "话务系统接口（未接来电）",
}


@dataclass(frozen=True)
class IssuedKey:
    key: str
    name: str
    purpose: str
    username: str


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(
    session: Session, platform: Platform, name: str, purpose: str, now: datetime
) -> IssuedKey:
    name = name.strip()
    if purpose not in PURPOSES:
        raise DomainError("invalid_value", "用途只能是：" + "、".join(PURPOSES), 422, "purpose")
    if not name or len(name) > 60 or not all(c.isalnum() or c in "-_." for c in name):
        raise DomainError("invalid_value", "名称只能用字母、数字、-、_、.（60字以内）", 422, "name")
    centre = session.scalar(
        select(Unit)
        .where(Unit.region_code == platform.region_code, Unit.kind == "centre")
        .order_by(Unit.id)
    )
    if centre is None:
        raise DomainError("no_centre", "组织架构中没有热线中心，无法建立系统账号", 422)
    username = f"sys.{purpose}.{name}"[:64]
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(
            region_code=platform.region_code,
            username=username,
            display_name=f"{PURPOSES[purpose]}：{name}",
            role="operator",
            unit_id=centre.id,
            # No one can sign in with this account: the password is never shown.
            password_hash=hash_password(secrets.token_urlsafe(32)),
            active=False,
        )
        session.add(user)
        session.flush()
    key = f"fz_{purpose}_{secrets.token_urlsafe(24)}"
    session.add(
        ApiKey(
            region_code=platform.region_code,
            key_hash=_digest(key),
            name=name,
            purpose=purpose,
            acting_user_id=user.id,
            active=True,
            created_at=now,
        )
    )
    return IssuedKey(key, name, purpose, username)


def revoke_key(session: Session, name: str, purpose: str) -> int:
    result = session.execute(
        update(ApiKey).where(ApiKey.name == name, ApiKey.purpose == purpose).values(active=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def actor_for_key(
    session: Session, platform: Platform, key: str, purpose: str, now: datetime
) -> Actor:
    """The system account behind a key, or DomainError 403 (`invalid_api_key`)."""
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == _digest(key)))
    if row is None or not row.active or row.purpose != purpose:
        raise DomainError("invalid_api_key", "api_key 无效或已停用", 403, "api_key")
    user = session.get(User, row.acting_user_id)
    if user is None:
        raise DomainError("invalid_api_key", "api_key 对应的系统账号不存在", 403, "api_key")
    row.last_used_at = now
    return actor_for(platform, user, roles_of(session, user.id))
