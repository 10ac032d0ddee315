"""工作台 (my work) and 案件查询 (all visible cases): indexed lists with filters and paging."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Select, and_, or_

from fazhi.catalog.categories import load_categories
from fazhi.domain.case_type import CaseType, FieldSpec
from fazhi.http.deps import Work
from fazhi.read.case_queries import CaseFilter, filtered, list_cases
from fazhi.read.deadlines import deadline_clocks
from fazhi.read.field_filters import field_filter_clauses, filterable_fields
from fazhi.read.presenters import mark_labels, present_case_brief
from fazhi.store.models import Case
from fazhi.web.console import console_of, countdown, page_work, render
from fazhi.web.work_tools import work_tools

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
    # The chosen type's own summary fields (`?type=…&<field>=…`), see api/field_filters.py.
    fields: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls, request: Request) -> ListForm:
        return cls.from_params(request.query_params)

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ListForm:
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

        values = {k: v for k, v in vars(self).items() if v not in ("", None) and k != "fields"}
        values.update({k: v for k, v in self.fields.items() if v})
        values.update(override)
        return urlencode(values)


def _queue_clause(w: Work) -> Any:
    """Cases waiting for one of this user's roles (of a type it sees only within a unit
    scope: led by its unit or below)."""
    parts = []
    led_here = None
    for case_type in w.platform.types:
        view = w.actor.sight.view(case_type.name)
        states = {s for role in w.actor.roles for s in case_type.queue_states(role)}
        if not states or view is None:
            continue
        part = and_(Case.type == case_type.name, Case.state.in_(sorted(states)))
        if view.scope != "region":
            if led_here is None:
                led_here = Case.lead_unit_id.in_(w.ctx.directory.subtree_ids(w.actor.unit))
            part = and_(part, led_here)
        parts.append(part)
    # Without a queue: no type at all (not false(), which would fold the region condition
    # of the query away with it).
    return or_(*parts) if parts else Case.type.in_(())


# Query parameters of the filter bar itself: a summary field of the same name is filtered
# by the bar's own control (the hotline's category and urgency).
RESERVED = frozenset({"type", "state", "category", "street", "urgency", "overdue", "q", "page"})


def summary_filters(case_type: CaseType | None, w: Work) -> list[FieldSpec]:
    """The chosen type's summary fields this user may filter by, besides the bar's own."""
    if case_type is None:
        return []
    return [s for s in filterable_fields(case_type, w.actor) if s.name not in RESERVED]


def _extra_filters(stmt: Select[tuple[Case]], form: ListForm, w: Work) -> Select[tuple[Case]]:
    directory = w.ctx.directory
    clauses, _ = field_filter_clauses(
        w.platform.types.get(form.type), form.fields, w.actor, directory
    )
    stmt = stmt.where(*clauses)
    if form.street:
        street = directory.resolve(form.street)
        if street is not None:
            stmt = stmt.where(Case.grid_id.in_(directory.subtree_ids(street)))
    if form.urgency in URGENCY:
        stmt = stmt.where(Case.fields["urgency"].as_string() == form.urgency)
    return stmt


def list_query(
    w: Work, form: ListForm, queue: bool
) -> tuple[CaseFilter, Callable[[Select[tuple[Case]]], Select[tuple[Case]]]]:
    """The filter and the extra clauses of a list as filled in: the page and its export
    (web/work_export_pages.py) read the same cases."""
    f = CaseFilter(
        type=form.type or None,
        state=form.state or None,
        category=form.category or None,
        overdue=True if form.overdue == "1" else None,
        q=form.q or None,
        # The queue by urgency (read.case_queries.SORTS): the most overdue first.
        sort="urgency" if queue else "-created_at",
        open=True if queue else None,
    )
    extra = [_queue_clause(w)] if queue else []

    def shape(stmt: Select[tuple[Case]]) -> Select[tuple[Case]]:
        return _extra_filters(stmt.where(*extra), form, w)

    return f, shape


def present_rows(w: Work, request: Request, rows: list[Case]) -> list[dict[str, Any]]:
    """The rows as the list shows them: the brief, street, urgency, the countdown of the
    running clock behind the deadline, and the marks of what happened to the case."""
    calendar = w.platform.calendar()
    clocks = deadline_clocks(w.session, rows)
    flags = console_of(request).list_flags
    items = []
    for case in rows:
        case_type = w.platform.types.get(case.type)
        clock = clocks.get(case.id)
        brief = present_case_brief(
            case, case_type, w.actor, w.ctx.directory, calendar, w.ctx.now, clock
        )
        grid = w.ctx.directory.by_id.get(case.grid_id) if case.grid_id else None
        street = w.ctx.directory.street_of(grid) if grid else None
        brief["street_name"] = street.name if street else ""
        brief["urgency"] = case.fields.get("urgency")
        brief["countdown"] = countdown(clock, w.ctx.now, calendar)
        labels = mark_labels(case_type) if case_type else {}
        brief["mark_names"] = [labels.get(str(m), str(m)) for m in brief["marks"]]
        type_flags = flags.get(case.type)
        brief["flags"] = type_flags(case.fields) if type_flags else []
        items.append(brief)
    return items


def _rows(
    w: Work, request: Request, form: ListForm, queue: bool
) -> tuple[list[dict[str, Any]], int, bool]:
    f, shape = list_query(w, form, queue)
    rows, total, capped = list_cases(
        w.session, w.actor, f, w.ctx.directory, w.ctx.now, form.page, PAGE_SIZE, shape=shape
    )
    return present_rows(w, request, rows), total, capped


def read_form(w: Work, params: Mapping[str, str]) -> tuple[ListForm, CaseType | None]:
    """The filter bar from query parameters, with the chosen type's summary fields."""
    form = ListForm.from_params(params)
    chosen = w.platform.types.get(form.type)
    form.fields = {s.name: params.get(s.name, "")[:100] for s in summary_filters(chosen, w)}
    return form, chosen


def list_page(
    request: Request,
    template: str,
    queue: bool,
    params: Mapping[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The list as filtered by `params` (the request's query by default); `extra` adds to
    the page (a refused saved-filter form, say)."""
    with page_work(request) as w:
        form, chosen = read_form(w, request.query_params if params is None else params)
        filters = summary_filters(chosen, w)
        _, refused = field_filter_clauses(chosen, form.fields, w.actor, w.ctx.directory)
        items, total, capped = _rows(w, request, form, queue)
        streets = [u for u in w.ctx.directory.by_id.values() if u.kind == "street"]
        # Only the types this user may see are offered as filters.
        types = [t for t in w.platform.types if w.actor.sight.view(t.name) is not None]
        states = []
        for case_type in [chosen] if chosen else types:
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
                "types": types,
                "states": states,
                "urgency": URGENCY,
                "queue": queue,
                "chosen_type": chosen,
                "summary_filters": filters,
                "filter_error": "；".join(p.message for p in refused),
                "work_links": console_of(request).work_links,
                # Saved filters, export, batch actions (web/work_tools.py).
                **work_tools(request, w, form.query(), queue, items),
                **(extra or {}),
            },
            w,
            status_code=status_code,
        )


@router.get("/work")
def work_list(request: Request) -> Response:
    return list_page(request, "work.html", queue=True)


@router.get("/cases")
def case_list(request: Request) -> Response:
    return list_page(request, "work.html", queue=False)


__all__ = ["filtered", "router"]
