"""Finding a unit as an operator types: part of its name, its code, or the initials (or the
spelling) of its name in pinyin — 城管局 by "cgj"."""

from __future__ import annotations

from fazhi.actions.platform import Platform
from fazhi.org.unit_search import search_units, unit_index


def codes(found: list) -> list[str]:
    return [k.unit.code for k in found]


def test_pinyin_initials_find_the_city_management_bureau(platform: Platform) -> None:
    found = codes(search_units(platform.directory(), "cgj"))
    assert found[0] == "SF-CGJ"  # 区城管局: q-c-g-j


def test_part_of_a_name_a_short_name_or_a_code_finds_the_unit(platform: Platform) -> None:
    directory = platform.directory()
    assert "SF-CGJ" in codes(search_units(directory, "城管"))
    assert codes(search_units(directory, "区城管局"))[0] == "SF-CGJ"  # the short name, exactly
    assert codes(search_units(directory, "sf-cgj"))[0] == "SF-CGJ"
    assert "SF-CGJ" in codes(search_units(directory, "chengguan"))  # the spelling


def test_an_exact_name_comes_before_names_that_only_contain_it(platform: Platform) -> None:
    found = codes(search_units(platform.directory(), "石峰区城市管理和综合执法局"))
    assert found == ["SF-CGJ"]


def test_every_word_must_match_and_kinds_narrow_the_search(platform: Platform) -> None:
    directory = platform.directory()
    streets = search_units(directory, "jd", kinds={"street"}, limit=50)
    assert streets and all(k.unit.kind == "street" for k in streets)
    assert all("街道" in k.unit.name for k in streets)
    both = search_units(directory, "xsl sq", kinds={"community"}, limit=50)
    assert both and all(k.unit.kind == "community" for k in both)


def test_nothing_typed_finds_nothing_and_unknown_text_finds_nothing(platform: Platform) -> None:
    directory = platform.directory()
    assert search_units(directory, "  ") == []
    assert search_units(directory, "zzzzqqq") == []


def test_the_index_is_built_once_per_directory(platform: Platform) -> None:
    directory = platform.directory()
    assert unit_index(directory) is unit_index(directory)
