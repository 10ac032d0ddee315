"""Reading `fazhi-case-file/1`: what the format requires is refused naming the key; what it
leaves open is kept missing for the rules; unknown keys are ignored."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.enforcement.review.manifest import ManifestError, parse_manifest
from tests.enforcement.review.files import changed, clean_general


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda m: {**m, "format": "fazhi-case-file/2"}, "format"),
        (lambda m: {k: v for k, v in m.items() if k != "case_number"}, "case_number"),
        (lambda m: {**m, "procedure": "simple"}, "procedure"),
        (lambda m: {**m, "parties": [{"kind": "company", "name": "x"}]}, "parties[0].kind"),
        (lambda m: {**m, "parties": "张某"}, "parties"),
        (lambda m: changed(m, "decision", date="2023-02-30"), "documents[13].date"),
        (lambda m: changed(m, "decision", amount="两千"), "documents[13].amount"),
        (
            lambda m: {**m, "documents": [*m["documents"], {"kind": "verdict"}]},
            "documents[19].kind",
        ),
        (lambda m: changed(m, "onsite_record", officers="430204001"), "documents[4].officers"),
        (lambda m: {**m, "triggers": {"major": "yes"}}, "triggers.major"),
        (
            lambda m: {
                **m,
                "penalty": {"kind": "fine", "amount": 1, "benchmark": {"min": 9, "max": 1}},
            },
            "penalty.benchmark.max",
        ),
        (
            lambda m: {**m, "penalty": {"kind": "fine", "benchmark": {"min": 0}}},
            "penalty.benchmark",
        ),
    ],
)
def test_a_malformed_manifest_names_the_key(change: Any, key: str) -> None:
    with pytest.raises(ManifestError) as refused:
        parse_manifest(change(clean_general()))
    assert refused.value.key == key
    assert refused.value.message  # Chinese, for the person who sent the file


def test_unknown_keys_are_kept_out_of_the_way_and_money_is_exact() -> None:
    m = {**clean_general(), "x_vendor": {"anything": 1}, "penalty": {"kind": "fine", "amount": 0.1}}
    case_file = parse_manifest(m)
    assert str(case_file.penalty_amount) == "0.1"
    decision = case_file.first("decision")
    assert decision is not None and decision.extra["sealed"] is True
