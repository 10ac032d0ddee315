"""Named hooks registered in code, and what the parser learns of them."""

from __future__ import annotations

import pytest

from fazhi.domain.hooks import compute_hook_types, register_compute, register_rule, rule_hook_names


def test_registered_hooks_are_known_by_name_and_result_type() -> None:
    @register_compute("deadline_for_hooks_test", returns="date")
    def deadline(case: object) -> str:
        return "2023-10-09"

    @register_rule("sweep_for_hooks_test")
    def sweep(cases: object) -> list[object]:
        return []

    assert deadline(None) == "2023-10-09"  # the decorator returns the function itself
    assert compute_hook_types()["deadline_for_hooks_test"] == "date"
    assert "sweep_for_hooks_test" in rule_hook_names()


def test_a_compute_hook_returns_a_field_type() -> None:
    with pytest.raises(ValueError, match="unknown field type 'day'"):
        register_compute("bad_for_hooks_test", returns="day")
