"""The documents card of the case page: per kind, the active documents with their data and
versions, and the forms this user may use now (add, generate, replace, withdraw)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fazhi.actions.document_files import case_documents
from fazhi.actions.documents import actor_roles
from fazhi.domain.case_type import CaseType, DocumentKind
from fazhi.domain.documents import file_rule, kind_states, may_handle
from fazhi.http.deps import Work
from fazhi.read.document_presenters import replaced_by_map, shown_data, version_chain
from fazhi.read.presenters import shown_personal_kinds
from fazhi.store.models import Case, Document
from fazhi.web.forms import display_value

# `done=` of the redirect after a change → the page's notice.
DOCUMENT_FLASH = {
    "upload": "材料已上传",
    "document_added": "材料已添加",
    "document_replaced": "材料已更换",
    "document_withdrawn": "材料已撤回",
    "document_generated": "文书已生成",
}


@dataclass
class DocumentView:
    document: Document
    data: list[tuple[str, str]]
    url: str | None
    # Older versions, newest first.
    versions: list[DocumentView] = field(default_factory=list)
    # Whole data values a replace form may show (personal ones only to roles that see them).
    editable: dict[str, Any] = field(default_factory=dict)


@dataclass
class KindView:
    kind: DocumentKind
    file: str  # required | optional | none
    may_add: bool
    may_change: bool
    active: list[DocumentView]
    withdrawn: list[DocumentView]


def _view(
    w: Work, case_type: CaseType, kind: DocumentKind, document: Document, shown: frozenset[str]
) -> DocumentView:
    data = document.data or {}
    visible = shown_data(case_type, document.kind, data, w.actor)
    rows = []
    for spec in kind.fields:
        text = display_value(spec, visible.get(spec.name), w.ctx.directory)
        if text:
            rows.append((spec.label, text))
    url = (
        f"/api/v1/cases/{document.case_id}/documents/{document.id}/file"
        if document.sha256
        else None
    )
    editable = {
        spec.name: data.get(spec.name)
        for spec in kind.fields
        if data.get(spec.name) not in (None, "") and (not spec.personal or spec.personal in shown)
    }
    return DocumentView(document, rows, url, editable=editable)


def document_panel(w: Work, case: Case, case_type: CaseType) -> list[KindView]:
    """The kinds that have documents or that this user may add now, in file order."""
    roles = actor_roles(w.actor)
    rows = case_documents(w.session, case, include_inactive=True)
    after = replaced_by_map(rows)
    shown = shown_personal_kinds(case_type, w.actor)
    kinds = []
    for kind in case_type.documents:
        own = [d for d in rows if d.kind == kind.name]
        may_change = may_handle(case_type, kind, roles) and case.state in kind_states(
            case_type, kind
        )
        active_docs = [d for d in own if d.active]
        may_add = may_change and (kind.multiple or not active_docs)
        if not own and not may_add:
            continue
        active = []
        for document in active_docs:
            view = _view(w, case_type, kind, document, shown)
            older = [d for d in version_chain(document, own) if d.id != document.id]
            view.versions = [_view(w, case_type, kind, d, shown) for d in reversed(older)]
            active.append(view)
        withdrawn = [
            _view(w, case_type, kind, d, shown)
            for d in own
            if not d.active and d.id not in after  # replaced ones show as versions
        ]
        kinds.append(KindView(kind, file_rule(kind), may_add, may_change, active, withdrawn))
    return kinds


def document_note(case_type: CaseType | None, action: str, payload: dict[str, Any]) -> str:
    """The timeline's line for a document event (an upload of old, or a document action)."""
    document = payload.get("document")
    if not isinstance(document, dict):
        return ""
    spec = case_type.document(str(document.get("kind"))) if case_type else None
    label = spec.label if spec else str(document.get("kind"))
    text = f"{document['filename']}（{label}）" if document.get("filename") else label
    if action == "document_withdrawn" and payload.get("reason"):
        text += f"，原因：{payload['reason']}"
    return text
