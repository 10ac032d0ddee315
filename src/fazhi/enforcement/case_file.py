"""A penalty case of the platform as a `fazhi-case-file/1` manifest: what the review reads of
outside files, read off the platform's own record. Pure: the caller gives the case's fields,
its events (action, local date, inputs) and its active documents (kind, data, local date of
upload) in the order they happened.

The papers the platform makes itself come from the trail: the case source (登记), the filing
approval (立案), the notices (告知), the decision (决定: number, amount, the art.59 items the
decision form states), the summary decision, publication. The cover, the index and the
reference sheet are generated from the documents, so the platform's own files cannot lack
them. Uploaded documents keep their own dates where their data has one (送达日期, 缴款日期 …).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fazhi.enforcement.review.manifest import ART59_ITEMS, FORMAT, TRIGGERS


@dataclass(frozen=True)
class Happened:
    """One event of the case: the action, its local date and its inputs."""

    action: str
    on: date
    inputs: Mapping[str, Any]


@dataclass(frozen=True)
class Filed:
    """One active document: its kind, data and the local date it was put on file."""

    kind: str
    data: Mapping[str, Any]
    on: date
    file: str = ""  # its file's name in an exported folder, when it has one


# Uploaded kinds → the key of their data that dates them (else the upload date).
_DATED_BY = {
    "onsite_record": "made_on",
    "inquiry_record": "made_on",
    "preservation_decision": "decided_on",
    "collective_discussion": "held_on",
    "hearing_record": "held_on",
    "service_proof": "served_on",
    "payment_receipt": "paid_on",
}
_RECORDS = frozenset({"onsite_record", "inquiry_record", "investigation_report"})
# The papers the trail itself yields (above); the .docx generated for them is the same paper.
_FROM_TRAIL = frozenset({"filing_approval", "notice_of_rights", "hearing_notice", "decision"})


def _amount(value: Any) -> float | None:
    if value in (None, ""):
        return None
    return float(Decimal(str(value)))


def _date(value: Any, fallback: date) -> str:
    text = str(value or "")
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return fallback.isoformat()


def manifest_of(
    case_number: str,
    agency: Mapping[str, str],
    fields: Mapping[str, Any],
    events: Sequence[Happened],
    documents: Sequence[Filed],
    benchmark: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest; `benchmark` is the decision's discretion benchmark from the register
    (written as `penalty.benchmark`, a Fazhi extension the format's readers ignore)."""
    parties = [
        {
            "kind": p.get("kind") or "person",
            "name": p.get("name") or "",
            **({"id_number": p["id_number"]} if p.get("id_number") else {}),
            **({"credit_code": p["credit_code"]} if p.get("credit_code") else {}),
            **(
                {"legal_representative": p["legal_representative"]}
                if p.get("legal_representative")
                else {}
            ),
            **({"agent": True} if p.get("agent") else {}),
        }
        for p in fields.get("parties") or []
    ]
    officers = [
        {"name": o.get("name") or "", "certificate_number": o.get("certificate_number") or ""}
        for o in fields.get("officers") or []
    ]
    certificates = [o["certificate_number"] for o in officers if o["certificate_number"]]
    principal = parties[0] if parties else {}
    party_name = str(principal.get("name") or "")
    party_id = str(principal.get("id_number") or principal.get("credit_code") or "")
    fine = _amount(fields.get("fine_amount")) if fields.get("penalty_kind") == "fine" else None
    first_on = {e.action: e.on for e in reversed(events)}
    by_action = {e.action: e for e in events}

    papers: list[tuple[date, int, dict[str, Any]]] = []
    trail_files = {f.kind: f.file for f in documents if f.kind in _FROM_TRAIL and f.file}

    def paper(on: date, kind: str, **keys: Any) -> None:
        doc = {
            "kind": kind,
            "date": on.isoformat(),
            **{k: v for k, v in keys.items() if v is not None},
        }
        if kind in trail_files:
            doc["file"] = trail_files[kind]
        papers.append((on, len(papers), doc))

    if "register" in first_on:
        paper(first_on["register"], "case_source", party_name=party_name)
    if "file" in first_on:
        paper(
            first_on["file"],
            "filing_approval",
            party_name=party_name,
            party_id=party_id,
            officers=certificates,
            signed=True,
        )
    for e in events:
        if e.action == "notify_rights":
            paper(
                e.on,
                "notice_of_rights",
                number=str(e.inputs.get("notice_number") or ""),
                party_name=party_name,
            )
        elif e.action == "notify_hearing":
            paper(e.on, "hearing_notice", party_name=party_name)
        elif e.action == "publish":
            paper(e.on, "publication_record")
    decision = by_action.get("decide")
    summary = by_action.get("summary_decide")
    for filed in documents:
        if filed.kind in _FROM_TRAIL:
            continue
        key = _DATED_BY.get(filed.kind)
        on = date.fromisoformat(_date(filed.data.get(key), filed.on)) if key else filed.on
        extra: dict[str, Any] = {}
        if filed.kind in _RECORDS:
            extra = {"officers": certificates, "signed": True}
        if filed.kind == "identity_proof":
            extra = {
                "proof_kind": filed.data.get("proof_kind"),
                "party_name": filed.data.get("party_name") or None,
            }
        if filed.kind == "preservation_decision" and "preserve_goods" in first_on:
            extra = {"held_on": first_on["preserve_goods"].isoformat()}
        if filed.kind == "service_proof":
            extra = {
                "served_document": filed.data.get("served_document"),
                "method": filed.data.get("method"),
            }
        if filed.kind == "payment_receipt":
            extra = {"amount": _amount(filed.data.get("amount"))}
        if filed.kind == "decision_approval":
            extra = {"amount": fine}
        paper(on, filed.kind, **extra, file=filed.file or None)
    if decision is not None:
        # The decision form states the party, the penalty, how and when to pay, the remedies
        # and the agency with the date; facts and basis as the case records them.
        items = [i for i in ART59_ITEMS if i not in ("facts_and_evidence", "basis")]
        if fields.get("facts"):
            items.append("facts_and_evidence")
        if fields.get("legal_basis"):
            items.append("basis")
        paper(
            decision.on,
            "decision",
            number=str(fields.get("decision_number") or ""),
            party_name=party_name,
            party_id=party_id,
            amount=fine,
            sealed=True,
            items=[i for i in ART59_ITEMS if i in items],
        )
    if summary is not None:
        paper(
            summary.on,
            "summary_decision",
            number=str(fields.get("decision_number") or ""),
            party_name=party_name,
            amount=fine,
            signed=True,
            officers=certificates,
        )

    papers.sort(key=lambda p: (p[0], p[1]))
    body = [p[2] for p in papers]
    closed = first_on.get("close")
    general = fields.get("procedure") != "summary"
    if general:
        reference_on = closed or (papers[-1][0] if papers else None)
        if reference_on is not None:
            body.append({"kind": "reference_sheet", "date": reference_on.isoformat()})
        index = {
            "kind": "index",
            "entries": [{"kind": d["kind"], "pages": str(i)} for i, d in enumerate(body, start=1)],
        }
        cover = {
            "kind": "cover",
            "case_number": case_number,
            "party_name": party_name,
            "cause": str(fields.get("cause") or ""),
            "opened": str(fields.get("filed_on") or ""),
            "closed": closed.isoformat() if closed else "",
        }
        body = [cover, index, *body]
    triggers = {name: bool(fields.get(name)) for name in TRIGGERS}
    return {
        "format": FORMAT,
        "agency": dict(agency),
        "case_number": case_number,
        "procedure": "summary" if not general else "general",
        "cause": str(fields.get("cause") or ""),
        "triggers": triggers,
        "parties": parties,
        "officers": officers,
        "penalty": {
            "kind": fields.get("penalty_kind") or "",
            "amount": fine,
            **({"benchmark": dict(benchmark)} if benchmark else {}),
        },
        "documents": body,
    }
