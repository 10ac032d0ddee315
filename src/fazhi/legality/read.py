"""The read side of the legality types (never writes): the opinions of the legality reviews
one by one, the figures the annual report cites (documents and contracts reviewed, opinion
letters issued, opinions given and adopted), the major-decision catalogues, and the
rule-of-law inspections' findings.

Every figure is of the cases the reader may see (`visible_clause`). A year's reviews are those
concluded in it; the cases are selected by type and by a creation window around the year, so
a query reads one or two years of one type, never the whole history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.context import ActionContext
from fazhi.actions.visibility import visible_clause
from fazhi.read.presenters import case_number
from fazhi.store.models import Case

REVIEW = "legality_review"
CATALOGUE = "major_decision_catalogue"
DECISION = "major_decision"
INSPECTION = "rule_of_law_inspection"
SUBJECTS = {"normative_document": "规范性文件", "contract": "合同"}
CONCLUSIONS = {"lawful": "合法", "lawful_if_amended": "修改后合法", "unlawful": "不合法"}
ADOPTION = {"adopted": "采纳", "not_adopted": "未采纳"}
PUBLISHED = ("published", "archived")


def _window(year: int) -> tuple[datetime, datetime]:
    # A review concluded in January may have been submitted the December before.
    return datetime(year - 1, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def _cases(session: Session, ctx: ActionContext, type_name: str, year: int | None) -> list[Case]:
    statement = select(Case).where(visible_clause(ctx.actor), Case.type == type_name)
    if year is not None:
        start, end = _window(year)
        statement = statement.where(Case.created_at >= start, Case.created_at < end)
    return list(session.scalars(statement.order_by(Case.id)))


def _in_year(value: Any, year: int | None) -> bool:
    return year is None or str(value or "").startswith(f"{year}-")


def _unit_name(ctx: ActionContext, unit_id: Any) -> str:
    unit = ctx.directory.by_id.get(unit_id) if isinstance(unit_id, int) else None
    return unit.name if unit else ""


def _number(ctx: ActionContext, case: Case) -> str:
    return case_number(ctx.platform.types.get(case.type), case)


def concluded_reviews(
    session: Session, ctx: ActionContext, year: int | None, subject: str = ""
) -> list[Case]:
    """The legality reviews concluded (opinion letter issued) in `year`."""
    return [
        c
        for c in _cases(session, ctx, REVIEW, year)
        if (c.fields or {}).get("conclusion")
        and _in_year((c.fields or {}).get("concluded_on"), year)
        and (not subject or (c.fields or {}).get("subject_kind") == subject)
    ]


def opinion_rows(
    session: Session, ctx: ActionContext, year: int | None, subject: str = ""
) -> list[dict[str, Any]]:
    """Every opinion of the year's concluded reviews, one row each, in case then number order."""
    rows = []
    for case in concluded_reviews(session, ctx, year, subject):
        fields = case.fields or {}
        for opinion in fields.get("opinions") or []:
            adopted = opinion.get("adopted") or ""
            rows.append(
                {
                    "case_id": case.id,
                    "case_number": _number(ctx, case),
                    "title": fields.get("title", ""),
                    "subject_kind": fields.get("subject_kind", ""),
                    "subject_label": SUBJECTS.get(fields.get("subject_kind", ""), ""),
                    "submitting_unit": _unit_name(ctx, fields.get("submitting_unit")),
                    "letter_number": fields.get("letter_number", ""),
                    "number": opinion.get("number"),
                    "text": opinion.get("text", ""),
                    "basis": opinion.get("basis", ""),
                    "adopted": adopted,
                    "adopted_label": ADOPTION.get(adopted, "待反馈"),
                    "reason": opinion.get("reason", ""),
                }
            )
    return rows


@dataclass
class Tally:
    reviewed: int = 0
    letters: int = 0
    opinions: int = 0
    adopted: int = 0
    not_adopted: int = 0
    pending: int = 0

    def add(self, case: Case) -> None:
        fields = case.fields or {}
        self.reviewed += 1
        self.letters += 1 if fields.get("letter_number") else 0
        for opinion in fields.get("opinions") or []:
            self.opinions += 1
            answer = opinion.get("adopted")
            if answer == "adopted":
                self.adopted += 1
            elif answer == "not_adopted":
                self.not_adopted += 1
            else:
                self.pending += 1

    def as_json(self) -> dict[str, Any]:
        answered = self.adopted + self.not_adopted
        return {
            "reviewed": self.reviewed,
            "opinion_letters": self.letters,
            "opinions": self.opinions,
            "adopted": self.adopted,
            "not_adopted": self.not_adopted,
            "pending": self.pending,
            # Of the opinions answered: one not yet answered is neither adopted nor refused.
            "adopted_rate": round(self.adopted / answered, 4) if answered else None,
        }


