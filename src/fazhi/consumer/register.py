"""The abnormal-operation register as the consumer complaint's one door sees it (action
checks, `fazhi.actions.action_checks`): a business is listed once — a second complaint against
a business already listed is refused `list_abnormal` and names the complaint that listed it —
and a mediation ends because the business cannot be reached only once that business is listed
(by this complaint or an earlier one). These read other cases, so neither can be a guard.

The listings are found by their `list_abnormal` events (indexed by action), a handful a year,
and compared by credit code. Named under `hooks:` by consumer_complaint.yaml."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.action_checks import register_check
from fazhi.actions.context import ActionContext
from fazhi.domain.errors import DomainError
from fazhi.domain.numbers import case_number
from fazhi.domain.workflow import Plan
from fazhi.store.models import Case, Event

COMPLAINT = "consumer_complaint"


def listed_by(session: Session, region_code: str, credit_code: str) -> Case | None:
    """The complaint that listed the business with `credit_code` in the register, if any."""
    if not credit_code:
        return None
    rows = session.scalars(
        select(Case)
        .join(Event, (Event.region_code == Case.region_code) & (Event.case_id == Case.id))
        .where(Event.action == "list_abnormal", Case.type == COMPLAINT)
        .where(Case.region_code == region_code)
        .order_by(Event.at, Event.id)
    )
    for case in rows:
        if case.fields.get("business_credit_code") == credit_code and case.fields.get(
            "abnormal_listed"
        ):
            return case
    return None


def _prefix(ctx: ActionContext) -> str | None:
    case_type = ctx.platform.types.get(COMPLAINT)
    return case_type.number_prefix if case_type else None


@register_check(COMPLAINT, "list_abnormal")
def check_listed_once(session: Session, ctx: ActionContext, case: Case, plan: Plan) -> None:
    code = str(plan.fields.get("business_credit_code") or "")
    earlier = listed_by(session, case.region_code, code)
    if earlier is not None and earlier.id != case.id:
        number = case_number(_prefix(ctx), earlier.created_at, earlier.id)
        raise DomainError(
            "already_listed",
            f"该经营者已因投诉 {number} 列入经营异常名录，无需重复列入",
            409,
            "business_credit_code",
        )


@register_check(COMPLAINT, "terminate")
def check_unreachable_is_listed(
    session: Session, ctx: ActionContext, case: Case, plan: Plan
) -> None:
    if plan.inputs.get("termination_ground") != "unreachable" or plan.fields.get("abnormal_listed"):
        return
    code = str(plan.fields.get("business_credit_code") or "")
    if listed_by(session, case.region_code, code) is None:
        raise DomainError(
            "not_listed",
            "被投诉人无法联系的，请先列入经营异常名录",
            422,
            "termination_ground",
        )
