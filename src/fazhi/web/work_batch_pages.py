"""Batch actions from the work list (批量签收 for unit staff, 批量派单 for dispatchers): every
ticked case through the one door on its own (actions/batch.py), then a page that says, case
by case, what was done and — in the one door's Chinese — why a case was not."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from fazhi.actions.batch import BatchItem, check_batch, do_batch_action
from fazhi.actions.visibility import load_visible_case
from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work
from fazhi.read.presenters import case_number
from fazhi.web.console import page_work, render
from fazhi.web.forms import inputs_from_form
from fazhi.web.work_tools import BatchOffer, batch_offers

router = APIRouter(include_in_schema=False)


def _items(form: FormData) -> list[BatchItem]:
    """The ticked rows: `case` values "id:version" (a bare id takes the case as it is now)."""
    items = []
    for value in form.getlist("case"):
        if not isinstance(value, str):
            continue
        case_id, _, version = value.partition(":")
        if case_id.isdigit():
            items.append(BatchItem(int(case_id), int(version) if version.isdigit() else None))
    return items


def _inputs(offer: BatchOffer, form: FormData) -> dict[str, Any]:
    """The offer's inputs, posted as `<action>.<input>`, read as the case page reads its own."""
    prefix = offer.name_prefix
    own = FormData([(k[len(prefix) :], v) for k, v in form.multi_items() if k.startswith(prefix)])
    return inputs_from_form(offer.action.inputs, own)


def _report(w: Work, offer: BatchOffer, outcomes: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for outcome in outcomes:
        try:
            case = load_visible_case(w.session, w.actor, outcome.case_id)
            number, title = case_number(offer.case_type, case), case.title
            state = offer.case_type.state_label(case.state)
        except DomainError:  # not (or no longer) visible: say only what was asked
            case, number, title, state = None, str(outcome.case_id), "", ""
        rows.append(
            {
                "id": outcome.case_id if case is not None else None,
                "number": number,
                "title": title,
                "state": state,
                "ok": outcome.ok,
                "message": outcome.message,
            }
        )
    return rows


@router.post("/work/batch")
async def work_batch(request: Request) -> Response:
    form = await request.form()
    platform = request.app.state.platform

    def locked() -> Response:
        with platform.writing(), page_work(request) as w:
            wanted = form.get("action")
            offer = next((o for o in batch_offers(request, w) if o.value == wanted), None)
            if offer is None:
                return render(
                    request,
                    "work_batch.html",
                    {"error": "没有这项批量操作，或您的角色不能批量办理", "rows": []},
                    w,
                    status_code=403 if wanted else 422,
                )
            try:
                items = check_batch(_items(form))
            except DomainError as exc:
                return render(
                    request,
                    "work_batch.html",
                    {"offer": offer, "error": exc.message, "rows": []},
                    w,
                    status_code=422,
                )
            outcomes = do_batch_action(
                w.session, w.ctx, offer.case_type, offer.action.name, items, _inputs(offer, form)
            )
            rows = _report(w, offer, outcomes)
            done = sum(1 for r in rows if r["ok"])
            return render(
                request,
                "work_batch.html",
                {"offer": offer, "rows": rows, "done": done, "failed": len(rows) - done},
                w,
            )

    return await run_in_threadpool(locked)
