"""What the work list and the case list offer besides their rows: the user's saved filters,
the Excel export of the list as filtered, and on the work list the batch actions (批量签收,
批量派单) the user's roles may take. Kept apart from work_pages so each tool has its module
(saved_filter_pages, work_export_pages, work_batch_pages) and the list stays small."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from fazhi.actions.saved_filters import clean_query, saved_filters
from fazhi.domain.case_type import ActionSpec, CaseType
from fazhi.http.deps import Work
from fazhi.web.console import console_of
from fazhi.web.forms import unit_groups


@dataclass(frozen=True)
class BatchOffer:
    """A batch action offered on the work list: `value` names it in the form (type:action);
    its inputs are posted as `action.input` (so two offers' inputs never collide)."""

    case_type: CaseType
    action: ActionSpec

    @property
    def value(self) -> str:
        return f"{self.case_type.name}:{self.action.name}"

    @property
    def label(self) -> str:
        return f"批量{self.action.label}"

    @property
    def prefix(self) -> str:
        """Of the inputs' ids; their names are `<action>.<input>`."""
        return f"batch-{self.action.name}-"

    @property
    def name_prefix(self) -> str:
        return f"{self.action.name}."


def batch_offers(request: Request, w: Work) -> list[BatchOffer]:
    """The type packages' batch actions (ConsoleExtension.batch_actions) that one of the
    user's roles may take, of types it sees; the one door still decides per case."""
    offers = []
    for type_name, names in console_of(request).batch_actions.items():
        case_type = w.platform.types.get(type_name)
        if case_type is None or w.actor.sight.view(type_name) is None:
            continue
        for name in names:
            spec = case_type.action(name)
            if spec is not None and not spec.create and w.actor.has_role(*spec.roles):
                offers.append(BatchOffer(case_type, spec))
    return offers


def list_name(queue: bool) -> str:
    return "work" if queue else "cases"


def work_tools(
    request: Request, w: Work, query: str, queue: bool, items: list[dict[str, Any]]
) -> dict[str, Any]:
    name = list_name(queue)
    kept = clean_query(query)
    offers = batch_offers(request, w) if queue else []
    batch_types = {o.case_type.name for o in offers}
    for item in items:
        item["batchable"] = item["type"] in batch_types
    return {
        "saved_list": name,
        "saved_filters": saved_filters(w.session, w.actor, name),
        "list_query": kept,
        "export_url": f"/export/{name}.xlsx" + (f"?{kept}" if kept else ""),
        "batch": offers if any(i["batchable"] for i in items) else [],
        "batch_units": unit_groups(w.ctx.directory) if offers else [],
    }
