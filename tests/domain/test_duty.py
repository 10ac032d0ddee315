"""The duty list's resolution: the most specific active rule, then the default, then the
street for street-led categories."""

from __future__ import annotations

from fazhi.domain.duty import DutyRule, resolve_duty

COMMUNITY, STREET, OTHER_STREET = 30, 20, 21
RULES = [
    DutyRule(1, "CITY_APPEARANCE", None, 100),
    DutyRule(2, "CITY_APPEARANCE", STREET, 200),
    DutyRule(3, "CITY_APPEARANCE", COMMUNITY, 300),
    DutyRule(4, "CITY_APPEARANCE", OTHER_STREET, 400),
    DutyRule(5, "TRAFFIC", STREET, 500),
]


def test_the_most_specific_rule_wins() -> None:
    choice = resolve_duty(RULES, "CITY_APPEARANCE", [COMMUNITY, STREET], 9)
    assert (choice.unit_id, choice.source, choice.area_id) == (300, "rule", COMMUNITY)
    assert resolve_duty(RULES, "CITY_APPEARANCE", [STREET], 9).unit_id == 200
    # Another community of the same street: the street's rule.
    assert resolve_duty(RULES, "CITY_APPEARANCE", [31, STREET], 9).unit_id == 200


def test_a_district_rule_applies_where_no_area_rule_does_and_when_the_place_is_unknown() -> None:
    assert resolve_duty(RULES, "CITY_APPEARANCE", [32, 22], 9).unit_id == 100
    choice = resolve_duty(RULES, "CITY_APPEARANCE", [], 9)
    assert (choice.unit_id, choice.area_id) == (100, None)


def test_rules_of_other_categories_and_areas_are_ignored() -> None:
    choice = resolve_duty(RULES, "TRAFFIC", [31, OTHER_STREET], 9)
    assert (choice.unit_id, choice.source, choice.rule) == (9, "default", None)
    assert resolve_duty(RULES, "TRAFFIC", [], 9).unit_id == 9


def test_without_rules_the_default_then_the_street_for_disputes() -> None:
    assert resolve_duty([], "SANITATION", [COMMUNITY, STREET], 7).unit_id == 7
    dispute = resolve_duty([], "DISPUTE", [COMMUNITY, STREET], None, STREET)
    assert (dispute.unit_id, dispute.source) == (STREET, "street")
    assert resolve_duty([], "DISPUTE", [], None, None).unit_id is None
    none = resolve_duty([], "SANITATION", [COMMUNITY, STREET], None, STREET)
    assert (none.unit_id, none.source) == (None, "none")


def test_a_dispute_rule_overrides_the_street() -> None:
    rules = [DutyRule(8, "DISPUTE", STREET, 800)]
    assert resolve_duty(rules, "DISPUTE", [COMMUNITY, STREET], None, STREET).unit_id == 800


def test_on_a_tie_the_newest_rule_wins() -> None:
    rules = [DutyRule(1, "X", STREET, 1), DutyRule(2, "X", STREET, 2)]
    assert resolve_duty(rules, "X", [STREET]).unit_id == 2
    assert resolve_duty(list(reversed(rules)), "X", [STREET]).unit_id == 2
