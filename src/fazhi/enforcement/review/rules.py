"""The machine review's rules over a case file (案卷评查), after the checklist and the five
defects of ../shared/domain/case-file-review.md. Pure: a rule reads the file and the working
calendar and says what is wrong; the scoring standard (standard.py) says how much it costs.

Each rule has a stable id (`cover.present`), the defect class it reports under, and yields
hits: (the document kind concerned or None, a Chinese message). Where the format leaves a
choice open, the rules say so in their docstring.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date

from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.identity import credit_code_fault, id_number_fault
from fazhi.enforcement.review.manifest import ART59_ITEMS, CaseFile, Document
from fazhi.enforcement.review.registry import (
    ART59_LABELS,
    BOTH,
    CODE_FAULTS,
    DATE_ORDER,
    DECISION_DAYS,
    DEFECT_LABELS,
    DEFECTS,
    ID_FAULTS,
    KIND_LABELS,
    PRESERVATION_WORKDAYS,
    RECORD_KINDS,
    RULES,
    SERVICE_WORKDAYS,
    SUMMARY,
    SUMMARY_LIMITS,
    Hit,
    Rule,
    label,
    rule,
    run_rules,
)

__all__ = ["DEFECTS", "DEFECT_LABELS", "KIND_LABELS", "RULES", "Rule", "run_rules"]


def _decision(cf: CaseFile) -> Document | None:
    return cf.first("summary_decision" if cf.procedure == "summary" else "decision")


def _decision_services(cf: CaseFile) -> list[Document]:
    """Proofs of service of the decision: those naming its number, or naming none."""
    decision = cf.first("decision")
    number = decision.number if decision else ""
    return [
        d
        for d in cf.of_kind("service_proof")
        if not str(d.extra.get("served_document") or "")
        or str(d.extra["served_document"]) == number
    ]


# ---------------------------------------------------------------------------------------------
# 无案卷封面目录: cover and index


@rule("cover.present", "cover_index_missing")
def _cover_present(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    if cf.first("cover") is None:
        yield None, "案卷缺少封面"


@rule("cover.fields", "cover_index_missing")
def _cover_fields(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    cover = cf.first("cover")
    if cover is None:
        return
    names = {
        "case_number": "案号",
        "party_name": "当事人",
        "cause": "案由",
        "opened": "立案日期",
        "closed": "结案日期",
    }
    values = {**cover.extra, "party_name": cover.party_name}
    missing = [names[k] for k in names if not str(values.get(k) or "").strip()]
    if missing:
        yield "cover", f"封面未填写：{'、'.join(missing)}"


@rule("index.present", "cover_index_missing")
def _index_present(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    if cf.first("index") is None:
        yield None, "案卷缺少卷内目录"


@rule("index.matches", "cover_index_missing")
def _index_matches(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    """The index's entries, in order, are the file's documents (the cover and the index
    itself may be listed or not)."""
    index = cf.first("index")
    if index is None:
        return
    entries = index.extra.get("entries")
    if not isinstance(entries, list):
        yield "index", "卷内目录没有列出文书"
        return
    framing = {"cover", "index"}
    listed = [str(e.get("kind")) for e in entries if isinstance(e, dict)]
    listed = [k for k in listed if k not in framing]
    held = [d.kind for d in cf.documents if d.kind not in framing]
    if listed == held:
        return
    for i, (a, b) in enumerate(zip(listed, held, strict=False)):
        if a != b:
            yield "index", f"卷内目录第{i + 1}项为「{label(a)}」，卷内实为「{label(b)}」"
            return
    if len(listed) < len(held):
        yield (
            "index",
            f"卷内目录漏列「{label(held[len(listed)])}」等{len(held) - len(listed)}份文书",
        )
    else:
        yield "index", f"卷内目录多列「{label(listed[len(held)])}」等{len(listed) - len(held)}项"


@rule("reference_sheet.present", "cover_index_missing")
def _reference_sheet(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    if cf.first("reference_sheet") is None:
        yield None, "案卷缺少备考表"


# ---------------------------------------------------------------------------------------------
# 身份证复印件缺失: identity proof and check digits


def _proofs_for(cf: CaseFile, name: str) -> set[str]:
    return {
        str(d.extra.get("proof_kind") or "")
        for d in cf.of_kind("identity_proof")
        if not d.party_name or d.party_name == name
    }


@rule("identity.proof", "identity_proof_missing", BOTH)
def _identity_proof(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    """A person: a copy of the ID card; an organisation: the business licence and the legal
    representative's certificate; an agent: a power of attorney too. A proof naming a party
    counts for that party; one naming none counts for any."""
    if not cf.parties:
        yield None, "案卷未载明当事人"
    for party in cf.parties:
        proofs = _proofs_for(cf, party.name)
        needed = (
            {"id_card_copy": "身份证复印件"}
            if party.kind == "person"
            else {
                "business_licence": "营业执照",
                "legal_representative_certificate": "法定代表人身份证明",
            }
        )
        if party.agent:
            needed["power_of_attorney"] = "授权委托书"
        missing = [text for kind, text in needed.items() if kind not in proofs]
        if missing:
            yield "identity_proof", f"当事人{party.name}缺少{'、'.join(missing)}"


@rule("identity.number", "identity_proof_missing", BOTH)
def _identity_number(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    for party in cf.parties:
        if party.kind == "person":
            if not party.id_number:
                yield None, f"当事人{party.name}未记载身份证号"
            elif fault := id_number_fault(party.id_number):
                yield None, f"当事人{party.name}的身份证号{ID_FAULTS[fault]}"
        else:
            if not party.credit_code:
                yield None, f"当事人{party.name}未记载统一社会信用代码"
            elif fault_code := credit_code_fault(party.credit_code):
                yield None, f"当事人{party.name}的统一社会信用代码{CODE_FAULTS[fault_code]}"
            if not party.legal_representative:
                yield None, f"当事人{party.name}未记载法定代表人"


# ---------------------------------------------------------------------------------------------
# 文书记载错误: entries that disagree, dates out of order, art.59 items


@rule("entry.party_name", "wrong_entry", BOTH)
def _party_name(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    names = {p.name for p in cf.parties}
    for d in cf.documents:
        if d.party_name and names and d.party_name not in names:
            yield d.kind, f"{label(d.kind)}记载的当事人「{d.party_name}」与案卷当事人不一致"


@rule("entry.party_id", "wrong_entry", BOTH)
def _party_id(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    ids = {p.identifier for p in cf.parties if p.identifier}
    for d in cf.documents:
        if d.party_id and ids and d.party_id not in ids:
            yield d.kind, f"{label(d.kind)}记载的证件号码 {d.party_id} 与当事人不一致"


@rule("entry.amount", "wrong_entry", BOTH)
def _amount(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    if cf.penalty_amount is None:
        return
    for d in cf.documents:
        if d.amount is not None and d.amount != cf.penalty_amount:
            yield (
                d.kind,
                f"{label(d.kind)}记载的金额 {d.amount:f} 元"
                f"与处罚金额 {cf.penalty_amount:f} 元不一致",
            )


@rule("entry.numbers", "wrong_entry")
def _numbers(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    """The cover's case number is the file's; each proof of service names a document of it."""
    cover = cf.first("cover")
    number = str(cover.extra.get("case_number") or "") if cover else ""
    if number and number != cf.case_number:
        yield "cover", f"封面案号「{number}」与案号「{cf.case_number}」不一致"
    numbers = {d.number for d in cf.documents if d.number}
    for d in cf.of_kind("service_proof"):
        served = str(d.extra.get("served_document") or "")
        if served and served not in numbers:
            yield "service_proof", f"送达回证所送达的文书「{served}」不在卷内"


@rule("entry.cover_dates", "wrong_entry")
def _cover_dates(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    cover, filing, closing = (
        cf.first("cover"),
        cf.first("filing_approval"),
        cf.first("closing_report"),
    )
    if cover is None:
        return
    for key, doc, what in (("opened", filing, "立案"), ("closed", closing, "结案")):
        written = str(cover.extra.get(key) or "")
        if written and doc is not None and doc.date is not None and written != doc.date.isoformat():
            yield (
                "cover",
                f"封面{what}日期 {written} 与{label(doc.kind)}日期 {doc.date.isoformat()} 不一致",
            )


@rule("entry.dates", "wrong_entry")
def _date_order(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    """Each stage's document is dated, and no later stage is dated before an earlier one
    (the proof of service is the decision's)."""
    staged: list[tuple[str, date]] = []
    for kind in DATE_ORDER:
        if kind == "service_proof":
            services = _decision_services(cf)
            doc = services[0] if services else None
        else:
            doc = cf.first(kind)
        if doc is None:
            continue
        if doc.date is None:
            yield kind, f"{label(kind)}未注明日期"
            continue
        staged.append((kind, doc.date))
    for (a, da), (b, db) in itertools.pairwise(staged):
        if db < da:
            yield b, f"{label(b)}日期 {db.isoformat()} 早于{label(a)}日期 {da.isoformat()}"


@rule("entry.art59", "wrong_entry")
def _art59(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    decision = cf.first("decision")
    if decision is None:
        return
    items = decision.extra.get("items")
    present = set(items) if isinstance(items, list) else set()
    missing = [ART59_LABELS[i] for i in ART59_ITEMS if i not in present]
    if missing:
        yield "decision", f"处罚决定书缺少行政处罚法第五十九条规定的事项：{'、'.join(missing)}"
    if decision.extra.get("sealed") is not True:
        yield "decision", "处罚决定书未加盖行政机关印章"


@rule("entry.signed", "wrong_entry", BOTH)
def _signed(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    for d in cf.documents:
        if d.kind in (*RECORD_KINDS, "summary_decision") and d.signed is False:
            who = "当事人签名或拒签说明" if d.kind == "summary_decision" else "签名"
            yield d.kind, f"{label(d.kind)}缺少{who}"


# ---------------------------------------------------------------------------------------------
# 决定审批阶段材料缺失: the papers of each stage, where their trigger applies


def _required(cf: CaseFile) -> list[tuple[str, str]]:
    """(kind, why) of the papers a general-procedure file must hold before its decision."""
    needed = [
        ("case_source", "案件来源须登记"),
        ("filing_approval", "立案须经审批"),
        ("investigation_report", "调查终结须有报告"),
        ("notice_of_rights", "作出决定前须告知陈述、申辩权"),
        ("decision_approval", "决定须经审批"),
    ]
    if cf.trigger("hearing_applies"):
        needed.append(("hearing_notice", "适用听证的须告知听证权利（第六十三条）"))
    if cf.trigger("hearing_requested"):
        needed.append(("hearing_record", "当事人要求听证的须组织听证"))
    if any(cf.trigger(t) for t in ("major", "public_interest", "hearing_requested", "complex")):
        needed.append(("legal_review", "须经法制审核（第五十八条）"))
    if cf.trigger("complex") or cf.trigger("major"):
        needed.append(("collective_discussion", "情节复杂或重大的须集体讨论（第五十七条）"))
    if cf.trigger("goods_preserved"):
        needed.append(("preservation_decision", "先行登记保存的物品须作出处理决定"))
    return needed


@rule("stage.present", "approval_stage_missing")
def _stage_present(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    for kind, why in _required(cf):
        if cf.first(kind) is None:
            yield kind, f"缺少{label(kind)}（{why}）"


@rule("stage.before_decision", "approval_stage_missing")
def _stage_dates(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    decision = cf.first("decision")
    if decision is None or decision.date is None:
        return
    for kind, _why in _required(cf):
        doc = cf.first(kind)
        if doc is not None and doc.date is not None and doc.date > decision.date:
            yield (
                kind,
                f"{label(kind)}日期 {doc.date.isoformat()}"
                f" 晚于处罚决定 {decision.date.isoformat()}",
            )


@rule("stage.decision", "approval_stage_missing", BOTH)
def _decision_present(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    decision = _decision(cf)
    if decision is None:
        kind = "summary_decision" if cf.procedure == "summary" else "decision"
        yield kind, f"缺少{label(kind)}"
    elif cf.procedure == "summary" and not decision.number:
        yield "summary_decision", "当场处罚决定书未编号"


@rule("stage.after_decision", "approval_stage_missing")
def _after_decision(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    """A fine is paid (receipt) or enforced (record); every general file ends with a
    closing report."""
    if cf.penalty_kind == "fine" and not (
        cf.of_kind("payment_receipt") or cf.of_kind("enforcement_record")
    ):
        yield None, "缺少罚没款票据或执行记录"
    if cf.first("closing_report") is None:
        yield "closing_report", "缺少结案报告"


# ---------------------------------------------------------------------------------------------
# 无决定文书送达材料: proof of service


@rule("service.present", "service_proof_missing")
def _service_present(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    if cf.first("decision") is not None and not _decision_services(cf):
        yield "service_proof", "缺少处罚决定书的送达回证"


@rule("service.in_time", "service_proof_missing")
def _service_in_time(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    """Served within 7 working days of the decision (行政处罚法 art.61, art.85)."""
    decision = cf.first("decision")
    if decision is None or decision.date is None:
        return
    due = cal.add_workdays(decision.date, SERVICE_WORKDAYS)
    for proof in _decision_services(cf):
        if proof.date is not None and proof.date > due:
            yield (
                "service_proof",
                (
                    f"处罚决定书 {proof.date.isoformat()} 送达，"
                    f"超过决定后7个工作日（应于 {due.isoformat()} 前）"
                ),
            )


# ---------------------------------------------------------------------------------------------
# Officers


@rule("officer.count", "officer", BOTH)
def _officer_count(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    if len(cf.officers) < 2:
        yield None, f"执法人员不足两人（{len(cf.officers)}人）"


@rule("officer.certificate", "officer", BOTH)
def _officer_certificate(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    for officer in cf.officers:
        if not officer.certificate_number:
            yield None, f"执法人员{officer.name or '（未具名）'}没有执法证号"


@rule("officer.records", "officer", BOTH)
def _officer_records(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    for d in cf.documents:
        if d.kind in RECORD_KINDS and d.officers is not None and len(set(d.officers)) < 2:
            yield (
                d.kind,
                f"{label(d.kind)}仅有{len(set(d.officers))}名执法人员签名（应至少两人并注明执法证号）",
            )


@rule("officer.listed", "officer", BOTH)
def _officer_listed(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    known = {o.certificate_number for o in cf.officers if o.certificate_number}
    for d in cf.documents:
        for number in d.officers or ():
            if number and number not in known:
                yield d.kind, f"{label(d.kind)}签名的执法证号 {number} 不在本案执法人员之列"


# ---------------------------------------------------------------------------------------------
# Time limits


@rule("time.decision", "time_limit")
def _decision_time(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    """Decided within 90 days of filing (art.60; the last day moves past a holiday)."""
    filing, decision = cf.first("filing_approval"), cf.first("decision")
    if filing is None or decision is None or filing.date is None or decision.date is None:
        return
    due = cal.add_calendar_days(filing.date, DECISION_DAYS)
    if decision.date > due:
        yield (
            "decision",
            f"立案后 {(decision.date - filing.date).days} 日作出决定，"
            f"超过90日期限（应于 {due.isoformat()} 前）",
        )


@rule("time.preservation", "time_limit")
def _preservation_time(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    """Goods held are decided on within 7 working days (art.56). The day they were held is
    the decision's `held_on` when given, else the first on-site record's date."""
    decision = cf.first("preservation_decision")
    if decision is None or decision.date is None:
        return
    held_text = str(decision.extra.get("held_on") or "")
    held: date | None = None
    if held_text:
        try:
            held = date.fromisoformat(held_text)
        except ValueError:
            held = None
    if held is None:
        onsite = [d.date for d in cf.of_kind("onsite_record") if d.date is not None]
        held = min(onsite) if onsite else None
    if held is None:
        return
    due = cal.add_workdays(held, PRESERVATION_WORKDAYS)
    if decision.date > due:
        yield (
            "preservation_decision",
            (
                f"先行登记保存（{held.isoformat()}）后 {decision.date.isoformat()} 才作出处理决定，"
                "超过7个工作日"
            ),
        )


# ---------------------------------------------------------------------------------------------
# Summary procedure (简易程序)


@rule("summary.limits", "wrong_entry", SUMMARY)
def _summary_limits(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    """Only a warning, or a fine ≤ 200 yuan for a person and ≤ 3,000 for an organisation."""
    if cf.penalty_kind in ("warning", "") and not cf.penalty_amount:
        return
    if cf.penalty_kind != "fine":
        yield None, f"简易程序只能给予警告或罚款，本案为「{cf.penalty_kind}」"
        return
    organisation = any(p.kind == "organisation" for p in cf.parties)
    limit = SUMMARY_LIMITS["organisation" if organisation else "person"]
    if cf.penalty_amount is not None and cf.penalty_amount > limit:
        who = "法人或其他组织" if organisation else "公民"
        yield (
            None,
            f"对{who}罚款 {cf.penalty_amount:f} 元，超过简易程序 {limit} 元的限额（第五十一条）",
        )


# The benchmark rule lives in its own module; importing it here registers it after these.
from fazhi.enforcement.review import rules_discretion as _discretion  # noqa: E402, F401
