"""The legal-aid case number, given when the centre decides to grant aid: (2023)湘援0204刑136号,
the sequence counting per year (of the decision, local time) and kind of matter.

The sequence needs every number given so far, which no pure hook can read, so it is an
after-action of `accept` and of `receive_notice` (a court's notice is granted as it is
received; `fazhi.actions.action_checks.register_after`): it takes the next
sequence in `legal_aid_numbers` (whose unique index refuses a number taken by an acceptance
alongside) and records the number on the case through the one door, as the type file's
system action `assign_number` by the platform's account, in the acceptance's transaction. A
case is therefore never seen accepted without its number. Named under `hooks:` by
legal_aid.yaml, so every process that can accept has the rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fazhi.actions.action_checks import register_after
from fazhi.actions.cases import perform_action
from fazhi.actions.context import ActionContext
from fazhi.actions.system_account import system_actor_in
from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError
from fazhi.legal_aid.numbers import format_aid_number
from fazhi.legal_aid.store import AidNumber

if TYPE_CHECKING:
    from fazhi.store.models import Case

TYPE = "legal_aid"
NUMBER_ACTION = "assign_number"


def next_sequence(session: Session, region_code: str, year: int, kind: str) -> int:
    last = session.scalar(
        select(func.max(AidNumber.sequence)).where(
            AidNumber.region_code == region_code, AidNumber.year == year, AidNumber.kind == kind
        )
    )
    return int(last or 0) + 1


def do_number_case(session: Session, ctx: ActionContext, case: Case) -> str:
    """Give `case` the next number of its year and kind, and record it on the case.

    Preconditions: `case` was accepted (or received by notice) in this transaction (state
    `accepted`, no number yet);
    the caller's transaction is open (the number and the event commit with the acceptance)."""
    kind = str((case.fields or {}).get("matter_kind") or "")
    year = local_date(ctx.now).year
    sequence = next_sequence(session, case.region_code, year, kind)
    try:
        number = format_aid_number(case.region_code, year, kind, sequence)
    except ValueError as exc:
        raise DomainError("no_aid_number", f"无法编号：{exc}", 422) from None
    row = AidNumber(
        region_code=case.region_code,
        year=year,
        kind=kind,
        sequence=sequence,
        number=number,
        case_id=case.id,
        created_at=ctx.now,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise DomainError(
            "aid_number_taken", "援助案件编号被同时办理的案件占用，请重试", 409
        ) from None
    system = ActionContext(ctx.platform, system_actor_in(session, ctx.platform), ctx.now)
    numbered = perform_action(session, system, case.id, NUMBER_ACTION, {"aid_number": number})
    # The acceptance answers the case as written (detached, `do_perform_action`): bring it up
    # to the numbered version, so the caller shows the number and holds the current version.
    for key in ("version", "fields", "due_at", "updated_at", "state", "terminal", "closed_at"):
        setattr(case, key, getattr(numbered, key))
    return number


@register_after(TYPE, "accept", "receive_notice")
def number_on_acceptance(session: Session, ctx: ActionContext, case: Case) -> None:
    do_number_case(session, ctx, case)
