"""A case file reviewed: the rules' hits scored by a standard, as the review output of
../shared/domain/case-file-review.md — `{"file", "case_number", "score", "vetoed",
"findings": [{"rule", "defect", "severity", "document", "message", "points"}]}`.

A veto finding deducts nothing itself and fails the file (score 0). A deduction's points go
on the rule's first finding (the others carry 0), so the points of a file's findings add up
to what it lost; a section never loses more than it holds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fazhi.domain.calendar import WorkCalendar
from fazhi.enforcement.review.manifest import CaseFile
from fazhi.enforcement.review.rules import run_rules
from fazhi.enforcement.review.standard import Standard

FULL = Decimal(100)


@dataclass(frozen=True)
class Finding:
    rule: str
    defect: str
    severity: str
    document: str | None
    message: str
    points: Decimal

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "defect": self.defect,
            "severity": self.severity,
            "document": self.document,
            "message": self.message,
            "points": number(self.points),
        }


@dataclass(frozen=True)
class Review:
    file: str
    case_number: str
    score: Decimal
    vetoed: bool
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "case_number": self.case_number,
            "score": number(self.score),
            "vetoed": self.vetoed,
            "findings": [f.as_json() for f in self.findings],
        }


def number(value: Decimal) -> int | float:
    """JSON's number: whole points as integers, halves and the like as decimals."""
    return int(value) if value == value.to_integral_value() else float(value)


def review(cf: CaseFile, standard: Standard, calendar: WorkCalendar, file: str = "") -> Review:
    hits, notes = run_rules(cf, calendar)
    findings: list[Finding] = []
    lost = {section: Decimal(0) for section in standard.section_points}
    charged: set[str] = set()
    vetoed = False
    for rule, (document, message) in hits:
        scoring = standard.rules.get(rule.id)
        if scoring is None:
            continue  # the standard does not score this rule
        points = Decimal(0)
        if scoring.severity == "veto":
            vetoed = True
        elif rule.id not in charged and scoring.section is not None:
            charged.add(rule.id)
            room = standard.section_points[scoring.section] - lost[scoring.section]
            points = min(scoring.points, max(room, Decimal(0)))
            lost[scoring.section] += points
        findings.append(Finding(rule.id, rule.defect, scoring.severity, document, message, points))
    score = Decimal(0) if vetoed else FULL - sum(lost.values(), Decimal(0))
    return Review(file, cf.case_number, score, vetoed, tuple(findings), tuple(notes))
