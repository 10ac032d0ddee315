"""Evidence (佐证材料) for the items of an evaluation scheme that the platform cannot evidence
with its own records: a file kept in the blob store like a case document, recorded with the
scheme, item, year, uploader and time; withdrawn with a reason, never deleted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from fazhi.actions.context import ActionContext
from fazhi.actions.document_files import FileUpload, check_upload_limits, store_blob
from fazhi.domain.errors import DomainError
from fazhi.domain.indicators.spec import Catalog, Scheme, SchemeItem
from fazhi.store.models import IndicatorEvidence

EVIDENCE_ROLES = frozenset({"rule_of_law_office", "admin"})


@dataclass(frozen=True)
class EvidencePlan:
    scheme: Scheme
    item: SchemeItem
    year: int
    file: FileUpload
    note: str


def check_add_evidence(
    ctx: ActionContext,
    catalog: Catalog,
    scheme_id: str,
    item_code: str,
    year: int,
    file: FileUpload,
    note: str = "",
) -> EvidencePlan:
    if not ctx.actor.has_role(*EVIDENCE_ROLES):
        raise DomainError("forbidden_role", "只有依法治区办和系统管理员可以上传佐证材料", 403)
    scheme = catalog.scheme(scheme_id)
    if scheme is None:
        raise DomainError("unknown_scheme", f"没有评价方案 {scheme_id}", 404)
    item = scheme.item(item_code)
    if item is None:
        raise DomainError("unknown_item", f"评价方案中没有事项 {item_code}", 404, "item")
    if item.evidence == "platform":
        raise DomainError("evidence_by_platform", "该事项由平台数据佐证，无需上传材料", 422, "file")
    if not 2000 <= year <= 2100:
        raise DomainError("bad_year", "年度应在2000至2100之间", 422, "year")
    check_upload_limits(ctx, file)
    if file.data is None:
        raise DomainError("document_file_required", "请选择要上传的文件", 422, "file")
    return EvidencePlan(scheme, item, year, file, note.strip()[:200])


def do_add_evidence(session: Session, ctx: ActionContext, plan: EvidencePlan) -> IndicatorEvidence:
    """Store the bytes (once per hash) and the evidence row.

    Preconditions: `plan` came from `check_add_evidence` for this actor; one transaction."""
    store_blob(session, plan.file)
    row = IndicatorEvidence(
        region_code=ctx.actor.region_code,
        scheme=plan.scheme.id,
        item=plan.item.code,
        year=plan.year,
        filename=plan.file.filename,
        content_type=plan.file.content_type,
        size=plan.file.size,
        sha256=plan.file.sha256,
        note=plan.note,
        uploaded_by=ctx.actor.user_id,
        uploaded_at=ctx.now,
    )
    session.add(row)
    session.flush()
    return row


def check_withdraw_evidence(
    session: Session, ctx: ActionContext, evidence_id: int, reason: str
) -> IndicatorEvidence:
    if not ctx.actor.has_role(*EVIDENCE_ROLES):
        raise DomainError("forbidden_role", "只有依法治区办和系统管理员可以撤回佐证材料", 403)
    row = session.get(IndicatorEvidence, evidence_id)
    if row is None or row.region_code != ctx.actor.region_code:
        raise DomainError("not_found", "佐证材料不存在", 404)
    if row.withdrawn_at is not None:
        raise DomainError("evidence_withdrawn", "该材料已撤回", 409)
    if not reason.strip():
        raise DomainError("reason_required", "请填写撤回理由", 422, "reason")
    return row


def do_withdraw_evidence(
    session: Session, ctx: ActionContext, row: IndicatorEvidence, reason: str
) -> None:
    """Preconditions: `row` came from `check_withdraw_evidence` in this transaction."""
    row.withdrawn_at = ctx.now
    row.withdrawn_by = ctx.actor.user_id
    row.withdraw_reason = reason.strip()[:200]
    session.flush()
