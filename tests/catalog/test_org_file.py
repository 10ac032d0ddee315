"""The organisation file format (fazhi-org/1) and the 石峰区 demo organisation."""

from __future__ import annotations

import copy
import itertools
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from fazhi.catalog.categories import category_codes
from fazhi.catalog.org_file import (
    UNIT_KINDS,
    OrgFileError,
    OrgSpec,
    UnitSpec,
    load_demo_org,
    load_org,
    parse_org,
)
from fazhi.catalog.roles import default_roles

# --------------------------------------------------------------------------- demo file


@pytest.fixture(scope="module")
def demo() -> OrgSpec:
    return load_demo_org()


def _demo_path() -> Path:
    return Path(str(resources.files("fazhi.demo").joinpath("org.yaml")))


def test_demo_file_loads_from_path() -> None:
    org = load_org(_demo_path())
    assert org == load_demo_org()
    assert org.region_code == "430204"
    assert org.synthetic is True


def test_demo_file_says_it_is_synthetic() -> None:
    text = _demo_path().read_text(encoding="utf-8")
    assert "SYNTHETIC" in text
    assert "format: fazhi-org/1" in text


def test_root_and_centres(demo: OrgSpec) -> None:
    root = demo.units[0]
    assert (root.code, root.name, root.kind, root.parent_code) == ("SF", "石峰区", "district", None)
    centres = {u.code: u.name for u in demo.units_of_kind("centre")}
    assert centres["SF-12345"] == "石峰区12345热线服务中心"
    assert "区网格化服务中心" in {u.display_name for u in demo.units_of_kind("centre")}


def test_seven_streets_and_towns(demo: OrgSpec) -> None:
    streets = demo.units_of_kind("street")
    assert {u.name for u in streets} == {
        "田心街道", "响石岭街道", "清水塘街道", "井龙街道", "铜塘湾街道", "学林街道", "云田镇",
    }  # fmt: skip
    assert all(u.parent_code == "SF" for u in streets)
    assert demo.unit("SF-TX").name == "田心街道"


def test_68_communities_under_streets(demo: OrgSpec) -> None:
    communities = demo.units_of_kind("community")
    assert len(communities) == 68
    assert len({u.name for u in communities}) == 68
    assert all(demo.unit(u.parent_code or "").kind == "street" for u in communities)
    assert all(u.name.endswith(("社区", "村")) for u in communities)
    per_street = Counter(u.parent_code for u in communities)
    assert len(per_street) == 7
    villages = [u for u in communities if u.parent_code == "SF-YT" and u.name.endswith("村")]
    assert len(villages) > per_street["SF-YT"] / 2  # 云田镇 has mostly villages


def test_departments_and_companies(demo: OrgSpec) -> None:
    departments = demo.units_of_kind("department")
    assert len(departments) >= 45
    short_names = {u.display_name for u in departments}
    for name in ("区城管局", "区交警大队", "区市场监管局", "区人社局", "区司法局", "区住建局",
                 "生态环境分局", "区公安分局", "区政务服务中心", "区政府督查室"):  # fmt: skip
        assert name in short_names
    assert len(demo.units_of_kind("company")) >= 5


def test_every_category_but_dispute_has_exactly_one_default_unit(demo: OrgSpec) -> None:
    claims = Counter(code for u in demo.units for code in u.categories)
    for code in category_codes():
        if code == "DISPUTE":
            assert claims[code] == 0
            assert demo.default_unit_for(code) is None
        else:
            assert claims[code] == 1, code
    assert demo.default_unit_for("CITY_APPEARANCE").code == "SF-CGJ"  # type: ignore[union-attr]
    assert demo.default_unit_for("UTILITIES").kind == "company"  # type: ignore[union-attr]
    assert demo.default_unit_for("TELECOM").kind == "company"  # type: ignore[union-attr]


def test_units_parents_first_and_codes_ascii(demo: OrgSpec) -> None:
    seen: set[str] = set()
    for unit in demo.units:
        assert unit.kind in UNIT_KINDS
        assert unit.code.isascii()
        assert unit.parent_code is None or unit.parent_code in seen
        seen.add(unit.code)


def test_address_hints(demo: OrgSpec) -> None:
    communities = demo.units_of_kind("community")
    assert all(len(u.address_hints) >= 2 for u in communities)
    holders = [u for u in communities if "樱花地带小区" in u.address_hints]
    assert len(holders) == 1


# Grid polygons are axis-aligned rectangles; these helpers check that and compare them.


def _rect(unit: UnitSpec) -> tuple[float, float, float, float]:
    assert unit.polygon is not None
    xs = sorted({x for x, _ in unit.polygon})
    ys = sorted({y for _, y in unit.polygon})
    assert len(unit.polygon) == 4 and len(xs) == 2 and len(ys) == 2, unit.code
    return xs[0], ys[0], xs[1], ys[1]


