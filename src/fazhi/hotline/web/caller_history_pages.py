"""来电人历史 on the case page: the caller's earlier orders with outcomes and ratings (a panel
loaded by htmx), for the roles of `HISTORY_ROLES` and within what each may see."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from fazhi.actions.visibility import read_visible_case
from fazhi.domain.errors import DomainError
from fazhi.hotline.read.caller_history import HISTORY_ROLES, caller_history
from fazhi.http.params import CaseId
from fazhi.web.console import page_work, render

router = APIRouter(include_in_schema=False)


@router.get("/cases/{case_id}/caller-history")
def caller_history_panel(request: Request, case_id: CaseId) -> Response:
    with page_work(request) as w:
        # A case the reader may not see is not there (404) before any role check.
        try:
            case = read_visible_case(w.session, w.ctx, case_id, "caller_history")
        except DomainError:
            return HTMLResponse('<p class="error">案件不存在或无权查看</p>', 404)
        if not w.actor.has_role(*HISTORY_ROLES):
            return HTMLResponse('<p class="error">当前角色无权查看来电人历史</p>', 403)
        history = caller_history(
            w.session, w.platform, w.actor, case.contact_key, case.created_at, case.id
        )
        return render(
            request,
            "_caller_history.html",
            {"history": history, "has_phone": case.contact_key is not None, "on_case": True},
        )
