"""The assignment form (指派律师) in the console: the lawyer is chosen from the register
(律师名册) instead of typed — practising lawyers only, those whose practice areas match the
case's kind of matter first, then the least loaded this year — each with the firm and the
number of the year's cases already assigned to them. The register check
(`fazhi.legal_aid.lawyers.check_lawyer_assignable`) still decides what is allowed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from jinja2 import pass_context

from fazhi.actions.context import ActionContext
from fazhi.domain.durations import local_date
from fazhi.http.deps import platform_of
from fazhi.legal_aid.read import lawyer_rows
from fazhi.web.console import templates

FORM = "_legal_aid_assign_form.html"
ACTION_FORMS = {"assign": FORM}
# The practice-area words that mark a lawyer as suited to a kind of matter.
AREA_WORDS = {
    "criminal": "刑事",
    "civil": "民事",
    "administrative": "行政",
    "non_litigation": "非诉",
}


@dataclass(frozen=True)
class LawyerChoice:
    """One practising lawyer of the register as the form offers them."""

    licence: str
    name: str
    firm: str
    areas: str
    assigned: int  # this year's cases already assigned to them
    suited: bool  # their practice areas name the case's kind of matter


@pass_context
def legal_aid_lawyer_choices(context: Any, case: dict[str, Any]) -> list[LawyerChoice]:
    """For _legal_aid_assign_form.html: the practising lawyers, suited and least loaded first."""
    request: Request = context["request"]
    platform = platform_of(request)
    now = context["now"]
    word = AREA_WORDS.get(str((case.get("fields") or {}).get("matter_kind") or ""), "")
    with platform.sessions() as session:
        rows = lawyer_rows(
            session, ActionContext(platform, context["actor"], now), local_date(now).year
        )
    choices = [
        LawyerChoice(
            r["licence_number"],
            r["name"],
            r["law_firm"],
            r["practice_areas"] or "",
            r["assigned"],
            bool(word) and word in (r["practice_areas"] or ""),
        )
        for r in rows
        if r["active"]
    ]
    return sorted(choices, key=lambda c: (not c.suited, c.assigned, c.licence))


templates.env.globals["legal_aid_lawyer_choices"] = legal_aid_lawyer_choices
