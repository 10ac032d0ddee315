"""Synthetic case files in `fazhi-case-file/1` for the demo and the review's end-to-end test:
the 16 files of 区交警大队 that the seed's September 2023 review read, with the seed's defects
planted in some (wrong entries, missing ID copies, missing approval-stage papers, no proof of
service, no cover or index) and a late service across National Day. `planted.json` beside
them lists, per file, the defect classes planted (an empty list: a clean file).

SYNTHETIC: every name, ID number and document number is made up; ID numbers and credit codes
carry valid check digits so that only the planted defects are defects.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from stdnum.cn import ric

from fazhi.enforcement.review.manifest import ART59_ITEMS, FORMAT

AGENCY = {"name": "株洲市公安局交通警察支队石峰大队", "code": "11430204MB0000000A"}
OFFICERS = [
    {"name": "周某（合成）", "certificate_number": "430204101"},
    {"name": "吴某（合成）", "certificate_number": "430204102"},
    {"name": "郑某（合成）", "certificate_number": "430204103"},
]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"
CAUSES = (
    ("驾驶机动车未按规定让行", 200),
    ("机动车违反规定停放且拒绝驶离", 200),
    ("驾驶货车超载", 1500),
    ("驾驶机动车超速", 1000),
    ("未取得机动车驾驶证驾驶机动车", 1500),
)
# File number → what is planted (the seed's defects, one or two per file).
PLANTS: dict[int, list[str]] = {
    3: ["wrong_entry"],
    5: ["identity_proof_missing"],
    7: ["wrong_entry", "cover_index_missing"],
    9: ["approval_stage_missing"],
    11: ["service_proof_missing"],
    13: ["cover_index_missing"],
    14: ["identity_proof_missing", "approval_stage_missing"],
    15: ["service_proof_missing"],  # served late, across National Day
}


def person_id(rng: random.Random) -> str:
    born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 40 * 365))
    body = f"430204{born:%Y%m%d}{rng.randint(100, 999)}"
    return body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder check digit


def _general(n: int, rng: random.Random, filed: date) -> dict[str, Any]:
    name = f"{SURNAMES[n % len(SURNAMES)]}某{n}（合成）"
    pid = person_id(rng)
    cause, amount = CAUSES[n % len(CAUSES)]
    number = f"石交罚〔2023〕{n}号"
    decided = filed + timedelta(days=20 + n % 5)
    officers = [OFFICERS[n % 3]["certificate_number"], OFFICERS[(n + 1) % 3]["certificate_number"]]

    def doc(kind: str, day: date, **extra: Any) -> dict[str, Any]:
        return {"kind": kind, "date": day.isoformat(), "party_name": name, "signed": True, **extra}

    decision_number = f"石交罚决〔2023〕{n}号"
    notice_number = f"石交告〔2023〕{n}号"
    closed = decided + timedelta(days=25)
    documents: list[dict[str, Any]] = [
        {
            "kind": "cover",
            "case_number": number,
            "party_name": name,
            "cause": cause,
            "opened": filed.isoformat(),
            "closed": closed.isoformat(),
        },
        {"kind": "index"},
        doc("case_source", filed - timedelta(days=1)),
        doc("filing_approval", filed, number=f"石交立〔2023〕{n}号", party_id=pid),
        doc("onsite_record", filed + timedelta(days=1), officers=officers),
        doc("inquiry_record", filed + timedelta(days=2), officers=officers, party_id=pid),
        doc("identity_proof", filed + timedelta(days=2), proof_kind="id_card_copy", party_id=pid),
        doc("evidence", filed + timedelta(days=1)),
        doc("investigation_report", decided - timedelta(days=10), officers=officers),
        doc("notice_of_rights", decided - timedelta(days=8), number=notice_number, amount=amount),
        doc(
            "service_proof",
            decided - timedelta(days=8),
            served_document=notice_number,
            method="direct",
        ),
        doc("statement_record", decided - timedelta(days=6)),
        doc("decision_approval", decided - timedelta(days=1), amount=amount),
        doc(
            "decision",
            decided,
            number=decision_number,
            party_id=pid,
            amount=amount,
            sealed=True,
            items=list(ART59_ITEMS),
        ),
        doc(
            "service_proof",
            decided + timedelta(days=1),
            served_document=decision_number,
            method="direct",
        ),
        doc("payment_receipt", decided + timedelta(days=10), amount=amount),
        doc("closing_report", closed),
        {"kind": "reference_sheet", "date": closed.isoformat()},
    ]
    return {
        "format": FORMAT,
        "synthetic": True,
        "agency": AGENCY,
        "case_number": number,
        "procedure": "general",
        "cause": cause,
        "triggers": {
            "major": False,
            "hearing_applies": False,
            "hearing_requested": False,
            "complex": False,
            "public_interest": False,
            "goods_preserved": False,
        },
        "parties": [{"kind": "person", "name": name, "id_number": pid}],
        "officers": [o for o in OFFICERS if o["certificate_number"] in officers],
        "penalty": {"kind": "fine", "amount": amount},
        "documents": documents,
    }


def _index(manifest: dict[str, Any]) -> None:
    for d in manifest["documents"]:
        if d["kind"] == "index":
            d["entries"] = [
                {"kind": x["kind"], "pages": str(i)}
                for i, x in enumerate(
                    (x for x in manifest["documents"] if x["kind"] not in ("cover", "index")),
                    start=1,
                )
            ]


def _drop(manifest: dict[str, Any], kind: str) -> None:
    manifest["documents"] = [d for d in manifest["documents"] if d["kind"] != kind]


def _plant(n: int, m: dict[str, Any]) -> None:
    """The defects of PLANTS[n], as a file-keeping unit would make them."""
    docs = m["documents"]
    decision = next(d for d in docs if d["kind"] == "decision")
    if n == 3:  # the fine written differently on the decision
        decision["amount"] = decision["amount"] + 500
    if n == 7:  # the party's name miswritten on the decision; the file has no cover
        decision["party_name"] = decision["party_name"].replace("某", "谋", 1)
        _drop(m, "cover")
    if n in (5, 14):  # no copy of the ID card
        _drop(m, "identity_proof")
    if n in (9, 14):  # no investigation-end report
        _drop(m, "investigation_report")
    if n == 11:  # the decision was never proven served
        m["documents"] = [d for d in docs if d.get("served_document") != decision["number"]]
    if n == 13:  # neither cover nor index
        _drop(m, "cover")
        _drop(m, "index")
    if n == 15:  # decided before National Day, served after the 7 working days
        decision["date"] = "2023-09-28"
        for d in m["documents"]:
            if d.get("served_document") == decision["number"]:
                d["date"] = "2023-10-16"
            if d["kind"] in ("payment_receipt", "closing_report", "reference_sheet"):
                d["date"] = "2023-10-20"
        for d in m["documents"]:
            if d["kind"] == "cover":
                d["closed"] = "2023-10-20"


def demo_files(seed: int = 2023) -> dict[str, tuple[dict[str, Any], list[str]]]:
    """File name → (manifest, the defect classes planted in it)."""
    rng = random.Random(seed)
    out: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for n in range(1, 17):
        filed = date(2023, 3, 1) + timedelta(days=9 * n)
        if n == 15:
            filed = date(2023, 9, 4)
        m = _general(n, rng, filed)
        planted = PLANTS.get(n, [])
        _plant(n, m)
        _index(m)  # the index lists what the file holds (file 13 has none)
        out[f"{n:02d}-石交罚2023-{n}"] = (m, list(planted))
    return out


def write_demo_files(folder: Path, seed: int = 2023) -> int:
    """Write each file as folder/NAME/manifest.json, and folder/planted.json."""
    folder.mkdir(parents=True, exist_ok=True)
    planted: dict[str, list[str]] = {}
    for name, (manifest, classes) in demo_files(seed).items():
        (folder / name).mkdir(exist_ok=True)
        text = json.dumps(manifest, ensure_ascii=False, indent=2)
        (folder / name / "manifest.json").write_text(text + "\n", encoding="utf-8")
        planted[name] = classes
    (folder / "planted.json").write_text(
        json.dumps(planted, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return len(planted)
