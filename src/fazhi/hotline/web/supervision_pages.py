"""督办: open hotline orders overdue or due within a working day, per lead unit, with the
supervision forms (督办, 揭榜挂帅) and the open challenges units may claim (揭榜领办).

The forms post to the case page's generic action endpoint `/cases/{id}/do/{action}`, so
every change goes through the same actions (and checks) as anywhere else.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fazhi.domain.due import due_status
from fazhi.domain.records import ClockRecord
from fazhi.hotline.read import board as board_of
from fazhi.hotline.read import stats as hs
from fazhi.hotline.web.approval_pages import supervision_extensions
from fazhi.http.deps import Work
from fazhi.read.deadlines import deadline_clocks
from fazhi.read.presenters import case_number, mark_labels
from fazhi.store.models import Case
from fazhi.web.console import countdown, forbidden, page_work, render

router = APIRouter(include_in_schema=False)

SUPERVISION_ROLES = frozenset({"supervisor", "district_leader", "dispatcher", "unit_leader"})
LIST_LIMIT = 300


def _brief(w: Work, case: Case, clock: ClockRecord | None = None) -> dict[str, Any]:
    case_type = w.platform.types.get(case.type)
    directory = w.ctx.directory
    calendar = w.platform.calendar()
    lead = directory.by_id.get(case.lead_unit_id) if case.lead_unit_id else None
    marks = [m.get("kind") if isinstance(m, dict) else m for m in case.marks or []]
    post = case_type.action("post_challenge") if case_type else None
    labels = mark_labels(case_type) if case_type else {}
    return {
        "id": case.id,
        "number": case_number(case_type, case),
        "title": case.title,
        "state_label": case_type.state_label(case.state) if case_type else case.state,
        "unit": lead.name if lead else "未派单",
        "due_status": due_status(case.due_at, w.ctx.now, calendar, clock),
        "countdown": countdown(clock, w.ctx.now, calendar),
        "marks": [(m, labels.get(str(m), str(m))) for m in marks],
        "can_post": bool(post)
        and case.state in (post.from_states if post else ())
        and "open_challenge" not in marks,
    }


def _supervise_kinds(w: Work) -> list[tuple[str, str]]:
    case_type = w.platform.types.get(hs.HOTLINE)
    spec = case_type.action("supervise") if case_type else None
    field = spec.input("kind") if spec else None
    return list(field.choices) if field else []


@router.get("/supervision")
def supervision_page(request: Request) -> Response:
    with page_work(request) as w:
        actor = w.actor
        if not actor.has_role(*SUPERVISION_ROLES):
            return forbidden(request, w, "督办")
        directory = w.ctx.directory
        unit_ids = None if actor.sight.region_wide else directory.subtree_ids(actor.unit)
        board = board_of.supervision_board(
            w.session,
            actor,
            unit_ids,
            w.ctx.now,
            w.platform.calendar(),
            directory,
            limit=LIST_LIMIT,
        )
        challenges = board_of.open_challenges(w.session, actor)
        may_mark = actor.has_role("supervisor", "district_leader")
        clocks = deadline_clocks(w.session, [*board.cases, *challenges])
        return render(
            request,
            "supervision.html",
            {
                "board": board,
                "items": [_brief(w, case, clocks.get(case.id)) for case in board.cases],
                "challenges": [_brief(w, case, clocks.get(case.id)) for case in challenges],
                "may_mark": may_mark,
                "may_claim": actor.has_role("unit_leader"),
                "kinds": _supervise_kinds(w),
                "scope_label": "全区" if unit_ids is None else f"{actor.unit.name}及下属单位",
                "limit": LIST_LIMIT,
                # Extension requests waiting for a decision (a block of their own).
                **supervision_extensions(w),
            },
            w,
        )
