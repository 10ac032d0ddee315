"""Each review rule, with a file that passes and one that fails it; the periods counted on the
working-day calendar across the 2023 holidays. The clean files (files.py) score 100."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from fazhi.domain.calendar import WorkCalendar
from fazhi.enforcement.review.engine import Review, review
from fazhi.enforcement.review.manifest import parse_manifest
from fazhi.enforcement.review.standard_file import DEFAULT_STANDARD, load_standard
from tests.enforcement.review.files import (
    CREDIT_CODE,
    DECISION_NUMBER,
    changed,
    clean_general,
    clean_summary,
    reindexed,
    without,
)

CALENDAR = WorkCalendar()
STANDARD = load_standard(DEFAULT_STANDARD)


def reviewed(manifest: dict[str, Any]) -> Review:
    return review(parse_manifest(manifest), STANDARD, CALENDAR, "test")


def found(manifest: dict[str, Any]) -> dict[str, list[tuple[str, str | None, str]]]:
    out: dict[str, list[tuple[str, str | None, str]]] = {}
    for f in reviewed(manifest).findings:
        out.setdefault(f.rule, []).append((f.defect, f.document, f.message))
    return out


def triggered(manifest: dict[str, Any], **triggers: bool) -> dict[str, Any]:
    return {**manifest, "triggers": {**manifest["triggers"], **triggers}}


def test_the_clean_files_score_100_with_nothing_found() -> None:
    for manifest in (clean_general(), clean_summary()):
        result = reviewed(manifest)
        assert result.findings == () and result.score == 100 and not result.vetoed


def organisation(m: dict[str, Any]) -> dict[str, Any]:
    party = {
        "kind": "organisation",
        "name": "株洲某商贸有限公司",
        "credit_code": CREDIT_CODE,
        "legal_representative": "钱某",
    }
    out = {**m, "parties": [party]}
    for doc in out["documents"]:
        if doc.get("party_name"):
            doc["party_name"] = party["name"]
        doc.pop("party_id", None)
    out["documents"][0]["party_name"] = party["name"]
    return changed(out, "identity_proof", proof_kind="business_licence")


G = clean_general
CASES: list[tuple[str, Callable[[], dict[str, Any]], str, str, str]] = [
    ("no cover", lambda: without(G(), "cover"), "cover.present", "cover_index_missing", "封面"),
    (
        "cover without cause",
        lambda: changed(G(), "cover", cause=None),
        "cover.fields",
        "cover_index_missing",
        "案由",
    ),
    ("no index", lambda: without(G(), "index"), "index.present", "cover_index_missing", "目录"),
    (
        "index lists a paper not in the file",
        lambda: without(G(), "evidence"),
        "index.matches",
        "cover_index_missing",
        "证据材料",
    ),
    (
        "no reference sheet",
        lambda: reindexed(without(G(), "reference_sheet")),
        "reference_sheet.present",
        "cover_index_missing",
        "备考表",
    ),
    (
        "no ID copy",
        lambda: reindexed(without(G(), "identity_proof")),
        "identity.proof",
        "identity_proof_missing",
        "身份证复印件",
    ),
    (
        "organisation without the representative's certificate",
        lambda: organisation(G()),
        "identity.proof",
        "identity_proof_missing",
        "法定代表人身份证明",
    ),
    (
        "agent without a power of attorney",
        lambda: {**G(), "parties": [{**G()["parties"][0], "agent": True}]},
        "identity.proof",
        "identity_proof_missing",
        "授权委托书",
    ),
    (
        "ID number with a wrong check digit",
        lambda: {**G(), "parties": [{**G()["parties"][0], "id_number": "110105194912310021"}]},
        "identity.number",
        "identity_proof_missing",
        "校验码",
    ),
    (
        "credit code with a wrong check digit",
        lambda: {
            **organisation(G()),
            "parties": [{**organisation(G())["parties"][0], "credit_code": "91430204MA4L12346D"}],
        },
        "identity.number",
        "identity_proof_missing",
        "统一社会信用代码",
    ),
    (
        "another name on the decision",
        lambda: changed(G(), "decision", party_name="张某某"),
        "entry.party_name",
        "wrong_entry",
        "张某某",
    ),
    (
        "another ID number on the decision",
        lambda: changed(G(), "decision", party_id="430204198001011231"),
        "entry.party_id",
        "wrong_entry",
        "430204198001011231",
    ),
    (
        "another amount on the decision",
        lambda: changed(G(), "decision", amount=3000),
        "entry.amount",
        "wrong_entry",
        "3000",
    ),
    (
        "another case number on the cover",
        lambda: changed(G(), "cover", case_number="石城管罚〔2023〕21号"),
        "entry.numbers",
        "wrong_entry",
        "21号",
    ),
    (
        "a proof of service of a paper not in the file",
        lambda: changed(G(), "service_proof", served_document="石城管告〔2023〕99号"),
        "entry.numbers",
        "wrong_entry",
        "99号",
    ),
    (
        "cover's filing date not the filing's",
        lambda: changed(G(), "cover", opened="2023-03-02"),
        "entry.cover_dates",
        "wrong_entry",
        "立案日期",
    ),
    (
        "approval dated after the decision",
        lambda: changed(G(), "decision_approval", date="2023-03-25"),
        "entry.dates",
        "wrong_entry",
        "早于处罚决定审批表",
    ),
    (
        "a stage without a date",
        lambda: changed(G(), "notice_of_rights", date=None),
        "entry.dates",
        "wrong_entry",
        "未注明日期",
    ),
    (
        "decision without the remedies",
        lambda: changed(G(), "decision", items=["party", "basis"]),
        "entry.art59",
        "wrong_entry",
        "复议、诉讼途径和期限",
    ),
    (
        "decision not sealed",
        lambda: changed(G(), "decision", sealed=False),
        "entry.art59",
        "wrong_entry",
        "印章",
    ),
    (
        "on-site record unsigned",
        lambda: changed(G(), "onsite_record", signed=False),
        "entry.signed",
        "wrong_entry",
        "现场笔录",
    ),
    (
        "no investigation-end report",
        lambda: reindexed(without(G(), "investigation_report")),
        "stage.present",
        "approval_stage_missing",
        "调查终结报告",
    ),
    (
        "major case without legal review",
        lambda: triggered(G(), major=True),
        "stage.present",
        "approval_stage_missing",
        "法制审核",
    ),
    (
        "complex case without collective discussion",
        lambda: triggered(G(), complex=True),
        "stage.present",
        "approval_stage_missing",
        "集体讨论",
    ),
    (
        "hearing applies without the hearing notice",
        lambda: triggered(G(), hearing_applies=True),
        "stage.present",
        "approval_stage_missing",
        "听证告知书",
    ),
    (
        "goods held without a decision on them",
        lambda: triggered(G(), goods_preserved=True),
        "stage.present",
        "approval_stage_missing",
        "先行登记保存",
    ),
    (
        "investigation report dated after the decision",
        lambda: changed(G(), "investigation_report", date="2023-03-30"),
        "stage.before_decision",
        "approval_stage_missing",
        "调查终结报告",
    ),
    (
        "no decision",
        lambda: reindexed(without(G(), "decision")),
        "stage.decision",
        "approval_stage_missing",
        "行政处罚决定书",
    ),
    (
        "a fine neither paid nor enforced",
        lambda: reindexed(without(G(), "payment_receipt")),
        "stage.after_decision",
        "approval_stage_missing",
        "罚没款票据",
    ),
    (
        "no closing report",
        lambda: reindexed(without(G(), "closing_report")),
        "stage.after_decision",
        "approval_stage_missing",
        "结案报告",
    ),
    (
        "the decision never served",
        lambda: reindexed(
            {
                **G(),
                "documents": [
                    d for d in G()["documents"] if d.get("served_document") != DECISION_NUMBER
                ],
            }
        ),
        "service.present",
        "service_proof_missing",
        "送达回证",
    ),
    (
        "an officer not on the case",
        lambda: changed(G(), "inquiry_record", officers=["430204001", "430204009"]),
        "officer.listed",
        "officer",
        "430204009",
    ),
]


@pytest.mark.parametrize(
    ("name", "build", "rule", "defect", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_each_rule_finds_its_defect(
    name: str, build: Callable[[], dict[str, Any]], rule: str, defect: str, words: str
) -> None:
    hits = found(build())
    assert rule in hits, f"{name}: {sorted(hits)}"
    assert any(d == defect and words in message for d, _doc, message in hits[rule]), hits[rule]


def test_service_is_due_7_working_days_after_the_decision_across_national_day() -> None:
    # Decided Thu 2023-09-28; 9/29–10/6 are holidays, 10/7 and 10/8 make-up workdays:
    # the 7th working day is Fri 10-13.
    def served(day: str) -> dict[str, list[Any]]:
        manifest = changed(G(), "decision", date="2023-09-28")
        return found(changed(manifest, "service_proof", nth=1, date=day))

    assert "service.in_time" not in served("2023-10-13")
    late = served("2023-10-16")["service.in_time"]
    assert late[0][0] == "service_proof_missing" and "2023-10-13" in late[0][2]


def test_the_decision_is_due_90_days_after_filing_moved_past_may_day() -> None:
    # Filed 2023-01-31: the 90th day is 05-01, a holiday (4/29–5/3), so 05-04 is in time.
    def decided(day: str) -> dict[str, list[Any]]:
        return found(
            changed(changed(G(), "filing_approval", date="2023-01-31"), "decision", date=day)
        )

    assert "time.decision" not in decided("2023-05-04")
    late = decided("2023-05-05")["time.decision"]
    assert late[0][0] == "time_limit" and "2023-05-04" in late[0][2]


def test_goods_held_are_decided_on_within_7_working_days() -> None:
    base = triggered(G(), goods_preserved=True)
    base["documents"].insert(
        5, {"kind": "preservation_decision", "date": "2023-10-12", "held_on": "2023-09-27"}
    )
    assert "time.preservation" not in found(base)
    late = changed(base, "preservation_decision", date="2023-10-13")
    assert "超过7个工作日" in found(late)["time.preservation"][0][2]
    # Without held_on, the first on-site record's date is the day the goods were held.
    onsite = changed(
        changed(late, "preservation_decision", held_on=None), "onsite_record", date="2023-09-27"
    )
    assert "time.preservation" in found(onsite)


@pytest.mark.parametrize(
    ("officers", "message"),
    [
        ([{"name": "李某", "certificate_number": "430204001"}], "不足两人"),
        ([{"name": "李某", "certificate_number": "430204001"}, {"name": "王某"}], "没有执法证号"),
    ],
)
def test_officer_defects_are_vetoes(officers: list[dict[str, str]], message: str) -> None:
    result = reviewed({**G(), "officers": officers})
    assert result.vetoed and result.score == 0
    veto = [f for f in result.findings if f.severity == "veto"]
    assert veto and veto[0].defect == "officer" and message in veto[0].message


def test_a_record_signed_by_one_officer_is_a_veto() -> None:
    result = reviewed(changed(G(), "inquiry_record", officers=["430204001"]))
    assert result.vetoed and result.findings[0].rule == "officer.records"


def test_the_summary_procedure_limits() -> None:
    def fined(amount: int, party: dict[str, Any] | None = None, kind: str = "fine") -> Review:
        manifest = {**clean_summary(), "penalty": {"kind": kind, "amount": amount}}
        if party:
            manifest["parties"] = [party]
        for doc in manifest["documents"]:
            doc.pop("amount", None)
            if party and "party_name" in doc:
                doc["party_name"] = party["name"]
        return reviewed(manifest)

    assert not fined(200).vetoed
    over = fined(201)
    assert over.vetoed and "超过简易程序 200 元" in over.findings[0].message
    company = {
        "kind": "organisation",
        "name": "某公司",
        "credit_code": CREDIT_CODE,
        "legal_representative": "钱某",
    }
    assert not any(f.rule == "summary.limits" for f in fined(3000, company).findings)
    assert fined(3001, company).vetoed
    assert fined(0, kind="detention").vetoed  # only a warning or a fine on the spot


def test_a_summary_decision_is_numbered_and_signed() -> None:
    unnumbered = found(changed(clean_summary(), "summary_decision", number=None))
    assert "未编号" in unnumbered["stage.decision"][0][2]
    unsigned = found(changed(clean_summary(), "summary_decision", signed=False))
    assert "拒签说明" in unsigned["entry.signed"][0][2]


def benchmarked(manifest: dict[str, Any], low: int, high: int) -> dict[str, Any]:
    bench = {"item": "CG-0101", "circumstance": "一般情节", "min": low, "max": high}
    return {**manifest, "penalty": {**manifest["penalty"], "benchmark": bench}}


def test_a_fine_inside_its_discretion_benchmark_passes_and_outside_it_is_found() -> None:
    for manifest in (clean_general(), clean_summary()):
        amount = manifest["penalty"]["amount"]
        assert found(benchmarked(manifest, 0, amount)) == {}
        hits = found(benchmarked(manifest, amount + 1, amount + 100))
        ((defect, document, message),) = hits["benchmark.range"]
        assert defect == "wrong_entry" and "未说明理由" in message
        assert document == (
            "decision" if manifest["procedure"] == "general" else "summary_decision"
        )
    # Files that name no benchmark (other systems') are not held to one.
    assert "benchmark.range" not in found(clean_general())
