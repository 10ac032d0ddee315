"""Organisation files (format ``fazhi-org/1``): parse and validate, no database.

An organisation file describes one district: its units (the district itself, departments,
streets, communities, grids, centres and companies) and demo logins. The format is
documented in ``docs/data-formats.md`` ("Organisation file"). :func:`parse_org` checks
everything it can and raises :class:`OrgFileError` listing *all* problems found, each a
Chinese message naming the unit code or username concerned.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from fazhi.catalog.categories import category_codes
from fazhi.catalog.roles import default_roles

__all__ = [
    "FORMAT",
    "UNIT_KINDS",
    "OrgFileError",
    "OrgSpec",
    "UnitSpec",
    "UserSpec",
    "load_demo_org",
    "load_org",
    "parse_org",
]

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
_PARENT_KIND: dict[str, str] = {
    "street": "district",
    "community": "street",
    "grid": "community",
}

_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_REGION_RE = re.compile(r"^[0-9]{6}$")

_TOP_KEYS = frozenset({"format", "synthetic", "region_code", "units", "users"})
_UNIT_KEYS = frozenset(
    {"code", "name", "kind", "parent", "short_name", "categories", "polygon", "address_hints"}
)
_USER_KEYS = frozenset({"username", "display_name", "role", "roles", "unit", "password"})


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


def load_org(path: Path) -> OrgSpec:
    """Read and validate an organisation file (YAML).

    Raises :class:`OrgFileError` for invalid YAML or content; ``OSError`` if unreadable.
    """
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise OrgFileError([f"YAML 解析失败：{exc}"], source=str(path)) from exc
    try:
        return parse_org(data)
    except OrgFileError as exc:
        raise OrgFileError(exc.problems, source=str(path)) from None


def load_demo_org() -> OrgSpec:
    """The packaged 石峰区 demo organisation (``fazhi/demo/org.yaml``)."""
    resource = resources.files("fazhi.demo").joinpath("org.yaml")
    with resources.as_file(resource) as path:
        return load_org(path)


def parse_org(data: object) -> OrgSpec:
    """Validate already-loaded YAML data and build an :class:`OrgSpec`."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise OrgFileError(["文件内容必须是一个映射（含 format、region_code、units、users）"])

    for key in sorted(set(map(str, data)) - _TOP_KEYS):
        problems.append(f"顶层：未知字段 {key!r}")

    fmt = data.get("format")
    if fmt != FORMAT:
        problems.append(f"顶层：format 必须为 {FORMAT!r}，实际为 {fmt!r}")

    synthetic = data.get("synthetic", False)
    if not isinstance(synthetic, bool):
        problems.append(f"顶层：synthetic 必须是 true 或 false，实际为 {synthetic!r}")
        synthetic = False

    region_code = data.get("region_code")
    if not isinstance(region_code, str) or not _REGION_RE.match(region_code):
        hint = "（请加引号写成字符串）" if isinstance(region_code, int) else ""
        problems.append(
            f"顶层：region_code 必须是6位数字的行政区划代码，实际为 {region_code!r}{hint}"
        )
        region_code = str(region_code)

    all_codes: set[str] = set()
    units = _parse_units(data.get("units"), all_codes, problems)
    users = _parse_users(data.get("users", []), all_codes, problems)

    if problems:
        raise OrgFileError(problems)
    return OrgSpec(
        region_code=region_code, units=tuple(units), users=tuple(users), synthetic=synthetic
    )


# --------------------------------------------------------------------------- units


