"""The unified social credit code's check character (GB 32100-2015)."""

from __future__ import annotations

from fazhi.enforcement.inspections.codes import credit_code_fault, with_check_character


def test_a_credit_code_is_accepted_only_with_its_check_character() -> None:
    assert credit_code_fault("91350100M000100Y43") is None  # the standard's example
    assert "校验位错误（应为 3）" in (credit_code_fault("91350100M000100Y44") or "")
    assert credit_code_fault("9135010") == "统一社会信用代码应为18位"
    assert "不含I、O、Z、S、V" in (credit_code_fault("91350100M000100I43") or "")
    assert credit_code_fault(with_check_character("91430204MA4L00002")) is None