def _shoelace(points: tuple[tuple[float, float], ...]) -> float:
    pairs = zip(points, points[1:] + points[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 1e-12 and dy > 1e-12 else 0.0


def test_grids_tile_each_community(demo: OrgSpec) -> None:
    for community in demo.units_of_kind("community"):
        grids = demo.children(community.code)
        assert 2 <= len(grids) <= 4, community.code
        assert all(g.kind == "grid" for g in grids)
        rects = [_rect(g) for g in grids]
        for a, b in itertools.combinations(rects, 2):
            assert _overlap(a, b) == 0.0, community.code
        # no gaps: the grids fill the community's bounding box exactly
        box = (min(r[0] for r in rects), min(r[1] for r in rects),
               max(r[2] for r in rects), max(r[3] for r in rects))  # fmt: skip
        area = sum(_shoelace(g.polygon or ()) for g in grids)
        assert area == pytest.approx((box[2] - box[0]) * (box[3] - box[1]), rel=1e-9)


def test_grids_do_not_overlap_across_the_district(demo: OrgSpec) -> None:
    grids = demo.units_of_kind("grid")
    rects = [_rect(g) for g in grids]
    for r in rects:
        assert 113.10 <= r[0] < r[2] <= 113.22 and 27.86 <= r[1] < r[3] <= 27.98
    for a, b in itertools.combinations(rects, 2):
        assert _overlap(a, b) == 0.0
    total = sum(_shoelace(g.polygon or ()) for g in grids)
    assert total == pytest.approx(0.12 * 0.12, rel=1e-6)  # the whole area is covered


def test_demo_users(demo: OrgSpec) -> None:
    users = {u.username: u for u in demo.users}
    assert all(set(u.roles) <= default_roles().ids for u in demo.users)
    assert all(demo.has_unit(u.unit_code) for u in demo.users)
    assert all(u.password == "fazhi2023" for u in demo.users)
    expected = {
        "admin": ("admin", "SF"),
        "operator1": ("operator", "SF-12345"),
        "operator2": ("operator", "SF-12345"),
        "dispatcher1": ("dispatcher", "SF-12345"),
        "leader1": ("district_leader", "SF"),
        "cgj_handler": ("unit_handler", "SF-CGJ"),
        "cgj_leader": ("unit_leader", "SF-CGJ"),
        "scjg_handler": ("unit_handler", "SF-SCJG"),
        "rsj_handler": ("unit_handler", "SF-RSJ"),
        "sfj_handler": ("unit_handler", "SF-SFJ"),
        "tx_handler": ("unit_handler", "SF-TX"),
        "tx_leader": ("unit_leader", "SF-TX"),
        "xsl_handler": ("unit_handler", "SF-XSL"),
    }
    for username, (role, unit) in expected.items():
        assert (users[username].role, users[username].unit_code) == (role, unit)
    assert users["supervisor1"].role == "supervisor"
    assert "SF" in {a.code for a in demo.ancestors(users["supervisor1"].unit_code)} | {"SF"}
    kinds = {demo.unit(u.unit_code).kind for u in demo.users if u.role == "unit_handler"}
    assert {"community", "grid"} <= kinds
    community_handlers = [u for u in demo.users if demo.unit(u.unit_code).kind == "community"]
    assert any(demo.unit(u.unit_code).parent_code == "SF-TX" for u in community_handlers)


# --------------------------------------------------------------------------- validation

SQUARE = [[113.10, 27.90], [113.11, 27.90], [113.11, 27.91], [113.10, 27.91]]


def _good() -> dict[str, Any]:
    return {
        "format": "fazhi-org/1",
        "synthetic": True,
        "region_code": "430204",
        "units": [
            {"code": "SF", "name": "石峰区", "kind": "district"},
            {"code": "SF-CGJ", "name": "区城管局", "kind": "department", "parent": "SF",
             "categories": ["SANITATION"]},
            {"code": "SF-TX", "name": "田心街道", "kind": "street", "parent": "SF"},
            {"code": "SF-TX-C01", "name": "田心东社区", "kind": "community", "parent": "SF-TX",
             "address_hints": ["樱花地带小区"]},
            {"code": "SF-TX-C01-G01", "name": "第一网格", "kind": "grid", "parent": "SF-TX-C01",
             "polygon": copy.deepcopy(SQUARE)},
        ],
        "users": [
            {"username": "admin", "display_name": "管理员", "role": "admin", "unit": "SF",
             "password": "fazhi2023"},
        ],
    }  # fmt: skip


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(OrgFileError) as info:
        parse_org(data)
    assert info.value.problems
    return info.value.problems


def _assert_reported(problems: list[str], *fragments: str) -> None:
    assert any(all(f in p for f in fragments) for p in problems), problems


def test_minimal_org_parses() -> None:
    org = parse_org(_good())
    assert [u.code for u in org.units] == ["SF", "SF-CGJ", "SF-TX", "SF-TX-C01", "SF-TX-C01-G01"]
    grid = org.unit("SF-TX-C01-G01")
    assert grid.polygon == tuple(tuple(p) for p in SQUARE)
    assert org.unit("SF-CGJ").categories == ("SANITATION",)
    assert org.unit("SF-TX-C01").address_hints == ("樱花地带小区",)
    assert org.users[0].unit_code == "SF"
    assert org.children("SF-TX") == (org.unit("SF-TX-C01"),)


def test_closed_ring_is_accepted_and_stored_open() -> None:
    data = _good()
    data["units"][4]["polygon"].append(list(SQUARE[0]))
    assert len(parse_org(data).unit("SF-TX-C01-G01").polygon or ()) == 4


def test_not_a_mapping() -> None:
    _assert_reported(_problems([1, 2]), "映射")  # type: ignore[arg-type]


def test_wrong_format() -> None:
    data = _good()
    data["format"] = "fazhi-org/2"
    _assert_reported(_problems(data), "format")


def test_unknown_kind() -> None:
    data = _good()
    data["units"][1]["kind"] = "bureau"
    _assert_reported(_problems(data), "SF-CGJ", "未知类型", "bureau")


def test_duplicate_code() -> None:
    data = _good()
    data["units"].append(dict(data["units"][2]))
    _assert_reported(_problems(data), "SF-TX", "编码重复")


def test_unknown_parent() -> None:
    data = _good()
    data["units"][1]["parent"] = "SF-NOPE"
    _assert_reported(_problems(data), "SF-CGJ", "SF-NOPE", "不存在")


def test_parent_listed_after_child() -> None:
    data = _good()
    street = data["units"].pop(2)
    data["units"].append(street)
    _assert_reported(_problems(data), "SF-TX-C01", "SF-TX", "排在其后")


def test_cycle() -> None:
    data = _good()
    data["units"] += [
        {"code": "SF-A", "name": "甲", "kind": "department", "parent": "SF-B"},
        {"code": "SF-B", "name": "乙", "kind": "department", "parent": "SF-A"},
    ]
    problems = _problems(data)
    _assert_reported(problems, "成环", "SF-A", "SF-B")


def test_self_parent_is_a_cycle() -> None:
    data = _good()
    data["units"][1]["parent"] = "SF-CGJ"
    _assert_reported(_problems(data), "SF-CGJ", "成环")


def test_polygon_on_non_grid() -> None:
    data = _good()
    data["units"][3]["polygon"] = copy.deepcopy(SQUARE)
    _assert_reported(_problems(data), "SF-TX-C01", "只有网格")


def test_grid_without_polygon() -> None:
    data = _good()
    del data["units"][4]["polygon"]
    _assert_reported(_problems(data), "SF-TX-C01-G01", "polygon")


def test_polygon_with_fewer_than_three_points() -> None:
    data = _good()
    data["units"][4]["polygon"] = SQUARE[:2]
    _assert_reported(_problems(data), "SF-TX-C01-G01", "至少需要 3 个")


def test_malformed_polygon_point() -> None:
    data = _good()
    data["units"][4]["polygon"][1] = [113.1]
    _assert_reported(_problems(data), "SF-TX-C01-G01", "第 2 个点")


def test_unknown_role() -> None:
    data = _good()
    data["users"][0]["role"] = "boss"
    _assert_reported(_problems(data), "用户 admin", "未知角色", "boss")


def test_user_unit_unknown() -> None:
    data = _good()
    data["users"][0]["unit"] = "SF-NOPE"
    _assert_reported(_problems(data), "用户 admin", "SF-NOPE", "不存在")


def test_duplicate_username() -> None:
    data = _good()
    data["users"].append(dict(data["users"][0]))
    _assert_reported(_problems(data), "用户 admin", "重复")


@pytest.mark.parametrize("value", ["43020", "4302040", "43O204", 430204, None])
def test_region_code_must_be_six_digit_string(value: object) -> None:
    data = _good()
    data["region_code"] = value
    _assert_reported(_problems(data), "region_code")


def test_category_claimed_by_two_units() -> None:
    data = _good()
    data["units"][2]["categories"] = ["SANITATION"]
    _assert_reported(_problems(data), "SF-TX", "SANITATION", "SF-CGJ", "认领")


def test_unknown_category_code() -> None:
    data = _good()
    data["units"][1]["categories"] = ["SANITATION", "NOISE"]
    _assert_reported(_problems(data), "SF-CGJ", "未知分类代码", "NOISE")


def test_hierarchy_kinds() -> None:
    data = _good()
    data["units"][4]["parent"] = "SF-TX"  # a grid directly under a street
    _assert_reported(_problems(data), "SF-TX-C01-G01", "community")


def test_missing_parent_and_second_root() -> None:
    data = _good()
    del data["units"][1]["parent"]
    data["units"].append({"code": "ZZ", "name": "另一个区", "kind": "district"})
    problems = _problems(data)
    _assert_reported(problems, "SF-CGJ", "缺少上级")
    _assert_reported(problems, "根单位")


def test_unknown_field_is_reported() -> None:
    data = _good()
    data["units"][1]["catgories"] = ["SANITATION"]
    _assert_reported(_problems(data), "SF-CGJ", "catgories")


def test_all_problems_are_reported_at_once() -> None:
    data = _good()
    data["region_code"] = "4302"
    data["units"][1]["kind"] = "bureau"
    data["units"][3]["polygon"] = copy.deepcopy(SQUARE)
    data["units"][4]["polygon"] = SQUARE[:1]
    data["units"][2]["categories"] = ["NOISE"]
    data["users"][0]["role"] = "boss"
    data["users"].append(
        {"username": "x1", "display_name": "某", "role": "operator", "unit": "SF-NOPE",
         "password": "p"}
    )  # fmt: skip
    problems = _problems(data)
    for fragments in (
        ("region_code",),
        ("SF-CGJ", "未知类型"),
        ("SF-TX-C01", "只有网格"),
        ("SF-TX-C01-G01", "至少需要 3 个"),
        ("SF-TX", "NOISE"),
        ("用户 admin", "未知角色"),
        ("用户 x1", "SF-NOPE"),
    ):
        _assert_reported(problems, *fragments)
    assert len(problems) >= 7


def test_broken_unit_does_not_cascade() -> None:
    data = _good()
    data["units"][2]["kind"] = "bureau"  # the street is invalid ...
    problems = _problems(data)
    # ... but its community is not also told that its parent does not exist
    assert not any("SF-TX-C01" in p and "不存在" in p for p in problems), problems


def test_error_message_lists_problems() -> None:
    data = _good()
    data["users"][0]["role"] = "boss"
    with pytest.raises(OrgFileError) as info:
        parse_org(data)
    assert "boss" in str(info.value)


def test_load_org_reports_yaml_errors_and_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("units: [unclosed\n", encoding="utf-8")
    with pytest.raises(OrgFileError) as info:
        load_org(bad)
    _assert_reported(info.value.problems, "YAML")
    assert str(bad) in str(info.value)


# --------------------------------------------------------------------------- several roles


def _with_user(**user: Any) -> dict[str, Any]:
    data = _good()
    data["users"].append(
        {"username": "sfs", "display_name": "司法所", "unit": "SF-TX", "password": "x", **user}
    )
    return data


def test_a_user_may_hold_several_roles_the_first_listed_is_primary() -> None:
    held = ["judicial_officer", "correction_officer"]
    user = parse_org(_with_user(roles=held)).users[-1]
    assert (user.role, user.roles) == ("judicial_officer", tuple(held))


def test_role_and_roles_together_make_role_the_primary() -> None:
    user = parse_org(_with_user(role="mediator", roles=["judicial_officer", "mediator"])).users[-1]
    assert (user.role, user.roles) == ("mediator", ("mediator", "judicial_officer"))


@pytest.mark.parametrize(
    ("user", "fragment"),
    [
        ({}, "缺少角色"),
        ({"roles": []}, "roles 必须是非空角色列表"),
        ({"roles": "mediator"}, "roles 必须是非空角色列表"),
        ({"roles": ["mediator", "boss"]}, "未知角色 'boss'"),
        ({"roles": ["mediator", "mediator"]}, "重复"),
        ({"role": "system"}, "系统角色"),
    ],
)
def test_bad_roles_of_a_user_are_reported(user: dict[str, Any], fragment: str) -> None:
    _assert_reported(_problems(_with_user(**user)), "用户 sfs", fragment)


def test_the_demo_has_users_for_the_coming_roles(demo: OrgSpec) -> None:
    users = {u.username: u for u in demo.users}
    assert users["tx_mediator"].roles == ("mediator", "unit_handler")
    assert demo.unit(users["tx_mediator"].unit_code).name == "田心街道人民调解委员会"
    assert users["tx_sfs"].roles == ("judicial_officer", "correction_officer")
    assert demo.unit(users["tx_sfs"].unit_code).name == "田心街道司法所"
    assert users["cgj_legal"].role == "legal_reviewer"
