"""Adding a document to a case: the file is stored once by its SHA-256 (document_blobs) and
the upload is an event of the case's trail, in the same transaction."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from fazhi.actions.cases import case_type_or_error, do_record_access_event
from fazhi.actions.context import ActionContext
from fazhi.domain.case_type import CaseType
from fazhi.domain.errors import DomainError
from fazhi.store.models import Case, Document, DocumentBlob

ALLOWED_UPLOADS = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/webp",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/plain",
        "audio/mpeg",
        "audio/wav",
    }
)
UPLOAD_ROLES = frozenset({"operator", "dispatcher", "unit_handler", "unit_leader"})
UPLOAD_TYPES_MESSAGE = "只能上传 PDF、图片、Word、Excel、文本或录音文件"


def check_attach_document(
    session: Session,
    ctx: ActionContext,
    case: Case,
    kind: str,
    filename: str,
    content_type: str,
    data: bytes,
    limit: int | None = None,
) -> Document:
    """Attach an uploaded file to a case: the actor's role may upload, the file is within
    `limit` bytes, not empty and of an accepted type; then `do_attach_document`."""
    if ctx.actor.role not in UPLOAD_ROLES:
        raise DomainError("forbidden_role", "当前角色无权上传材料", 403)
    if limit is not None and len(data) > limit:
        raise DomainError("too_large", f"文件不能超过 {limit // (1024 * 1024)} MB", 413, "file")
    if not data:
        raise DomainError("empty_file", "文件为空", 422, "file")
    if content_type not in ALLOWED_UPLOADS:
        raise DomainError("unsupported_media_type", UPLOAD_TYPES_MESSAGE, 415, "file")
    return do_attach_document(session, ctx, case, kind, filename, content_type, data)


def _check_kind(case_type: CaseType, kind: str) -> None:
    if kind not in {d.name for d in case_type.documents}:
        raise DomainError(
            "unknown_document_kind",
            "材料类别只能是：" + "、".join(f"{d.name}（{d.label}）" for d in case_type.documents),
            422,
            "kind",
        )


def do_attach_document(
    session: Session,
    ctx: ActionContext,
    case: Case,
    kind: str,
    filename: str,
    content_type: str,
    data: bytes,
) -> Document:
    """Store the file (once per SHA-256) and its document row, and append the upload event.
    Refuses a kind the type does not know and a closed case.

    Preconditions: `case` was loaded with `load_visible_case` for `ctx.actor`, who may add
    documents (role and file checked, as `check_attach_document` does, or by the channel
    that received the file, e.g. a grid-worker report's photos)."""
    _check_kind(case_type_or_error(ctx.platform, case.type), kind)
    if case.terminal:
        raise DomainError("invalid_state", "案件已办结，不能再上传材料", 409)
    digest = hashlib.sha256(data).hexdigest()
    if session.get(DocumentBlob, digest) is None:
        session.add(DocumentBlob(sha256=digest, data=data))
    document = Document(
        case_id=case.id,
        kind=kind,
        filename=filename[:255],
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=ctx.actor.user_id,
        uploaded_at=ctx.now,
    )
    session.add(document)
    session.flush()
    do_record_access_event(
        session,
        ctx,
        case,
        "attach_document",
        {
            "document": {
                "id": document.id,
                "kind": kind,
                "filename": document.filename,
                "size": len(data),
                "sha256": digest,
            }
        },
    )
    return document
