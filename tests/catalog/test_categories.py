"""The packaged category list matches the table of domain/categories.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fazhi.catalog.categories import Category, category_codes, load_categories

EXPECTED = [
    ("CITY_APPEARANCE", "市容秩序"),
    ("ILLEGAL_BUILDING", "违法建设"),
    ("SANITATION", "环境卫生"),
    ("MUNICIPAL", "市政设施"),
    ("PROPERTY_MGMT", "物业管理"),
    ("ENVIRONMENT", "生态环境"),
    ("PUBLIC_ORDER", "社会治安"),
    ("TRAFFIC", "交通出行"),
    ("WAGES", "劳动欠薪"),
    ("SOCIAL_SECURITY", "社保医保"),
    ("CONSUMER", "消费维权"),
    ("FOOD_DRUG", "食品药品"),
    ("EDUCATION", "教育"),
    ("HEALTH", "医疗卫生"),
    ("CIVIL_AFFAIRS", "民政救助"),
    ("HOUSING", "住房保障与征收"),
    ("LAND_REGISTRY", "不动产与自然资源"),
    ("UTILITIES", "水电气"),
    ("GOV_SERVICE", "政务服务"),
    ("DISPUTE", "矛盾纠纷"),
    ("LEGAL_AID", "法律服务"),
    ("AGRICULTURE", "农业农村"),
    ("SAFETY", "安全生产与应急"),
    ("TELECOM", "通信网络"),
]

# The shared spec beside the checkout (../shared), as on developers' machines and in CI.
SPEC = Path(__file__).resolve().parents[3] / "shared" / "domain" / "categories.md"


def test_24_categories_in_table_order() -> None:
    categories = load_categories()
    assert len(categories) == 24
    assert [(c.code, c.name) for c in categories] == EXPECTED
    assert category_codes() == tuple(code for code, _ in EXPECTED)


def test_fields_are_filled() -> None:
    for category in load_categories():
        assert isinstance(category, Category)
        assert re.fullmatch(r"[A-Z][A-Z_]+", category.code)
        assert category.covers and "、" in category.covers
        assert isinstance(category.boundary, str)


def test_known_boundary_rules() -> None:
    by_code = {c.code: c for c in load_categories()}
    assert "ENVIRONMENT" in by_code["CITY_APPEARANCE"].boundary
    assert "樱花地带小区" in by_code["PROPERTY_MGMT"].boundary
    assert by_code["ILLEGAL_BUILDING"].boundary == ""
    assert "占道经营" in by_code["CITY_APPEARANCE"].covers


def test_categories_are_frozen() -> None:
    category = load_categories()[0]
    with pytest.raises(AttributeError):
        category.code = "X"  # type: ignore[misc]


@pytest.mark.skipif(not SPEC.exists(), reason="shared spec not available")
def test_matches_the_shared_spec_table() -> None:
    rows = []
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        if re.match(r"\| [A-Z_]+ \|", line):
            code, name, covers, _unit, boundary = (c.strip() for c in line.strip("|").split("|"))
            rows.append(Category(code, name, covers, boundary))
    assert tuple(rows) == load_categories()
