"""One action on many cases (批量签收, 批量派单 from the work list), each case through the one
door (`perform_action`), each in a savepoint of its own: a refused case rolls back only
itself — no case is half-written — and the others stand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from fazhi.actions.cases import perform_action
from fazhi.actions.context import ActionContext
from fazhi.actions.visibility import load_visible_case
from fazhi.domain.case_type import CaseType
from fazhi.domain.errors import DomainError

# A batch is what one person takes in at a glance on a work list (two pages of 30).
MAX_BATCH = 60


@dataclass(frozen=True)
class BatchItem:
    """A case of the batch, with the version the user saw (None: whatever it is now)."""

    case_id: int
    version: int | None = None


@dataclass(frozen=True)
class BatchOutcome:
    """What became of one case: done, or refused with the one door's code and message."""

    case_id: int
    ok: bool
    code: str = ""
    message: str = ""


def check_batch(items: Sequence[BatchItem]) -> list[BatchItem]:
    """The items without repeats, in the order given; refuses an empty or oversized batch."""
    seen: set[int] = set()
    unique = []
    for item in items:
        if item.case_id not in seen:
            seen.add(item.case_id)
            unique.append(item)
    if not unique:
        raise DomainError("batch_empty", "请先勾选要处理的案件", 422, "cases")
    if len(unique) > MAX_BATCH:
        raise DomainError(
            "batch_too_large", f"一次最多批量处理 {MAX_BATCH} 件，请分批操作", 422, "cases"
        )
    return unique


def do_batch_action(
    session: Session,
    ctx: ActionContext,
    case_type: CaseType,
    action: str,
    items: Sequence[BatchItem],
    inputs: Mapping[str, Any],
) -> list[BatchOutcome]:
    """Take `action` of `case_type` with the same `inputs` on every case, in order.

    Preconditions: the caller holds the platform's write lock (`platform.writing()`) and an
    open transaction; `items` passed `check_batch`. Each case is planned and written by
    `perform_action` (visibility, version, role, party, state, guards, inputs) inside a
    savepoint, so a refusal — or a failure while writing — undoes that case alone. A case of
    another type is refused here, before the one door, as the action would mean another
    thing (or nothing) there."""
    outcomes = []
    for item in items:
        try:
            with session.begin_nested():
                case = load_visible_case(session, ctx.actor, item.case_id)
                if case.type != case_type.name:
                    raise DomainError(
                        "batch_wrong_type", f"不是{case_type.label}，不能批量处理", 422
                    )
                perform_action(session, ctx, item.case_id, action, dict(inputs), item.version)
        except DomainError as exc:
            outcomes.append(BatchOutcome(item.case_id, False, exc.code, exc.message))
        else:
            outcomes.append(BatchOutcome(item.case_id, True))
    return outcomes
