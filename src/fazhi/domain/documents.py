"""Documents of a case file as the rules see them: who may add a kind, when, with what.

Pure: the actions layer (`fazhi.actions.documents`) asks these questions and writes the
answer; the workflow reads `DocumentRecord`s from the case snapshot for its guards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from typing import Any, Literal

from fazhi.domain.case_type import CaseType, DocumentKind, FieldSpec
from fazhi.domain.errors import DomainError, Problem
from fazhi.domain.privacy import mask_fields
from fazhi.domain.seal import field_paths, seal_payload
from fazhi.domain.trail import canonical

# A person or an outside system may not take these: they are the platform's own accounts.
SYSTEM_ROLES = frozenset({"system"})
HIDDEN = "***"


def data_digest(
    data: Mapping[str, Any], fields: tuple[FieldSpec, ...] = (), key: bytes | None = None
) -> str:
    """SHA-256 of the data's canonical JSON: the event seals it, so stored data can be
    checked against the trail without trusting the row. With the kind's `fields` and the
    server secret, personal values enter through their keyed digest (`fazhi.domain.seal`):
    a digest shown beside masked data must not let the hidden part be guessed."""
    if key is not None:
        data = seal_payload(data, field_paths(data, fields), key)
    return hashlib.sha256(canonical(data)).hexdigest()


def kind_or_error(case_type: CaseType, name: str) -> DocumentKind:
    kind = case_type.document(name)
    if kind is None:
        listed = "、".join(f"{d.name}（{d.label}）" for d in case_type.documents) or "（无）"
        raise DomainError("unknown_document_kind", f"材料类别只能是：{listed}", 422, "kind")
    return kind


def kind_roles(case_type: CaseType, kind: DocumentKind) -> frozenset[str]:
    """The roles that may add, replace, withdraw and generate this kind: its own list, or
    every role that may take some action of the type (the platform's system roles aside)."""
    if kind.roles:
        return frozenset(kind.roles)
    return frozenset(r for a in case_type.actions if not a.system for r in a.roles) - SYSTEM_ROLES


def kind_states(case_type: CaseType, kind: DocumentKind) -> frozenset[str]:
    """The states in which the kind may change: its own list, or every non-terminal state."""
    if kind.states:
        return frozenset(kind.states)
    return frozenset(s.name for s in case_type.states if not s.terminal)


def may_handle(case_type: CaseType, kind: DocumentKind, roles: Collection[str]) -> bool:
    allowed = kind_roles(case_type, kind)
    return any(r in allowed for r in roles)


def file_rule(kind: DocumentKind) -> Literal["required", "optional", "none"]:
    """A kind without fields is only a file: an optional file is then a required one."""
    if kind.file == "optional" and not kind.fields:
        return "required"
    return kind.file


def check_permission(
    case_type: CaseType, kind: DocumentKind, state: str, roles: Collection[str]
) -> None:
    """Refuse a change to a document of `kind` by a holder of `roles` in `state`."""
    if not may_handle(case_type, kind, roles):
        raise DomainError("document_forbidden_role", f"当前角色无权处理「{kind.label}」", 403)
    if state not in kind_states(case_type, kind):
        raise DomainError(
            "document_not_allowed_in_state",
            f"案件处于「{case_type.state_label(state)}」，不能处理「{kind.label}」",
            409,
        )


def addable_kinds(
    case_type: CaseType, state: str, roles: Collection[str]
) -> tuple[DocumentKind, ...]:
    """The kinds a holder of `roles` may add (or generate) in `state`, in file order."""
    return tuple(
        k
        for k in case_type.documents
        if may_handle(case_type, k, roles) and state in kind_states(case_type, k)
    )


def check_file(kind: DocumentKind, has_file: bool, has_data: bool) -> None:
    rule = file_rule(kind)
    if rule == "required" and not has_file:
        raise DomainError("document_file_required", f"「{kind.label}」需要上传文件", 422, "file")
    if rule == "none" and has_file:
        raise DomainError(
            "document_file_not_allowed", f"「{kind.label}」只填写内容，不上传文件", 422, "file"
        )
    if not has_file and not has_data:
        raise DomainError("document_empty", f"请为「{kind.label}」上传文件或填写内容", 422, "file")


def prefixed(problems: list[Problem], prefix: str = "data") -> list[Problem]:
    """Field paths of the document's data as the API names them (`data.signed_on`)."""
    return [
        Problem(p.code, p.message, f"{prefix}.{p.field}" if p.field else prefix) for p in problems
    ]


def mask_data(
    fields: tuple[FieldSpec, ...], data: Mapping[str, Any], sees: Collection[str] = ()
) -> dict[str, Any]:
    """A copy of a document's data masked like case fields (`privacy.mask_fields`): each
    personal field by its kind, also inside list records; kinds in `sees` stay whole."""
    return mask_fields(data, fields, frozenset(sees))


def has_personal(fields: tuple[FieldSpec, ...]) -> bool:
    return any(f.personal or (f.type == "list" and has_personal(f.items)) for f in fields)
