"""The case-page panels' common door: the case a panel is about, or the fragment refusing it."""

from __future__ import annotations

from collections.abc import Collection

from fastapi.responses import HTMLResponse, Response

from fazhi.actions.visibility import read_visible_case
from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work
from fazhi.store.models import Case


def refused(text: str, status_code: int) -> Response:
    return HTMLResponse(f'<p class="error">{text}</p>', status_code=status_code)


def panel_case(
    w: Work, case_id: int, purpose: str, roles: Collection[str], denied: str
) -> Case | Response:
    """The case (its read recorded for `purpose` where the type asks), or a refusal: 404 for
    a case the reader may not see — before any role check, so a restricted case stays
    invisible — and 403 with `denied` for a role without the panel."""
    try:
        case = read_visible_case(w.session, w.ctx, case_id, purpose)
    except DomainError:
        return refused("案件不存在或无权查看", 404)
    if not w.actor.has_role(*roles):
        return refused(denied, 403)
    return case
