"""What a holder of some roles may see of a case type (DESIGN.md §7), as pure functions over
the role specs of the roles catalog (`catalog/roles.yaml`) and the type's `visibility`.

A user may hold several roles. For one type, only the roles that the type's visibility names
count ("viewing roles"): the type is visible when there is one; its scope is the broadest
of theirs (region > subtree > involved); the personal kinds shown whole are the union of
their `sees`, those that may be unmasked on purpose the union of their `reveals`.
A type that declares no visibility is seen by the roles given as `undeclared`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from fazhi.domain.case_type.spec import CaseType, RoleSpec

Scope = Literal["region", "subtree", "involved"]
# Broader scopes rank higher: a region-wide role sees everything a unit role does.
SCOPE_RANK: dict[str, int] = {"involved": 0, "subtree": 1, "region": 2}


def viewing_roles(
    case_type: CaseType, roles: Iterable[str], undeclared: Collection[str] = ()
) -> tuple[str, ...]:
    """The roles among `roles` that the type's visibility names."""
    named = case_type.visibility.roles if case_type.visibility is not None else undeclared
    return tuple(r for r in roles if r in named)


def _specs(
    case_type: CaseType,
    roles: Iterable[str],
    role_specs: Mapping[str, RoleSpec],
    undeclared: Collection[str],
) -> list[RoleSpec]:
    return [role_specs[r] for r in viewing_roles(case_type, roles, undeclared) if r in role_specs]


def broadest(scopes: Iterable[str]) -> Scope | None:
    best: Scope | None = None
    for scope in scopes:
        if best is None or SCOPE_RANK[scope] > SCOPE_RANK[best]:
            best = scope  # type: ignore[assignment]
    return best


def scope_for(
    case_type: CaseType,
    roles: Iterable[str],
    role_specs: Mapping[str, RoleSpec],
    undeclared: Collection[str] = (),
) -> Scope | None:
    """How far a holder of `roles` sees the type's cases; None when it may not see them."""
    return broadest(s.scope for s in _specs(case_type, roles, role_specs, undeclared))


def opens_cases(
    case_type: CaseType,
    roles: Iterable[str],
    role_specs: Mapping[str, RoleSpec],
    undeclared: Collection[str] = (),
) -> bool:
    """Whether cases opened to all units (揭榜挂帅) are visible besides the scope."""
    return any(s.open_cases for s in _specs(case_type, roles, role_specs, undeclared))


def shown_kinds(
    case_type: CaseType,
    roles: Iterable[str],
    role_specs: Mapping[str, RoleSpec],
    undeclared: Collection[str] = (),
) -> frozenset[str]:
    """The personal kinds of the type's cases shown whole to a holder of `roles`."""
    return frozenset().union(*(s.sees for s in _specs(case_type, roles, role_specs, undeclared)))


def revealable_kinds(
    case_type: CaseType,
    roles: Iterable[str],
    role_specs: Mapping[str, RoleSpec],
    undeclared: Collection[str] = (),
) -> frozenset[str]:
    """The personal kinds a holder of `roles` may unmask on purpose (beyond those shown)."""
    specs = _specs(case_type, roles, role_specs, undeclared)
    return frozenset().union(*(s.reveals for s in specs)) - shown_kinds(
        case_type, roles, role_specs, undeclared
    )


def widest_scope(roles: Iterable[str], role_specs: Mapping[str, RoleSpec]) -> Scope | None:
    """The broadest scope of the roles themselves, whatever the type (for pages that are
    about one type already, such as the hotline's statistics)."""
    return broadest(role_specs[r].scope for r in roles if r in role_specs)


@dataclass(frozen=True)
class TypeView:
    """What a holder of some roles sees of one type."""

    scope: Scope
    open_cases: bool
    shown: frozenset[str]  # personal kinds shown whole
    reveals: frozenset[str]  # personal kinds it may unmask on purpose (an event each time)
    restricted: bool  # every read of a case is an event


@dataclass(frozen=True)
class Sight:
    """Everything an actor may see: one view per visible type, and the visibility groups
    (scope, open_cases, types) that the SQL visibility clause is built from."""

    views: tuple[tuple[str, TypeView], ...] = ()
    widest: Scope | None = None
    groups: tuple[tuple[Scope, bool, tuple[str, ...]], ...] = ()
    _index: dict[str, TypeView] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update(self.views)

    def view(self, type_name: str) -> TypeView | None:
        return self._index.get(type_name)

    @property
    def region_wide(self) -> bool:
        return self.widest == "region"


def type_view(
    case_type: CaseType,
    roles: Iterable[str],
    role_specs: Mapping[str, RoleSpec],
    undeclared: Collection[str] = (),
) -> TypeView | None:
    roles = tuple(roles)
    scope = scope_for(case_type, roles, role_specs, undeclared)
    if scope is None:
        return None
    return TypeView(
        scope=scope,
        # Beyond a region scope there is nothing more to open.
        open_cases=scope != "region" and opens_cases(case_type, roles, role_specs, undeclared),
        shown=shown_kinds(case_type, roles, role_specs, undeclared),
        reveals=revealable_kinds(case_type, roles, role_specs, undeclared),
        restricted=case_type.restricted,
    )


def sight_of(
    types: Iterable[CaseType],
    roles: Iterable[str],
    role_specs: Mapping[str, RoleSpec],
    undeclared: Collection[str] = (),
) -> Sight:
    roles = tuple(roles)
    views: list[tuple[str, TypeView]] = []
    grouped: dict[tuple[Scope, bool], list[str]] = {}
    for case_type in types:
        view = type_view(case_type, roles, role_specs, undeclared)
        if view is not None:
            views.append((case_type.name, view))
            grouped.setdefault((view.scope, view.open_cases), []).append(case_type.name)
    groups = tuple(
        (scope, open_cases, tuple(sorted(names)))
        for (scope, open_cases), names in sorted(
            grouped.items(), key=lambda item: (-SCOPE_RANK[item[0][0]], item[0][1])
        )
    )
    return Sight(tuple(views), widest_scope(roles, role_specs), groups)


EMPTY_SIGHT = Sight()
