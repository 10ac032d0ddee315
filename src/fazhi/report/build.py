"""Drafting a year for a reader: the values (the registered sources, then any given), the
year's narrative blocks and findings, in one read transaction; then rendering, which the
callers run with no transaction open (a worker thread in the server)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from fazhi.actions.context import ActionContext
from fazhi.report.docx_writer import docx_bytes
from fazhi.report.draft import Draft, draft_report
from fazhi.report.findings import findings_for
from fazhi.report.indicator_source import indicator_values
from fazhi.report.narratives import narratives, require_reader
from fazhi.report.template import Template, annual_template
from fazhi.report.values import Finding, IndicatorValue, register_source, sources
from fazhi.report.writers import FORMATS, html_document, markdown, pdf_bytes

# The indicator catalogue is the report's source of figures (fazhi.analytics.indicators).
register_source(indicator_values)


def district_name(ctx: ActionContext) -> str:
    """The district's own name: the root of the unit tree (石峰区)."""
    roots = [u for u in ctx.directory.by_id.values() if u.path.count("/") == 2]
    district = [u for u in roots if u.kind == "district"] or roots
    return district[0].name if district else ""


def gather(
    session: Session,
    ctx: ActionContext,
    year: int,
    given: Mapping[str, IndicatorValue] | None = None,
    extra_findings: Sequence[Finding] = (),
    template: Template | None = None,
) -> Draft:
    """The year's draft as `ctx.actor` may read it. Values given override the sources'."""
    require_reader(ctx)
    template = template or annual_template()
    values: dict[str, IndicatorValue] = {}
    for source in sources():
        values.update(source(session, ctx, year))
    values.update(given or {})
    found = [*findings_for(session, ctx, template, year, values), *extra_findings]
    return draft_report(
        template,
        year,
        district_name(ctx),
        values,
        narratives(session, ctx.actor.region_code, year),
        found,
    )


def render(draft: Draft, fmt: str, base_url: str | None = None) -> bytes:
    """One format's bytes (CPU work: off the event loop); `base_url`: the console's address,
    which makes the HTML's and PDF's ledger links absolute."""
    if fmt == "docx":
        return docx_bytes(draft)
    if fmt == "pdf":
        return pdf_bytes(draft, base_url)
    if fmt == "html":
        return html_document(draft, base_url).encode("utf-8")
    if fmt == "md":
        return markdown(draft).encode("utf-8")
    raise ValueError(fmt)


def file_name(draft: Draft, fmt: str) -> str:
    return f"{draft.district}{draft.year}年法治政府建设年度报告.{fmt}"


def write_all(
    draft: Draft, folder: Path, formats: Sequence[str] = FORMATS, base_url: str | None = None
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = folder / file_name(draft, fmt)
        path.write_bytes(render(draft, fmt, base_url))
        written.append(path)
    return written
