"""Retention: cases closed longer ago than the retention period lose their personal data.

`fazhi retention run` (and the daily scheduler) anonymise every case closed more than
`Settings.retention_years` years ago (FAZHI_RETENTION_YEARS, default 10): each personal value
— in the case's fields, in its events' payloads, in its documents' data — becomes
`anonymised:hmac:<hex>` (`fazhi.domain.seal`), which keeps the keyed digest the trail seals,
so every chain still verifies afterwards. Events sealed the plain way before the keyed seal
are verified first and then vouched for by a keyed witness (seal 2). The hotline's contact
key (an unkeyed digest of the phone) is cleared and the case's SMS recipients and texts are
blanked. One event (`anonymised`) records it, without any value.

Document files (scans) are not touched: see the security notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from fazhi.actions.cases import case_type_or_error
from fazhi.actions.context import ActionContext
from fazhi.actions.platform import Platform
from fazhi.actions.trail import append_event, personal_paths
from fazhi.domain.errors import DomainError
from fazhi.domain.seal import (
    SEAL_PLAIN,
    SEAL_WITNESSED,
    SealPath,
    anonymise,
    field_paths,
    sealed_content,
    witness,
)
from fazhi.domain.trail import first_break
from fazhi.domain.units import Actor
from fazhi.store.audit import chained, stored_content
from fazhi.store.db import transaction
from fazhi.store.models import Case, Document, Event, OutboxMessage

ANONYMISE_ACTION = "anonymised"
ANONYMISED_TEXT = "[已匿名]"


def retention_cutoff(now: datetime, years: int) -> datetime:
    """The moment `years` years before `now` (29 February falls back to the 28th)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def due_case_ids(session: Session, region: str, cutoff: datetime) -> list[int]:
    """Closed cases of the region closed before `cutoff` and not yet anonymised."""
    done = exists().where(Event.case_id == Case.id, Event.action == ANONYMISE_ACTION)
    return list(
        session.scalars(
            select(Case.id)
            .where(
                Case.region_code == region,
                Case.terminal.is_(True),
                Case.closed_at.is_not(None),
                Case.closed_at < cutoff,
                ~done,
            )
            .order_by(Case.id)
        )
    )


@dataclass(frozen=True)
class EventChange:
    id: int
    payload: dict[str, Any]
    seal: int
    sealed: list[list[Any]]
    witness: str | None


@dataclass(frozen=True)
class Anonymisation:
    """What `do_anonymise_case` writes, worked out (and the chain verified) by the check."""

    fields: dict[str, Any]
    values: int
    events: tuple[EventChange, ...]
    documents: tuple[tuple[int, dict[str, Any]], ...]


def _event_change(ctx: ActionContext, case: Case, event: Event) -> EventChange | None:
    key = ctx.platform.secret
    case_type = ctx.platform.types.get(case.type)
    if event.seal == SEAL_PLAIN:
        paths = personal_paths(case_type, event.action, event.payload)
    else:
        paths = [tuple(p) for p in event.sealed or []]
    if not paths:
        return None
    payload = anonymise(event.payload, paths, key)
    if payload == event.payload:
        return None
    sealed = [list(p) for p in paths]
    if event.seal != SEAL_PLAIN:  # keyed or already witnessed: the digests stay the same
        return EventChange(event.id, payload, event.seal, sealed, event.witness)
    content = stored_content(event, payload)
    vouched = witness(key, event.hash, sealed_content(content, paths, key))
    return EventChange(event.id, payload, SEAL_WITNESSED, sealed, vouched)


