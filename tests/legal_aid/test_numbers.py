"""The legal-aid case number as the seed report writes it: (2023)湘援0204刑136号 — year,
province, district code, kind, sequence — formatted from the platform's region code and
read back; a region code of no known province is refused rather than guessed."""

from __future__ import annotations

import pytest

from fazhi.legal_aid.numbers import format_aid_number, parse_aid_number


def test_the_seed_number_is_formatted_from_the_region_the_year_the_kind_and_the_sequence() -> None:
    assert format_aid_number("430204", 2023, "criminal", 136) == "(2023)湘援0204刑136号"
    assert format_aid_number("430204", 2024, "civil", 1) == "(2024)湘援0204民1号"
    assert format_aid_number("110105", 2023, "administrative", 7) == "(2023)京援0105行7号"
    assert format_aid_number("430204", 2023, "non_litigation", 12) == "(2023)湘援0204非诉12号"


def test_a_number_reads_back_also_with_full_width_brackets() -> None:
    assert parse_aid_number("(2023)湘援0204刑136号") == (2023, "湘", "0204", "criminal", 136)
    assert parse_aid_number("（2023）湘援0204民5号") == (2023, "湘", "0204", "civil", 5)
    assert parse_aid_number("FY202301010000001") is None


def test_an_unknown_province_or_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="省份"):
        format_aid_number("990204", 2023, "civil", 1)
    with pytest.raises(ValueError):
        format_aid_number("430204", 2023, "military", 1)
