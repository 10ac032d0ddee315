"""The score: veto items fail a file; deductions come off form (20) and content (80), each rule
once, never more than its section holds; the findings' points add up to what was lost. The
standard is configuration, checked when it is read. The seed's five defects, planted in one
file, are each reported under their class."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from fazhi.domain.calendar import WorkCalendar
from fazhi.enforcement.review.engine import review
from fazhi.enforcement.review.manifest import parse_manifest
from fazhi.enforcement.review.standard import StandardError, parse_standard
from fazhi.enforcement.review.standard_file import DEFAULT_STANDARD, load_standard
from tests.enforcement.review.files import DECISION_NUMBER, changed, clean_general, without

CALENDAR = WorkCalendar()
STANDARD = load_standard(DEFAULT_STANDARD)


def seed_defects() -> dict[str, Any]:
    """The 2023 review's five defects in one file: a wrong entry, no ID copy, no
    investigation-end report, no proof of service, no cover and no index."""
    m = changed(clean_general(), "decision", amount=20000)
    for kind in ("identity_proof", "investigation_report", "cover", "index"):
        m = without(m, kind)
    m["documents"] = [d for d in m["documents"] if d.get("served_document") != DECISION_NUMBER]
    return m


def test_the_seeds_five_defects_are_each_reported_under_their_class() -> None:
    result = review(parse_manifest(seed_defects()), STANDARD, CALENDAR)
    classes = {f.defect for f in result.findings}
    assert classes == {
        "wrong_entry",
        "identity_proof_missing",
        "approval_stage_missing",
        "service_proof_missing",
        "cover_index_missing",
    }
    lost = sum(f.points for f in result.findings)
    assert result.score == 100 - lost and not result.vetoed
    # The spec's examples: no proof of service −2, no investigation-end report −3, no cover −1,
    # no index −2 (and the others of the demo standard).
    points = {f.rule: f.points for f in result.findings if f.points}
    assert points["service.present"] == 2 and points["stage.present"] == 3
    assert points["cover.present"] == 1 and points["index.present"] == 2
    assert result.score == 100 - 2 - 3 - 1 - 2 - 3 - 3  # and the amount, the ID copy


def test_a_rule_deducts_once_however_many_hits() -> None:
    m = clean_general()
    for doc in m["documents"]:
        if doc.get("amount") is not None:
            doc["amount"] = 2500
    result = review(parse_manifest(m), STANDARD, CALENDAR)
    amounts = [f for f in result.findings if f.rule == "entry.amount"]
    assert len(amounts) == 4 and [f.points for f in amounts] == [3, 0, 0, 0]
    assert result.score == 97


def test_a_section_never_loses_more_than_it_holds() -> None:
    raw: dict[str, Any] = {
        "form_points": 20,
        "content_points": 80,
        "rules": {
            "cover.present": {"section": "form", "points": 15},
            "index.present": {"section": "form", "points": 15},
        },
    }
    strict = parse_standard(raw)
    m = without(without(clean_general(), "cover"), "index")
    result = review(parse_manifest(m), strict, CALENDAR)
    assert [f.points for f in result.findings] == [15, 5] and result.score == 80


def test_a_veto_fails_the_file_whatever_else() -> None:
    m = copy.deepcopy(seed_defects())
    m["officers"] = m["officers"][:1]
    result = review(parse_manifest(m), STANDARD, CALENDAR)
    assert result.vetoed and result.score == 0
    assert result.as_json()["score"] == 0 and result.as_json()["vetoed"] is True


def test_a_province_may_make_a_deduction_a_veto_or_leave_a_rule_out() -> None:
    raw = {"rules": {"service.present": {"severity": "veto"}}}
    result = review(parse_manifest(seed_defects()), parse_standard(raw), CALENDAR)
    assert result.vetoed and [f.rule for f in result.findings] == ["service.present"]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"rules": {"no.such_rule": {"severity": "veto"}}}, "rules.no.such_rule"),
        ({"form_points": 30, "rules": {}}, "form_points"),
        (
            {"rules": {"cover.present": {"section": "cover", "points": 1}}},
            "rules.cover.present.section",
        ),
        (
            {"rules": {"cover.present": {"section": "form", "points": "两分"}}},
            "rules.cover.present.points",
        ),
        ({"rules": {"cover.present": {"severity": "fatal"}}}, "rules.cover.present.severity"),
    ],
)
def test_a_bad_standard_is_refused_naming_the_key(raw: dict[str, Any], key: str) -> None:
    with pytest.raises(StandardError) as refused:
        parse_standard(raw)
    assert refused.value.key == key


def test_the_output_has_exactly_the_specified_keys() -> None:
    body = review(parse_manifest(seed_defects()), STANDARD, CALENDAR, "a/b").as_json()
    assert set(body) == {"file", "case_number", "score", "vetoed", "findings"}
    assert body["file"] == "a/b" and body["case_number"] == "石城管罚〔2023〕12号"
    for finding in body["findings"]:
        assert set(finding) == {"rule", "defect", "severity", "document", "message", "points"}
        assert finding["severity"] in ("veto", "deduction")
        assert isinstance(finding["points"], int | float)
