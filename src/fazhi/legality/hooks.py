"""The numbered records of the legality types, which a type file's `append:` cannot keep:
each opinion of a legality review, each item of a major-decision catalogue and each finding
of a rule-of-law inspection carries its number (1, 2, 3 …), and a later action updates one record by
that number (an opinion adopted or not, a finding rectified). Withdrawing an opinion or an item
renumbers the rest, so the letter and the published catalogue count 1, 2, 3 without gaps.

Compute hooks (`fazhi.domain.hooks`): pure, reading only the fields as the action leaves them
and its inputs; a refusal is a `DomainError` naming the input at fault. Named under `hooks:`
by legality_review.yaml, major_decision_catalogue.yaml and rule_of_law_inspection.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fazhi.domain.durations import local_date
from fazhi.domain.errors import DomainError
from fazhi.domain.hooks import ComputeContext, register_compute

ADOPTED = "adopted"
NOT_ADOPTED = "not_adopted"
# A finding is open until verified as rectified (or waived with a reason by a leader).
OPEN_STATUSES = ("open", "reported")
CLOSED_STATUSES = ("verified", "waived")


def _records(fields: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    return [dict(r) for r in fields.get(name) or []]


def _next_number(records: list[dict[str, Any]]) -> int:
    return max((int(r.get("number") or 0) for r in records), default=0) + 1


def _renumbered(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "number": n} for n, r in enumerate(records, start=1)]


def _pick(records: list[dict[str, Any]], number: Any, label: str) -> dict[str, Any]:
    """The record numbered `number`, or a refusal naming the `number` input."""
    found = next((r for r in records if r.get("number") == number), None)
    if found is None:
        raise DomainError("unknown_number", f"没有第{number}条{label}", 422, "number")
    return found


def _local_today(ctx: ComputeContext) -> str:
    return local_date(ctx.now).isoformat()


def _text(inputs: Mapping[str, Any], name: str) -> str:
    return str(inputs.get(name) or "").strip()


# --- legality review: opinions given one by one, each adopted or not ---


@register_compute("add_opinion", returns="list")
def add_opinion(ctx: ComputeContext) -> list[dict[str, Any]]:
    """The opinions with the input's opinion appended under the next number."""
    opinions = _records(ctx.fields, "opinions")
    opinion = {
        "number": _next_number(opinions),
        "text": _text(ctx.inputs, "text"),
        "basis": _text(ctx.inputs, "basis"),
    }
    return [*opinions, opinion]


@register_compute("withdraw_opinion", returns="list")
def withdraw_opinion(ctx: ComputeContext) -> list[dict[str, Any]]:
    """The opinions without the one numbered `number`, the rest renumbered."""
    opinions = _records(ctx.fields, "opinions")
    gone = _pick(opinions, ctx.inputs.get("number"), "法律意见")
    return _renumbered([o for o in opinions if o is not gone])


@register_compute("record_adoption", returns="list")
def record_adoption(ctx: ComputeContext) -> list[dict[str, Any]]:
    """The opinions with the submitting unit's answer on opinion `number`: adopted, or not
    adopted with its reason (a later answer on the same opinion corrects the earlier)."""
    opinions = _records(ctx.fields, "opinions")
    opinion = _pick(opinions, ctx.inputs.get("number"), "法律意见")
    adopted = ctx.inputs.get("adopted")
    reason = _text(ctx.inputs, "reason")
    if adopted == NOT_ADOPTED and not reason:
        raise DomainError("reason_required", "未采纳的，请说明理由", 422, "reason")
    opinion["adopted"] = adopted
    opinion["reason"] = reason if adopted == NOT_ADOPTED else ""
    return opinions


@register_compute("opinion_count", returns="int")
def opinion_count(ctx: ComputeContext) -> int:
    return len(ctx.fields.get("opinions") or [])


@register_compute("adoptions_pending", returns="int")
def adoptions_pending(ctx: ComputeContext) -> int:
    """How many opinions still wait for the submitting unit's answer."""
    return sum(1 for o in ctx.fields.get("opinions") or [] if not o.get("adopted"))


