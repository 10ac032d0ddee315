"""What the labour types' files cannot say themselves (compute hooks, `fazhi.domain.hooks`):
the amount a settlement or an award grants, read from its paper, and the due date of a
rectification notice, computed from the chosen period by the working calendar and checked
against the date the notice states, so the follow-up clock and the paper agree.

Pure: they read only the fields as the action leaves them, its inputs, its instant, the
calendar and the case's documents. Named under `hooks:` by labour_arbitration.yaml and
wage_arrears.yaml.
"""

from __future__ import annotations

from typing import Any

from fazhi.domain.durations import Duration, due_at, local_date
from fazhi.domain.errors import DomainError
from fazhi.domain.hooks import ComputeContext, register_compute
from fazhi.domain.records import DocumentRecord

# The periods a rectification notice may set (wage_arrears.yaml's `rectify_period`), the
# same limits the type's follow-up clock takes by that field.
RECTIFY_PERIODS = {"d7": "7cd", "d15": "15cd", "d30": "30cd"}


def _newest(ctx: ComputeContext, kind: str) -> DocumentRecord | None:
    papers = [d for d in ctx.documents if d.kind == kind and d.active]
    return papers[-1] if papers else None


def _amount(ctx: ComputeContext, kind: str) -> Any:
    paper = _newest(ctx, kind)
    return paper.data.get("amount") if paper else None


@register_compute("mediation_amount", returns="money")
def mediation_amount(ctx: ComputeContext) -> Any:
    """The amount the arbitral mediation statement on file grants (none when it states none)."""
    return _amount(ctx, "mediation_statement")


@register_compute("award_amount", returns="money")
def award_amount(ctx: ComputeContext) -> Any:
    """The amount the award on file grants (none when it states none)."""
    return _amount(ctx, "award")


@register_compute("rectification_due_on", returns="date")
def rectification_due_on(ctx: ComputeContext) -> str:
    """The last day of the chosen rectification period, counted from the action's day like the
    follow-up clock (a last day off work moves to the next working day); refused when the
    notice on file states another due date."""
    period = str(ctx.inputs.get("rectify_period") or "")
    if period not in RECTIFY_PERIODS:
        raise DomainError("invalid_value", "请选择整改期限", 422, "rectify_period")
    due = local_date(due_at(ctx.now, Duration.parse(RECTIFY_PERIODS[period]), ctx.calendar))
    notice = _newest(ctx, "rectification_notice")
    stated = str((notice.data.get("due_on") if notice else "") or "")
    if stated and stated != due.isoformat():
        raise DomainError(
            "due_date_mismatch",
            f"限期整改指令书载明的整改期限（{stated}）与所选期限的届满日（{due.isoformat()}）不一致",
            422,
            "rectify_period",
        )
    return due.isoformat()
