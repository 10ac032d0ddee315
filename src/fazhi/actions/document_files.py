"""The files and reads of case documents: uploads, their limits, the shared blobs, and the
document rows as the workflow and the pages read them (changes: `fazhi.actions.documents`).

This module imports nothing of `fazhi.actions.cases` at run time, so `snapshot()` there can
import `document_records` from here without a cycle."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from fazhi.actions.document_render import DOCX
from fazhi.domain.errors import DomainError, not_found
from fazhi.domain.records import DocumentRecord
from fazhi.store.models import Case, Document, DocumentBlob

if TYPE_CHECKING:
    from fazhi.actions.cases import ActionContext

ALLOWED_UPLOADS = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/webp",
        "application/msword",
        DOCX,
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/plain",
        "audio/mpeg",
        "audio/wav",
    }
)
_RECORDS = (
    select(Document.id, Document.kind, Document.data, Document.active, Document.uploaded_at)
    .where(Document.region_code == bindparam("region"), Document.case_id == bindparam("case_id"))
    .order_by(Document.uploaded_at, Document.id)
)
# Blobs are shared by hash: two cases storing the same bytes at once must not collide.
_INSERT_BLOB = {
    "sqlite": sqlite_insert(DocumentBlob).on_conflict_do_nothing(),
    "postgresql": postgresql_insert(DocumentBlob).on_conflict_do_nothing(),
}


@dataclass(frozen=True)
class FileUpload:
    """A document's file. `data` is None for a file already stored (kept by a new version)."""

    filename: str
    content_type: str
    size: int
    sha256: str
    data: bytes | None = None

    @classmethod
    def of(cls, filename: str, content_type: str, data: bytes) -> FileUpload:
        return cls(
            filename=(filename or "file")[:255],
            content_type=content_type.split(";")[0].strip(),
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
        )


def check_upload_limits(ctx: ActionContext, file: FileUpload) -> None:
    """Size and content type, as for every upload."""
    if file.data is None:
        return
    limit = ctx.platform.settings.max_upload_bytes
    if file.size > limit:
        raise DomainError("too_large", f"文件不能超过 {limit // (1024 * 1024)} MB", 413, "file")
    if not file.size:
        raise DomainError("empty_file", "文件为空", 422, "file")
    if file.content_type not in ALLOWED_UPLOADS:
        raise DomainError(
            "unsupported_media_type", "只能上传 PDF、图片、Word、Excel、文本或录音文件", 415, "file"
        )


def store_blob(session: Session, file: FileUpload) -> None:
    """Keep the file's bytes (once per hash); a file kept from an older version has none."""
    if file.data is not None:
        conn = session.connection()
        conn.execute(_INSERT_BLOB[conn.dialect.name], {"sha256": file.sha256, "data": file.data})


# ---------------------------------------------------------------------------------------------
# Reads


def document_records(session: Session, case: Case) -> tuple[DocumentRecord, ...]:
    """Every document of the case, oldest first, as the workflow's guards read them."""
    rows = session.connection().execute(_RECORDS, {"region": case.region_code, "case_id": case.id})
    return tuple(
        DocumentRecord(
            id=r.id, kind=r.kind, data=r.data or {}, active=r.active, added_at=r.uploaded_at
        )
        for r in rows
    )


def case_documents(session: Session, case: Case, include_inactive: bool = False) -> list[Document]:
    statement = select(Document).where(
        Document.region_code == case.region_code, Document.case_id == case.id
    )
    if not include_inactive:
        statement = statement.where(Document.active.is_(True))
    return list(session.scalars(statement.order_by(Document.id)))


def document_file(session: Session, document: Document) -> bytes:
    if document.sha256 is None:
        raise not_found("文件")
    blob = session.get(DocumentBlob, document.sha256)
    return blob.data if blob else b""
