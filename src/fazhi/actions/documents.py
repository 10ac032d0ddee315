"""Documents of a case file: add, replace, withdraw and generate, each an action with its event.

A document is a file, data (its kind's fields), or both. Every change is one event on the
case (`document_added`, `document_replaced`, `document_withdrawn`, `document_generated`)
whose payload seals the file's and the data's SHA-256, and it bumps the case's version:
guards read documents, so a document change makes another user's planned action stale
and gives them a 409 rather than a surprise (docs/architecture.md, "Documents").

Each change has a `check_*` half (reads and refusals only) and a `do_*` half (writes).
Generating a document from a template is `fazhi.actions.document_generation`: its rendering
is CPU and file work kept apart in `fazhi.actions.document_render`, so the API can run it in
a worker thread before it hands the write to the writer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from fazhi.actions.cases import (
    ActionContext,
    append_event,
    case_type_or_error,
    load_visible_case,
)
from fazhi.actions.document_files import FileUpload, check_upload_limits, store_blob

# The workflow's read, importable from here (its home has no upward imports: see there).
from fazhi.actions.document_files import document_records as document_records
from fazhi.domain.case_type import CaseType, DocumentKind
from fazhi.domain.documents import (
    check_file,
    check_permission,
    data_digest,
    file_rule,
    kind_or_error,
    prefixed,
)
from fazhi.domain.errors import DomainError, not_found
from fazhi.domain.inputs import validate_inputs
from fazhi.domain.units import Actor, UnitRef
from fazhi.store.models import Case, Document

REASON_MAX = 500
# Each names the case's region besides the ids (tests/test_region_scope.py).
_BUMP_CASE = update(Case).where(
    Case.region_code == bindparam("b_region"),
    Case.id == bindparam("b_id"),
    Case.version == bindparam("b_version"),
)
_RETIRE = update(Document).where(
    Document.region_code == bindparam("b_region"),
    Document.id == bindparam("b_id"),
    Document.active.is_(True),
)
_ACTIVE_OF_KIND = (
    select(Document.id)
    .where(
        Document.region_code == bindparam("region"),
        Document.case_id == bindparam("case_id"),
        Document.kind == bindparam("kind"),
        Document.active.is_(True),
    )
    .limit(1)
)


@dataclass(frozen=True)
class CheckedDocument:
    """A document that passed every check, ready for `do_add_document`."""

    case_type: CaseType
    kind: DocumentKind
    data: dict[str, Any]
    file: FileUpload | None
    replaces: Document | None = None


def actor_roles(actor: Actor) -> frozenset[str]:
    """The roles the actor holds (several once roles are data; one today)."""
    held = getattr(actor, "roles", None)
    return frozenset(held) if held else frozenset({actor.role})


def load_case_for_change(
    session: Session, ctx: ActionContext, case_id: int, expected_version: int | None
) -> Case:
    case = load_visible_case(session, ctx.actor, case_id)
    if expected_version is not None and expected_version != case.version:
        raise DomainError(
            "version_conflict", f"案件已被他人更新（当前版本 {case.version}），请刷新后重试", 409
        )
    return case


def document_of(session: Session, case: Case, document_id: int) -> Document:
    """A document of this (visible) case, or 404."""
    document = session.scalar(
        select(Document).where(Document.region_code == case.region_code, Document.id == document_id)
    )
    if document is None or document.case_id != case.id:
        raise not_found("材料")
    return document


# ---------------------------------------------------------------------------------------------
# Checks


def _storable(value: Any) -> Any:
    """Data holds JSON: units by id, as case fields do."""
    if isinstance(value, UnitRef):
        return value.id
    if isinstance(value, list) and value and isinstance(value[0], UnitRef):
        return [u.id for u in value]
    return value


def validate_data(
    ctx: ActionContext, case: Case, kind: DocumentKind, data: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The data checked against the kind's fields; problems name `data.FIELD`."""
    if data is not None and not isinstance(data, Mapping):
        raise DomainError("invalid_request", "data 应为对象（字段名 → 值）", 422, "data")
    clean, problems = validate_inputs(
        kind.fields, dict(data or {}), dict(case.fields), ctx.directory.resolve
    )
    if problems:
        raise DomainError.from_problems(prefixed(problems))
    return {k: _storable(v) for k, v in clean.items()}