@register_compute("adopted_count", returns="int")
def adopted_count(ctx: ComputeContext) -> int:
    return sum(1 for o in ctx.fields.get("opinions") or [] if o.get("adopted") == ADOPTED)


@register_compute("opinion_letter_number", returns="string")
def opinion_letter_number(ctx: ComputeContext) -> str:
    """The number of the opinion letter on file (the conclusion requires one)."""
    letters = [d for d in ctx.documents if d.kind == "opinion_letter" and d.active]
    return str(letters[-1].data.get("number") or "") if letters else ""


# --- the major-decision catalogue: its items ---


@register_compute("add_catalogue_item", returns="list")
def add_catalogue_item(ctx: ComputeContext) -> list[dict[str, Any]]:
    items = _records(ctx.fields, "items")
    title = _text(ctx.inputs, "item_title")
    if any(i.get("title") == title for i in items):
        raise DomainError("duplicate_item", f"目录中已有「{title}」", 422, "item_title")
    item = {
        "number": _next_number(items),
        "title": title,
        "undertaking_unit": _text(ctx.inputs, "undertaking_unit"),
        "planned": _text(ctx.inputs, "planned"),
    }
    return [*items, item]


@register_compute("remove_catalogue_item", returns="list")
def remove_catalogue_item(ctx: ComputeContext) -> list[dict[str, Any]]:
    items = _records(ctx.fields, "items")
    gone = _pick(items, ctx.inputs.get("number"), "目录事项")
    return _renumbered([i for i in items if i is not gone])


# --- rule-of-law inspection: findings and their rectification ---


@register_compute("add_finding", returns="list")
def add_finding(ctx: ComputeContext) -> list[dict[str, Any]]:
    findings = _records(ctx.fields, "findings")
    finding = {
        "number": _next_number(findings),
        "finding": _text(ctx.inputs, "finding"),
        "requirement": _text(ctx.inputs, "requirement"),
        "due_on": ctx.inputs.get("due_on"),
        "status": "open",
    }
    return [*findings, finding]


def _finding_update(
    ctx: ComputeContext, allowed: tuple[str, ...]
) -> tuple[list[Any], dict[str, Any]]:
    findings = _records(ctx.fields, "findings")
    finding = _pick(findings, ctx.inputs.get("number"), "问题")
    if finding.get("status") not in allowed:
        raise DomainError(
            "finding_state", f"第{finding['number']}条问题当前不能办理此项", 422, "number"
        )
    return findings, finding


@register_compute("report_rectification", returns="list")
def report_rectification(ctx: ComputeContext) -> list[dict[str, Any]]:
    """The inspected unit reports a finding rectified (again, after a failed verification)."""
    findings, finding = _finding_update(ctx, OPEN_STATUSES)
    finding["status"] = "reported"
    finding["report"] = _text(ctx.inputs, "report")
    finding["reported_on"] = _local_today(ctx)
    return findings


@register_compute("verify_rectification", returns="list")
def verify_rectification(ctx: ComputeContext) -> list[dict[str, Any]]:
    """The inspectors verify a reported rectification: passed closes the finding, failed
    sends it back to the unit (open)."""
    findings, finding = _finding_update(ctx, ("reported",))
    passed = ctx.inputs.get("passed") == "passed"
    finding["status"] = "verified" if passed else "open"
    finding["verification"] = _text(ctx.inputs, "note")
    finding["verified_on"] = _local_today(ctx) if passed else None
    return findings


@register_compute("waive_finding", returns="list")
def waive_finding(ctx: ComputeContext) -> list[dict[str, Any]]:
    """A leader closes a finding that cannot be rectified, with the reason."""
    findings, finding = _finding_update(ctx, OPEN_STATUSES)
    finding["status"] = "waived"
    finding["waive_reason"] = _text(ctx.inputs, "reason")
    return findings


@register_compute("open_findings", returns="int")
def open_findings(ctx: ComputeContext) -> int:
    """Findings not yet closed: the inspection cannot close while any is."""
    return sum(1 for f in ctx.fields.get("findings") or [] if f.get("status") in OPEN_STATUSES)
