"""The roles a user holds: the primary one (users.role) and the others (user_roles).

Checked against the roles catalog (platform.roles): a role must exist and must not be a
system role, which belongs to the platform itself and is never given to an account.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.org import set_user_roles
from fazhi.catalog.roles import RoleCatalog
from fazhi.domain.errors import Problem
from fazhi.store.models import User, UserRole

__all__ = ["check_roles", "held_roles", "roles_by_user", "set_user_roles"]


def check_roles(
    problems: list[Problem], catalog: RoleCatalog, primary: str, others: Iterable[str] = ()
) -> tuple[str, ...]:
    """The roles to hold, primary first and the rest in catalog order; a problem (field
    `role` or `roles`) for a missing, unknown or system role."""
    if not primary:
        problems.append(Problem("required", "请选择角色", "role"))
    elif primary not in catalog or catalog[primary].system:
        problems.append(Problem("unknown_role", f"没有可分配的角色 {primary}", "role"))
    rest = [r for r in dict.fromkeys(others) if r and r != primary]
    for name in rest:
        if name not in catalog or catalog[name].system:
            problems.append(Problem("unknown_role", f"没有可分配的角色 {name}", "roles"))
    return (primary, *catalog.ordered(set(rest)))


def held_roles(session: Session, user: User, catalog: RoleCatalog) -> tuple[str, ...]:
    """Every role the user holds, primary first, the rest in catalog order."""
    rows = session.scalars(select(UserRole.role).where(UserRole.user_id == user.id))
    return (user.role, *catalog.ordered({r for r in rows if r != user.role}))


def roles_by_user(
    session: Session, users: Sequence[User], catalog: RoleCatalog
) -> dict[int, tuple[str, ...]]:
    """held_roles for many users in one query (for lists)."""
    found: dict[int, set[str]] = {u.id: set() for u in users}
    if users:
        rows = session.execute(
            select(UserRole.user_id, UserRole.role).where(UserRole.user_id.in_(list(found)))
        )
        for user_id, role in rows:
            found[user_id].add(role)
    return {u.id: (u.role, *catalog.ordered(found[u.id] - {u.role})) for u in users}