def review_statistics(session: Session, ctx: ActionContext, year: int) -> dict[str, Any]:
    """The year's figures by subject kind and in all (what the annual report cites)."""
    by_subject = {kind: Tally() for kind in SUBJECTS}
    total = Tally()
    for case in concluded_reviews(session, ctx, year):
        kind = (case.fields or {}).get("subject_kind", "")
        if kind in by_subject:
            by_subject[kind].add(case)
        total.add(case)
    return {
        "year": year,
        "subjects": [
            {"subject_kind": kind, "label": SUBJECTS[kind], **by_subject[kind].as_json()}
            for kind in SUBJECTS
        ],
        "total": total.as_json(),
        "major_decisions": decision_statistics(session, ctx, year),
        "inspections": inspection_statistics(session, ctx, year),
    }


def present_catalogue(ctx: ActionContext | None, case: Case, number: str) -> dict[str, Any]:
    fields = case.fields or {}
    return {
        "id": case.id,
        "number": number,
        "year": fields.get("year"),
        "title": fields.get("title", ""),
        "state": case.state,
        "published_on": fields.get("published_on"),
        "url": fields.get("url", ""),
        "items": [
            {
                "number": i.get("number"),
                "title": i.get("title", ""),
                "undertaking_unit": i.get("undertaking_unit", ""),
                "planned": i.get("planned", ""),
            }
            for i in fields.get("items") or []
        ],
    }


def catalogues(session: Session, ctx: ActionContext, year: int | None) -> list[dict[str, Any]]:
    """The catalogues the reader may see (drafts too), newest year first."""
    rows = [
        present_catalogue(ctx, c, _number(ctx, c))
        for c in _cases(session, ctx, CATALOGUE, None)
        if year is None or (c.fields or {}).get("year") == year
    ]
    return sorted(rows, key=lambda r: (-(r["year"] or 0), r["id"]))


def published_catalogues(
    session: Session, region_code: str, year: int | None
) -> list[dict[str, Any]]:
    """The published catalogues of the region, for the public page (no sign-in): only what
    was published — the year, the items, the date and the address; no person's name."""
    statement = select(Case).where(
        Case.region_code == region_code, Case.type == CATALOGUE, Case.state.in_(PUBLISHED)
    )
    found = [
        present_catalogue(None, c, "")
        for c in session.scalars(statement.order_by(Case.id))
        if year is None or (c.fields or {}).get("year") == year
    ]
    for row in found:
        row.pop("id")
        row.pop("number")
    return sorted(found, key=lambda r: -(r["year"] or 0))


_STEPS = (
    ("participation_to", "公众参与"),
    ("expert_on", "专家论证"),
    ("risk_on", "风险评估"),
    ("legality_on", "合法性审查"),
    ("discussion_on", "集体讨论"),
)


def decision_statistics(session: Session, ctx: ActionContext, year: int) -> dict[str, Any]:
    """The year's major decisions: how many, how many decided, each procedure's count."""
    cases = [
        c for c in _cases(session, ctx, DECISION, year) if (c.fields or {}).get("year") == year
    ]
    return {
        "decisions": len(cases),
        "decided": sum(1 for c in cases if (c.fields or {}).get("decided_on")),
        "steps": {label: sum(1 for c in cases if (c.fields or {}).get(f)) for f, label in _STEPS},
    }


def inspection_statistics(session: Session, ctx: ActionContext, year: int) -> dict[str, Any]:
    cases = [
        c
        for c in _cases(session, ctx, INSPECTION, year)
        if _in_year((c.fields or {}).get("visited_on"), year)
    ]
    findings = [f for c in cases for f in (c.fields or {}).get("findings") or []]
    return {
        "visits": len(cases),
        "findings": len(findings),
        "rectified": sum(1 for f in findings if f.get("status") == "verified"),
        "waived": sum(1 for f in findings if f.get("status") == "waived"),
        "open": sum(1 for f in findings if f.get("status") in ("open", "reported")),
    }


def finding_rows(
    session: Session, ctx: ActionContext, year: int | None, open_only: bool = False
) -> list[dict[str, Any]]:
    """Every finding of the inspections the reader may see, with its rectification."""
    rows = []
    for case in _cases(session, ctx, INSPECTION, year):
        fields = case.fields or {}
        if not _in_year(fields.get("visited_on"), year):
            continue
        for f in _open_first(fields.get("findings") or [], open_only):
            rows.append(
                {
                    "case_id": case.id,
                    "case_number": _number(ctx, case),
                    "inspected_unit": _unit_name(ctx, fields.get("inspected_unit")),
                    "visited_on": fields.get("visited_on"),
                    **{k: f.get(k) for k in ("number", "finding", "requirement", "due_on")},
                    "status": f.get("status"),
                    "report": f.get("report", ""),
                    "verified_on": f.get("verified_on"),
                    "waive_reason": f.get("waive_reason", ""),
                }
            )
    return rows


def _open_first(findings: Iterable[dict[str, Any]], open_only: bool) -> list[dict[str, Any]]:
    chosen = [f for f in findings if not open_only or f.get("status") in ("open", "reported")]
    return sorted(chosen, key=lambda f: int(f.get("number") or 0))