def check_add_document(
    session: Session,
    ctx: ActionContext,
    case: Case,
    kind_name: str,
    data: Mapping[str, Any] | None,
    file: FileUpload | None,
    replaces: Document | None = None,
) -> CheckedDocument:
    """Refuse, or return what `do_add_document` writes: the kind is the type's, the actor's
    role and the case's state allow it, the data fits the kind's fields, the file is there
    when required and absent when not taken, and a single kind has no active one already
    (unless this is its replacement)."""
    case_type = case_type_or_error(ctx.platform, case.type)
    kind = kind_or_error(case_type, kind_name)
    check_permission(case_type, kind, case.state, actor_roles(ctx.actor))
    if file is not None:
        check_upload_limits(ctx, file)
    clean = validate_data(ctx, case, kind, data)
    check_file(kind, file is not None, bool(clean))
    if replaces is None and not kind.multiple:
        found = session.connection().execute(
            _ACTIVE_OF_KIND, {"region": case.region_code, "case_id": case.id, "kind": kind.name}
        )
        if found.first() is not None:
            raise DomainError(
                "document_single",
                f"「{kind.label}」只能有一份，已有的一份请使用“更换”",
                409,
                "kind",
            )
    return CheckedDocument(case_type, kind, clean, file, replaces)


def check_replace_document(
    session: Session,
    ctx: ActionContext,
    case: Case,
    old: Document,
    data: Mapping[str, Any] | None,
    file: FileUpload | None,
) -> CheckedDocument:
    """A new version of an active document: data left out keeps the old data, a file left
    out keeps the old file (when the kind takes one); refused when nothing changes."""
    if not old.active:
        raise DomainError("document_inactive", "该材料已被撤回或更换，不能再更换", 409)
    case_type = case_type_or_error(ctx.platform, case.type)
    kind = kind_or_error(case_type, old.kind)
    if file is None and old.sha256 is not None and file_rule(kind) != "none":
        file = FileUpload(old.filename or "file", old.content_type or "", old.size or 0, old.sha256)
    checked = check_add_document(
        session, ctx, case, old.kind, old.data if data is None else data, file, replaces=old
    )
    if checked.data == (old.data or {}) and (file.sha256 if file else None) == old.sha256:
        raise DomainError("document_unchanged", "新版本与原材料相同", 422)
    return checked


def check_withdraw_document(
    ctx: ActionContext, case: Case, document: Document, reason: str | None
) -> str:
    """Refuse, or return the reason as it will be stored."""
    case_type = case_type_or_error(ctx.platform, case.type)
    kind = kind_or_error(case_type, document.kind)
    check_permission(case_type, kind, case.state, actor_roles(ctx.actor))
    if not document.active:
        raise DomainError("document_inactive", "该材料已被撤回或更换", 409)
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise DomainError("required", "请填写撤回原因", 422, "reason")
    if len(text) > REASON_MAX:
        raise DomainError("too_long", f"撤回原因不能超过{REASON_MAX}个字符", 422, "reason")
    return text


# ---------------------------------------------------------------------------------------------
# Writes


def _bump(session: Session, ctx: ActionContext, case: Case) -> None:
    """The case's next version: documents feed guards, so a plan made before is stale."""
    result = session.connection().execute(
        _BUMP_CASE,
        {
            "b_region": case.region_code,
            "b_id": case.id,
            "b_version": case.version,
            "version": case.version + 1,
            "updated_at": ctx.now,
        },
    )
    if result.rowcount != 1:
        raise DomainError("version_conflict", "案件已被他人同时更新，请刷新后重试", 409)


def _settle(session: Session, ctx: ActionContext, case: Case) -> None:
    """Bring the caller's case object up to date without a re-read, detached so the ORM
    never writes it again (as perform_action does)."""
    if case in session:
        session.expunge(case)
    case.version += 1
    case.updated_at = ctx.now


def _data_digest(ctx: ActionContext, case: Case, document: Document) -> str:
    case_type = ctx.platform.types.get(case.type)
    kind = case_type.document(document.kind) if case_type else None
    return data_digest(document.data or {}, kind.fields if kind else (), ctx.platform.secret)


def _brief(ctx: ActionContext, case: Case, document: Document) -> dict[str, Any]:
    """What the event seals about a document: enough to verify the row and the blob."""
    return {
        "id": document.id,
        "kind": document.kind,
        "filename": document.filename,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "data": document.data,
        "data_sha256": _data_digest(ctx, case, document),
        "generated": document.generated,
    }


