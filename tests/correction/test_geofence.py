"""The geofence: a check-in's accuracy circle against the permitted area (pure)."""

from __future__ import annotations

import pytest

from fazhi.correction.geofence import AreaError, classify, parse_area

# A 0.1° × 0.1° square (about 9.9 km × 11 km at this latitude).
SQUARE = parse_area("[[113.10,27.85],[113.20,27.85],[113.20,27.95],[113.10,27.95],[113.10,27.85]]")
# An L shape: the notch at the top right is outside although inside the bounding box.
L_SHAPE = parse_area(
    "[[113.10,27.85],[113.20,27.85],[113.20,27.90],[113.15,27.90],[113.15,27.95],[113.10,27.95]]"
)


def test_a_point_well_inside_is_inside() -> None:
    assert classify(SQUARE, 113.15, 27.90, 30) == "inside"


def test_a_point_well_outside_is_outside() -> None:
    assert classify(SQUARE, 113.30, 27.90, 30) == "outside"


def test_a_point_exactly_on_the_boundary_is_inside_the_area_that_includes_its_edge() -> None:
    assert classify(SQUARE, 113.10, 27.90, 0) == "inside"


def test_a_fix_whose_circle_crosses_the_boundary_is_undecided() -> None:
    # On the edge with 20 m accuracy, and 11 m inside with 50 m: either side is possible.
    assert classify(SQUARE, 113.10, 27.90, 20) == "boundary"
    assert classify(SQUARE, 113.1001, 27.90, 50) == "boundary"
    # 100 m outside with 50 m accuracy is outside for sure; with 200 m it is not.
    assert classify(SQUARE, 113.09899, 27.90, 50) == "outside"
    assert classify(SQUARE, 113.09899, 27.90, 200) == "boundary"


def test_poor_accuracy_is_never_judged_inside_or_outside() -> None:
    assert classify(SQUARE, 113.15, 27.90, 201) == "poor_accuracy"
    assert classify(SQUARE, 113.30, 27.90, 1500) == "poor_accuracy"


def test_a_concave_area_is_a_polygon_not_its_bounding_box() -> None:
    assert classify(L_SHAPE, 113.18, 27.93, 10) == "outside"
    assert classify(L_SHAPE, 113.12, 27.93, 10) == "inside"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "JSON"),
        ("[[113.1,27.8],[113.2,27.8]]", "三个"),
        ("[[113.1,27.8],[113.2,27.9],[113.2,27.8],[113.1,27.9]]", "自相交"),
        ("[[113.1,27.8],[113.2,27.8],[200,27.9]]", "经度"),
        ('[[113.1,27.8],[113.2,"a"],[113.2,27.9]]', "坐标"),
    ],
)
def test_an_unusable_area_is_refused_with_its_reason(text: str, message: str) -> None:
    with pytest.raises(AreaError, match=message):
        parse_area(text)
