"""Writing and checking the daily anchor of every chain head (`fazhi.domain.anchors`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, aliased

from fazhi.domain.anchors import (
    AnchoredNow,
    AnchorProblem,
    Head,
    anchor_problems,
    anchor_signature,
    heads_digest,
)
from fazhi.domain.durations import LOCAL_TZ
from fazhi.store.models import AnchorHead, Case, ChainAnchor, Event

# Heads are kept for this many latest anchors (verification reads the latest); older anchors
# keep their digest and signature only, so the table does not grow by every case every day.
KEEP_HEADS = 7


def current_heads(session: Session, region: str) -> list[Head]:
    last = (
        select(Event.case_id, func.max(Event.seq).label("seq"))
        .join(Case, (Case.region_code == Event.region_code) & (Case.id == Event.case_id))
        .where(Case.region_code == region)
        .group_by(Event.case_id)
        .subquery()
    )
    rows = session.execute(
        select(last.c.case_id, last.c.seq, Event.hash)
        .join(Event, (Event.case_id == last.c.case_id) & (Event.seq == last.c.seq))
        .order_by(last.c.case_id)
    )
    return [(int(c), int(s), str(h)) for c, s, h in rows]


def latest_anchor(session: Session, region: str) -> ChainAnchor | None:
    return session.scalar(
        select(ChainAnchor)
        .where(ChainAnchor.region_code == region)
        .order_by(ChainAnchor.made_at.desc(), ChainAnchor.id.desc())
        .limit(1)
    )


def anchor_due(session: Session, region: str, now: datetime) -> bool:
    """Once a (local) day."""
    latest = latest_anchor(session, region)
    if latest is None:
        return True
    return latest.made_at.astimezone(LOCAL_TZ).date() < now.astimezone(LOCAL_TZ).date()


def write_anchor(session: Session, key: bytes, region: str, now: datetime) -> ChainAnchor:
    """Anchor every head of the region now; the caller commits. Heads of anchors older than
    the latest KEEP_HEADS are dropped."""
    # Signed as it reads back: UTC, whole seconds, whatever the database keeps.
    now = now.astimezone(UTC).replace(microsecond=0)
    heads = current_heads(session, region)
    digest = heads_digest(heads)
    events = sum(seq for _, seq, _ in heads)
    anchor = ChainAnchor(
        region_code=region,
        made_at=now,
        cases=len(heads),
        events=events,
        digest=digest,
        signature=anchor_signature(key, region, now, len(heads), events, digest),
    )
    session.add(anchor)
    session.flush()
    if heads:
        session.execute(
            insert(AnchorHead),
            [{"anchor_id": anchor.id, "case_id": c, "seq": s, "hash": h} for c, s, h in heads],
        )
    kept = select(ChainAnchor.id).order_by(ChainAnchor.id.desc()).limit(KEEP_HEADS)
    session.execute(delete(AnchorHead).where(AnchorHead.anchor_id.not_in(kept.scalar_subquery())))
    return anchor


@dataclass
class AnchorReport:
    anchor: ChainAnchor | None
    problems: list[AnchorProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_latest_anchor(session: Session, key: bytes, region: str) -> AnchorReport:
    """Every case the latest anchor saw must still be there with its anchored event."""
    anchor = latest_anchor(session, region)
    if anchor is None:
        return AnchorReport(None)
    at_seq = aliased(Event)
    last_seq = (
        select(func.max(Event.seq)).where(Event.case_id == AnchorHead.case_id).scalar_subquery()
    )
    rows = session.execute(
        select(
            AnchorHead.case_id,
            AnchorHead.seq,
            AnchorHead.hash,
            Case.id,
            last_seq,
            at_seq.hash,
        )
        .select_from(AnchorHead)
        .outerjoin(Case, Case.id == AnchorHead.case_id)
        .outerjoin(at_seq, (at_seq.case_id == AnchorHead.case_id) & (at_seq.seq == AnchorHead.seq))
        .where(AnchorHead.anchor_id == anchor.id)
        .order_by(AnchorHead.case_id)
    )
    anchored = [
        AnchoredNow(int(c), int(s), str(h), case is not None, last, now)
        for c, s, h, case, last, now in rows
    ]
    problems = anchor_problems(
        key,
        anchor.region_code,
        anchor.made_at,
        anchor.cases,
        anchor.events,
        anchor.digest,
        anchor.signature,
        anchored,
    )
    return AnchorReport(anchor, problems)
