"""The standard papers of a penalty case are written by the platform from the case (.docx
from the type's templates): the filing approval, the notice of rights, the hearing notice,
the decision with the items of art.59, the proof of service and the closing report. The
file of a case walked with them reviews clean and holds each paper once. Synthetic data."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from docx import Document as DocxDocument

from fazhi.enforcement.review.registry import KIND_LABELS
from tests.api.conftest import Login
from tests.api.test_penalty_case import CASES, PERSON, act, add, register
from tests.support import ApiClient, FakeClock


def generate(client: ApiClient, case_id: int, kind: str, **data: Any) -> str:
    """Generate the kind's paper and return its text."""
    made = client.post(f"{CASES}/{case_id}/documents/generate", json={"kind": kind, "data": data})
    assert made.status_code == 201, made.text
    paper = client.get(f"{CASES}/{case_id}/documents/{made.json()['id']}/file")
    assert paper.status_code == 200
    return "\n".join(p.text for p in DocxDocument(io.BytesIO(paper.content)).paragraphs)


def test_a_case_walked_with_the_generated_papers_reviews_clean(
    login: Login, clock: FakeClock, tmp_path: Path
) -> None:
    officer, reviewer = login("cgj_enforcer"), login("cgj_legal")
    clock.set("2023-06-01T10:00:00+08:00")
    case_id = register(
        officer,
        major=True,
        hearing_applies=True,
        facts="在人行道摆摊经营，经责令改正拒不改正（测试）",
        address="株洲市石峰区某路（合成）",
    )
    act(officer, case_id, "file")
    filing = generate(officer, case_id, "filing_approval", opinion="拟立案调查（测试）")
    assert "立案审批表" in filing and "张某某" in filing and PERSON["id_number"] in filing
    assert "刘建军（执法证号 43020400101）" in filing and "拟立案调查（测试）" in filing
    add(officer, case_id, "onsite_record", made_on="2023-06-01")
    add(officer, case_id, "identity_proof", proof_kind="id_card_copy", party_name="张某某")
    add(officer, case_id, "investigation_report")
    act(officer, case_id, "end_investigation")
    notice = generate(
        officer,
        case_id,
        "notice_of_rights",
        number="石城管告〔2023〕51号",
        proposed_penalty="罚款人民币2000元",
        basis="《城市道路管理条例》第四十二条",
    )
    assert "石城管告〔2023〕51号" in notice and "陈述、申辩" in notice
    assert "有权要求听证" in notice  # the case is one a hearing applies to
    act(officer, case_id, "notify_rights", notice_number="石城管告〔2023〕51号")
    hearing = generate(
        officer,
        case_id,
        "hearing_notice",
        number="石城管听告〔2023〕51号",
        proposed_penalty="罚款人民币2000元",
    )
    assert "第六十三条" in hearing and "石城管听告〔2023〕51号" in hearing
    act(officer, case_id, "notify_hearing")
    clock.set("2023-06-09T10:00:00+08:00")  # 5 working days passed without a request
    act(officer, case_id, "request_review")
    add(reviewer, case_id, "legal_review", opinion="同意（测试）", conclusion="approve")
    act(reviewer, case_id, "give_opinion")
    add(officer, case_id, "collective_discussion", held_on="2023-06-09", conclusion="同意（测试）")
    add(officer, case_id, "decision_approval")
    act(
        officer,
        case_id,
        "decide",
        penalty_kind="fine",
        fine_amount="2000",
        legal_basis="《城市道路管理条例》第四十二条",
        decision_number="石城管罚决〔2023〕51号",
        penalty_item="CG-0101",
        circumstance="一般情节",
    )
    decision = generate(officer, case_id, "decision")
    # The items of art.59: party, facts, kind and basis, how and when, remedies, date.
    for words in (
        "行政处罚决定书",
        "石城管罚决〔2023〕51号",
        "张某某",
        "经责令改正拒不改正",
        "罚款，罚款人民币2000.00元",
        "第四十二条",
        "十五日内",
        "六十日内申请行政复议",
        "六个月内",
        "2023-06-09",
        "石峰区城市管理综合执法大队",  # the agency, at the foot
    ):
        assert words in decision, words
    clock.set("2023-06-12T10:00:00+08:00")
    served = generate(
        officer,
        case_id,
        "service_proof",
        served_on="2023-06-12",
        served_document="石城管罚决〔2023〕51号",
        method="direct",
    )
    assert "送达回证" in served and "直接送达" in served and "2023-06-12" in served
    act(officer, case_id, "serve")
    add(officer, case_id, "payment_receipt", paid_on="2023-06-13", amount="2000")
    act(officer, case_id, "record_payment")
    clock.set("2023-06-14T10:00:00+08:00")
    report = generate(officer, case_id, "closing_report", execution="已缴纳罚款2000元")
    assert "结案报告" in report and "已缴纳罚款2000元" in report
    act(officer, case_id, "close")

    manifest = officer.get(f"{CASES}/{case_id}/case-file").json()
    kinds = [d["kind"] for d in manifest["documents"]]
    for kind in ("filing_approval", "notice_of_rights", "hearing_notice", "decision"):
        assert kinds.count(kind) == 1, (kind, kinds)
    result = login("case_reviewer").get(f"{CASES}/{case_id}/case-file/review").json()
    assert result["findings"] == [] and result["score"] == 100, result

    # The full record as one file: the manifest, the cover and index, every paper.
    record = officer.get(f"{CASES}/{case_id}/case-file.zip")
    assert record.status_code == 200 and record.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(record.content))
    names = {n.split("/", 1)[1]: n for n in archive.namelist()}
    exported = json.loads(archive.read(names["manifest.json"]))
    named = {d["kind"]: d.get("file") for d in exported["documents"]}
    assert named["cover"] == named["index"] == "00-cover-index.docx"
    assert named["decision"] in names and named["service_proof"] in names
    decision_file = archive.read(names[named["decision"]])
    assert "石城管罚决〔2023〕51号" in docx_text(decision_file)
    cover = docx_text(archive.read(names["00-cover-index.docx"]))
    assert "行政处罚案卷" in cover and "卷内目录" in cover and "拟立案" not in cover
    index_rows = DocxDocument(io.BytesIO(archive.read(names["00-cover-index.docx"]))).tables[0]
    listed = [r.cells[1].text for r in index_rows.rows][1:]
    body = [d["kind"] for d in exported["documents"]][2:]  # after the cover and index
    assert listed == [KIND_LABELS[k] for k in body] and listed[:2] == ["案源登记", "立案审批表"]
    # … and the exported folder reviews clean with the same review outside systems get.
    folder = tmp_path / "record"
    archive.extractall(folder)
    assert review_folder(folder) == [(exported["case_number"], 100.0, [])]


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in DocxDocument(io.BytesIO(data)).paragraphs)


def review_folder(folder: Path) -> list[tuple[str, float, list[str]]]:
    from fazhi.domain.calendar import WorkCalendar
    from fazhi.enforcement.review.engine import review
    from fazhi.enforcement.review.files import case_files
    from fazhi.enforcement.review.manifest import parse_manifest
    from fazhi.enforcement.review.standard_file import DEFAULT_STANDARD, load_standard

    standard = load_standard(DEFAULT_STANDARD)
    out = []
    for found in case_files(folder):
        result = review(parse_manifest(found.raw), standard, WorkCalendar(), found.name)
        out.append((result.case_number, result.score, [f.rule for f in result.findings]))
    return out
