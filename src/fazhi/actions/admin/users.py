"""Accounts: create, change (name, roles, unit), reset the password, deactivate and
reactivate. A change that should end a user's sessions revokes its tokens at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fazhi.actions import login_guard
from fazhi.actions.admin.common import (
    USERNAME_RE,
    after_commit,
    check_text,
    fail_on,
    record,
    require_admin,
    text,
)
from fazhi.actions.auth import hashing
from fazhi.actions.context import ActionContext
from fazhi.actions.org import hash_password
from fazhi.actions.platform import Platform
from fazhi.actions.user_roles import check_roles, held_roles, set_user_roles
from fazhi.domain.errors import DomainError, Problem, not_found
from fazhi.store.models import ApiToken, Unit, User

MIN_PASSWORD = 10
MAX_PASSWORD = 128


def forget_tokens(platform: Platform, user_id: int) -> None:
    """Drop the user's remembered tokens from this process's cache."""
    for digest, (actor, _types, _units) in list(platform.token_cache.items()):
        if actor.user_id == user_id:
            platform.token_cache.pop(digest, None)


def _end_sessions(session: Session, ctx: ActionContext, user_id: int, revoke: bool) -> None:
    """Make the user's tokens stop working (revoke) or show their new details (cache only)."""
    if revoke:
        session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.revoked.is_(False))
            .values(revoked=True)
        )
    # Tokens are looked up on every request (actions.auth.authenticate): the revocation
    # counts at once in every process; this only frees the remembered actors.
    platform = ctx.platform
    after_commit(session, lambda: forget_tokens(platform, user_id))


