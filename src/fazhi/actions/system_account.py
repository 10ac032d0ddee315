"""The platform's own account: the holder of the `system` role that scheduled work (`fazhi
schedule run`) acts as, so every change it makes carries it in the trail.

Created on first use in the region's root unit (the district), with the password hash `!`,
which no password matches: the account never signs in (nor would `signs_in` let it)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fazhi.actions.auth import actor_for
from fazhi.actions.org import set_user_roles
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor
from fazhi.store.db import transaction
from fazhi.store.models import Unit, User

SYSTEM_USERNAME = "system"
SYSTEM_ROLE = "system"
SYSTEM_NAME = "平台（系统）"
NO_PASSWORD = "!"  # not an argon2 hash: no password verifies against it


def _root_unit(session: Session, region_code: str) -> Unit:
    unit = session.scalar(
        select(Unit)
        .where(Unit.region_code == region_code, Unit.parent_id.is_(None), Unit.active.is_(True))
        .order_by(Unit.id)
    )
    if unit is None:
        raise DomainError("no_root_unit", "本地区尚未载入组织架构（缺少区级单位）", 422)
    return unit


def _system_user(session: Session, platform: Platform) -> User:
    region = platform.region_code
    user = session.scalar(select(User).where(User.username == SYSTEM_USERNAME))
    if user is None:
        user = User(
            region_code=region,
            username=SYSTEM_USERNAME,
            display_name=SYSTEM_NAME,
            role=SYSTEM_ROLE,
            unit_id=_root_unit(session, region).id,
            password_hash=NO_PASSWORD,
            active=True,
        )
        try:
            with session.begin_nested():
                session.add(user)
                session.flush()
                set_user_roles(session, user, (SYSTEM_ROLE,))
        except IntegrityError:  # created by a run alongside this one
            user = session.scalar(select(User).where(User.username == SYSTEM_USERNAME))
            assert user is not None
    if user.region_code != region or user.role != SYSTEM_ROLE:
        raise DomainError(
            "system_account", f"用户名 {SYSTEM_USERNAME} 已被其他账号占用，无法作为系统账号", 409
        )
    if not user.active:
        raise DomainError("system_account", "系统账号已停用", 409)
    return user


def system_actor(platform: Platform, also: tuple[str, ...] = ()) -> Actor:
    """The platform's system account as the acting user (created on first use); `also`:
    roles it takes besides for one terminal job (the batch review reads penalty cases as a
    case-file reviewer does)."""
    with transaction(platform.sessions) as session:
        user = _system_user(session, platform)
        return actor_for(platform, user, (SYSTEM_ROLE, *also))


def system_actor_in(session: Session, platform: Platform) -> Actor:
    """The system account as the acting user in the caller's transaction (created on first
    use): for what the platform does as a consequence of a person's action, in the same
    transaction (a type package's after-action, `fazhi.actions.action_checks`)."""
    return actor_for(platform, _system_user(session, platform), (SYSTEM_ROLE,))
