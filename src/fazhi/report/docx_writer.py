"""The draft as a .docx in the official document layout (GB/T 9704-2012, 党政机关公文格式):

- A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right;
- title 2号 (22 pt) 方正小标宋简体, centred; first-level headings (一、) 3号 黑体, second-level
  ((一)) 3号 楷体_GB2312, body and third-level (1.) 3号 (16 pt) 仿宋_GB2312, first line
  indented two characters, line spacing fixed at 28 pt;
- page numbers 4号 (14 pt) 宋体 "— 1 —", on the outside: right on odd pages, left on even.

The fonts are named in the file; Word uses them where installed (they are on government
machines) and substitutes otherwise. Every figure carries a Word comment naming its
indicator, period and ledger, and the appendix table lists them all, so the figures stay
traceable while the body reads as the paper will be printed. A chart is a picture (drawn
with Pillow, Word takes no SVG) above the table of its points."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from fazhi.report.charts import bar_chart_png
from fazhi.report.draft import Chart, Draft, Heading, Paragraph

TITLE_FONT = "方正小标宋简体"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
LINE = Pt(28)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
STYLE_TITLE, STYLE_H1, STYLE_H2, STYLE_BODY = "Title", "Heading 1", "Heading 2", "Normal"
AUTHOR = "Fazhi 法治"


def _fonts(element: object, name: str) -> None:
    """Name the font for every script: Word picks East Asian text's font from eastAsia."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _style(
    style: ParagraphStyle, font: str, size: Pt, centred: bool = False, indent: bool = True
) -> None:
    style.font.name = font
    style.font.size = size
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element, font)
    pf = style.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.first_line_indent = None if centred or not indent else Pt(32)  # two characters
    pf.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.keep_with_next = style.name != STYLE_BODY


def _page_number(paragraph: DocxParagraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """ "— N —" with N a PAGE field, 4号宋体, one character in from the outside edge."""
    paragraph.alignment = align
    paragraph.paragraph_format.left_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.LEFT else None
    paragraph.paragraph_format.right_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.RIGHT else None

    def run(text: str = "") -> object:
        r = paragraph.add_run(text)
        r.font.size = SIZE_4
        r.font.name = PAGE_NUMBER_FONT
        _fonts(r._r, PAGE_NUMBER_FONT)
        return r

    run("— ")
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        r = run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)  # type: ignore[attr-defined]
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)  # type: ignore[attr-defined]
        else:
            r.text = text  # type: ignore[attr-defined]
    run(" —")


def _setup(document: object) -> None:
    doc = document
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.footer_distance = Mm(28) - Mm(7)  # the number sits about 7 mm below the text
    styles = doc.styles  # type: ignore[attr-defined]
    _style(styles[STYLE_BODY], BODY_FONT, SIZE_3)
    _style(styles[STYLE_TITLE], TITLE_FONT, SIZE_2, centred=True)
    styles[STYLE_TITLE].paragraph_format.line_spacing = Pt(36)
    # The Title style of the default template draws a rule under the title: not in 9704.
    ppr = styles[STYLE_TITLE].element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    _style(styles[STYLE_H1], HEADING1_FONT, SIZE_3)
    _style(styles[STYLE_H2], HEADING2_FONT, SIZE_3)
    if "Report Table" not in [s.name for s in styles]:
        table_text = styles.add_style("Report Table", WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = styles[STYLE_BODY]
        _style(table_text, BODY_FONT, Pt(10.5), indent=False)
        table_text.paragraph_format.line_spacing = Pt(16)
    doc.settings.odd_and_even_pages_header_footer = True  # type: ignore[attr-defined]
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _table(doc: object, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = "Report Table"
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.paragraphs[0].text = text
            cell.paragraphs[0].style = "Report Table"


def docx_bytes(draft: Draft) -> bytes:
    doc = Document()
    _setup(doc)
    doc.core_properties.title = draft.title
    doc.core_properties.author = AUTHOR
    doc.add_paragraph(draft.title, style=STYLE_TITLE)
    for b in draft.blocks:
        if isinstance(b, Heading):
            doc.add_paragraph(b.full, style=STYLE_H1 if b.level == 1 else STYLE_H2)
        elif isinstance(b, Paragraph):
            p = doc.add_paragraph(style=STYLE_BODY)
            if b.lead:
                p.add_run(b.lead)
            for r in b.runs:
                if isinstance(r, str):
                    p.add_run(r)
                else:
                    run = p.add_run(r.text)
                    note = f"[{r.ref}] {r.name}（{r.key}，{r.period}）"
                    doc.add_comment(
                        run, note + (f" 台账：{r.ledger}" if r.ledger else ""), AUTHOR, "FZ"
                    )
        elif isinstance(b, Chart):
            png = bar_chart_png(b)
            if png is not None:
                picture = doc.add_paragraph(style="Report Table")
                picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
                picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                picture.add_run().add_picture(BytesIO(png), width=Mm(150))
            p = doc.add_paragraph(f"{b.title}（合计", style=STYLE_BODY)
            run = p.add_run(b.figure.text)
            doc.add_comment(
                run,
                f"[{b.figure.ref}] {b.figure.name}（{b.figure.key}） 台账：{b.figure.ledger}",
                AUTHOR,
                "FZ",
            )
            p.add_run("）")
            _table(doc, [label for label, _ in b.points], [[str(v) for _, v in b.points]])
    if draft.figures:
        doc.add_page_break()  # type: ignore[no-untyped-call]
        doc.add_paragraph("附件：数据来源", style=STYLE_H1)
        _table(
            doc,
            ["序号", "数据", "指标", "编号", "统计期间", "台账"],
            [[str(f.ref), f.text, f.name, f.key, f.period, f.ledger] for f in draft.figures],
        )
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
