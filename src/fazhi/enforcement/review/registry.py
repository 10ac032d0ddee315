"""What the review's rules share: the defect classes and labels, the rule registry (an id,
the class it reports under, the procedures it applies to), the statutory periods and limits,
and running every rule over a file. The rules themselves are in rules.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from fazhi.domain.calendar import CalendarYearUnknown, WorkCalendar
from fazhi.enforcement.review.manifest import CaseFile

DEFECTS = (
    "wrong_entry",
    "identity_proof_missing",
    "approval_stage_missing",
    "service_proof_missing",
    "cover_index_missing",
    "officer",
    "time_limit",
)
# The classes in Chinese, as the seed's review named them where it did.
DEFECT_LABELS = {
    "wrong_entry": "文书记载错误",
    "identity_proof_missing": "身份证明缺失",
    "approval_stage_missing": "决定审批阶段材料缺失",
    "service_proof_missing": "无决定文书送达材料",
    "cover_index_missing": "无案卷封面目录",
    "officer": "执法人员",
    "time_limit": "时限",
}
KIND_LABELS = {
    "cover": "案卷封面",
    "index": "卷内目录",
    "case_source": "案源登记",
    "filing_approval": "立案审批表",
    "onsite_record": "现场笔录",
    "inquiry_record": "询问笔录",
    "identity_proof": "当事人身份证明",
    "evidence": "证据材料",
    "preservation_decision": "先行登记保存处理决定",
    "investigation_report": "调查终结报告",
    "legal_review": "法制审核意见",
    "collective_discussion": "集体讨论记录",
    "notice_of_rights": "陈述申辩权利告知书",
    "hearing_notice": "听证告知书",
    "statement_record": "陈述申辩记录",
    "hearing_record": "听证笔录",
    "decision_approval": "处罚决定审批表",
    "decision": "行政处罚决定书",
    "summary_decision": "当场处罚决定书",
    "service_proof": "送达回证",
    "payment_receipt": "罚没款票据",
    "enforcement_record": "执行记录",
    "publication_record": "公示记录",
    "closing_report": "结案报告",
    "reference_sheet": "备考表",
}
ART59_LABELS = {
    "party": "当事人信息",
    "facts_and_evidence": "违法事实和证据",
    "basis": "处罚种类和依据",
    "penalty": "处罚的履行方式和期限",
    "payment": "罚款缴纳方式",
    "remedies": "复议、诉讼途径和期限",
    "authority_and_date": "机关名称和日期",
}
RECORD_KINDS = ("onsite_record", "inquiry_record")
# The stages whose dates must run in this order (filing ≤ notice ≤ approval ≤ decision ≤
# service ≤ closing).
DATE_ORDER = (
    "filing_approval",
    "notice_of_rights",
    "decision_approval",
    "decision",
    "service_proof",
    "closing_report",
)
DECISION_DAYS = 90  # 行政处罚法 art.60: decide within 90 days of filing (calendar days)
SERVICE_WORKDAYS = 7  # art.61 with art.85: serve within 7 working days
PRESERVATION_WORKDAYS = 7  # art.56 with art.85: decide on goods held within 7 working days
SUMMARY_LIMITS = {"person": 200, "organisation": 3000}  # art.51
# What a failed check digit is called in the findings.
ID_FAULTS = {
    "length": "位数不是18位",
    "format": "格式不正确",
    "checksum": "校验码错误（GB 11643）",
    "birth_date": "出生日期不存在",
}

CODE_FAULTS = {
    "length": "位数不是18位",
    "format": "含有不允许的字符",
    "region": "登记管理机关行政区划码不正确",
    "checksum": "校验码错误（GB 32100）",
    "organisation_checksum": "组织机构代码校验码错误（GB 11714）",
}

Hit = tuple[str | None, str]
RuleFn = Callable[[CaseFile, WorkCalendar], Iterator[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str
    defect: str
    applies_to: frozenset[str]  # procedures
    fn: RuleFn


RULES: dict[str, Rule] = {}
BOTH = frozenset({"general", "summary"})
GENERAL = frozenset({"general"})
SUMMARY = frozenset({"summary"})


def rule(
    rule_id: str, defect: str, procedures: frozenset[str] = GENERAL
) -> Callable[[RuleFn], RuleFn]:
    assert defect in DEFECTS, defect

    def register(fn: RuleFn) -> RuleFn:
        RULES[rule_id] = Rule(rule_id, defect, procedures, fn)
        return fn

    return register


def label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def run_rules(cf: CaseFile, cal: WorkCalendar) -> tuple[list[tuple[Rule, Hit]], list[str]]:
    """Every rule's hits in rule order, and notes on rules that could not be checked (a
    period into a year the calendar does not know)."""
    hits: list[tuple[Rule, Hit]] = []
    notes: list[str] = []
    for r in RULES.values():
        if cf.procedure not in r.applies_to:
            continue
        try:
            hits.extend((r, hit) for hit in r.fn(cf, cal))
        except CalendarYearUnknown as exc:
            notes.append(f"{r.id}：缺少{exc.year}年的节假日安排，未能核对时限")
    return hits, notes