def check_anonymise_case(session: Session, ctx: ActionContext, case: Case) -> Anonymisation:
    """Work out the anonymisation of a closed case; refuse an open case or a broken chain
    (a witness must only vouch for events that verified)."""
    if not case.terminal:
        raise DomainError("case_open", "案件尚未办结，不能匿名化", 409)
    case_type = case_type_or_error(ctx.platform, case.type)
    key = ctx.platform.secret
    events = list(
        session.scalars(select(Event).where(Event.case_id == case.id).order_by(Event.seq))
    )
    broken = first_break([chained(e, key) for e in events], key)
    if broken is not None:
        raise DomainError(
            "chain_broken", f"案件记录链在第 {broken.seq} 条断裂，不能匿名化：{broken.reason}", 409
        )
    paths: list[SealPath] = list(field_paths(case.fields, case_type.fields))
    changes = tuple(c for e in events if (c := _event_change(ctx, case, e)) is not None)
    documents = []
    for document in session.scalars(select(Document).where(Document.case_id == case.id)):
        kind = case_type.document(document.kind)
        data = document.data or {}
        found = list(field_paths(data, kind.fields)) if kind else []
        if found:
            documents.append((document.id, anonymise(data, found, key)))
    return Anonymisation(anonymise(case.fields, paths, key), len(paths), changes, tuple(documents))


def do_anonymise_case(
    session: Session, ctx: ActionContext, case: Case, plan: Anonymisation, years: int
) -> int:
    """Write the anonymisation and its one event; return the event's seq.

    Preconditions: `plan` came from `check_anonymise_case` for this case in this transaction,
    at `case.version` (a change since is a 409)."""
    conn = session.connection()
    result = conn.execute(
        update(Case)
        .where(
            Case.region_code == case.region_code,
            Case.id == case.id,
            Case.version == case.version,
        )
        .values(
            fields=plan.fields,
            contact_key=None,
            version=case.version + 1,
            updated_at=ctx.now,
        )
    )
    if result.rowcount != 1:
        raise DomainError("version_conflict", "案件已被他人同时更新，请稍后重试", 409)
    for change in plan.events:
        conn.execute(
            update(Event)
            .where(Event.region_code == case.region_code, Event.id == change.id)
            .values(
                payload=change.payload,
                seal=change.seal,
                sealed=change.sealed,
                witness=change.witness,
            )
        )
    for document_id, data in plan.documents:
        conn.execute(update(Document).where(Document.id == document_id).values(data=data))
    conn.execute(
        update(OutboxMessage)
        .where(OutboxMessage.case_id == case.id, OutboxMessage.channel != "internal")
        .values(recipient=ANONYMISED_TEXT, body=ANONYMISED_TEXT)
    )
    payload = {
        "retention_years": years,
        "fields": plan.values,
        "events": len(plan.events),
        "documents": len(plan.documents),
    }
    seq = append_event(
        session,
        case.id,
        ANONYMISE_ACTION,
        ctx,
        case.state,
        case.state,
        payload,
        case_type=ctx.platform.types.get(case.type),
    )
    if case in session:
        session.expunge(case)
    case.version += 1
    return seq


@dataclass
class RetentionReport:
    """The cases due (closed before `cutoff`), how many were anonymised, and refusals."""

    cutoff: datetime
    due: list[int]
    anonymised: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)


def run_retention(
    platform: Platform,
    actor: Actor,
    now: datetime,
    years: int | None = None,
    dry_run: bool = False,
) -> RetentionReport:
    """Anonymise every due case of the actor's region, each in its own transaction (one
    refusal, a broken chain, does not undo the rest); `dry_run` only lists them."""
    years = platform.settings.retention_years if years is None else years
    cutoff = retention_cutoff(now, years)
    with platform.sessions() as session:
        report = RetentionReport(cutoff, due_case_ids(session, actor.region_code, cutoff))
    if dry_run:
        return report
    for case_id in report.due:
        try:
            with transaction(platform.sessions) as session:
                case = session.get(Case, case_id)
                if case is None:
                    continue
                ctx = ActionContext(platform, actor, now)
                do_anonymise_case(
                    session, ctx, case, check_anonymise_case(session, ctx, case), years
                )
            report.anonymised += 1
        except DomainError as exc:
            report.refused.append((case_id, exc.message))
    return report
