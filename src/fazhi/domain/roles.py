"""The roles of the platform and what each may see (DESIGN.md §7)."""

from __future__ import annotations

ROLE_LABELS: dict[str, str] = {
    "operator": "话务员",
    "dispatcher": "派单员",
    "unit_handler": "承办人员",
    "unit_leader": "单位负责人",
    "supervisor": "督办人员",
    "district_leader": "区领导",
    "admin": "系统管理员",
    # The platform's own account: the scheduler takes the system actions of the types.
    "system": "系统",
}
ROLES: tuple[str, ...] = tuple(ROLE_LABELS)

# The hotline centre, supervisors, leaders and admins work across the whole district;
# units see only the cases they are or were involved in (others answer 404).
REGION_WIDE_ROLES = frozenset(
    {"operator", "dispatcher", "supervisor", "district_leader", "admin", "system"}
)

# Operators and dispatchers talk to callers, so they see contact details whole.
SEES_PERSONAL_DATA = frozenset({"operator", "dispatcher"})
# These may unmask a case's personal data on purpose; each unmasking is an event.
MAY_REVEAL_PERSONAL_DATA = frozenset({"unit_handler", "unit_leader", "supervisor"})
