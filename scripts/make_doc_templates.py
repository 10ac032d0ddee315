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

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

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


TEMPLATES = {"mediation_agreement.docx": mediation_agreement}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        buffer = io.BytesIO()
        build().save(buffer)
        (OUT / name).write_bytes(reproducible(buffer.getvalue()))
        print(OUT / name)


if __name__ == "__main__":
    main()
