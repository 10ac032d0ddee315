"""The case page's document forms: add, generate, replace and withdraw, through the same
actions as the API (`fazhi.actions.documents`). A refusal renders the case page again with
each Chinese message next to its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from fazhi.actions.cases import case_type_or_error, load_visible_case
from fazhi.actions.document_files import FileUpload
from fazhi.actions.document_generation import check_generate_document, do_generate_document
from fazhi.actions.document_render import RenderJob, render_document
from fazhi.actions.documents import (
    add_document,
    document_of,
    replace_document,
    withdraw_document,
)
from fazhi.domain.case_type import DocumentKind
from fazhi.domain.errors import DomainError
from fazhi.http.deps import Work
from fazhi.http.params import CaseId, DocumentId
from fazhi.http.uploads import read_upload
from fazhi.web.case_pages import _render_case
from fazhi.web.console import page_work, redirect, render
from fazhi.web.forms import error_status, field_errors, inputs_from_form

router = APIRouter(include_in_schema=False)
Change = Callable[[Work], Any]


def _version(form: FormData) -> int | None:
    value = form.get("version")
    return int(value) if isinstance(value, str) and value.isdigit() else None


async def _file(request: Request, form: FormData) -> FileUpload | None:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    limit = request.app.state.platform.settings.max_upload_bytes
    return await read_upload(upload, limit)


def _kind(w: Work, case_id: int, name: str) -> DocumentKind:
    case = load_visible_case(w.session, w.actor, case_id)
    kind = case_type_or_error(w.platform, case.type).document(name)
    if kind is None:
        raise DomainError("unknown_document_kind", "没有这一材料类别", 422, "kind")
    return kind


def _errors(exc: DomainError) -> tuple[dict[str, str], str]:
    """Messages by the form's input names: the data's fields without their `data.` path."""
    errors, general = field_errors(exc)
    return {k.removeprefix("data."): v for k, v in errors.items()}, general


def _change(
    request: Request, case_id: int, form: FormData, form_id: str, done: str, change: Change
) -> Response:
    platform = request.app.state.platform
    with platform.writing(), page_work(request) as w:
        try:
            load_visible_case(w.session, w.actor, case_id)
        except DomainError:
            return render(request, "not_found.html", {}, w, status_code=404)
        try:
            with w.session.begin_nested():
                change(w)
        except DomainError as exc:
            errors, general = _errors(exc)
            case = load_visible_case(w.session, w.actor, case_id)
            return _render_case(
                request,
                w,
                case,
                open_action=form_id,
                errors=errors,
                form_error=general,
                values={k: v for k, v in form.items() if isinstance(v, str)},
                status_code=error_status(exc),
            )
    return redirect(request, f"/cases/{case_id}?done={done}")


@router.post("/cases/{case_id}/documents")
async def add_page(request: Request, case_id: CaseId) -> Response:
    form = await request.form()
    file = await _file(request, form)
    name = str(form.get("kind") or "")

    def change(w: Work) -> None:
        kind = _kind(w, case_id, name)
        data = inputs_from_form(kind.fields, form)
        add_document(w.session, w.ctx, case_id, name, data, file, _version(form))

    return await run_in_threadpool(
        _change, request, case_id, form, f"doc:{name}", "document_added", change
    )


@router.post("/cases/{case_id}/documents/generate")
async def generate_page(request: Request, case_id: CaseId) -> Response:
    form = await request.form()
    name = str(form.get("kind") or "")
    form_id = f"doc:{name}"

    def prepare() -> tuple[RenderJob, tuple[str, bytes]] | DomainError:
        # The check reads in a transaction of its own; the render runs after it, in this
        # worker thread: never on the event loop, never inside the writer's turn.
        try:
            with page_work(request) as w:
                kind = _kind(w, case_id, name)
                data = inputs_from_form(kind.fields, form)
                job = check_generate_document(
                    w.session, w.ctx, case_id, name, data, None, _version(form)
                )
            return job, render_document(job)
        except DomainError as exc:
            return exc

    prepared = await run_in_threadpool(prepare)

    def change(w: Work) -> None:
        if isinstance(prepared, DomainError):
            raise prepared
        do_generate_document(w.session, w.ctx, *prepared)

    return await run_in_threadpool(
        _change, request, case_id, form, form_id, "document_generated", change
    )


@router.post("/cases/{case_id}/documents/{document_id}/replace")
async def replace_page(request: Request, case_id: CaseId, document_id: DocumentId) -> Response:
    form = await request.form()
    file = await _file(request, form)

    def change(w: Work) -> None:
        case = load_visible_case(w.session, w.actor, case_id)
        old = document_of(w.session, case, document_id)
        kind = _kind(w, case_id, old.kind)
        # A field left blank keeps its value: personal data is not shown whole to every
        # role that may change the document, so the form cannot hold it.
        data = {**(old.data or {}), **inputs_from_form(kind.fields, form)}
        replace_document(w.session, w.ctx, case_id, document_id, data, file, _version(form))

    return await run_in_threadpool(
        _change, request, case_id, form, f"doc-replace:{document_id}", "document_replaced", change
    )


@router.post("/cases/{case_id}/documents/{document_id}/withdraw")
async def withdraw_page(request: Request, case_id: CaseId, document_id: DocumentId) -> Response:
    form = await request.form()
    reason = form.get("reason")

    def change(w: Work) -> None:
        withdraw_document(
            w.session,
            w.ctx,
            case_id,
            document_id,
            reason if isinstance(reason, str) else None,
            _version(form),
        )

    return await run_in_threadpool(
        _change, request, case_id, form, f"doc-withdraw:{document_id}", "document_withdrawn", change
    )
