"""Publicity (行政执法公示) of penalty decisions: the public notices of the decisions an
officer has published, with personal data removed as 行政处罚法 art.48 requires (a person's
name reduced to the surname, no ID number, phone or address; an organisation keeps its name
and credit code), and never a revoked decision — revocation clears the publication at once,
well within the 3 days the law allows. Read by anyone: this is the public page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.domain.case_type import CaseType
from fazhi.org.directory import UnitDirectory
from fazhi.read.presenters import case_number
from fazhi.store.models import Case

TYPE = "penalty_case"
DECIDED = ("decided", "served", "executed", "closed")


def public_party(party: dict[str, Any]) -> dict[str, str]:
    """A party as the notice shows it: 张某 for a person; an organisation whole."""
    name = str(party.get("name") or "")
    if party.get("kind") == "organisation":
        return {
            "kind": "organisation",
            "name": name,
            "credit_code": str(party.get("credit_code") or ""),
            "legal_representative": str(party.get("legal_representative") or ""),
        }
    return {"kind": "person", "name": f"{name[:1]}某" if name else "某"}


def notice_of(case: Case, case_type: CaseType, directory: UnitDirectory) -> dict[str, Any]:
    f = case.fields or {}
    kind = case_type.field("penalty_kind")
    unit = directory.by_id.get(case.lead_unit_id) if case.lead_unit_id else None
    return {
        "case_number": case_number(case_type, case),
        "decision_number": str(f.get("decision_number") or ""),
        "decided_on": str(f.get("decided_on") or ""),
        "agency": unit.name if unit else "",
        "cause": str(f.get("cause") or ""),
        "parties": [public_party(p) for p in f.get("parties") or [] if isinstance(p, dict)],
        "penalty_kind": kind.choice_label(f.get("penalty_kind")) if kind else "",
        "fine_amount": f.get("fine_amount") if f.get("penalty_kind") == "fine" else None,
        "legal_basis": str(f.get("legal_basis") or ""),
    }


def published_notices(
    session: Session, region_code: str, case_type: CaseType, directory: UnitDirectory
) -> list[dict[str, Any]]:
    """The published, unrevoked decisions of the region, the latest decided first."""
    cases = session.scalars(
        select(Case).where(
            Case.region_code == region_code, Case.type == TYPE, Case.state.in_(DECIDED)
        )
    )
    shown = [
        c
        for c in cases
        if (c.fields or {}).get("published") and not (c.fields or {}).get("revoked")
    ]
    shown.sort(key=lambda c: (str((c.fields or {}).get("decided_on") or ""), c.id), reverse=True)
    return [notice_of(c, case_type, directory) for c in shown]
