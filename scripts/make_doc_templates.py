"""Build the shipped .docx document templates with python-docx.

    python scripts/make_doc_templates.py

The templates are committed in this script's output folder (src/fazhi/catalog/case_types/,
beside the type files that name them), so neither the build nor a deployment needs
this step; run it again after changing a template here. Placeholders are docxtpl
(Jinja2) expressions over `case` (the case's fields plus number, title, type_label,
state_label, lead_unit, created_on), `doc` (the document's data plus label) and `today`.
Each placeholder sits in a run of its own, so Word never splits it. The output is
byte-for-byte reproducible (fixed document dates and zip timestamps).
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import doc_templates_consumer
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from doc_templates_petition import templates as petition_templates

OUT = Path(__file__).resolve().parent.parent / "src/fazhi/catalog/case_types"
FIXED = datetime(2024, 1, 1)


def mediation_agreement() -> Document:
    """人民调解协议书: the agreement document of the mediation type."""
    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("人民调解协议书")
    run.bold = True
    run.font.size = Pt(18)
    lines = [
        ("编号：", "{{ doc.number }}"),
        ("案件编号：", "{{ case.number }}"),
        ("调解组织：", "{{ case.lead_unit }}"),
        (
            "当事人：",
            "{% for p in case.parties %}{{ p.name }}{% if not loop.last %}、{% endif %}"
            "{% endfor %}",
        ),
        ("纠纷简要情况：", "{{ case.summary }}"),
        ("协议内容：", "{{ doc.terms }}"),
        ("签订日期：", "{{ doc.signed_on }}"),
    ]
    for label, placeholder in lines:
        paragraph = document.add_paragraph()
        paragraph.add_run(label).bold = True
        paragraph.add_run(placeholder)
    document.add_paragraph(
        "本协议经当事人签名（盖章）、人民调解员签名并加盖人民调解委员会印章后生效。"
    )
    closing = document.add_paragraph()
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    closing.add_run("{{ today }}")
    properties = document.core_properties
    properties.title = "人民调解协议书"
    properties.author = "Fazhi"
    properties.created = properties.modified = FIXED
    properties.last_modified_by = "Fazhi"
    properties.revision = 1
    return document


PARTIES = (
    "{% for p in case.parties %}{{ p.name }}"
    "{% if p.id_number %}（公民身份号码 {{ p.id_number }}）{% endif %}"
    "{% if p.credit_code %}（统一社会信用代码 {{ p.credit_code }}，法定代表人 "
    "{{ p.legal_representative }}）{% endif %}"
    "{% if p.address %}，住址 {{ p.address }}{% endif %}"
    "{% if not loop.last %}；{% endif %}{% endfor %}"
)
OFFICERS = (
    "{% for o in case.officers %}{{ o.name }}（执法证号 {{ o.certificate_number }}）"
    "{% if not loop.last %}、{% endif %}{% endfor %}"
)
PENALTY = (
    "{{ case.penalty_kind }}"
    "{% if case.fine_amount %}，罚款人民币{{ case.fine_amount }}元{% endif %}"
)
NAMES = "{% for p in case.parties %}{{ p.name }}{% if not loop.last %}、{% endif %}{% endfor %}"


def paper(
    title: str,
    lines: list[tuple[str, str]],
    body: tuple[str, ...] = (),
    closing: tuple[str, ...] = ("{{ case.lead_unit }}", "{{ today }}"),
) -> Document:
    """An enforcement paper (执法文书): the title centred, the numbered lines label by label,
    the body, and the agency with the date at the right."""
    document = Document()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(18)
    for label, placeholder in lines:
        paragraph = document.add_paragraph()
        paragraph.add_run(label).bold = True
        paragraph.add_run(placeholder)
    for text in body:
        document.add_paragraph(text)
    for text in closing:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run(text)
    properties = document.core_properties
    properties.title = title
    properties.author = "Fazhi"
    properties.created = properties.modified = FIXED
    properties.last_modified_by = "Fazhi"
    properties.revision = 1
    return document


def filing_approval() -> Document:
    """立案审批表 of the penalty case (行政处罚法 art.54)."""
    return paper(
        "立案审批表",
        [
            ("案件编号：", "{{ case.number }}"),
            ("案件来源：", "{{ case.source }}"),
            ("案由：", "{{ case.cause }}"),
            ("当事人：", PARTIES),
            ("违法行为发生地：", "{{ case.address }}"),
            ("简要案情：", "{{ case.facts }}"),
            ("承办人：", OFFICERS),
            ("立案意见：", "{{ doc.opinion }}"),
        ],
        ("经审查，符合立案条件，予以立案。",),
    )


def notice_of_rights() -> Document:
    """行政处罚事先告知书 (arts.44–45; art.63–64 when a hearing applies)."""
    return paper(
        "行政处罚事先告知书",
        [
            ("文号：", "{{ doc.number }}"),
            ("当事人：", PARTIES),
            ("违法事实：", "{{ case.facts }}"),
            ("拟作出的行政处罚：", "{{ doc.proposed_penalty }}"),
            ("依据：", "{{ doc.basis }}"),
        ],
        (
            "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）享有陈述、"
            "申辩的权利。如有陈述、申辩意见，请于收到本告知书之日起五个工作日内"
            "向本机关提出；逾期未提出的，视为放弃上述权利。",
            "{% if case.hearing_applies == '是' %}本案适用听证程序。"
            "根据第六十三条、第六十四条的规定，你（单位）有权要求听证，"
            "请于收到本告知书之日起五个工作日内提出。{% endif %}",
        ),
    )


def hearing_notice() -> Document:
    """听证告知书 (arts.63–64)."""
    return paper(
        "行政处罚听证告知书",
        [
            ("文号：", "{{ doc.number }}"),
            ("当事人：", PARTIES),
            ("案由：", "{{ case.cause }}"),
            ("拟作出的行政处罚：", "{{ doc.proposed_penalty }}"),
        ],
        (
            "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求听证。"
            "如要求听证，请于收到本告知书之日起五个工作日内向本机关提出；逾期未提出的，视为放弃听证权利。",
        ),
    )


def penalty_decision() -> Document:
    """行政处罚决定书 with the items of art.59."""
    return paper(
        "行政处罚决定书",
        [
            ("文号：", "{{ case.decision_number }}"),
            ("当事人：", PARTIES),
            ("违法事实和证据：", "{{ case.facts }}"),
            ("行政处罚的种类和依据：", PENALTY + "。依据：{{ case.legal_basis }}"),
            (
                "履行方式和期限：",
                "请自收到本决定书之日起十五日内履行{% if case.fine_amount %}；"
                "罚款缴至指定银行或者通过电子支付系统缴纳（第六十七条），"
                "到期不缴纳的，每日按罚款数额的百分之三加处罚款（第七十二条）{% endif %}。",
            ),
            (
                "申请行政复议、提起行政诉讼的途径和期限：",
                "如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，"
                "或者在六个月内依法向人民法院提起行政诉讼。",
            ),
            ("作出决定的日期：", "{{ case.decided_on }}"),
        ],
        ("（加盖作出行政处罚决定的行政机关印章）",),
    )


def service_proof() -> Document:
    """送达回证 (art.61)."""
    return paper(
        "送达回证",
        [
            ("案件编号：", "{{ case.number }}"),
            ("送达文书及文号：", "{{ doc.served_document }}"),
            ("受送达人：", NAMES),
            ("送达方式：", "{{ doc.method }}"),
            ("送达日期：", "{{ doc.served_on }}"),
            ("送达人：", OFFICERS),
        ],
        ("受送达人签名或盖章：", "（受送达人拒绝签收的，由送达人注明情况并签名）"),
    )


def closing_report() -> Document:
    """结案报告 of a general-procedure case."""
    return paper(
        "行政处罚结案报告",
        [
            ("案件编号：", "{{ case.number }}"),
            ("案由：", "{{ case.cause }}"),
            ("当事人：", PARTIES),
            ("立案日期：", "{{ case.filed_on }}"),
            ("处罚决定：", "{{ case.decision_number }}，" + PENALTY),
            ("执行情况：", "{{ doc.execution }}"),
            ("承办人：", OFFICERS),
        ],
        ("本案已执行完毕，建议结案。",),
    )


RECONSIDERATION_BODY = (
    "石峰区人民政府"  # the reconsideration body (行政复议机关) of the demo district
)


def reconsideration_acceptance_notice() -> Document:
    """行政复议受理通知书 (行政复议法 art.30)."""
    return paper(
        "行政复议受理通知书",
        [
            ("文号：", "{{ doc.number }}"),
            ("申请人：", "{{ case.applicant_name }}"),
            ("被申请人：", "{{ case.respondent }}"),
            ("被申请复议的行政行为：", "{{ case.challenged_act }}"),
            ("复议请求：", "{{ case.request }}"),
            ("收到申请日期：", "{{ case.received_on }}"),
            ("审理程序：", "{{ case.procedure }}"),
        ],
        (
            "你（单位）提出的行政复议申请，经审查，符合《中华人民共和国行政复议法》规定的受理条件，"
            "本机关决定予以受理。",
        ),
        (RECONSIDERATION_BODY, "{{ doc.issued_on }}"),
    )


def reconsideration_reply_notice() -> Document:
    """行政复议答复通知书 to the respondent (arts.48, 54)."""
    return paper(
        "行政复议答复通知书",
        [
            ("文号：", "{{ doc.number }}"),
            ("被申请人：", "{{ case.respondent }}"),
            ("申请人：", "{{ case.applicant_name }}"),
            ("被申请复议的行政行为：", "{{ case.challenged_act }}"),
        ],
        (
            "现将行政复议申请书副本发送你单位。根据《中华人民共和国行政复议法》第四十八条"
            "{% if case.procedure == '简易程序' %}、第五十四条{% endif %}的规定，"
            "请自收到本通知之日起"
            "{% if case.procedure == '简易程序' %}五{% else %}十{% endif %}日内提出书面答复，"
            "并提交作出行政行为的证据、依据和其他有关材料。",
        ),
        (RECONSIDERATION_BODY, "{{ doc.issued_on }}"),
    )


def reconsideration_decision() -> Document:
    """行政复议决定书 (arts.63–75)."""
    return paper(
        "行政复议决定书",
        [
            ("文号：", "{{ doc.number }}"),
            ("申请人：", "{{ case.applicant_name }}"),
            ("被申请人：", "{{ case.respondent }}"),
            ("被申请复议的行政行为：", "{{ case.challenged_act }}"),
            ("复议请求：", "{{ case.request }}"),
            ("认定事实、理由和依据：", "{{ doc.reasoning }}"),
            ("复议决定：", "{{ doc.outcome }}"),
        ],
        (
            "申请人如不服本决定，可以自收到本决定书之日起十五日内依法向人民法院提起行政诉讼"
            "（法律规定行政复议决定为最终裁决的除外）。",
        ),
        (RECONSIDERATION_BODY, "{{ doc.decided_on }}"),
    )


APPLICANT = "{{ case.applicant_name }}"


def aid_application() -> Document:
    """法律援助申请表: the application's data as the applicant signs it."""
    return paper(
        "法律援助申请表",
        [
            ("申请人：", APPLICANT),
            ("身份证号：", "{{ case.applicant_id_number }}"),
            ("联系电话：", "{{ case.applicant_phone }}"),
            ("住址：", "{{ case.applicant_address }}"),
            ("申请渠道：", "{{ case.channel }}"),
            ("案件类别：", "{{ case.matter_kind }}"),
            ("申请事项：", "{{ case.matter }}"),
            ("援助条件：", "{{ case.eligibility_basis }}"),
            ("经济困难状况：", "{{ case.hardship_evidence }}"),
            ("法定情形：", "{{ case.statutory_ground }}"),
            ("家庭人口：", "{{ doc.family_members }}"),
            ("家庭月人均收入（元）：", "{{ doc.monthly_income }}"),
            ("申请人签名日期：", "{{ doc.signed_on }}"),
        ],
        ("申请人承诺所填内容及提交的材料真实。",),
        ("{{ case.lead_unit }}", "登记编号：{{ case.number }}"),
    )


