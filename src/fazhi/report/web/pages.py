"""年度报告 in the console (`/annual-report`): the year's draft previewed as it will print,
the narrative block of every section beside it (each saved on its own, the message next to
the field on a refusal, every change in the admin log), the year's edits, and downloads in
each format. Drafting reads in one transaction; rendering a file runs in a worker thread
with no transaction open."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from fazhi.actions.context import Work
from fazhi.domain.errors import DomainError
from fazhi.report.build import file_name, gather, render
from fazhi.report.draft import Draft
from fazhi.report.narratives import (
    REPORT_ROLES,
    check_save_narrative,
    history,
    narratives,
)
from fazhi.report.template import annual_template
from fazhi.report.writers import FORMATS, MEDIA_TYPES, html_body
from fazhi.web.console import forbidden, page_work, redirect
from fazhi.web.console import render as render_page
from fazhi.web.forms import error_status, field_errors

router = APIRouter(include_in_schema=False)
FORMAT_LABELS = {"docx": "Word（.docx）", "pdf": "PDF", "html": "网页（.html）", "md": "Markdown"}
WHAT = "法治政府建设年度报告"


def _year(raw: str, default: int) -> int:
    # A bad year in the address falls back to last year (the report is of a year gone by).
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


def _context(
    w: Work,
    year: int,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    error: str = "",
    saved: str = "",
) -> dict[str, Any]:
    template = annual_template()
    draft = gather(w.session, w.ctx, year)
    stored = narratives(w.session, w.actor.region_code, year)
    blocks = [
        {
            "key": key,
            "label": _label(label, year),
            "text": (values or {}).get(key, stored.get(key, "")),
            # Indented in the list as deep as its section sits in the report.
            "depth": 1 if key == "preface" else key.count(".") + 1,
        }
        for key, label in template.narrative_keys()
    ]
    labels = dict(template.narrative_keys())
    return {
        "year": year,
        "draft": draft,
        "preview": html_body(draft),
        "blocks": blocks,
        "errors": errors or {},
        "error": error,
        "saved": saved,
        "formats": [(f, FORMAT_LABELS[f]) for f in FORMATS],
        "history": history(w.session, w.actor.region_code, year),
        "labels": {k: _label(v, year) for k, v in labels.items()},
    }


def _label(heading: str, year: int) -> str:
    return (
        heading.replace("{year}", str(year))
        .replace("{next_year}", str(year + 1))
        .replace("{district}", "")
    )


@router.get("/annual-report")
def report_page(request: Request, year: str = "", saved: str = "") -> Response:
    with page_work(request) as w:
        if not w.actor.has_role(*REPORT_ROLES):
            return forbidden(request, w, WHAT)
        chosen = _year(year, w.ctx.now.year - 1)
        return render_page(request, "annual_report.html", _context(w, chosen, saved=saved[:200]), w)


def _save(request: Request, form: dict[str, str]) -> Response:
    platform = request.app.state.platform
    key = form.get("key", "")
    with platform.writing(), page_work(request) as w:
        if not w.actor.has_role(*REPORT_ROLES):
            return forbidden(request, w, WHAT)
        year = _year(form.get("year", ""), w.ctx.now.year - 1)
        try:
            with w.session.begin_nested():
                check_save_narrative(
                    w.session,
                    w.ctx,
                    annual_template(),
                    form.get("year", ""),
                    key,
                    form.get("text", ""),
                )
        except DomainError as exc:
            by_field, general = field_errors(exc)
            errors = {key: by_field.pop(f"text.{key}", "")} if f"text.{key}" in by_field else {}
            general = "；".join([general, *by_field.values()]).strip("；")
            context = _context(w, year, {key: form.get("text", "")}, errors, general)
            return render_page(request, "annual_report.html", context, w, error_status(exc))
    return redirect(request, f"/annual-report?year={year}&saved={quote(key)}#n-{quote(key)}")


@router.post("/annual-report/narratives")
async def save_narrative(request: Request) -> Response:
    form = await request.form()
    data = {k: str(form.get(k) or "") for k in ("year", "key", "text")}
    return await run_in_threadpool(_save, request, data)


def _draft_for(request: Request, year: str) -> Draft | Response:
    with page_work(request) as w:
        if not w.actor.has_role(*REPORT_ROLES):
            return forbidden(request, w, WHAT)
        return gather(w.session, w.ctx, _year(year, w.ctx.now.year - 1))


@router.get("/annual-report/download/{fmt}")
async def download(request: Request, fmt: str, year: str = "") -> Response:
    if fmt not in FORMATS:
        raise DomainError("unknown_format", f"格式应为 {'、'.join(FORMATS)} 之一", 404)
    # Read in one worker-thread transaction, then render in another with none open: a
    # PDF takes a second or more of CPU, which must never hold the loop or a transaction.
    draft = await run_in_threadpool(_draft_for, request, year)
    if isinstance(draft, Response):
        return draft
    body = await run_in_threadpool(render, draft, fmt, str(request.base_url))
    name = quote(file_name(draft, fmt))
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"content-disposition": f"attachment; filename*=UTF-8''{name}"},
    )
