"""A penalty case read off the platform's record into the exchange format (`case_file.py`),
for export and for reviewing the platform's own files. Only a case the reader may see."""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.context import ActionContext
from fazhi.actions.document_files import case_documents, document_file
from fazhi.actions.visibility import load_visible_case, record_read
from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError
from fazhi.enforcement.case_file import Filed, Happened, manifest_of
from fazhi.enforcement.penalty_items import manifest_benchmark
from fazhi.read.presenters import case_number
from fazhi.store.models import Case, Document, Event

TYPE = "penalty_case"


def case_file_of(session: Session, ctx: ActionContext, case_id: int) -> dict[str, Any]:
    """The case's manifest (`fazhi-case-file/1`); 404 for a case the reader may not see,
    422 for a case of another type."""
    case = load_visible_case(session, ctx.actor, case_id)
    if case.type != TYPE:
        raise DomainError("not_a_penalty_case", "只有行政处罚案件有执法案卷", 422)
    return _manifest(session, ctx, case)


def _file_name(document: Document) -> str:
    return f"{document.kind}-{document.id}{PurePath(document.filename or '').suffix[:10]}"


def case_record_of(
    session: Session, ctx: ActionContext, case_id: int
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The case's manifest naming each stored file, and those files by name (full record)."""
    case = load_visible_case(session, ctx.actor, case_id)
    if case.type != TYPE:
        raise DomainError("not_a_penalty_case", "只有行政处罚案件有执法案卷", 422)
    record_read(session, ctx, case, "case_record")  # a restricted type's export is a read
    files: dict[str, bytes] = {}
    for d in case_documents(session, case):
        if d.sha256 is not None:
            files[_file_name(d)] = document_file(session, d)
    return _manifest(session, ctx, case, with_files=True), files


def _manifest(
    session: Session, ctx: ActionContext, case: Case, with_files: bool = False
) -> dict[str, Any]:
    case_type = ctx.platform.types.get(case.type)
    events = [
        Happened(e.action, local_date(e.at), dict((e.payload or {}).get("inputs") or {}))
        for e in session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.seq))
    ]
    documents = [
        Filed(
            d.kind,
            dict(d.data or {}),
            local_date(d.uploaded_at),
            _file_name(d) if with_files and d.sha256 is not None else "",
        )
        for d in case_documents(session, case)
    ]
    unit = ctx.directory.by_id.get(case.lead_unit_id) if case.lead_unit_id else None
    agency = {"name": unit.name if unit else "", "code": ""}
    fields = case.fields or {}
    benchmark = manifest_benchmark(session, case.region_code, fields)
    return manifest_of(case_number(case_type, case), agency, fields, events, documents, benchmark)


def closed_case_ids(
    session: Session,
    region_code: str,
    closed_from: datetime | None = None,
    closed_before: datetime | None = None,
) -> list[int]:
    """The closed penalty cases, those closed in [closed_from, closed_before) when given."""
    query = select(Case.id).where(
        Case.region_code == region_code, Case.type == TYPE, Case.state == "closed"
    )
    if closed_from is not None:
        query = query.where(Case.closed_at >= closed_from)
    if closed_before is not None:
        query = query.where(Case.closed_at < closed_before)
    return list(session.scalars(query.order_by(Case.id)))