def aid_decision_notice() -> Document:
    """给予法律援助决定书 (法律援助法 art.43)."""
    return paper(
        "给予法律援助决定书",
        [
            ("编号：", "{{ case.aid_number }}"),
            ("受援人：", APPLICANT),
            ("申请事项：", "{{ case.matter }}"),
            ("决定日期：", "{{ doc.issued_on }}"),
        ],
        ("经审查，你的申请符合法律援助条件，决定给予法律援助。本机构将在三日内指派法律援助人员。",),
    )


def aid_refusal_notice() -> Document:
    """不予法律援助决定书: the refusal with its reason and the right to object (art.49)."""
    return paper(
        "不予法律援助决定书",
        [
            ("申请人：", APPLICANT),
            ("申请事项：", "{{ case.matter }}"),
            ("不予援助理由：", "{{ case.refusal_reason }}"),
            ("决定日期：", "{{ doc.issued_on }}"),
        ],
        ("申请人对本决定有异议的，可以向设立法律援助机构的司法行政部门提出。",),
    )


def aid_assignment_notice() -> Document:
    """指派通知书: to the law firm, naming the lawyer and the case."""
    return paper(
        "指派通知书",
        [
            ("{{ case.law_firm }}：", ""),
            ("援助案件编号：", "{{ case.aid_number }}"),
            ("受援人：", APPLICANT),
            ("案件类别：", "{{ case.matter_kind }}"),
            ("申请事项：", "{{ case.matter }}"),
            ("承办律师：", "{{ case.lawyer_name }}（执业证号 {{ case.lawyer_licence }}）"),
            ("指派日期：", "{{ doc.issued_on }}"),
        ],
        ("请指派的律师及时与受援人联系，依法提供法律援助，并在案件结束后报送结案材料。",),
    )


