"""The petition templates (信访工作条例): the acceptance and refusal notices, the handling
opinion and the review opinion. Kept apart from make_doc_templates.py (near 500 lines), which
adds them to its TEMPLATES; `paper` is passed in so this module needs no import of the script.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PETITIONER = "{{ case.petitioner_name }}"
BUREAU = "石峰区信访局"  # the petition bureau of the demo district


def templates(paper: Callable[..., Any]) -> dict[str, Callable[[], Any]]:
    """The four petition papers by file name, built with the script's `paper`."""

    def acceptance_notice() -> Any:
        """信访事项受理告知书 (条例 art.23: within 15 days of receipt)."""
        return paper(
            "信访事项受理告知书",
            [
                ("文号：", "{{ doc.number }}"),
                ("信访人：", PETITIONER),
                ("信访事项：", "{{ case.subject }}"),
                ("登记日期：", "{{ case.received_on }}"),
            ],
            (
                "你（你们）提出的信访事项，本机关已于登记之日收悉。经审查，该信访事项属于本机关"
                "职权范围，决定予以受理，并将自受理之日起60日内办结；情况复杂需要延长的，"
                "将告知延期理由。",
            ),
            (BUREAU, "{{ doc.issued_on }}"),
        )

    def refusal_notice() -> Any:
        """信访事项不予受理告知书, with the ground and the channel the petitioner should use."""
        return paper(
            "信访事项不予受理告知书",
            [
                ("文号：", "{{ doc.number }}"),
                ("信访人：", PETITIONER),
                ("信访事项：", "{{ case.subject }}"),
                ("登记日期：", "{{ case.received_on }}"),
                ("不予受理理由：", "{{ doc.reason }}"),
            ],
            ("根据《信访工作条例》的规定，本机关对你（你们）提出的上述信访事项不予受理。",),
            (BUREAU, "{{ doc.issued_on }}"),
        )

    def handling_opinion() -> Any:
        """信访事项处理意见书 (60 days from acceptance; review may be asked within 30 days)."""
        return paper(
            "信访事项处理意见书",
            [
                ("文号：", "{{ doc.number }}"),
                ("信访人：", PETITIONER),
                ("信访事项：", "{{ case.subject }}"),
                ("诉求与事实理由：", "{{ case.content }}"),
                ("处理意见：", "{{ doc.opinion }}"),
            ],
            (
                "信访人对本处理意见不服的，可以自收到本意见书之日起30日内，向本机关的上一级"
                "机关、单位请求复查。",
            ),
            (BUREAU, "{{ doc.issued_on }}"),
        )

    def review_opinion() -> Any:
        """信访事项复查意见书 (decided within 30 days; re-review may be asked within 30 days)."""
        return paper(
            "信访事项复查意见书",
            [
                ("文号：", "{{ doc.number }}"),
                ("信访人：", PETITIONER),
                ("信访事项：", "{{ case.subject }}"),
                ("复查意见：", "{{ doc.opinion }}"),
            ],
            (
                "信访人对本复查意见不服的，可以自收到本意见书之日起30日内，向复查机关的上一级"
                "机关、单位请求复核。",
            ),
            (BUREAU, "{{ doc.issued_on }}"),
        )

    return {
        "petition_acceptance_notice.docx": acceptance_notice,
        "petition_refusal_notice.docx": refusal_notice,
        "petition_handling_opinion.docx": handling_opinion,
        "petition_review_opinion.docx": review_opinion,
    }
