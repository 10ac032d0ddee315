"""Notification texts: template placeholders, rendering from case data, recipients' masking.

Pure: no I/O, no clock. The actions decide when a message is due and write it to the outbox;
this module only says what it reads like.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.numbers import case_number
from fazhi.domain.privacy import mask_phone

if TYPE_CHECKING:
    from fazhi.domain.case_type import CaseType

NOTIFY_CHANNELS = frozenset({"sms", "email", "internal"})
# Recipients of internal messages that are not a field of the case: the lead unit, and the
# desks of the region's roles (every holder of the role reads the message in its inbox).
GROUP_ROLES = {"supervisors": "supervisor", "dispatchers": "dispatcher", "operators": "operator"}
NOTIFY_GROUP_RECIPIENTS = frozenset({"lead_unit", *GROUP_ROLES})
# Placeholders every template may use besides the type's (non-personal) field names.
# {unit} is the lead unit's name as the action leaves the case.
TEMPLATE_KEYS = frozenset({"number", "title", "state", "due_at", "action", "clock", "unit"})
# A substituted value longer than this is cut (an SMS is short; a reply may be 4,000 chars).
MAX_VALUE_CHARS = 200

REMINDER_TEMPLATES = {
    "due_soon": "【临期提醒】工单{number}（{title}）的{clock}将于{due_at}到期，请抓紧办理。",
    "overdue": "【超期提醒】工单{number}（{title}）的{clock}已于{due_at}到期，"
    "请尽快办理并说明原因。",
}
REMINDER_SUBJECTS = {"due_soon": "工单临期提醒 {number}", "overdue": "工单超期提醒 {number}"}

_FORMATTER = string.Formatter()


def template_placeholders(template: str) -> list[str]:
    """The names a template uses; ValueError for a malformed one, or for attribute, index,
    conversion or format parts (only plain names are allowed)."""
    names: list[str] = []
    for _, name, spec, conversion in _FORMATTER.parse(template):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"占位符 {{{name}}} 只能是名称")
        names.append(name)
    return names


def local_minutes(moment: datetime | None) -> str:
    return f"{moment.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}" if moment else ""


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text[:MAX_VALUE_CHARS] + "…" if len(text) > MAX_VALUE_CHARS else text


def template_values(
    case_type: CaseType,
    *,
    case_id: int,
    created_at: datetime,
    title: str,
    state: str,
    fields: Mapping[str, Any],
    due_at: datetime | None = None,
    action: str = "",
    clock: str = "",
    inputs: Mapping[str, Any] | None = None,
    unit: str = "",
) -> dict[str, str]:
    """What a template's placeholders stand for: enum codes as their labels, times local;
    the action's `inputs` stand for the names that are not fields of the type."""
    values: dict[str, str] = {}
    for spec in case_type.fields:
        if spec.personal in ("phone", "id_number"):
            continue
        value = fields.get(spec.name)
        if value is None:
            values[spec.name] = ""
        elif spec.choices:
            values[spec.name] = _short(spec.choice_label(value))
        else:
            values[spec.name] = _short(value)
    action_spec = case_type.action(action) if action else None
    for name, value in (inputs or {}).items():
        given = action_spec.input(name) if action_spec else None
        if name in values or given is None or given.type in ("phone", "id_number"):
            continue
        if given.personal in ("phone", "id_number"):
            continue
        text = "" if value is None else (given.choice_label(value) if given.choices else value)
        values[name] = _short(text)
    values.update(
        number=case_number(case_type.number_prefix, created_at, case_id),
        title=_short(title),
        state=case_type.state_label(state),
        due_at=local_minutes(due_at),
        action=action_spec.label if action_spec else action,
        clock=clock,
        unit=unit,
    )
    return values


def render(template: str, values: Mapping[str, str]) -> str:
    """The template with its placeholders filled; an unknown name reads as empty."""
    out: list[str] = []
    for literal, name, _, _ in _FORMATTER.parse(template):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out)


def mask_recipient(channel: str, recipient: str) -> str:
    """A recipient as logs and pages may show it: phones and mail addresses masked."""
    if channel == "sms":
        return mask_phone(recipient)
    if channel == "email" and "@" in recipient:
        local, _, domain = recipient.partition("@")
        return f"{local[:1]}***@{domain}"
    return recipient


def backoff_seconds(attempts: int, base: int = 60, cap: int = 3600) -> int:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4 … minutes, at most an hour."""
    return int(min(base * 2 ** max(attempts - 1, 0), cap))
