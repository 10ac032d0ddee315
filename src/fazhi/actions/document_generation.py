"""Generating a document of a case file from its kind's template, as one action: check
(reads and refusals) → render (`fazhi.actions.document_render`, CPU and file work a server
route runs in a worker thread, with no database) → store (`do_generate_document`, one
`document_generated` event through the adding half of `fazhi.actions.documents`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from fazhi.actions.cases import ActionContext, case_type_or_error
from fazhi.actions.document_files import FileUpload
from fazhi.actions.document_render import (
    DOCX,
    RenderJob,
    case_number,
    render_context,
    render_document,
    template_path,
)
from fazhi.actions.documents import (
    Written,
    actor_roles,
    check_add_document,
    do_add_document,
    document_of,
    load_case_for_change,
)
from fazhi.domain.documents import check_permission, kind_or_error
from fazhi.domain.errors import DomainError


def check_generate_document(
    session: Session,
    ctx: ActionContext,
    case_id: int,
    kind: str,
    data: Mapping[str, Any] | None = None,
    replaces_id: int | None = None,
    expected_version: int | None = None,
) -> RenderJob:
    """Refuse, or say what to render: the checks of adding the kind (only roles that may add
    it may generate it), a template it names and that exists; with `replaces_id`, the new
    version of that active document of the same kind."""
    case = load_case_for_change(session, ctx, case_id, expected_version)
    case_type = case_type_or_error(ctx.platform, case.type)
    spec = kind_or_error(case_type, kind)
    check_permission(case_type, spec, case.state, actor_roles(ctx.actor))
    template = template_path(case_type, spec)
    replaces = document_of(session, case, replaces_id) if replaces_id is not None else None
    if replaces is not None and replaces.kind != spec.name:
        raise DomainError("document_kind_mismatch", "更换的材料应为同一类别", 422, "replaces")
    if replaces is not None and not replaces.active:
        raise DomainError("document_inactive", "该材料已被撤回或更换，不能再更换", 409)
    # The file is yet to be made: a stand-in passes the file rule, the real one is checked
    # when it is stored.
    stand_in = FileUpload("", DOCX, 0, "")
    checked = check_add_document(session, ctx, case, spec.name, data, stand_in, replaces)
    number = case_number(case_type, case)
    return RenderJob(
        case_id=case.id,
        version=case.version,
        kind=spec.name,
        data=checked.data,
        replaces_id=replaces.id if replaces is not None else None,
        template=template,
        context=render_context(case, case_type, spec, checked.data, number, ctx.directory, ctx.now),
        filename=f"{spec.label}-{number}.docx",
    )


def do_generate_document(
    session: Session, ctx: ActionContext, job: RenderJob, rendered: tuple[str, bytes]
) -> Written:
    """Store a rendered document and its one `document_generated` event.

    Preconditions: `job` came from `check_generate_document` and `rendered` from
    `render_document(job)`. The render ran outside this transaction, so the case must still
    be at `job.version` (else 409: the paper would not show the case as it now is) and the
    checks of adding are run again on the real file."""
    case = load_case_for_change(session, ctx, job.case_id, job.version)
    replaces = document_of(session, case, job.replaces_id) if job.replaces_id else None
    filename, content = rendered
    file = FileUpload.of(filename, DOCX, content)
    checked = check_add_document(session, ctx, case, job.kind, job.data, file, replaces)
    return Written(do_add_document(session, ctx, case, checked, "document_generated"), case)


def generate_document(
    session: Session,
    ctx: ActionContext,
    case_id: int,
    kind: str,
    data: Mapping[str, Any] | None = None,
    replaces_id: int | None = None,
    expected_version: int | None = None,
) -> Written:
    """Check, render and store in one call (the CLI, tests). Renders inside the caller's
    transaction: a server route runs the three steps apart instead (api.document_routes)."""
    job = check_generate_document(session, ctx, case_id, kind, data, replaces_id, expected_version)
    return do_generate_document(session, ctx, job, render_document(job))
