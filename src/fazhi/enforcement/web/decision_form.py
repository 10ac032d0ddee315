"""The penalty decision forms (作出处罚决定, 当场作出处罚决定) in the console: the penalty item
and its circumstance are chosen from the register (执法清单) instead of typed, each
circumstance showing its fine range, the case's own unit's items first; the action check
(penalty_items.check_within_benchmark) still decides what is allowed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from jinja2 import pass_context

from fazhi.enforcement.penalty_items import items
from fazhi.http.deps import platform_of
from fazhi.web.console import templates

FORM = "_penalty_decision_form.html"
ACTION_FORMS = {"decide": FORM, "summary_decide": FORM}


@dataclass(frozen=True)
class Choice:
    """One item of the register as the form offers it."""

    code: str
    name: str
    basis: str
    own: bool  # the case's lead unit enforces it
    circumstances: tuple[tuple[str, str], ...]  # (circumstance, its range as text)


def _range(benchmark: dict[str, Any]) -> str:
    low, high = float(benchmark.get("min") or 0), float(benchmark.get("max") or 0)
    return f"{low:,.0f}–{high:,.0f} 元"


@pass_context
def penalty_item_choices(context: Any, case: dict[str, Any]) -> list[Choice]:
    """For _penalty_decision_form.html: the region's items, the lead unit's first."""
    request: Request = context["request"]
    platform = platform_of(request)
    lead = (case.get("lead_unit") or {}).get("id")
    with platform.sessions() as session:
        rows = items(session, case.get("region_code") or platform.region_code)
        choices = [
            Choice(
                i.code,
                i.name,
                i.basis,
                lead is not None and i.unit_id == lead,
                tuple((str(b["circumstance"]), _range(b)) for b in i.benchmarks),
            )
            for i in rows
        ]
    return sorted(choices, key=lambda c: not c.own)


templates.env.globals["penalty_item_choices"] = penalty_item_choices
