"""What the community-correction file cannot say itself (`fazhi.domain.hooks`), pure: the
statutory report-in date, the electronic-location period, the permitted areas (validated
and normalised), and the scheduled rule that finds late and out-of-area check-ins.

The daily obligation holds every calendar day, holidays included: supervision does not
stop for 国庆: the repeating clock's windows are calendar days (1cd), never working days; only
the report-in deadline rolls a last day off work forward (calendar days, deadlines.md).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from fazhi.correction.geofence import AreaError, area_text, parse_area
from fazhi.domain.durations import LOCAL_TZ, Duration, due_at, local_date, start_of_local_day
from fazhi.domain.errors import DomainError
from fazhi.domain.hooks import (
    ComputeContext,
    RuleContext,
    ScheduledAction,
    register_compute,
    register_rule,
)

REPORT_IN = Duration.parse("10cd")  # 社区矫正法 art.21
LOCATION_MONTHS = 3  # art.29: at most three months per approval


def _date(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _instant(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def report_due(judgment_effective_on: date, calendar: Any) -> date:
    """The last day to report: 10 calendar days from the day after the judgment took effect,
    a last day off work moved to the next working day."""
    return local_date(due_at(start_of_local_day(judgment_effective_on), REPORT_IN, calendar))


@register_compute("correction_report_due_on", returns="date")
def correction_report_due_on(ctx: ComputeContext) -> str:
    effective = _date(ctx.fields.get("judgment_effective_on"))
    if effective is None:
        raise DomainError("invalid_value", "请填写判决生效日期", 422, "judgment_effective_on")
    return report_due(effective, ctx.calendar).isoformat()


@register_compute("correction_location_until", returns="date")
def correction_location_until(ctx: ComputeContext) -> str:
    """The requested end of electronic location, refused beyond three months from today."""
    until = _date(ctx.inputs.get("approved_until"))
    today = local_date(ctx.now)
    limit = ctx.calendar.add_months(today, LOCATION_MONTHS) if until else today
    if until is None or until < today:
        raise DomainError("invalid_value", "电子定位期限至不能早于今天", 422, "approved_until")
    if until > limit:
        raise DomainError(
            "location_too_long",
            f"每次批准电子定位不得超过三个月（最迟至{limit.isoformat()}）",
            422,
            "approved_until",
        )
    return until.isoformat()


def _normalised_area(text: Any, field: str) -> str:
    try:
        return area_text(parse_area(str(text or "")).vertices)
    except AreaError as exc:
        raise DomainError("invalid_area", str(exc), 422, field) from None


@register_compute("correction_area", returns="text")
def correction_area(ctx: ComputeContext) -> str:
    return _normalised_area(ctx.fields.get("area"), "area")


@register_compute("correction_requested_area", returns="text")
def correction_requested_area(ctx: ComputeContext) -> str | None:
    text = ctx.fields.get("requested_area")
    return _normalised_area(text, "requested_area") if text else None


def deadline_of(fields: dict[str, Any] | Any) -> time:
    """The subject's daily check-in deadline (local time)."""
    hh, mm = str(fields.get("check_in_by") or "10:00").split(":")
    return time(int(hh), int(mm))


def is_late(fields: dict[str, Any] | Any, moment: datetime) -> bool:
    """Whether a check-in at `moment` comes after the subject's deadline of its local day."""
    local = moment.astimezone(LOCAL_TZ)
    return local.time().replace(second=0, microsecond=0) > deadline_of(fields)


def check_in_anomaly(fields: dict[str, Any] | Any) -> str | None:
    """What is wrong with the subject's latest check-in, the worst first (none: nothing)."""
    result = fields.get("check_in_result")
    if result == "outside":
        return "out_of_area"
    if result == "poor_accuracy":
        return "unverified"
    if fields.get("check_in_late"):
        return "late"
    return None


@register_rule("correction_check_in_anomalies")
def correction_check_in_anomalies(ctx: RuleContext) -> list[ScheduledAction]:
    """Raise a latest check-in that was late or out of the area and has not been looked at
    yet (it becomes a correction_anomaly case, fazhi.correction.anomalies). Missed days are
    not the rule's: each is the daily clock's `miss_check_in`, taken once per missed window
    whoever closed it (the scheduler's tick, or a late check-in catching up), with its day."""
    if ctx.case.state != "supervising":
        return []
    fields = ctx.case.fields
    last = _instant(fields.get("last_check_in_at"))
    seen = _instant(fields.get("flagged_check_in_at"))
    kind = check_in_anomaly(fields)
    if last is not None and kind and (seen is None or last > seen):
        return [ScheduledAction("flag_check_in", {"anomaly_kind": kind})]
    return []