def do_add_document(
    session: Session,
    ctx: ActionContext,
    case: Case,
    checked: CheckedDocument,
    action: str = "document_added",
) -> Document:
    """Write a document and its one event.

    Preconditions: `checked` came from `check_add_document` / `check_replace_document` for
    this `case` in this transaction, and `case.version` is the version those checks read
    (a change since is a 409). `action` is document_added, document_replaced or
    document_generated (the last marks the document generated)."""
    _bump(session, ctx, case)
    file = checked.file
    conn = session.connection()
    if file is not None:
        store_blob(session, file)
    document = Document(
        case_id=case.id,
        region_code=case.region_code,
        kind=checked.kind.name,
        filename=file.filename if file else None,
        content_type=file.content_type if file else None,
        size=file.size if file else None,
        sha256=file.sha256 if file else None,
        uploaded_by=ctx.actor.user_id,
        uploaded_at=ctx.now,
        data=checked.data,
        active=True,
        replaces_id=checked.replaces.id if checked.replaces else None,
        generated=action == "document_generated",
    )
    session.add(document)
    session.flush()
    payload: dict[str, Any] = {"document": _brief(ctx, case, document)}
    if checked.replaces is not None:
        old = checked.replaces
        payload["replaces"] = {
            "id": old.id,
            "sha256": old.sha256,
            "data_sha256": _data_digest(ctx, case, old),
        }
        if (
            conn.execute(
                _RETIRE, {"b_region": case.region_code, "b_id": old.id, "active": False}
            ).rowcount
            != 1
        ):
            raise DomainError("document_inactive", "该材料已被撤回或更换", 409)
        session.expire(old)
    append_event(
        session,
        case.id,
        action,
        ctx,
        case.state,
        case.state,
        payload,
        case_type=checked.case_type,
    )
    _settle(session, ctx, case)
    return document


def do_withdraw_document(
    session: Session, ctx: ActionContext, case: Case, document: Document, reason: str
) -> Document:
    """Withdraw a document: it stays in the file as history, inactive.

    Preconditions: `reason` came from `check_withdraw_document` for this case and document
    in this transaction, at `case.version`."""
    _bump(session, ctx, case)
    values = {"active": False, "withdrawn_at": ctx.now, "withdrawn_by": ctx.actor.user_id}
    result = session.connection().execute(
        _RETIRE,
        {"b_region": case.region_code, "b_id": document.id, **values, "withdraw_reason": reason},
    )
    if result.rowcount != 1:
        raise DomainError("document_inactive", "该材料已被撤回或更换", 409)
    # The row as just written, without reading it back (a reload would be by id alone).
    for name, value in {**values, "withdraw_reason": reason}.items():
        set_committed_value(document, name, value)
    payload = {"document": _brief(ctx, case, document), "reason": reason}
    append_event(
        session,
        case.id,
        "document_withdrawn",
        ctx,
        case.state,
        case.state,
        payload,
        case_type=ctx.platform.types.get(case.type),
    )
    _settle(session, ctx, case)
    return document


# ---------------------------------------------------------------------------------------------
# The actions as one call each (check, then do)


@dataclass(frozen=True)
class Written:
    """A document as written and its case as the change left it (the new version)."""

    document: Document
    case: Case


def add_document(
    session: Session,
    ctx: ActionContext,
    case_id: int,
    kind: str,
    data: Mapping[str, Any] | None = None,
    file: FileUpload | None = None,
    expected_version: int | None = None,
) -> Written:
    case = load_case_for_change(session, ctx, case_id, expected_version)
    return Written(add_document_to(session, ctx, case, kind, data, file), case)


def add_document_to(
    session: Session,
    ctx: ActionContext,
    case: Case,
    kind: str,
    data: Mapping[str, Any] | None = None,
    file: FileUpload | None = None,
) -> Document:
    """Add to a case the caller has already loaded (or just created); `case` is updated."""
    checked = check_add_document(session, ctx, case, kind, data, file)
    return do_add_document(session, ctx, case, checked)


def attach_file(
    session: Session,
    ctx: ActionContext,
    case: Case,
    kind: str,
    filename: str,
    content_type: str,
    data: bytes,
) -> Document:
    """Add a file as a document of `kind` to a case already loaded (a grid worker's report
    photos, a channel's attachments): the same checks and event as any document."""
    return add_document_to(
        session, ctx, case, kind, None, FileUpload.of(filename, content_type, data)
    )


def replace_document(
    session: Session,
    ctx: ActionContext,
    case_id: int,
    document_id: int,
    data: Mapping[str, Any] | None = None,
    file: FileUpload | None = None,
    expected_version: int | None = None,
) -> Written:
    case = load_case_for_change(session, ctx, case_id, expected_version)
    old = document_of(session, case, document_id)
    checked = check_replace_document(session, ctx, case, old, data, file)
    return Written(do_add_document(session, ctx, case, checked, "document_replaced"), case)


def withdraw_document(
    session: Session,
    ctx: ActionContext,
    case_id: int,
    document_id: int,
    reason: str | None,
    expected_version: int | None = None,
) -> Written:
    case = load_case_for_change(session, ctx, case_id, expected_version)
    document = document_of(session, case, document_id)
    text = check_withdraw_document(ctx, case, document, reason)
    return Written(do_withdraw_document(session, ctx, case, document, text), case)