def _user(session: Session, ctx: ActionContext, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.region_code != ctx.actor.region_code:
        raise not_found("账号")
    return user


def _active_unit(
    session: Session, ctx: ActionContext, code: str, field: str, problems: list[Problem]
) -> Unit | None:
    if not code:
        problems.append(Problem("required", "请选择所属单位", field))
        return None
    unit = session.scalar(
        select(Unit).where(Unit.region_code == ctx.actor.region_code, Unit.code == code)
    )
    if unit is None or not unit.active:
        problems.append(Problem("unknown_unit", "单位不存在或已停用", field))
        return None
    return unit


def password_problems(password: str, username: str, field: str = "password") -> list[Problem]:
    """The rules for a new password: length first (a long one is never hashed), then more
    than one kind of character, and not the account's name."""
    if len(password) > MAX_PASSWORD:
        return [Problem("password_long", f"密码不能超过{MAX_PASSWORD}位", field)]
    if len(password) < MIN_PASSWORD:
        return [Problem("password_short", f"密码至少{MIN_PASSWORD}位", field)]
    kinds = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if kinds < 2:
        return [Problem("password_weak", "密码须包含字母、数字、符号中的至少两类", field)]
    name = username.strip().lower()
    if name and len(name) >= 3 and name in password.lower():
        return [Problem("password_username", "密码不能包含用户名", field)]
    return []


def _check_password(problems: list[Problem], password: str, username: str) -> None:
    problems.extend(password_problems(password, username))


def hash_new_password(password: str, username: str) -> str | None:
    """The hash of an acceptable new password, computed in a hashing slot before the
    writer's turn is taken (pages pass it to the actions); None when the rules refuse it
    (the action then reports why)."""
    if password_problems(password, username):
        return None
    return hashing(lambda: hash_password(password))


# ---------------------------------------------------------------------------------------------
# Create


def check_create_user(
    session: Session,
    ctx: ActionContext,
    username: str,
    display_name: str,
    role: str,
    unit_code: str,
    password: str,
    roles: Sequence[str] = (),
    password_hash: str | None = None,
) -> User:
    """A new account with its primary `role` and the other `roles` it holds: a well-formed
    username not yet taken, a name, assignable roles (platform.roles), an active unit and a
    password that passes the rules (`password_problems`; `password_hash`, if given, is
    its hash, computed outside the writer's turn); then `do_create_user`."""
    require_admin(ctx)
    username, display_name = text(username).lower(), text(display_name)
    problems: list[Problem] = []
    if not username:
        problems.append(Problem("required", "请填写用户名", "username"))
    elif len(username) > 64 or not USERNAME_RE.match(username):
        problems.append(
            Problem(
                "invalid_username",
                "用户名只能由小写字母、数字和 . _ - 组成，以字母或数字开头，不超过64位",
                "username",
            )
        )
    elif session.scalar(select(User.id).where(User.username == username)) is not None:
        problems.append(Problem("duplicate_username", f"用户名 {username} 已存在", "username"))
    check_text(problems, "display_name", display_name, "姓名", 100)
    held = check_roles(problems, ctx.platform.roles, role, roles)
    unit = _active_unit(session, ctx, text(unit_code), "unit", problems)
    _check_password(problems, password, username)
    fail_on(problems)
    assert unit is not None
    return do_create_user(
        session, ctx, username, display_name, role, unit, password, held, password_hash
    )


def do_create_user(
    session: Session,
    ctx: ActionContext,
    username: str,
    display_name: str,
    role: str,
    unit: Unit,
    password: str,
    held: Sequence[str] = (),
    password_hash: str | None = None,
) -> User:
    """Insert the account with the roles it holds (`held`, primary first; none: only
    `role`) and log it; a username taken meanwhile is refused.

    Preconditions: ctx.actor is an admin; the values passed `check_create_user`."""
    held = tuple(held) or (role,)
    user = User(
        region_code=ctx.actor.region_code,
        username=username,
        display_name=display_name,
        role=role,
        unit_id=unit.id,
        password_hash=password_hash or hash_password(password),
        active=True,
    )
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
    except IntegrityError:  # created by someone else since the check
        raise DomainError(
            "duplicate_username", f"用户名 {username} 已存在", 422, "username"
        ) from None
    set_user_roles(session, user, held)
    details: dict[str, Any] = {
        "username": username,
        "display_name": display_name,
        "role": role,
        "unit": unit.code,
    }
    if len(held) > 1:
        details["roles"] = list(held)
    record(session, ctx, "user_create", f"user:{username}", details)
    return user


# ---------------------------------------------------------------------------------------------
# Change


def check_update_user(
    session: Session,
    ctx: ActionContext,
    user_id: int,
    display_name: str,
    role: str,
    unit_code: str,
    roles: Sequence[str] | None = None,
) -> User:
    """Change name, roles and unit: `role` is the primary role, `roles` the others the user
    is to hold (None: those it holds now). A name, assignable roles (not one's own roles),
    an active unit; then `do_update_user`."""
    require_admin(ctx)
    user = _user(session, ctx, user_id)
    display_name = text(display_name)
    problems: list[Problem] = []
    check_text(problems, "display_name", display_name, "姓名", 100)
    before_roles = held_roles(session, user, ctx.platform.roles)
    held = check_roles(
        problems, ctx.platform.roles, role, before_roles[1:] if roles is None else roles
    )
    if user.id == ctx.actor.user_id and held != before_roles:
        problems.append(Problem("own_role", "不能修改自己的角色", "role"))
    unit = _active_unit(session, ctx, text(unit_code), "unit", problems)
    fail_on(problems)
    assert unit is not None
    return do_update_user(session, ctx, user, display_name, role, unit, held)


def do_update_user(
    session: Session,
    ctx: ActionContext,
    user: User,
    display_name: str,
    role: str,
    unit: Unit,
    held: Sequence[str] | None = None,
) -> User:
    """Write what changed and log it; `held` is every role the user is to hold, primary
    first (None: `role` and the others it holds now). A change of roles ends the user's
    sessions at once.

    Preconditions: ctx.actor is an admin; the values passed `check_update_user`."""
    before_roles = held_roles(session, user, ctx.platform.roles)
    if held is None:
        held = (role, *(r for r in before_roles[1:] if r != role))
    held = tuple(held)
    before_unit = session.get(Unit, user.unit_id)
    changes: dict[str, list[Any]] = {}
    if display_name != user.display_name:
        changes["display_name"] = [user.display_name, display_name]
    if role != user.role:
        changes["role"] = [user.role, role]
    if held != before_roles and (len(held) > 1 or len(before_roles) > 1):
        changes["roles"] = [list(before_roles), list(held)]
    if unit.id != user.unit_id:
        changes["unit"] = [before_unit.code if before_unit else None, unit.code]
    if not changes:
        return user
    user.display_name, user.role, user.unit_id = display_name, role, unit.id
    set_user_roles(session, user, held)
    _end_sessions(session, ctx, user.id, revoke="role" in changes or "roles" in changes)
    record(session, ctx, "user_update", f"user:{user.username}", {"changes": changes})
    return user


def check_reset_password(
    session: Session,
    ctx: ActionContext,
    user_id: int,
    password: str,
    password_hash: str | None = None,
) -> User:
    """A new password that passes the rules (`password_hash`: as for `check_create_user`);
    then `do_reset_password`."""
    require_admin(ctx)
    user = _user(session, ctx, user_id)
    problems: list[Problem] = []
    _check_password(problems, password, user.username)
    fail_on(problems)
    return do_reset_password(session, ctx, user, password, password_hash)


def do_reset_password(
    session: Session,
    ctx: ActionContext,
    user: User,
    password: str,
    password_hash: str | None = None,
) -> User:
    """Set the password; the user's existing sessions end.

    Preconditions: ctx.actor is an admin; the password passed `check_reset_password`."""
    user.password_hash = password_hash or hash_password(password)
    _end_sessions(session, ctx, user.id, revoke=True)
    record(session, ctx, "user_password_reset", f"user:{user.username}", {})
    return user


def check_unlock_user(session: Session, ctx: ActionContext, user_id: int) -> User:
    """Lift a sign-in lockout (fazhi.actions.login_guard) before it runs out; then
    `do_unlock_user`. Nothing happens when the account is not locked."""
    require_admin(ctx)
    user = _user(session, ctx, user_id)
    lock = login_guard.lock_of(session, user.username)
    if lock is None or lock.locked_until is None or lock.locked_until <= ctx.now:
        return user
    return do_unlock_user(session, ctx, user)


def do_unlock_user(session: Session, ctx: ActionContext, user: User) -> User:
    """Clear the lock and the failures counted towards it, and log it.

    Preconditions: ctx.actor is an admin; the account is locked now."""
    login_guard.clear(session, user.username, ctx.now)
    record(session, ctx, "account_unlocked", f"user:{user.username}", {})
    return user


def check_set_user_active(session: Session, ctx: ActionContext, user_id: int, active: bool) -> User:
    """Deactivate (not one's own account) or reactivate (its unit must be active); then
    `do_set_user_active`. Nothing happens when the account already is so."""
    require_admin(ctx)
    user = _user(session, ctx, user_id)
    if user.active == active:
        return user
    if not active and user.id == ctx.actor.user_id:
        raise DomainError("own_account", "不能停用自己的账号", 422)
    if active:
        unit = session.get(Unit, user.unit_id)
        if unit is None or not unit.active:
            raise DomainError(
                "unit_inactive", "该账号所属单位已停用，请先把账号调整到在用的单位", 422, "unit"
            )
    return do_set_user_active(session, ctx, user, active)


def do_set_user_active(session: Session, ctx: ActionContext, user: User, active: bool) -> User:
    """Write the flag and log it; a deactivated account's tokens stop working at once.

    Preconditions: ctx.actor is an admin; the change passed `check_set_user_active`."""
    user.active = active
    if not active:
        _end_sessions(session, ctx, user.id, revoke=True)
    record(
        session,
        ctx,
        "user_reactivate" if active else "user_deactivate",
        f"user:{user.username}",
        {},
    )
    return user
