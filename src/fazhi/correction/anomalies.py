"""Anomalies become cases: when a day's window of the daily check-in runs out unmet
(`miss_check_in`, the clock's expire action with the day missed) or the scheduled rule flags
a bad check-in (`flag_check_in`) — both taken by the platform's account through the one door —
a `correction_anomaly` case is opened in the same transaction, linked to the subject's case,
led by the subject's judicial office, with its own clocks (contact, handle). A window is
closed as missed exactly once (by the scheduler's tick or by a late check-in's catch-up), so
each missed day has exactly one anomaly, however late the scheduler runs.

An after-action (`fazhi.actions.action_checks.register_after`) rather than a pure hook,
because it writes a second case; named under `hooks:` by community_correction.yaml, so every
process that runs the scheduler has it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from fazhi.actions.action_checks import register_after
from fazhi.actions.cases import create_case
from fazhi.actions.context import ActionContext
from fazhi.actions.system_account import system_actor_in
from fazhi.correction.hooks import check_in_anomaly, deadline_of
from fazhi.domain.durations import LOCAL_TZ

if TYPE_CHECKING:
    from fazhi.store.models import Case

TYPE = "community_correction"
ANOMALY_TYPE = "correction_anomaly"
_RESULTS = {"outside": "越出活动区域", "poor_accuracy": "定位精度不足，无法核实位置"}


def _check_in_detail(fields: dict[str, Any], kind: str) -> tuple[str, str]:
    at = datetime.fromisoformat(str(fields["last_check_in_at"])).astimezone(LOCAL_TZ)
    when = at.strftime("%Y-%m-%d %H:%M")
    if kind == "late":
        text = f"{when}打卡，迟于每日截止时间{deadline_of(fields).strftime('%H:%M')}"
    else:
        result = _RESULTS.get(str(fields.get("check_in_result")), "")
        area = fields.get("area_name") or "活动区域"
        text = f"{when}打卡，{result}（{area}，定位精度{fields.get('accuracy_m')}米）"
        if fields.get("check_in_late"):
            text += "，且迟到"
    return at.date().isoformat(), text


def do_raise_anomaly(
    session: Session, ctx: ActionContext, case: Case, kind: str, day: str, detail: str
) -> int:
    """Open the anomaly case for `case` as the platform's account; answers its id.

    Preconditions: `case` is a community_correction case just flagged in this transaction."""
    system = ActionContext(ctx.platform, system_actor_in(session, ctx.platform), ctx.now)
    fields = case.fields or {}
    anomaly = create_case(
        session,
        system,
        ANOMALY_TYPE,
        {
            "subject_case": case.id,
            "subject_name": fields.get("subject_name"),
            "office": case.lead_unit_id,
            "anomaly_kind": kind,
            "anomaly_day": day,
            "detail": detail,
        },
    )
    return anomaly.id


@register_after(TYPE, "miss_check_in")
def raise_missed(session: Session, ctx: ActionContext, case: Case) -> None:
    fields = case.fields or {}
    day = str(fields["last_missed_on"])
    detail = (
        f"{day}全天未打卡（每日截止时间{deadline_of(fields).strftime('%H:%M')}，节假日照常打卡）"
    )
    do_raise_anomaly(session, ctx, case, "missed", day, detail)


@register_after(TYPE, "flag_check_in")
def raise_check_in(session: Session, ctx: ActionContext, case: Case) -> None:
    fields = case.fields or {}
    kind = check_in_anomaly(fields)
    if kind is None:  # the rule flags only a bad check-in; nothing to open otherwise
        return
    day, detail = _check_in_detail(fields, kind)
    do_raise_anomaly(session, ctx, case, kind, day, detail)
