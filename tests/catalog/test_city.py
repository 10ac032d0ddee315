"""The synthetic city's districts: the demo organisation's shape under codes, names and
logins of their own, every one labelled synthetic, never a real district's region code."""

from __future__ import annotations

import pytest

from fazhi.catalog.city import city_region_code, synthetic_district
from fazhi.catalog.org_file import load_demo_org, parse_org


def test_a_district_has_the_demo_shape_under_its_own_codes_names_and_logins() -> None:
    demo = load_demo_org()
    one, two = synthetic_district(demo, 1), synthetic_district(demo, 2)
    assert (one.region_code, two.region_code) == ("439901", "439902")
    assert one.synthetic and len(one.units) == len(demo.units)
    assert len(one.users) == len(demo.users)
    assert [u.kind for u in one.units] == [u.kind for u in demo.units]
    assert "合成数据" in one.units[0].name and "石峰" not in one.units[0].name
    assert not any("石峰" in u.name for u in one.units)
    assert {u.code for u in one.units}.isdisjoint({u.code for u in demo.units})
    assert {u.username for u in one.users}.isdisjoint({u.username for u in two.users})
    assert {u.username for u in one.users}.isdisjoint({u.username for u in demo.users})
    # Every parent and every login's unit is a unit of the same district.
    codes = {u.code for u in one.units}
    assert all(u.parent_code in codes for u in one.units if u.parent_code)
    assert all(u.unit_code in codes for u in one.users)


def test_districts_lie_side_by_side() -> None:
    demo = load_demo_org()
    grid = next(i for i, u in enumerate(demo.units) if u.polygon)
    first = synthetic_district(demo, 1).units[grid].polygon
    second = synthetic_district(demo, 2).units[grid].polygon
    assert first and second and first == demo.units[grid].polygon
    assert all(
        abs(b[0] - a[0] - 0.13) < 1e-6 and b[1] == a[1] for a, b in zip(first, second, strict=True)
    )


def test_a_district_passes_the_organisation_file_checks() -> None:
    spec = synthetic_district(load_demo_org(), 3)
    data = {
        "format": "fazhi-org/1",
        "synthetic": True,
        "region_code": spec.region_code,
        "units": [
            {
                "code": u.code,
                "name": u.name,
                "kind": u.kind,
                **({"parent": u.parent_code} if u.parent_code else {}),
                **({"short_name": u.short_name} if u.short_name else {}),
                **({"categories": list(u.categories)} if u.categories else {}),
                **({"polygon": [list(p) for p in u.polygon]} if u.polygon else {}),
                **({"address_hints": list(u.address_hints)} if u.address_hints else {}),
            }
            for u in spec.units
        ],
        "users": [
            {
                "username": u.username,
                "display_name": u.display_name,
                "roles": list(u.roles),
                "unit": u.unit_code,
                "password": u.password,
            }
            for u in spec.users
        ],
    }
    assert parse_org(data).region_code == spec.region_code


@pytest.mark.parametrize("k", [0, 100])
def test_district_numbers_stay_within_two_digits(k: int) -> None:
    with pytest.raises(ValueError):
        city_region_code(k)
