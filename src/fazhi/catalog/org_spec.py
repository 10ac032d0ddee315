"""The organisation file's format (``fazhi-org/1``) as specs: its unit kinds and roles, one
unit, one user, the whole file; and the error listing every problem of a file."""

from __future__ import annotations

from dataclasses import dataclass, field

FORMAT = "fazhi-org/1"

UNIT_KINDS: tuple[str, ...] = (
    "district",  # 区: the root of the tree
    "department",  # 部门 and other government bodies
    "street",  # 街道 and 镇
    "community",  # 社区 and 村
    "grid",  # 网格
    "centre",  # 12345热线服务中心, 网格化服务中心
    "company",  # utility companies and telecom operators
)


# The kind a unit's parent must have, for the kinds whose place in the tree is fixed.


@dataclass(frozen=True)
class UnitSpec:
    """One unit. ``polygon`` is a ring of (lon, lat) points for grids, ``None`` otherwise."""

    code: str
    name: str
    kind: str
    parent_code: str | None
    short_name: str | None = None
    categories: tuple[str, ...] = ()
    polygon: tuple[tuple[float, float], ...] | None = None
    address_hints: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        """The short name when there is one, else the full name."""
        return self.short_name or self.name


@dataclass(frozen=True)
class UserSpec:
    """One demo login. ``password`` is plain text: demo files only.

    ``role`` is the primary role; ``roles`` every role held, the primary first (a file
    gives ``role:``, ``roles: [..]`` or both; with only ``roles`` the first is primary).
    """

    username: str
    display_name: str
    role: str
    unit_code: str
    password: str
    roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        held = (self.role, *(r for r in self.roles if r != self.role))
        object.__setattr__(self, "roles", tuple(dict.fromkeys(held)))


@dataclass(frozen=True)
class OrgSpec:
    """A validated organisation: units parents-first, users in file order."""

    region_code: str
    units: tuple[UnitSpec, ...]
    users: tuple[UserSpec, ...]
    synthetic: bool
    _by_code: dict[str, UnitSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {u.code: u for u in self.units})

    def unit(self, code: str) -> UnitSpec:
        """The unit with this code (``KeyError`` if absent)."""
        return self._by_code[code]

    def has_unit(self, code: str) -> bool:
        return code in self._by_code

    def children(self, code: str) -> tuple[UnitSpec, ...]:
        """Direct children of a unit, in file order."""
        return tuple(u for u in self.units if u.parent_code == code)

    def ancestors(self, code: str) -> tuple[UnitSpec, ...]:
        """The unit's parent, grandparent, ... up to the root (nearest first)."""
        result: list[UnitSpec] = []
        parent = self._by_code[code].parent_code
        while parent is not None:
            unit = self._by_code[parent]
            result.append(unit)
            parent = unit.parent_code
        return tuple(result)

    def units_of_kind(self, kind: str) -> tuple[UnitSpec, ...]:
        return tuple(u for u in self.units if u.kind == kind)

    def default_unit_for(self, category: str) -> UnitSpec | None:
        """The unit whose ``categories`` claims this category code, if any."""
        for unit in self.units:
            if category in unit.categories:
                return unit
        return None


class OrgFileError(Exception):
    """The organisation file is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        where = f"{source}: " if source else ""
        head = f"{where}组织文件有 {len(self.problems)} 个问题"
        super().__init__(head + "\n" + "\n".join(f"- {p}" for p in self.problems))
