"""The consumer complaint's .docx templates (受理告知书, 不予受理告知书, 调解书, 终止调解告知书),
built by make_doc_templates.py with its `paper` layout; kept here so that file stays small.
Basis: 《市场监督管理投诉举报处理暂行办法》 arts. 14, 21 and 25."""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document

Paper = Callable[..., Document]

PARTIES = [
    ("案件编号：", "{{ case.number }}"),
    ("投诉人：", "{{ case.complainant_name }}"),
    (
        "被投诉人：",
        "{{ case.business_name }}（统一社会信用代码 {{ case.business_credit_code }}）",
    ),
    ("投诉内容：", "{{ case.summary }}"),
]


def templates(paper: Paper) -> dict[str, Callable[[], Document]]:
    """File name → builder, each a paper of the consumer complaint."""

    def acceptance_notice() -> Document:
        return paper(
            "消费投诉受理告知书",
            [("文号：", "{{ doc.number }}"), *PARTIES],
            (
                "你提出的投诉符合受理条件，本机关决定受理，并将组织调解。",
                "调解自受理之日起四十五个工作日内完成；需要检定、检验、检测或者鉴定的，"
                "所需时间不计入调解期限。",
            ),
            ("{{ case.lead_unit }}", "{{ doc.issued_on }}"),
        )

    def refusal_notice() -> Document:
        return paper(
            "消费投诉不予受理告知书",
            [("文号：", "{{ doc.number }}"), *PARTIES, ("不予受理理由：", "{{ doc.reason }}")],
            ("依照《市场监督管理投诉举报处理暂行办法》第十五条，本机关决定不予受理，特此告知。",),
            ("{{ case.lead_unit }}", "{{ doc.issued_on }}"),
        )

    def mediation_agreement() -> Document:
        return paper(
            "消费纠纷调解书",
            [
                ("文号：", "{{ doc.number }}"),
                *PARTIES,
                ("调解协议内容：", "{{ doc.terms }}"),
                ("协议金额（元）：", "{{ doc.amount }}"),
            ],
            ("本调解书经投诉人和被投诉人签字或者盖章后生效，双方应当自觉履行。",),
            (
                "投诉人（签字）：",
                "被投诉人（盖章）：",
                "{{ case.lead_unit }}",
                "{{ doc.signed_on }}",
            ),
        )

    def termination_notice() -> Document:
        return paper(
            "终止调解告知书",
            [("文号：", "{{ doc.number }}"), *PARTIES, ("终止调解理由：", "{{ doc.reason }}")],
            (
                "依照《市场监督管理投诉举报处理暂行办法》第二十一条，本机关决定终止调解。",
                "你可以依法申请仲裁或者向人民法院提起诉讼。",
            ),
            ("{{ case.lead_unit }}", "{{ doc.issued_on }}"),
        )

    return {
        "consumer_acceptance_notice.docx": acceptance_notice,
        "consumer_refusal_notice.docx": refusal_notice,
        "consumer_mediation_agreement.docx": mediation_agreement,
        "consumer_termination_notice.docx": termination_notice,
    }