APPLICANTS = (
    "{% for p in case.applicants %}{{ p.name }}{% if not loop.last %}、{% endif %}{% endfor %}"
)


def labour_acceptance_notice() -> Document:
    """受理通知书 of labour arbitration (劳动争议调解仲裁法 art.29)."""
    return paper(
        "劳动人事争议仲裁受理通知书",
        [
            ("文号：", "{{ doc.number }}"),
            ("案件编号：", "{{ case.number }}"),
            ("申请人：", APPLICANTS),
            (
                "被申请人：",
                "{{ case.employer_name }}（统一社会信用代码 {{ case.employer_credit_code }}）",
            ),
            ("仲裁请求：", "{{ case.claims }}"),
        ],
        (
            "你（们）的仲裁申请符合受理条件，本院决定受理。",
            "仲裁庭应当自受理仲裁申请之日起四十五日内结束；案情复杂需要延期的，经仲裁委员会"
            "主任批准，可以延期并书面通知当事人，但延长期限不得超过十五日。",
        ),
        ("{{ case.lead_unit }}", "{{ doc.issued_on }}"),
    )


def labour_arbitration_award() -> Document:
    """仲裁裁决书 of labour arbitration (劳动争议调解仲裁法 arts.43, 46)."""
    return paper(
        "劳动人事争议仲裁裁决书",
        [
            ("文号：", "{{ doc.number }}"),
            ("案件编号：", "{{ case.number }}"),
            ("申请人：", APPLICANTS),
            (
                "被申请人：",
                "{{ case.employer_name }}（统一社会信用代码 {{ case.employer_credit_code }}）",
            ),
            ("仲裁请求：", "{{ case.claims }}"),
            ("裁决如下：", "{{ doc.result }}"),
            ("裁决金额（元）：", "{{ doc.amount }}"),
        ],
        ("当事人对本裁决不服的，可以自收到裁决书之日起十五日内向人民法院提起诉讼。",),
        ("{{ case.lead_unit }}", "{{ doc.issued_on }}"),
    )