def _parse_units(raw: object, all_codes: set[str], problems: list[str]) -> list[UnitSpec]:
    """Units with a well-formed code, name, kind and parent, in file order.

    ``all_codes`` receives every well-formed code, including those of units dropped for
    other problems, so that their children and users are not misreported.
    """
    if not isinstance(raw, list) or not raw:
        problems.append("顶层：units 必须是非空列表")
        return []

    known_categories = set(category_codes())
    units: list[UnitSpec] = []
    first_index: dict[str, int] = {}
    for index, item in enumerate(raw):
        code, unit = _parse_unit(index, item, known_categories, problems)
        if code is None:
            continue
        if code in first_index:
            problems.append(
                f"单位 {code}：编码重复（第 {first_index[code] + 1} 项与第 {index + 1} 项）"
            )
            continue
        first_index[code] = index
        if unit is not None:
            units.append(unit)
    all_codes.update(first_index)

    by_code = {u.code: u for u in units}
    position = {u.code: i for i, u in enumerate(units)}
    in_cycle = _cycle_members(by_code, problems)

    roots = [u for u in units if u.parent_code is None]
    for unit in units:
        parent_code = unit.parent_code
        if parent_code is None:
            if unit.kind != "district":
                problems.append(
                    f"单位 {unit.code}：缺少上级单位 parent（只有 district 可以没有上级）"
                )
            continue
        if unit.kind == "district":
            problems.append(f"单位 {unit.code}：district 是根单位，不能有上级 {parent_code}")
        parent = by_code.get(parent_code)
        if parent is None:
            if parent_code not in all_codes:
                problems.append(f"单位 {unit.code}：上级单位 {parent_code} 不存在")
            continue
        if unit.code in in_cycle:
            continue
        if position[parent_code] > position[unit.code]:
            problems.append(f"单位 {unit.code}：上级单位 {parent_code} 排在其后，上级必须先列出")
        wanted = _PARENT_KIND.get(unit.kind)
        if wanted is not None and parent.kind != wanted:
            problems.append(
                f"单位 {unit.code}：{unit.kind} 的上级必须是 {wanted}，"
                f"但 {parent_code} 是 {parent.kind}"
            )
        if parent.kind == "grid":
            problems.append(f"单位 {unit.code}：网格 {parent_code} 不能有下级单位")
    district_roots = [u for u in roots if u.kind == "district"]
    if units and not district_roots:
        problems.append("顶层：没有根单位（kind 为 district 且没有 parent 的单位）")
    elif len(district_roots) > 1:
        codes = "、".join(u.code for u in district_roots)
        problems.append(f"顶层：根单位只能有一个，实际有 {len(district_roots)} 个：{codes}")

    claimed_by: dict[str, str] = {}
    for unit in units:
        for code in unit.categories:
            owner = claimed_by.get(code)
            if owner is None:
                claimed_by[code] = unit.code
            elif owner != unit.code:
                problems.append(
                    f"单位 {unit.code}：分类 {code} 已由单位 {owner} 认领，"
                    "一个分类只能有一个默认主办单位"
                )
    return units


def _cycle_members(by_code: dict[str, UnitSpec], problems: list[str]) -> set[str]:
    """Codes of units on a parent cycle; one problem is reported per cycle."""
    members: set[str] = set()
    done: set[str] = set()
    for start in by_code:
        path: list[str] = []
        on_path: set[str] = set()
        code: str | None = start
        while code is not None and code in by_code and code not in done:
            if code in on_path:
                cycle = path[path.index(code) :]
                members.update(cycle)
                chain = " → ".join([*cycle, code])
                problems.append(f"单位 {min(cycle)}：上级关系成环：{chain}")
                break
            on_path.add(code)
            path.append(code)
            code = by_code[code].parent_code
        done.update(path)
    return members


def _parse_unit(
    index: int, item: object, known_categories: set[str], problems: list[str]
) -> tuple[str | None, UnitSpec | None]:
    """(code, unit): code is ``None`` if unusable; unit is ``None`` when its name, kind or
    parent is malformed (other problems are reported and the unit is kept)."""
    where = f"units 第 {index + 1} 项"
    if not isinstance(item, Mapping):
        problems.append(f"{where}：必须是映射，实际为 {item!r}")
        return None, None
    code = item.get("code")
    if not isinstance(code, str) or not _CODE_RE.match(code):
        problems.append(f"{where}：编码 code 必须是 ASCII 字母、数字、'-' 或 '_'，实际为 {code!r}")
        return None, None
    label = f"单位 {code}"
    ok = True

    for key in sorted(set(map(str, item)) - _UNIT_KEYS):
        problems.append(f"{label}：未知字段 {key!r}")

    name = item.get("name")
    if not _is_text(name):
        problems.append(f"{label}：缺少名称 name")
        ok = False

    kind = item.get("kind")
    if kind not in UNIT_KINDS:
        problems.append(f"{label}：未知类型 kind {kind!r}（可选：{'、'.join(UNIT_KINDS)}）")
        ok = False

    parent = item.get("parent")
    if parent is not None and not isinstance(parent, str):
        problems.append(f"{label}：上级 parent 必须是单位编码字符串，实际为 {parent!r}")
        ok = False

    # Problems below are reported but keep the unit, so that the checks across units
    # (parents, category claims) still run on it; the file is rejected all the same.
    short_name = item.get("short_name")
    if short_name is not None and not _is_text(short_name):
        problems.append(f"{label}：简称 short_name 必须是非空字符串，实际为 {short_name!r}")
        short_name = None

    categories: list[str] = []
    for cat in _str_list(item.get("categories"), label, "categories", problems) or ():
        if cat not in known_categories:
            problems.append(f"{label}：未知分类代码 {cat!r}")
        elif cat in categories:
            problems.append(f"{label}：分类 {cat} 重复列出")
        else:
            categories.append(cat)

    hints = _str_list(item.get("address_hints"), label, "address_hints", problems) or ()

    polygon = _parse_polygon(item.get("polygon"), kind, label, problems)

    if not ok:
        return code, None
    assert isinstance(name, str) and isinstance(kind, str)
    return code, UnitSpec(
        code=code,
        name=name.strip(),
        kind=kind,
        parent_code=parent,
        short_name=short_name.strip() if isinstance(short_name, str) else None,
        categories=tuple(categories),
        polygon=polygon,
        address_hints=tuple(hints),
    )


