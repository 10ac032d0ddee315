"""Units as the domain sees them: a node of the organisation tree, known by its path."""

from __future__ import annotations

from dataclasses import dataclass


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
    user_id: int
    username: str
    name: str
    role: str
    unit: UnitRef
    region_code: str
