"""Load an organisation file into the units and users tables (idempotent by code)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.passwords import hash_password
from fazhi.catalog.org_file import OrgSpec
from fazhi.store.cache_versions import bump
from fazhi.store.models import Unit, User, UserRole


@dataclass
class OrgLoadResult:
    units_created: int = 0
    units_updated: int = 0
    users_created: int = 0
    users_updated: int = 0


def load_org_into(session: Session, spec: OrgSpec) -> OrgLoadResult:
    result = OrgLoadResult()
    bump(session, "units")
    existing = {
        u.code: u for u in session.scalars(select(Unit).where(Unit.region_code == spec.region_code))
    }
    for unit_spec in spec.units:  # parents come first
        parent = existing.get(unit_spec.parent_code) if unit_spec.parent_code else None
        row = existing.get(unit_spec.code)
        if row is None:
            row = Unit(region_code=spec.region_code, code=unit_spec.code, path="", depth=0)
            session.add(row)
            result.units_created += 1
        else:
            result.units_updated += 1
        row.name = unit_spec.name
        row.short_name = unit_spec.short_name
        row.kind = unit_spec.kind
        row.parent_id = parent.id if parent else None
        row.categories = list(unit_spec.categories)
        row.polygon = [list(p) for p in unit_spec.polygon] if unit_spec.polygon else None
        row.address_hints = list(unit_spec.address_hints)
        row.active = True
        session.flush()
        row.path = f"{parent.path if parent else '/'}{row.id}/"
        row.depth = (parent.depth + 1) if parent else 0
        existing[unit_spec.code] = row
    users = {u.username: u for u in session.scalars(select(User))}
    for user_spec in spec.users:
        user = users.get(user_spec.username)
        if user is None:
            user = User(
                username=user_spec.username, password_hash=hash_password(user_spec.password)
            )
            session.add(user)
            result.users_created += 1
        else:
            result.users_updated += 1
        user.region_code = spec.region_code
        user.display_name = user_spec.display_name
        user.role = user_spec.role
        user.unit_id = existing[user_spec.unit_code].id
        user.active = True
        users[user_spec.username] = user
    session.flush()
    for user_spec in spec.users:
        set_user_roles(session, users[user_spec.username], user_spec.roles)
    session.flush()
    return result


def set_user_roles(session: Session, user: User, roles: tuple[str, ...]) -> None:
    """Make user_roles hold exactly `roles` for the user (its primary role included)."""
    wanted = {user.role, *roles}
    have = {r.role: r for r in session.scalars(select(UserRole).where(UserRole.user_id == user.id))}
    for name, row in have.items():
        if name not in wanted:
            session.delete(row)
    for name in wanted - set(have):
        session.add(UserRole(user_id=user.id, role=name))