def _parse_polygon(
    raw: object, kind: object, label: str, problems: list[str]
) -> tuple[tuple[float, float], ...] | None:
    """The polygon as (lon, lat) points; ``None`` when absent or after reporting a problem."""
    if raw is None:
        if kind == "grid":
            problems.append(f"{label}：网格必须有 polygon（[经度, 纬度] 点列表）")
            return None
        return None
    if kind != "grid":
        problems.append(f"{label}：只有网格（grid）可以有 polygon，本单位类型为 {kind!r}")
        return None
    if not isinstance(raw, list):
        problems.append(f"{label}：polygon 必须是 [经度, 纬度] 点列表")
        return None
    points: list[tuple[float, float]] = []
    for i, point in enumerate(raw):
        if (
            not isinstance(point, list | tuple)
            or len(point) != 2
            or not all(_is_number(v) for v in point)
        ):
            problems.append(
                f"{label}：polygon 第 {i + 1} 个点必须是 [经度, 纬度]，实际为 {point!r}"
            )
            return None
        lon, lat = float(point[0]), float(point[1])
        if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
            problems.append(f"{label}：polygon 第 {i + 1} 个点超出经纬度范围：{point!r}")
            return None
        points.append((lon, lat))
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # a closed ring repeats its first point; store it open
    if len(set(points)) < 3:
        problems.append(f"{label}：polygon 至少需要 3 个不同的点，实际 {len(set(points))} 个")
        return None
    return tuple(points)


# --------------------------------------------------------------------------- users


def _parse_users(raw: object, unit_codes: set[str], problems: list[str]) -> list[UserSpec]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append("顶层：users 必须是列表")
        return []
    users: list[UserSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"users 第 {index + 1} 项"
        if not isinstance(item, Mapping):
            problems.append(f"{where}：必须是映射，实际为 {item!r}")
            continue
        username = item.get("username")
        if not isinstance(username, str) or not _USERNAME_RE.match(username):
            problems.append(
                f"{where}：用户名 username 必须由小写字母、数字、'_'、'.'、'-' 组成，"
                f"实际为 {username!r}"
            )
            continue
        label = f"用户 {username}"
        ok = True
        for key in sorted(set(map(str, item)) - _USER_KEYS):
            problems.append(f"{label}：未知字段 {key!r}")
        if username in seen:
            problems.append(f"{label}：用户名重复")
            ok = False
        seen.add(username)
        display_name = item.get("display_name")
        if not _is_text(display_name):
            problems.append(f"{label}：缺少显示名 display_name")
            ok = False
        roles = _user_roles(item, label, problems)
        if not roles:
            ok = False
        unit = item.get("unit")
        if not isinstance(unit, str) or unit not in unit_codes:
            problems.append(f"{label}：所属单位 {unit!r} 不存在")
            ok = False
        password = item.get("password")
        if not _is_text(password):
            problems.append(f"{label}：缺少密码 password")
            ok = False
        if ok:
            assert isinstance(display_name, str)
            assert isinstance(unit, str) and isinstance(password, str)
            users.append(
                UserSpec(username, display_name.strip(), roles[0], unit, password, roles)
            )
    return users


def _user_roles(item: Mapping[str, Any], label: str, problems: list[str]) -> tuple[str, ...]:
    """The user's roles, primary first; () after reporting a problem."""
    known = default_roles()
    choices = "、".join(spec.name for spec in known.assignable)
    role, listed = item.get("role"), item.get("roles")
    if role is None and listed is None:
        problems.append(f"{label}：缺少角色 role 或 roles")
        return ()
    given: list[Any] = [] if role is None else [role]
    if listed is not None:
        if not isinstance(listed, list) or not listed:
            problems.append(f"{label}：roles 必须是非空角色列表，实际为 {listed!r}")
            return ()
        given += [r for r in listed if r != role]
    bad = False
    for value in given:
        if not isinstance(value, str) or value not in known:
            problems.append(f"{label}：未知角色 {value!r}（可选：{choices}）")
            bad = True
        elif known[value].system:
            problems.append(f"{label}：{value} 是平台的系统角色，不能分配给账号")
            bad = True
    if bad:
        return ()
    if len(set(given)) != len(given):
        problems.append(f"{label}：roles 中有重复的角色")
        return ()
    return tuple(given)


# --------------------------------------------------------------------------- helpers


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _str_list(raw: Any, label: str, field_name: str, problems: list[str]) -> tuple[str, ...] | None:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(_is_text(v) for v in raw):
        problems.append(f"{label}：{field_name} 必须是非空字符串列表，实际为 {raw!r}")
        return None
    return tuple(v.strip() for v in raw)
