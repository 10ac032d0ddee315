"""Synthetic districts of a synthetic city, derived from the 石峰区 demo organisation.

`fazhi demo generate` needs many districts of the same shape (departments, streets,
communities, grids, logins) to measure a city's history. Each is the demo organisation with
its own region code (4399NN: prefecture 99 of 湖南省 does not exist, so no code can be taken
for a real district's), its unit codes and names renamed, its grids moved so districts lie
side by side, its logins prefixed — every one labelled 合成数据. Pure: no database.
"""

from __future__ import annotations

from dataclasses import replace

from fazhi.catalog.org_spec import OrgSpec, UnitSpec, UserSpec

DEMO_STEM = "石峰"
DEMO_CODE_PREFIX = "SF"
# Invented district names (not a real district's, as far as the names go).
STEMS = (
    "云岭", "青溪", "松桥", "枫林", "白沙", "金田", "柳塘", "桃源", "梅岗", "荷湾",
    "雁坪", "竹溪", "丹霞", "芷江", "星沙", "兰亭", "翠屏", "鹭洲", "银杏", "紫薇",
)  # fmt: skip
MAX_DISTRICTS = 99
# How far apart the districts' grids lie (degrees), five to a row.
SHIFT = 0.13
PER_ROW = 5


def city_region_code(k: int) -> str:
    """The region code of synthetic district `k` (1-based)."""
    if not 1 <= k <= MAX_DISTRICTS:
        raise ValueError(f"district number {k} outside 1..{MAX_DISTRICTS}")
    return f"4399{k:02d}"


def city_stem(k: int) -> str:
    return STEMS[k - 1] if k <= len(STEMS) else f"合成{k}"


def _unit(unit: UnitSpec, k: int, stem: str) -> UnitSpec:
    prefix = f"C{k:02d}"

    def code(value: str | None) -> str | None:
        if value is None:
            return None
        if value.startswith(DEMO_CODE_PREFIX):
            return prefix + value[len(DEMO_CODE_PREFIX) :]
        return f"{prefix}-{value}"

    dx, dy = ((k - 1) % PER_ROW) * SHIFT, ((k - 1) // PER_ROW) * SHIFT
    name = unit.name.replace(DEMO_STEM, stem)
    if unit.parent_code is None:
        name = f"{name}（合成数据）"
    return replace(
        unit,
        code=code(unit.code) or "",
        parent_code=code(unit.parent_code),
        name=name,
        short_name=unit.short_name.replace(DEMO_STEM, stem) if unit.short_name else None,
        polygon=tuple((round(x + dx, 6), round(y + dy, 6)) for x, y in unit.polygon)
        if unit.polygon
        else None,
    )


def synthetic_district(demo: OrgSpec, k: int) -> OrgSpec:
    """District `k` of the synthetic city: the demo organisation renamed and moved."""
    stem = city_stem(k)
    prefix = f"C{k:02d}"
    units = tuple(_unit(u, k, stem) for u in demo.units)
    users = tuple(
        UserSpec(
            username=f"c{k:02d}.{u.username}",
            display_name=u.display_name,
            role=u.role,
            unit_code=prefix + u.unit_code[len(DEMO_CODE_PREFIX) :]
            if u.unit_code.startswith(DEMO_CODE_PREFIX)
            else f"{prefix}-{u.unit_code}",
            password=u.password,
            roles=u.roles,
        )
        for u in demo.users
    )
    return OrgSpec(region_code=city_region_code(k), units=units, users=users, synthetic=True)
