"""Links between cases over the API: a case's linked cases both ways, the linked cases that
may be opened from it, and the fields such a case starts with (`prefill`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from fazhi.actions.cases import case_type_or_error, load_visible_case
from fazhi.domain.errors import DomainError
from fazhi.http.case_links import prefill_for, present_links
from fazhi.http.deps import work
from fazhi.http.params import CaseId

router = APIRouter(prefix="/api/v1", tags=["案件"])


@router.get("/cases/{case_id}/links", summary="关联案件（双向）与可由此发起的案件")
def links(request: Request, case_id: CaseId) -> dict[str, Any]:
    with work(request) as w:
        return present_links(w, load_visible_case(w.session, w.actor, case_id))


@router.get("/cases/{case_id}/prefill/{type_name}", summary="由此案件发起关联案件的预填字段")
def prefill(request: Request, case_id: CaseId, type_name: str, link: str = "") -> dict[str, Any]:
    # `link` is checked after visibility, so a hidden case answers 404 however it is asked.
    with work(request) as w:
        source = load_visible_case(w.session, w.actor, case_id)
        if not link:
            raise DomainError("required", "请指明关联字段（link）", 422, "link")
        target = case_type_or_error(w.platform, type_name)
        return {"type": target.name, "link": link, "fields": prefill_for(w, source, target, link)}
