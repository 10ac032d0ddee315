"""What the platform knows: case types, categories and the organisation tree."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from fazhi.catalog.categories import load_categories
from fazhi.domain.case_type import CaseType
from fazhi.domain.errors import not_found
from fazhi.http.deps import work

router = APIRouter(prefix="/api/v1", tags=["基础数据"])


def describe_type(case_type: CaseType) -> dict[str, Any]:
    return {
        "name": case_type.name,
        "label": case_type.label,
        "description": case_type.description,
        "number_prefix": case_type.number_prefix,
        "fields": [
            f.describe() | {"personal": f.personal, "internal": f.internal}
            for f in case_type.fields
        ],
        "states": [
            {"name": s.name, "label": s.label, "terminal": s.terminal} for s in case_type.states
        ],
        "actions": [
            {
                "name": a.name,
                "label": a.label,
                "from": list(a.from_states),
                "to": a.to,
                "roles": list(a.roles),
                "party": a.party,
                "create": a.create,
                "documents": list(a.documents),
                "inputs": [i.describe() for i in a.inputs],
            }
            for a in case_type.actions
        ],
        "clocks": [
            {
                "name": c.name,
                "label": c.label,
                "basis": c.basis,
                "limit": str(c.limit.default),
                "limit_by": c.limit.by_field,
                "limit_values": {k: str(v) for k, v in c.limit.values},
                "start": list(c.start),
                "stop": list(c.stop),
            }
            for c in case_type.clocks
        ],
        "documents": [{"name": d.name, "label": d.label} for d in case_type.documents],
    }


@router.get("/case-types", summary="案件类型")
def case_types(request: Request) -> dict[str, Any]:
    with work(request) as w:
        return {"items": [describe_type(t) for t in w.platform.types]}


@router.get("/case-types/{name}", summary="案件类型详情")
def case_type(request: Request, name: str) -> dict[str, Any]:
    with work(request) as w:
        found = w.platform.types.get(name)
        if found is None:
            raise not_found("案件类型")
        return describe_type(found)


@router.get("/categories", summary="诉求分类")
def categories(request: Request) -> dict[str, Any]:
    with work(request) as w:
        directory = w.ctx.directory
        items = []
        for c in load_categories():
            unit = directory.default_unit_for(c.code)
            items.append(
                {
                    "code": c.code,
                    "name": c.name,
                    "covers": c.covers,
                    "boundary": c.boundary,
                    "default_unit": unit.brief() if unit else None,
                }
            )
        return {"items": items}


@router.get("/units", summary="单位（组织架构）")
def units(
    request: Request, kind: str | None = None, q: str | None = None, parent: str | None = None
) -> dict[str, Any]:
    with work(request) as w:
        directory = w.ctx.directory
        parent_ref = directory.resolve(parent) if parent else None
        items = []
        for unit_id, row in directory.rows.items():
            if kind and row.kind not in kind.split(","):
                continue
            if q and q not in row.name and q not in (row.short_name or "") and q != row.code:
                continue
            if parent_ref and row.parent_id != parent_ref.id:
                continue
            items.append(
                {
                    "id": unit_id,
                    "code": row.code,
                    "name": row.name,
                    "short_name": row.short_name,
                    "kind": row.kind,
                    "parent_id": row.parent_id,
                    "categories": row.categories,
                }
            )
        return {"items": items}
