"""The draft as HTML (a fragment for the console's preview, a whole offline document for
download), Markdown (figures as footnotes naming indicator and ledger) and PDF (the HTML
document through WeasyPrint, which embeds the CJK font it lays the text out with).

Rendering is CPU work: the console calls these in a worker thread, never on the loop."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from fazhi.domain.errors import DomainError
from fazhi.report.charts import bar_chart_svg
from fazhi.report.draft import Chart, Draft, Figure, Heading, Paragraph

HERE = Path(__file__).parent
CSS = HERE / "web" / "static" / "report.css"
FORMATS = ("docx", "pdf", "html", "md")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}


@cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(("html",)),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["chart_svg"] = bar_chart_svg
    return env


def html_body(draft: Draft) -> str:
    return _env().get_template("body.html").render(draft=draft)


def html_document(draft: Draft, base_url: str | None = None) -> str:
    """A whole page that opens offline: the paper's stylesheet is inside it. With the
    console's address (`base_url`, a download from the server) the ledger links lead back
    to it from a file on disk; without (the command line) they stay routes."""
    return (
        _env()
        .get_template("document.html")
        .render(
            draft=draft,
            body=html_body(draft),
            css=CSS.read_text(encoding="utf-8"),
            base_url=base_url,
        )
    )


def pdf_bytes(draft: Draft, base_url: str | None = None) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which only the PDF needs. Every
    # resource is inside the page, so `base_url` only makes the ledger links absolute.
    try:
        from weasyprint import HTML
    except (OSError, ImportError) as exc:  # Pango missing (no `make system-deps`)
        raise DomainError(
            "pdf_unavailable", "本机缺少 Pango 库，无法生成PDF：请以root运行 make system-deps", 503
        ) from exc

    return bytes(HTML(string=html_document(draft, base_url), base_url=base_url).write_pdf())


def _md_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\*_[]<>#`|" else c for c in text)


def markdown(draft: Draft) -> str:
    """Headings as #/##/###, each figure followed by a footnote [^n] whose text names the
    indicator, its period and its ledger; charts as a table of their points."""

    def runs(p: Paragraph) -> str:
        out = [_md_escape(p.lead)]
        for r in p.runs:
            out.append(_md_escape(r) if isinstance(r, str) else f"{_md_escape(r.text)}[^{r.ref}]")
        return "".join(out)

    lines = [f"# {_md_escape(draft.title)}", ""]
    for b in draft.blocks:
        if isinstance(b, Heading):
            lines += ["#" * (b.level + 1) + " " + _md_escape(b.full), ""]
        elif isinstance(b, Paragraph):
            lines += [runs(b), ""]
        elif isinstance(b, Chart):
            lines += [f"**{_md_escape(b.title)}**（合计{b.figure.text}[^{b.figure.ref}]）", ""]
            lines += ["| 月份 | 数值 |", "| --- | --- |"]
            lines += [f"| {_md_escape(label)} | {value} |" for label, value in b.points]
            lines.append("")
    if draft.figures:
        lines += ["## 附件：数据来源", ""]
        lines += [_footnote(f) for f in draft.figures]
        lines.append("")
    return "\n".join(lines)


def _footnote(f: Figure) -> str:
    ledger = f"，台账：<{f.ledger}>" if f.ledger else ""
    return f"[^{f.ref}]: {_md_escape(f.name)}（`{f.key}`，{f.period}）{_md_escape(f.text)}{ledger}"
