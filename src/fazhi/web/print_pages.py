"""The printable 处理单 of a case (for the hotline: 12345热线工单处理单): the order as this user
sees it (personal data masked unless the role sees it whole), its deadlines, the whole
timeline and a signatures area, laid out for A4 by static/print.css. A case of a type that
declares `visibility.export_watermark` carries the exports' watermark (who printed it and
when) under the heading and across every printed page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.actions.cases import case_type_or_error
from fazhi.actions.visibility import load_visible_case, record_read
from fazhi.domain.errors import DomainError
from fazhi.http.params import CaseId
from fazhi.read.cases import full_case
from fazhi.read.watermark import needs_watermark, watermark_line

# The case page's timeline, shared so that the paper says what the screen says.
from fazhi.web.case_pages import _timeline as case_timeline
from fazhi.web.console import console_of, page_work, render
from fazhi.web.forms import display_value
from fazhi.web.list_inputs import record_table

router = APIRouter(include_in_schema=False)

# Who signs a 处理单: the handler, the head of the handling unit, the centre's reviewer.
SIGNATURES = ("承办人", "承办单位负责人（盖章）", "审核人")


@router.get("/cases/{case_id}/print")
def case_print(request: Request, case_id: CaseId) -> Response:
    with page_work(request) as w:
        try:
            case = load_visible_case(w.session, w.actor, case_id)
        except DomainError:
            return render(request, "not_found.html", {}, w, status_code=404)
        case_type = case_type_or_error(w.platform, case.type)
        record_read(w.session, w.ctx, case, "print")
        data = full_case(w, case)
        directory = w.ctx.directory
        fields: list[tuple[str, str]] = []
        tables: list[dict[str, Any]] = []
        for spec in case_type.fields:
            value = data["fields"].get(spec.name)
            if value in (None, "", []) or spec.name in ("longitude", "latitude"):
                continue
            if spec.type == "list":
                tables.append(
                    record_table(spec, value, lambda s, v: display_value(s, v, directory))
                )
            elif spec.type != "case_link":
                fields.append((spec.label, display_value(spec, value, directory)))
        return render(
            request,
            "case_print.html",
            {
                "case": data,
                "case_type": case_type,
                "fields": fields,
                "record_tables": tables,
                "timeline": case_timeline(w, case, console_of(request).case_page(case.type)),
                "signatures": SIGNATURES,
                # The paper leaves the platform as an export does: the same watermark.
                "watermark": (
                    watermark_line(w.actor, w.ctx.now) if needs_watermark([case_type]) else None
                ),
            },
            w,
        )
