"""What the dispute types' files cannot say in data (named under `hooks:` by
reconsideration.yaml and litigation.yaml):

- `deem_accepted_on_silence` (a scheduled rule): 《行政复议法》第三十条 — an application not
  refused within the 5-working-day acceptance review is accepted by law. The scheduler runs
  the rule over the open reconsiderations; once the review clock has run out while the case
  still waits for acceptance, the rule asks for the system action `deem_accepted`, dated the
  review's last day (the day the law deems it accepted), not the day the scheduler noticed.
- `add_hearing` (a compute hook): one hearing of a lawsuit appended as a numbered record, with
  whether the court's notice for the head of agency to appear came at least 3 days before
  the hearing (法释〔2020〕3号第四条). A late notice is recorded, not refused: the agency
  cannot undo the court's lateness, and it is what justifies an absence.

Pure: they read only their context (no clock, no database)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError
from fazhi.domain.hooks import (
    ComputeContext,
    RuleContext,
    ScheduledAction,
    register_compute,
    register_rule,
)

AWAITING_ACCEPTANCE = "applied"
ACCEPTANCE_CLOCK = "acceptance"
DEEM_ACCEPTED = "deem_accepted"
# 法释〔2020〕3号第四条: the notice to appear is served at least three days before the hearing.
NOTICE_DAYS = 3
NOTIFIED = ("appeared", "absent")


@register_rule("deem_accepted_on_silence")
def deem_accepted_on_silence(ctx: RuleContext) -> list[ScheduledAction]:
    """`deem_accepted` for a reconsideration whose acceptance review ran out unanswered."""
    if ctx.case.state != AWAITING_ACCEPTANCE:
        return []
    clock = ctx.case.running_clock(ACCEPTANCE_CLOCK)
    if clock is None or clock.suspended_at is not None or ctx.now <= clock.due_at:
        return []
    return [ScheduledAction(DEEM_ACCEPTED, {"accepted_on": local_date(clock.due_at).isoformat()})]


def _day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@register_compute("add_hearing", returns="list")
def add_hearing(ctx: ComputeContext) -> list[dict[str, Any]]:
    """The hearings with the input's hearing appended under the next number."""
    hearings = [dict(h) for h in ctx.fields.get("hearings") or []]
    hearing_on = _day(ctx.inputs.get("hearing_on"))
    appearance = ctx.inputs.get("head_appearance")
    notified = appearance in NOTIFIED
    sent_on = _day(ctx.inputs.get("notice_sent_on")) if notified else None
    if hearing_on is not None and sent_on is not None and sent_on > hearing_on:
        raise DomainError(
            "notice_after_hearing", "出庭通知书送达日期不能晚于开庭日期", 422, "notice_sent_on"
        )
    record: dict[str, Any] = {
        "number": max((int(h.get("number") or 0) for h in hearings), default=0) + 1,
        "hearing_on": hearing_on.isoformat() if hearing_on else None,
        "head_appearance": appearance,
        "notice_sent_on": sent_on.isoformat() if sent_on else None,
        "notice_timely": (
            (hearing_on - sent_on).days >= NOTICE_DAYS if hearing_on and sent_on else None
        ),
        "head_name": str(ctx.inputs.get("head_name") or "").strip() if notified else "",
        "absence_reason": str(ctx.inputs.get("absence_reason") or "").strip()
        if appearance == "absent"
        else "",
    }
    return [*hearings, record]
