"""The year's draft, from values computed from the test database's records, written out:
the .docx opens with python-docx in the GB/T 9704 layout (A4, 37/35/28/26 mm margins, the
named fonts and sizes, a fixed 28 pt line, "— N —" page numbers outside, odd right and even
left) with each figure commented with its indicator and ledger; the PDF carries the same
sentences (extracted with pypdf) and embeds the CJK font it was set in; the HTML links
each figure to its ledger and draws the monthly chart; the Markdown footnotes each one."""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from pypdf import PdfReader

from fazhi.actions.context import ActionContext
from fazhi.actions.platform import Platform
from fazhi.report.build import gather, render
from fazhi.report.draft import Draft
from fazhi.report.narratives import check_save_narrative
from fazhi.report.template import annual_template
from fazhi.store.db import transaction
from tests.api.conftest import Login
from tests.report.conftest import (
    OFFICE,
    YEAR,
    computed_values,
    import_defective_file,
    register_orders,
)

pytestmark = pytest.mark.usefixtures("source")


@pytest.fixture
def draft(platform: Platform, login: Login, acting: Callable[[str], ActionContext]) -> Draft:
    register_orders(login, 3)
    import_defective_file(login)
    ctx = acting(OFFICE)
    with transaction(platform.sessions) as session:
        check_save_narrative(
            session,
            ctx,
            annual_template(),
            YEAR,
            "problems",
            "一是法治意识有待进一步强化（测试）。",
        )
        return gather(session, ctx, YEAR)


def _expected(platform: Platform) -> tuple[str, str]:
    """The two figures as the records give them now, in the report's words."""
    with transaction(platform.sessions) as session:
        values = computed_values(session, platform.region_code, YEAR)
    received = values["hotline.received"].value
    units = values["publicity.meeting_units"].value
    return f"全年受理12345热线诉求{received}件", f"组织全区{units}个单位召开"


def _east_asia(element: object) -> str | None:
    fonts = element.find(qn("w:rPr")).find(qn("w:rFonts"))  # type: ignore[attr-defined]
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_the_docx_is_in_the_official_document_layout(draft: Draft, platform: Platform) -> None:
    doc = Document(io.BytesIO(render(draft, "docx")))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]

    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    assert paragraphs[0].text == "石峰区2023年法治政府建设年度报告"
    assert paragraphs[0].style.name == "Title"
    by_style = {p.text: p.style.name for p in paragraphs}
    assert by_style["一、2023年推进法治政府建设的主要举措和成效"] == "Heading 1"
    assert (
        by_style["（一）学习宣传贯彻落实习近平法治思想和中央全面依法治国工作会议精神情况"]
        == "Heading 2"
    )
    assert by_style["二、存在的不足"] == "Heading 1"
    # The problems section: the office's own point first, then the review's defects.
    problems = [p.text for p in paragraphs if re.match("^[一二三]是", p.text)]
    assert problems[0] == "一是法治意识有待进一步强化（测试）。"
    assert problems[1].startswith("二是执法规范化水平有待进一步提升。")
    assert "无决定文书送达材料" in problems[1]
    units, received = _expected(platform)[1], _expected(platform)[0]
    body = next(p for p in paragraphs if received in p.text)
    assert body.style.name == "Normal" and body.text.startswith(
        "1.以“133”工作法提升“12345”热线办理质效。"
    )
    assert any(units in p.text for p in paragraphs)

    styles = doc.styles
    expected = {
        "Title": ("方正小标宋简体", Pt(22)),
        "Heading 1": ("黑体", Pt(16)),
        "Heading 2": ("楷体_GB2312", Pt(16)),
        "Normal": ("仿宋_GB2312", Pt(16)),
    }
    for name, (font, size) in expected.items():
        style = styles[name]
        assert (_east_asia(style.element), style.font.size) == (font, size), name
        assert style.font.bold is False and style.font.color.rgb == (0, 0, 0)
        pf = style.paragraph_format
        assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert pf.line_spacing == (Pt(36) if name == "Title" else Pt(28))

    # Page numbers: "— PAGE —" in 4号宋体, right on odd pages and left on even ones.
    assert doc.settings.odd_and_even_pages_header_footer is True
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "PAGE" in xml and p.text.replace("1", "N") == "— N —"
        assert f'w:val="{align}"' in xml
        assert {(_east_asia(r._r), r.font.size) for r in p.runs} == {("宋体", Pt(14))}

    # The monthly chart is a picture (Word takes no SVG), its points in a table below.
    assert len(doc.inline_shapes) == 1
    # Each figure carries a comment naming its indicator and ledger; the appendix lists it.
    comments = [c.text for c in doc.comments]
    assert any("hotline.received" in c and "/cases?type=hotline" in c for c in comments)
    appendix = doc.tables[-1]
    assert [c.text for c in appendix.rows[0].cells] == [
        "序号",
        "数据",
        "指标",
        "编号",
        "统计期间",
        "台账",
    ]
    assert "hotline.received" in [row.cells[3].text for row in appendix.rows]


def test_the_pdf_states_the_sentences_and_embeds_its_cjk_font(
    draft: Draft, platform: Platform
) -> None:
    reader = PdfReader(io.BytesIO(render(draft, "pdf")))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    received, units = _expected(platform)
    # Each figure is followed by its superscript reference number in the extracted text.
    assert re.search(re.escape(received) + r"\d+。", text), text[:3000]
    head, _, tail = units.partition("个")
    assert re.search(re.escape(head + "个") + r"\d+" + re.escape(tail), text)
    assert "石峰区2023年法治政府建设年度报告" in text and "附件：数据来源" in text
    assert "—1—" in text  # the page number
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts.append((str(font["/BaseFont"]), embedded))
    assert any("CJK" in name and embedded for name, embedded in fonts), fonts
    assert all(embedded for _, embedded in fonts)


def test_the_html_links_each_figure_to_its_ledger_and_draws_the_monthly_chart(
    draft: Draft, platform: Platform
) -> None:
    html = render(draft, "html").decode()
    assert html.startswith("<!doctype html>") and "<style>" in html  # opens offline
    assert re.search(
        r'<a class="fig" href="/cases\?type=hotline[^"]*" data-indicator="hotline.received"', html
    )
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "12345热线诉求月度受理量" in html
    assert "font-size: 16pt; line-height: 28pt" in html  # the paper's CSS is inside
    assert "@page" in html and "counter(page)" in html


def test_the_markdown_footnotes_each_figure_with_its_indicator_and_ledger(draft: Draft) -> None:
    md = render(draft, "md").decode()
    assert md.startswith("# 石峰区2023年法治政府建设年度报告")
    assert "## 一、2023年推进法治政府建设的主要举措和成效" in md
    ref = re.search(r"诉求\d+件\[\^(\d+)\]", md)
    assert ref, md[:2000]
    assert re.search(
        rf"^\[\^{ref.group(1)}\]: .*`hotline.received`.*台账：</cases\?type=hotline", md, re.M
    )


def test_without_pango_the_pdf_is_refused_with_a_chinese_message(
    draft: Draft, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fazhi.domain.errors import DomainError
    from fazhi.report.writers import pdf_bytes

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # the import fails as without Pango
    with pytest.raises(DomainError) as refused:
        pdf_bytes(draft)
    assert refused.value.code == "pdf_unavailable" and "Pango" in refused.value.message
