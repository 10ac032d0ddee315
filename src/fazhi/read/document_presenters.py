"""Documents as the API shows them: metadata, data (personal fields masked by role) and
their version history."""

from __future__ import annotations

from typing import Any

from fazhi.domain.case_type import CaseType
from fazhi.domain.documents import data_digest, mask_data
from fazhi.domain.units import Actor
from fazhi.read.presenters import local_iso, shown_personal_kinds
from fazhi.store.models import Document


def shown_data(case_type: CaseType | None, kind: str, data: dict[str, Any], actor: Actor) -> Any:
    """The data as this actor may see it: whole for roles that see personal data, else
    each personal field masked (also for a kind no longer in the type file)."""
    spec = case_type.document(kind) if case_type else None
    shown = shown_personal_kinds(case_type, actor) if case_type else frozenset()
    return mask_data(spec.fields if spec else (), data, shown)


def present_document(
    document: Document,
    case_type: CaseType | None,
    actor: Actor,
    replaced_by: int | None = None,
    key: bytes | None = None,
) -> dict[str, Any]:
    """`key` (the server secret) makes `data_sha256` the keyed digest the trail seals;
    without it the digest is left out (a plain one would give masked values away)."""
    spec = case_type.document(document.kind) if case_type else None
    base = f"/api/v1/cases/{document.case_id}/documents/{document.id}"
    data = document.data or {}
    return {
        "id": document.id,
        "case_id": document.case_id,
        "kind": document.kind,
        "kind_label": spec.label if spec else document.kind,
        "filename": document.filename,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "file_url": f"{base}/file" if document.sha256 else None,
        "data": shown_data(case_type, document.kind, data, actor),
        "data_sha256": data_digest(data, spec.fields if spec else (), key) if key else None,
        "active": document.active,
        "generated": document.generated,
        "replaces_id": document.replaces_id,
        "replaced_by_id": replaced_by,
        "uploaded_at": local_iso(document.uploaded_at),
        "uploaded_by": document.uploaded_by,
        "withdrawn_at": local_iso(document.withdrawn_at),
        "withdrawn_by": document.withdrawn_by,
        "withdraw_reason": document.withdraw_reason,
    }


def replaced_by_map(documents: list[Document]) -> dict[int, int]:
    """Old version id → the id of the version that replaced it."""
    return {d.replaces_id: d.id for d in documents if d.replaces_id is not None}


def version_chain(document: Document, documents: list[Document]) -> list[Document]:
    """Every version of this document, oldest first (the rows linked by replaces_id)."""
    by_id = {d.id: d for d in documents}
    after = replaced_by_map(documents)
    first = document
    while first.replaces_id is not None and first.replaces_id in by_id:
        first = by_id[first.replaces_id]
    chain = [first]
    while chain[-1].id in after and after[chain[-1].id] in by_id:
        chain.append(by_id[after[chain[-1].id]])
    return chain
