"""来电人历史 on the case page: the caller's earlier orders with outcomes and ratings (a panel
loaded by htmx), for the roles of `HISTORY_ROLES` and within what each may see."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.hotline.read.caller_history import HISTORY_ROLES, caller_history
from fazhi.hotline.web.panels import panel_case
from fazhi.http.params import CaseId
from fazhi.store.models import Case
from fazhi.web.console import page_work, render

router = APIRouter(include_in_schema=False)


@router.get("/cases/{case_id}/caller-history")
def caller_history_panel(request: Request, case_id: CaseId) -> Response:
    with page_work(request) as w:
        case = panel_case(w, case_id, "caller_history", HISTORY_ROLES, "当前角色无权查看来电人历史")
        if not isinstance(case, Case):
            return case
        history = caller_history(
            w.session, w.platform, w.actor, case.contact_key, case.created_at, case.id
        )
        return render(
            request,
            "_caller_history.html",
            {"history": history, "has_phone": case.contact_key is not None, "on_case": True},
        )
