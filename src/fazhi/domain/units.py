"""Units as the domain sees them: a node of the organisation tree, known by its path."""

from __future__ import annotations

from dataclasses import dataclass, field

from fazhi.domain.roles import EMPTY_SIGHT, Sight


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str
    kind: str
    path: str  # "/1/4/27/": ids from the root, so a subtree is a path prefix

    def contains(self, other: UnitRef) -> bool:
        """True when `other` is this unit or lies below it."""
        return other.path.startswith(self.path)

    def brief(self) -> dict[str, object]:
        return {"id": self.id, "code": self.code, "name": self.name}


@dataclass(frozen=True)
class Actor:
    """Who acts. `role` is the primary role (shown first; it picks the landing page);
    `roles` every role the user holds, the primary first. `sight` is what those roles may
    see of the loaded case types (built by `actions.visibility.sight_for`)."""

    user_id: int
    username: str
    name: str
    role: str
    unit: UnitRef
    region_code: str
    roles: tuple[str, ...] = ()
    sight: Sight = field(default=EMPTY_SIGHT, compare=False)

    def __post_init__(self) -> None:
        roles = (self.role, *(r for r in self.roles if r != self.role))
        object.__setattr__(self, "roles", tuple(dict.fromkeys(roles)))

    def has_role(self, *names: str) -> bool:
        """Whether any of the user's roles is one of `names`."""
        return any(r in names for r in self.roles)
