"""Synthetic case files in `fazhi-case-file/1` for the review's tests: a clean general-procedure
file of 石城管罚〔2023〕12号 that scores 100, a clean summary-procedure one, and a way to
change any document of them. All names and numbers are synthetic."""

from __future__ import annotations

import copy
from typing import Any

PERSON_ID = "11010519491231002X"  # passes GB 11643 (the spec's example)
CREDIT_CODE = "91430204MA4L12346C"  # passes GB 32100 and GB 11714
OFFICERS = ["430204001", "430204002"]
DECISION_NUMBER = "石城管罚决〔2023〕12号"


def _doc(kind: str, day: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "date": day, "party_name": "张某", "signed": True, **extra}


def clean_general() -> dict[str, Any]:
    documents = [
        {
            "kind": "cover",
            "case_number": "石城管罚〔2023〕12号",
            "party_name": "张某",
            "cause": "未经批准擅自占道经营",
            "opened": "2023-03-01",
            "closed": "2023-04-20",
        },
        {"kind": "index"},
        _doc("case_source", "2023-02-28"),
        _doc(
            "filing_approval",
            "2023-03-01",
            number="石城管立〔2023〕12号",
            party_id=PERSON_ID,
            officers=OFFICERS,
        ),
        _doc("onsite_record", "2023-03-02", officers=OFFICERS),
        _doc("inquiry_record", "2023-03-03", officers=OFFICERS),
        _doc("identity_proof", "2023-03-03", proof_kind="id_card_copy", party_id=PERSON_ID),
        _doc("evidence", "2023-03-02"),
        _doc("investigation_report", "2023-03-10", officers=OFFICERS),
        _doc("notice_of_rights", "2023-03-13", number="石城管告〔2023〕12号", amount=2000),
        _doc(
            "service_proof", "2023-03-13", served_document="石城管告〔2023〕12号", method="direct"
        ),
        _doc("statement_record", "2023-03-15"),
        _doc("decision_approval", "2023-03-20", amount=2000),
        _doc(
            "decision",
            "2023-03-21",
            number=DECISION_NUMBER,
            party_id=PERSON_ID,
            amount=2000,
            sealed=True,
            items=[
                "party",
                "facts_and_evidence",
                "basis",
                "penalty",
                "payment",
                "remedies",
                "authority_and_date",
            ],
        ),
        _doc("service_proof", "2023-03-22", served_document=DECISION_NUMBER, method="direct"),
        _doc("payment_receipt", "2023-04-10", amount=2000),
        _doc("publication_record", "2023-03-28"),
        _doc("closing_report", "2023-04-20"),
        {"kind": "reference_sheet", "date": "2023-04-20"},
    ]
    documents[1]["entries"] = [
        {"kind": d["kind"], "pages": str(i)} for i, d in enumerate(documents[2:], start=1)
    ]
    return {
        "format": "fazhi-case-file/1",
        "agency": {"name": "石峰区城市管理和综合执法局", "code": "11430204MB1234567X"},
        "case_number": "石城管罚〔2023〕12号",
        "procedure": "general",
        "cause": "未经批准擅自占道经营",
        "triggers": {
            "major": False,
            "hearing_applies": False,
            "hearing_requested": False,
            "complex": False,
            "public_interest": False,
            "goods_preserved": False,
        },
        "parties": [{"kind": "person", "name": "张某", "id_number": PERSON_ID}],
        "officers": [
            {"name": "李某", "certificate_number": OFFICERS[0]},
            {"name": "王某", "certificate_number": OFFICERS[1]},
        ],
        "penalty": {"kind": "fine", "amount": 2000},
        "documents": documents,
    }


def clean_summary() -> dict[str, Any]:
    return {
        "format": "fazhi-case-file/1",
        "agency": {"name": "株洲市公安局交通警察支队石峰大队"},
        "case_number": "石交简〔2023〕88号",
        "procedure": "summary",
        "cause": "机动车违反规定停放",
        "parties": [{"kind": "person", "name": "赵某", "id_number": "430204198001011231"}],
        "officers": [
            {"name": "周某", "certificate_number": "430204101"},
            {"name": "吴某", "certificate_number": "430204102"},
        ],
        "penalty": {"kind": "fine", "amount": 150},
        "documents": [
            {"kind": "identity_proof", "party_name": "赵某", "proof_kind": "id_card_copy"},
            {
                "kind": "summary_decision",
                "date": "2023-06-05",
                "number": "4302040000088",
                "party_name": "赵某",
                "amount": 150,
                "signed": True,
                "officers": ["430204101", "430204102"],
            },
            {"kind": "payment_receipt", "date": "2023-06-06", "amount": 150},
        ],
    }


def without(manifest: dict[str, Any], kind: str) -> dict[str, Any]:
    """The manifest with every document of `kind` taken out (and its index kept as it was)."""
    out = copy.deepcopy(manifest)
    out["documents"] = [d for d in out["documents"] if d["kind"] != kind]
    return out


def changed(manifest: dict[str, Any], kind: str, nth: int = 0, **keys: Any) -> dict[str, Any]:
    """The manifest with the `nth` document of `kind` given `keys` (None removes a key)."""
    out = copy.deepcopy(manifest)
    docs = [d for d in out["documents"] if d["kind"] == kind]
    for key, value in keys.items():
        if value is None:
            docs[nth].pop(key, None)
        else:
            docs[nth][key] = value
    return out


def reindexed(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest with its index rebuilt from its documents."""
    out = copy.deepcopy(manifest)
    index = next(d for d in out["documents"] if d["kind"] == "index")
    index["entries"] = [
        {"kind": d["kind"]} for d in out["documents"] if d["kind"] not in ("cover", "index")
    ]
    return out
