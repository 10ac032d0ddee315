"""Links between cases as the API and the console show them: both directions, masked, and
the linked cases a user may open from this one, pre-filled."""

from __future__ import annotations

from typing import Any

from fazhi.actions.cases import case_type_or_error
from fazhi.actions.links import linked_cases
from fazhi.domain.case_links import openers, prefill_values
from fazhi.domain.case_type import CaseType, FieldSpec
from fazhi.domain.errors import DomainError
from fazhi.domain.type_access import creatable_actions
from fazhi.http.deps import Work
from fazhi.read.case_queries import BRIEF_COLUMNS
from fazhi.read.presenters import case_number, present_case_brief, shown_personal_kinds
from fazhi.store.models import Case


def _field_label(case_type: CaseType | None, name: str) -> str:
    spec = case_type.field(name) if case_type else None
    return spec.label if spec else name


def may_open(w: Work, case: Case) -> list[tuple[CaseType, FieldSpec]]:
    """(type, link field) for each linked case this user may open from `case`."""
    roles = w.actor.roles
    return [(t, f) for t, f in openers(w.platform.types, case.type) if creatable_actions(t, roles)]


def present_links(w: Work, case: Case) -> dict[str, Any]:
    """`outgoing`: cases this case's link fields point to; `incoming`: cases whose link
    fields point here (opened from it); `open`: linked cases this user may open from it.
    Only cases the user may see are listed."""
    calendar = w.platform.calendar()
    own_type = w.platform.types.get(case.type)
    out: dict[str, Any] = {"outgoing": [], "incoming": [], "open": []}
    for link in linked_cases(w.session, w.actor, case.id, BRIEF_COLUMNS):
        other_type = w.platform.types.get(link.case.type)
        brief = present_case_brief(
            link.case, other_type, w.actor, w.ctx.directory, calendar, w.ctx.now
        )
        field_type = own_type if link.direction == "outgoing" else other_type
        out[link.direction].append(
            {
                "field": link.field,
                "field_label": _field_label(field_type, link.field),
                "case": brief,
            }
        )
    choices = may_open(w, case)
    # The case this one's category asks for comes first (sorted is stable).
    choices.sort(key=lambda choice: case.category not in choice[1].suggested_for)
    for target, spec in choices:
        several = sum(1 for t, _ in choices if t.name == target.name) > 1
        suggested = case.category is not None and case.category in spec.suggested_for
        out["open"].append(
            {
                "type": target.name,
                "type_label": target.label,
                "field": spec.name,
                "field_label": spec.label,
                "label": f"发起{target.label}" + (f"（{spec.label}）" if several else ""),
                "href": f"/cases/new/{target.name}?link={spec.name}&from={case.id}",
                "suggested": suggested,
                "reason": _suggestion(own_type, case) if suggested else "",
            }
        )
    return out


def _suggestion(case_type: CaseType | None, case: Case) -> str:
    """Why a linked case is suggested: the source's category, by its label."""
    spec = case_type.field(case_type.category_field or "") if case_type else None
    label = spec.choice_label(case.category) if spec is not None else str(case.category)
    return f"本件属“{label}”类，可转为关联案件办理"


def hidden_links(case_type: CaseType, fields: dict[str, Any], links: dict[str, Any]) -> list[str]:
    """Labels of link fields that hold a case this user may not see (not in `links`)."""
    shown = {link["field"] for link in links["outgoing"]}
    return [
        f.label
        for f in case_type.fields
        if f.type == "case_link" and fields.get(f.name) and f.name not in shown
    ]


def prefill_for(w: Work, source: Case, target: CaseType, link: str) -> dict[str, Any]:
    """The fields a new `target` case opened from `source` through its field `link` starts
    with: the link itself (the source's number) and the `prefill` copies. Personal data is
    copied only when this user sees it whole, never as a masked value."""
    spec = target.field(link)
    if spec is None or spec.type != "case_link" or source.type not in spec.link_types:
        raise DomainError(
            "invalid_link", f"「{target.label}」不能经 {link} 关联此类案件", 422, "link"
        )
    source_type = case_type_or_error(w.platform, source.type)
    shown = shown_personal_kinds(source_type, w.actor) if source_type else frozenset()
    fields = prefill_values(target, spec, source_type, source.fields, lambda kind: kind in shown)
    fields[spec.name] = case_number(source_type, source)
    return fields