def labour_rectification_notice() -> Document:
    """劳动保障监察限期整改指令书 of wage arrears (劳动保障监察条例 art.18)."""
    return paper(
        "劳动保障监察限期整改指令书",
        [
            ("文号：", "{{ doc.number }}"),
            ("案件编号：", "{{ case.number }}"),
            ("用人单位：", "{{ case.employer_name }}"),
            ("统一社会信用代码：", "{{ case.employer_credit_code }}"),
            ("工程项目：", "{{ case.project_name }}"),
            ("涉及人数：", "{{ case.workers }}"),
            ("涉及金额（元）：", "{{ case.amount_claimed }}"),
            ("整改要求：", "{{ doc.requirement }}"),
            ("整改期限：", "{{ doc.due_on }}前"),
        ],
        ("请于上述期限内整改完毕，并将整改情况书面报告本机关。逾期不整改的，依法处理。",),
        ("{{ case.lead_unit }}", "{{ doc.issued_on }}"),
    )


def reproducible(data: bytes) -> bytes:
    """The same bytes on every run: zip entries in name order with a fixed timestamp."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist()):
            info = zipfile.ZipInfo(name, date_time=FIXED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name))
    return out.getvalue()


TEMPLATES = {
    "mediation_agreement.docx": mediation_agreement,
    "penalty_filing_approval.docx": filing_approval,
    "penalty_notice_of_rights.docx": notice_of_rights,
    "penalty_hearing_notice.docx": hearing_notice,
    "penalty_decision.docx": penalty_decision,
    "penalty_service_proof.docx": service_proof,
    "penalty_closing_report.docx": closing_report,
    "reconsideration_acceptance_notice.docx": reconsideration_acceptance_notice,
    "reconsideration_reply_notice.docx": reconsideration_reply_notice,
    "reconsideration_decision.docx": reconsideration_decision,
    "legal_aid_application.docx": aid_application,
    "legal_aid_decision_notice.docx": aid_decision_notice,
    "legal_aid_refusal_notice.docx": aid_refusal_notice,
    "legal_aid_assignment_notice.docx": aid_assignment_notice,
    "labour_acceptance_notice.docx": labour_acceptance_notice,
    "labour_arbitration_award.docx": labour_arbitration_award,
    "labour_rectification_notice.docx": labour_rectification_notice,
}
TEMPLATES.update(petition_templates(paper))


# The newer type packages' templates, each in a module of its own beside this script.
TEMPLATES.update(doc_templates_consumer.templates(paper))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        buffer = io.BytesIO()
        build().save(buffer)
        (OUT / name).write_bytes(reproducible(buffer.getvalue()))
        print(OUT / name)


if __name__ == "__main__":
    main()
