"""新建案件: the create form of any case type, built from its create action's inputs.

`GET /cases/new/{type}` offers the create actions the user's roles may take (a choice when
there are several), `?link=<field>&from=<id>` opens a linked case pre-filled from its source
case; `POST` creates through the same `create_case` action as the API and shows each
problem next to its field, inside list records too (`parties[1].id_number`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from fazhi.actions.cases import check_create_case, load_visible_case
from fazhi.actions.links import make_link_resolver
from fazhi.domain.case_type import ActionSpec, CaseType, FieldSpec
from fazhi.domain.errors import DomainError, Problem
from fazhi.domain.type_access import creatable_actions
from fazhi.domain.workflow import CaseSnapshot, plan_action
from fazhi.http.case_links import prefill_for
from fazhi.http.deps import Work
from fazhi.read.presenters import case_number
from fazhi.web.console import page_work, redirect, render
from fazhi.web.forms import (
    error_status,
    form_values,
    inputs_from_form,
    split_errors,
    unit_groups,
)

router = APIRouter(include_in_schema=False)


def _roles(w: Work) -> tuple[str, ...]:
    # One role per user until roles become data (Actor.roles).
    return w.actor.roles


def _chosen(actions: tuple[ActionSpec, ...], name: str) -> ActionSpec | None:
    if len(actions) == 1 and not name:
        return actions[0]
    return next((a for a in actions if a.name == name), None)


def _page(
    request: Request,
    w: Work,
    case_type: CaseType,
    *,
    action: ActionSpec | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    form_error: str = "",
    source: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    actions = creatable_actions(case_type, _roles(w))
    keep = {k: v for k, v in request.query_params.items() if k in ("link", "from")}
    return render(
        request,
        "case_new.html",
        {
            "case_type": case_type,
            "actions": actions,
            "action": action,
            "inputs": action.inputs if action else (),
            "values": values or {},
            "errors": errors or {},
            "form_error": form_error,
            "source": source,
            "choice_query": {a.name: urlencode({**keep, "action": a.name}) for a in actions},
            "units": unit_groups(w.ctx.directory),
        },
        w,
        status_code=status_code,
    )


def _refusal(request: Request, w: Work, case_type: CaseType | None) -> Response | None:
    """404 for a type that does not exist, 403 when none of the user's roles may create it."""
    if case_type is None:
        return render(request, "not_found.html", {}, w, status_code=404)
    if not creatable_actions(case_type, _roles(w)):
        return render(
            request,
            "case_new.html",
            {"case_type": case_type, "forbidden": True, "actions": ()},
            w,
            status_code=403,
        )
    return None


@router.get("/cases/new/{type_name}")
def new_case_form(request: Request, type_name: str, action: str = "", link: str = "") -> Response:
    source_id = request.query_params.get("from", "")
    with page_work(request) as w:
        case_type = w.platform.types.get(type_name)
        refused = _refusal(request, w, case_type)
        if refused is not None or case_type is None:
            return refused or render(request, "not_found.html", {}, w, status_code=404)
        chosen = _chosen(creatable_actions(case_type, _roles(w)), action)
        values: dict[str, Any] = {}
        source = None
        form_error = ""
        if link and source_id:
            try:
                case = load_visible_case(
                    w.session, w.actor, int(source_id) if source_id.isdigit() else 0
                )
                values = prefill_for(w, case, case_type, link)
                source_type = w.platform.types.get(case.type)
                source = {
                    "id": case.id,
                    "number": case_number(source_type, case),
                    "title": case.title,
                    "type_label": source_type.label if source_type else case.type,
                }
            except DomainError as exc:
                form_error = exc.message
        if chosen is not None:
            values = {**_query_values(request, chosen), **values}
        return _page(
            request,
            w,
            case_type,
            action=chosen,
            values=values,
            source=source,
            form_error=form_error,
        )


def _query_values(request: Request, action: ActionSpec) -> dict[str, str]:
    """Starting values named in the address (`?channel=court_notice`), so a page can link to
    a form already set for one kind of intake. Only the action's non-personal inputs: personal
    data never travels in an address (logs, history)."""
    return {
        spec.name: value
        for spec in action.inputs
        if not spec.personal and (value := request.query_params.get(spec.name))
    }


def _link_problems(w: Work, specs: tuple[FieldSpec, ...], inputs: dict[str, Any]) -> list[Problem]:
    """Resolve each case_link input (a case number or id) to the id of a case the user may
    see and of one of the field's types; replace it in `inputs`, or report it."""
    resolve = make_link_resolver(w.session, w.actor, {t.name: t for t in w.platform.types})
    problems = []
    for spec in specs:
        if spec.type != "case_link" or spec.name not in inputs:
            continue
        target = resolve(spec, inputs[spec.name])
        if target is None:
            labels = "、".join(
                t.label if (t := w.platform.types.get(n)) else n for n in spec.link_types
            )
            problems.append(
                Problem(
                    "invalid_link",
                    f"{spec.label}：找不到编号为 {inputs[spec.name]} 的{labels}（或无权查看）",
                    spec.name,
                )
            )
            del inputs[spec.name]
        else:
            inputs[spec.name] = target.id
    return problems


def _check_rest(
    w: Work, case_type: CaseType, action: ActionSpec, inputs: dict[str, Any]
) -> list[Problem]:
    """The other problems of a form whose links did not resolve (nothing is written)."""
    try:
        plan_action(
            case_type,
            CaseSnapshot(),
            w.actor,
            action.name,
            inputs,
            w.ctx.now,
            w.platform.calendar(),
            w.ctx.directory.resolve,
        )
    except DomainError as exc:
        return exc.problems or [Problem(exc.code, exc.message, exc.field)]
    return []


@router.post("/cases/new/{type_name}")
async def create_from_form(request: Request, type_name: str) -> Response:
    form = await request.form()
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            case_type = w.platform.types.get(type_name)
            refused = _refusal(request, w, case_type)
            if refused is not None or case_type is None:
                return refused or render(request, "not_found.html", {}, w, status_code=404)
            name = form.get("action")
            action = _chosen(
                creatable_actions(case_type, _roles(w)), name if isinstance(name, str) else ""
            )
            if action is None:
                return _page(request, w, case_type, form_error="请选择登记方式", status_code=422)
            inputs = inputs_from_form(action.inputs, form)
            try:
                problems = _link_problems(w, action.inputs, inputs)
                if problems:
                    known = {p.field for p in problems}
                    rest = [
                        p for p in _check_rest(w, case_type, action, inputs) if p.field not in known
                    ]
                    raise DomainError.from_problems(problems + rest, 422)
                with w.session.begin_nested():
                    written = check_create_case(
                        w.session, w.ctx, case_type.name, inputs, action.name
                    )
            except DomainError as exc:
                errors, general = split_errors(exc, action.inputs)
                return _page(
                    request,
                    w,
                    case_type,
                    action=action,
                    values=form_values(action.inputs, form),
                    errors=errors,
                    form_error=general,
                    status_code=error_status(exc),
                )
            case_id = written.case.id
        return redirect(request, f"/cases/{case_id}?done={action.name}")

    return await run_in_threadpool(locked)
