"""The checks of an organisation file's sections (units, users), each problem a Chinese
message naming the unit code or username concerned."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fazhi.catalog.categories import category_codes
from fazhi.catalog.org_spec import UNIT_KINDS, UnitSpec, UserSpec
from fazhi.catalog.roles import default_roles

PARENT_KIND: dict[str, str] = {
    "street": "district",
    "community": "street",
    "grid": "community",
}

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
REGION_RE = re.compile(r"^[0-9]{6}$")

TOP_KEYS = frozenset({"format", "synthetic", "region_code", "units", "users"})
UNIT_KEYS = frozenset(
    {"code", "name", "kind", "parent", "short_name", "categories", "polygon", "address_hints"}
)
USER_KEYS = frozenset({"username", "display_name", "role", "roles", "unit", "password"})


# --------------------------------------------------------------------------- units


def parse_units(raw: object, all_codes: set[str], problems: list[str]) -> list[UnitSpec]:
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
        wanted = PARENT_KIND.get(unit.kind)
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
    if not isinstance(code, str) or not CODE_RE.match(code):
        problems.append(f"{where}：编码 code 必须是 ASCII 字母、数字、'-' 或 '_'，实际为 {code!r}")
        return None, None
    label = f"单位 {code}"
    ok = True

    for key in sorted(set(map(str, item)) - UNIT_KEYS):
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


def parse_users(raw: object, unit_codes: set[str], problems: list[str]) -> list[UserSpec]:
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
        if not isinstance(username, str) or not USERNAME_RE.match(username):
            problems.append(
                f"{where}：用户名 username 必须由小写字母、数字、'_'、'.'、'-' 组成，"
                f"实际为 {username!r}"
            )
            continue
        label = f"用户 {username}"
        ok = True
        for key in sorted(set(map(str, item)) - USER_KEYS):
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
            users.append(UserSpec(username, display_name.strip(), roles[0], unit, password, roles))
    return users


# --------------------------------------------------------------------------- helpers


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
