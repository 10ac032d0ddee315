"""Figures are written as the seed writes them: whole counts bare, 万元 to one decimal,
per cent to two, trailing zeros dropped, half-up rounding; a placeholder may ask for other
decimals, convert 元 to 万元 or write a round figure (500余个); section numbers in Chinese
numerals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.report.numbers import Spec, chinese_numeral, format_figure, parse_spec


@pytest.mark.parametrize(
    ("value", "unit", "spec", "shown"),
    [
        (1727, "件", "", "1727件"),
        (73707, "件", "", "73707件"),
        (Decimal("205.4"), "万元", "", "205.4万元"),
        (2054000, "元", "万元", "205.4万元"),
        (2520000, "元", "万元", "252万元"),
        (538900, "元", "万元.2", "53.89万元"),
        (Decimal("4.045"), "%", "", "4.05%"),  # half-up, not binary floating point's 4.04
        (Decimal("0.9998"), "ratio", "", "99.98%"),
        (1, "ratio", "", "100%"),
        (17 / 18, "ratio", ".1", "94.4%"),
        (456 / 260, "ratio", ".0", "175%"),
        (0, "件", "", "0件"),
        # 余: about so many, as the seed writes a figure it rounds (500余个民生安全问题)
        (507, "个", "余", "500余个"),
        (1727, "件", "余", "1700余件"),
        (73707, "件", "余", "73000余件"),
        (500, "个", "余", "500个"),  # already round: no 余
        (87, "个", "余", "87个"),  # too small to round
    ],
)
def test_a_figure_is_written_as_the_seed_writes_it(
    value: object, unit: str, spec: str, shown: str
) -> None:
    assert format_figure(value, unit, parse_spec(spec)) == shown  # type: ignore[arg-type]


def test_a_placeholder_cannot_ask_for_a_conversion_that_does_not_exist() -> None:
    with pytest.raises(ValueError):
        parse_spec("公里")
    with pytest.raises(ValueError):
        parse_spec(".x")
    with pytest.raises(ValueError):
        format_figure(12, "件", Spec(unit="万元"))


def test_sections_are_numbered_in_chinese_numerals() -> None:
    assert [chinese_numeral(n) for n in (1, 5, 10, 11, 20, 23)] == [
        "一",
        "五",
        "十",
        "十一",
        "二十",
        "二十三",
    ]
