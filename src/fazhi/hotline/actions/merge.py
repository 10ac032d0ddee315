"""并单: link duplicate hotline orders to one lead order and close them.

Each duplicate takes the type file's `merge` action through the one door
(`perform_action`): it closes at once with `merged_into` = the lead's id, one event each.
The lead gets a `merge_received` event (no state change) listing what was merged into it,
so both trails tell the story. All of it happens in one savepoint of the caller's
transaction: a refusal on any duplicate leaves nothing written.

"Closed together": the duplicates close when they are merged, pointing to the lead, rather
than waiting for the lead to close. The caller is answered through the lead (its reply and
revisit), the duplicates leave the work lists at once, and no later change of the lead has
to reach into other orders. The lead must therefore still be open when it receives them.

The plain action path (`POST /cases/{id}/actions/merge`) checks only that `lead_case` is a
whole number; the console and `POST /api/v1/cases/{lead}/merge` go through
`check_merge_cases`, which checks the lead itself, then `do_merge_cases`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from fazhi.actions.cases import (
    ActionContext,
    case_type_or_error,
    do_record_access_event,
    load_visible_case,
    perform_action,
)
from fazhi.domain.errors import DomainError
from fazhi.store.models import Case

HOTLINE = "hotline"
MERGE_ACTION = "merge"
MAX_DUPLICATES = 50


@dataclass(frozen=True)
class Merged:
    lead: Case
    duplicates: list[Case]


def check_merge_cases(
    session: Session,
    ctx: ActionContext,
    lead_id: int,
    duplicate_ids: list[int],
    reason: str,
) -> Merged:
    """Merge `duplicate_ids` into `lead_id`: the actor may merge; the lead is a visible,
    open hotline order not merged itself; a reason; 1 to MAX_DUPLICATES whole numbers, not
    the lead; each duplicate a visible, open hotline order. Then `do_merge_cases`."""
    case_type = case_type_or_error(ctx.platform, HOTLINE)
    action = case_type.action(MERGE_ACTION)
    if action is None:
        raise DomainError("unknown_action", "12345热线工单类型没有并单动作", 404)
    # Visibility first: a case the actor may not see answers 404 whatever its roles.
    try:
        lead = load_visible_case(session, ctx.actor, lead_id)
    except DomainError:
        raise DomainError("not_found", "主工单不存在或无权查看", 404, "lead_case") from None
    if not ctx.actor.has_role(*action.roles):
        raise DomainError("forbidden_role", "当前角色无权并单", 403)
    if lead.type != HOTLINE:
        raise DomainError("not_hotline", "只能并入12345热线工单", 422, "lead_case")
    if (lead.fields or {}).get("merged_into"):
        raise DomainError(
            "lead_merged", "主工单本身已并入其他工单，请并入其主工单", 409, "lead_case"
        )
    if lead.terminal:
        raise DomainError("lead_closed", "主工单已办结，不能再并入工单", 409, "lead_case")
    if not (reason or "").strip():
        raise DomainError("required", "请填写并单理由", 422, "reason")
    wanted: list[int] = []
    for value in duplicate_ids:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DomainError("invalid_input", "工单编号应为整数", 422, "duplicates")
        if value not in wanted:
            wanted.append(value)
    if not wanted:
        raise DomainError("required", "请选择要并入的重复工单", 422, "duplicates")
    if len(wanted) > MAX_DUPLICATES:
        raise DomainError("too_many", f"一次最多并入{MAX_DUPLICATES}件工单", 422, "duplicates")
    if lead.id in wanted:
        raise DomainError("merge_self", "不能把工单并入其自身", 422, "duplicates")
    for duplicate_id in wanted:
        try:
            duplicate = load_visible_case(session, ctx.actor, duplicate_id)
        except DomainError:
            raise DomainError(
                "not_found", f"工单 {duplicate_id} 不存在或无权查看", 404, "duplicates"
            ) from None
        if duplicate.type != HOTLINE:
            raise DomainError(
                "not_hotline", f"工单 {duplicate_id} 不是12345热线工单", 422, "duplicates"
            )
        if duplicate.terminal:
            raise DomainError(
                "already_closed", f"工单 {duplicate_id} 已办结，不能并单", 409, "duplicates"
            )
    return do_merge_cases(session, ctx, lead, wanted, reason)


def do_merge_cases(
    session: Session, ctx: ActionContext, lead: Case, duplicate_ids: list[int], reason: str
) -> Merged:
    """Close each duplicate by the type's `merge` action (through the one door, one event
    each) and record `merge_received` on the lead, all in one savepoint: a refusal of any
    duplicate's action leaves nothing written.

    Preconditions: `lead` was loaded visible to ctx.actor and is an open hotline order not
    merged itself; the duplicates are distinct visible open hotline orders other than the
    lead, and `reason` is not blank (as `check_merge_cases` checks)."""
    merged: list[Case] = []
    with session.begin_nested():
        for duplicate_id in duplicate_ids:
            merged.append(
                perform_action(
                    session,
                    ctx,
                    duplicate_id,
                    MERGE_ACTION,
                    {"lead_case": lead.id, "reason": reason},
                )
            )
        do_record_access_event(
            session,
            ctx,
            lead,
            "merge_received",
            {"duplicates": [c.id for c in merged], "reason": reason.strip()},
        )
    return Merged(lead, merged)
