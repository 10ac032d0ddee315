"""The gazetteer: address text to street / community / grid, longest match first."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.actions.platform import Platform
from fazhi.hotline.web.intake_pages import default_lead_unit, intake_grid
from fazhi.org.directory import UnitDirectory
from fazhi.org.gazetteer import (
    Gazetteer,
    Placement,
    gazetteer_for,
    normalise,
    place_from_grid,
)
from fazhi.store.models import Unit


def unit(uid: int, code: str, name: str, kind: str, parent: str, **extra: Any) -> Unit:
    return Unit(
        id=uid,
        region_code="430204",
        code=code,
        name=name,
        kind=kind,
        path=f"{parent}{uid}/",
        depth=parent.count("/"),
        categories=extra.get("categories", []),
        address_hints=extra.get("hints", []),
        active=True,
    )


def codes(place: Placement | None) -> tuple[str | None, ...] | None:
    """(street, community, grid) codes of a placement."""
    if place is None:
        return None
    return tuple(u.code if u else None for u in (place.street, place.community, place.grid))


@pytest.fixture
def small() -> UnitDirectory:
    """A district with two streets: one community of one grid, one of two, and a street
    hint; 金桥花园 appears in two communities of the same street, 幸福里 in two streets."""
    return UnitDirectory(
        [
            unit(1, "D", "测试区", "district", "/"),
            unit(2, "S1", "东风街道", "street", "/1/", hints=["东风大道"]),
            unit(
                3,
                "S1-C1",
                "桃园社区",
                "community",
                "/1/2/",
                hints=["桃园小区", "金桥花园", "幸福里"],
            ),
            unit(4, "S1-C1-G1", "桃园社区网格", "grid", "/1/2/3/"),
            unit(5, "S1-C2", "李园社区", "community", "/1/2/", hints=["李园新村", "金桥花园"]),
            unit(6, "S1-C2-G1", "李园社区第一网格", "grid", "/1/2/5/"),
            unit(7, "S1-C2-G2", "李园社区第二网格", "grid", "/1/2/5/"),
            unit(8, "S2", "西湖街道", "street", "/1/"),
            unit(9, "S2-C1", "柳岸社区", "community", "/1/8/", hints=["幸福里", "东风大道88号"]),
            unit(10, "DEPT", "区城管局", "department", "/1/", categories=["CITY_APPEARANCE"]),
        ]
    )


def test_a_community_of_one_grid_gives_its_grid(small: UnitDirectory) -> None:
    place = Gazetteer(small).locate_address("桃园小区3栋")
    assert codes(place) == ("S1", "S1-C1", "S1-C1-G1")
    assert place is not None and place.matched == "桃园小区" and not place.grid_pending


def test_a_community_of_several_grids_leaves_the_grid_pending(small: UnitDirectory) -> None:
    place = Gazetteer(small).locate_address("李园新村")
    assert place is not None and place.grid is None and place.grid_pending
    assert [g.code for g in place.grids] == ["S1-C2-G1", "S1-C2-G2"]


def test_the_longest_match_wins(small: UnitDirectory) -> None:
    gazetteer = Gazetteer(small)
    # 东风大道 (street hint, 4) loses to 东风大道88号 (a community's hint, 7).
    place = gazetteer.locate_address("东风大道88号门口")
    assert codes(place) == ("S2", "S2-C1", None)  # 柳岸社区 has no grid here
    assert place is not None and place.matched == "东风大道88号"
    assert codes(gazetteer.locate_address("东风大道12号")) == ("S1", None, None)


def test_a_street_name_gives_only_the_street(small: UnitDirectory) -> None:
    place = Gazetteer(small).locate_address("西湖街道某处")
    assert codes(place) == ("S2", None, None)
    assert place is not None and not place.grid_pending


def test_a_name_shared_by_two_places_keeps_only_what_they_share(small: UnitDirectory) -> None:
    gazetteer = Gazetteer(small)
    # In two communities of 东风街道: the street is certain, the community is not.
    assert codes(gazetteer.locate_address("金桥花园")) == ("S1", None, None)
    assert gazetteer.locate_address("幸福里") is None  # two streets: nothing certain


def test_full_width_digits_and_spaces_are_folded(small: UnitDirectory) -> None:
    assert normalise(" 东风大道 ８８号 ") == "东风大道88号"
    assert codes(Gazetteer(small).locate_address("东风大道 ８８号")) == ("S2", "S2-C1", None)


def test_unknown_or_blank_text_is_not_placed(small: UnitDirectory) -> None:
    gazetteer = Gazetteer(small)
    assert gazetteer.locate_address("") is None
    assert gazetteer.locate_address("某某路1号") is None
    assert gazetteer.locate_address("东") is None


def test_a_grid_found_by_coordinates_is_placed_in_its_community(small: UnitDirectory) -> None:
    place = place_from_grid(small, small.by_code["S1-C2-G2"])
    assert place.by_coordinates and place.matched == ""
    assert codes(place) == ("S1", "S1-C2", "S1-C2-G2")


def test_the_gazetteer_is_built_once_per_directory(small: UnitDirectory) -> None:
    assert gazetteer_for(small) is gazetteer_for(small)


def test_the_intake_stores_the_most_specific_place_an_address_names(small: UnitDirectory) -> None:
    assert intake_grid(small, {"address": "桃园小区"}) == small.by_code["S1-C1-G1"]
    # 网格待定: a community of several grids is stored, so its street counts the order.
    assert intake_grid(small, {"address": "李园新村"}) == small.by_code["S1-C2"]
    assert intake_grid(small, {"address": "某某路"}) is None
    # Coordinates, or a grid chosen by hand, are left to create_case.
    point = {"longitude": "113.1", "latitude": "27.9"}
    assert intake_grid(small, {"address": "桃园小区", **point}) is None
    assert intake_grid(small, {"address": "桃园小区", "grid": "S1-C2-G1"}) is None


def test_the_default_lead_unit(small: UnitDirectory) -> None:
    assert default_lead_unit(small, "CITY_APPEARANCE", None).unit == small.by_code["DEPT"]
    dispute = default_lead_unit(small, "DISPUTE", small.by_code["S2"])
    assert dispute.unit == small.by_code["S2"] and "属地街道" in dispute.text
    assert default_lead_unit(small, "DISPUTE", None).unit is None
    assert default_lead_unit(small, "TELECOM", None).text == "未配置，请派单时选择"
    assert default_lead_unit(small, "", None).text == ""


# The demo organisation (石峰区)


def test_the_demo_estate_of_the_seed_request(platform: Platform) -> None:
    place = gazetteer_for(platform.directory()).locate_address("樱花地带小区物业不作为")
    assert place is not None
    assert place.street is not None and place.street.name == "响石岭街道"
    assert place.community is not None and place.community.name == "樱花社区"
    assert place.grid is None and len(place.grids) == 2


def test_every_demo_community_can_be_found_by_its_name_and_hints(platform: Platform) -> None:
    directory = platform.directory()
    gazetteer = gazetteer_for(directory)
    for uid, row in directory.rows.items():
        if row.kind != "community":
            continue
        for text in [row.name, *row.address_hints]:
            place = gazetteer.locate_address(text)
            assert place is not None and place.community is not None, text
            assert place.community.id == uid, f"{text} → {place.community.name}"
