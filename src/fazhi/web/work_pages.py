"""工作台 (my work) and 案件查询 (all visible cases): indexed lists with filters and paging."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Select, and_, false, or_

from fazhi.catalog.categories import load_categories
from fazhi.domain.roles import REGION_WIDE_ROLES
from fazhi.http.deps import Work
from fazhi.read.case_queries import CaseFilter, filtered, list_cases
from fazhi.read.presenters import present_case_brief
from fazhi.store.models import Case
from fazhi.web.console import console_of, countdown, page_work, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 30
URGENCY = {"normal": "一般", "urgent": "紧急", "complex": "复杂"}


@dataclass
class ListForm:
    """The filter bar as the user filled it in."""

    type: str = ""
    state: str = ""
    category: str = ""
    street: str = ""
    urgency: str = ""
    overdue: str = ""
    q: str = ""
    page: int = 1

    @classmethod
    def from_request(cls, request: Request) -> ListForm:
        params = request.query_params
        try:
            page = max(1, min(int(params.get("page", "1")), 10_000))
        except ValueError:
            page = 1
        return cls(
            **{
                k: params.get(k, "")[:100]
                for k in ("type", "state", "category", "street", "urgency", "overdue", "q")
            },
            page=page,
        )

    def query(self, **override: Any) -> str:
        from urllib.parse import urlencode

        values = {k: v for k, v in vars(self).items() if v not in ("", None)}
        values.update(override)
        return urlencode(values)


def _queue_clause(w: Work) -> Any:
    """Cases waiting for this user's role (and, for units, led by its unit or below)."""
    parts = []
    for case_type in w.platform.types:
        states = case_type.queue_states(w.actor.role)
        if states:
            parts.append(and_(Case.type == case_type.name, Case.state.in_(states)))
    if not parts:
        return false()
    clause = or_(*parts)
    if w.actor.role not in REGION_WIDE_ROLES:
        clause = and_(clause, Case.lead_unit_id.in_(w.ctx.directory.subtree_ids(w.actor.unit)))
    return clause


def _extra_filters(stmt: Select[tuple[Case]], form: ListForm, w: Work) -> Select[tuple[Case]]:
    directory = w.ctx.directory
    if form.street:
        street = directory.resolve(form.street)
        if street is not None:
            stmt = stmt.where(Case.grid_id.in_(directory.subtree_ids(street)))
    if form.urgency in URGENCY:
        stmt = stmt.where(Case.fields["urgency"].as_string() == form.urgency)
    return stmt


def _rows(w: Work, form: ListForm, queue: bool) -> tuple[list[dict[str, Any]], int, bool]:
    f = CaseFilter(
        type=form.type or None,
        state=form.state or None,
        category=form.category or None,
        overdue=True if form.overdue == "1" else None,
        q=form.q or None,
        sort="due_at" if queue else "-created_at",
        open=True if queue else None,
    )
    extra = [_queue_clause(w)] if queue else []

    def shape(stmt: Select[tuple[Case]]) -> Select[tuple[Case]]:
        return _extra_filters(stmt.where(*extra), form, w)

    rows, total, capped = list_cases(
        w.session, w.actor, f, w.ctx.directory, w.ctx.now, form.page, PAGE_SIZE, shape=shape
    )
    calendar = w.platform.calendar()
    items = []
    for case in rows:
        case_type = w.platform.types.get(case.type)
        brief = present_case_brief(case, case_type, w.actor, w.ctx.directory, calendar, w.ctx.now)
        grid = w.ctx.directory.by_id.get(case.grid_id) if case.grid_id else None
        street = w.ctx.directory.street_of(grid) if grid else None
        brief["street_name"] = street.name if street else ""
        brief["urgency"] = case.fields.get("urgency")
        brief["countdown"] = (
            countdown(case.due_at, w.ctx.now, calendar) if not case.terminal else ""
        )
        items.append(brief)
    return items, total, capped


def _page(request: Request, template: str, queue: bool) -> Response:
    form = ListForm.from_request(request)
    with page_work(request) as w:
        items, total, capped = _rows(w, form, queue)
        streets = [u for u in w.ctx.directory.by_id.values() if u.kind == "street"]
        states = []
        for case_type in w.platform.types:
            states += [(s.name, f"{case_type.label}·{s.label}") for s in case_type.states]
        return render(
            request,
            template,
            {
                "form": form,
                "items": items,
                "total": total,
                "capped": capped,
                "pages": max(1, -(-total // PAGE_SIZE)),
                "streets": streets,
                "categories": load_categories(),
                "types": list(w.platform.types),
                "states": states,
                "urgency": URGENCY,
                "queue": queue,
                "work_links": console_of(request).work_links,
            },
            w,
        )


@router.get("/work")
def work_list(request: Request) -> Response:
    return _page(request, "work.html", queue=True)


@router.get("/cases")
def case_list(request: Request) -> Response:
    return _page(request, "work.html", queue=False)


__all__ = ["filtered", "router"]
