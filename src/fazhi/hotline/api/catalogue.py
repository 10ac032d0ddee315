"""派单目录 over the API: every signed-in user reads the published catalogue; the hotline
centre (supervisors, administrators) adds, changes and retires items."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from fazhi.hotline.actions.catalogue import (
    check_item,
    do_retire_item,
    do_save_item,
    load_item,
    require_editor,
)
from fazhi.hotline.read.catalogue import catalogue_rows
from fazhi.http.deps import Work, json_response, work, write
from fazhi.http.params import PathId

router = APIRouter(prefix="/api/v1/dispatch-catalogue", tags=["派单目录"])


class ItemBody(BaseModel):
    code: str = ""
    name: str = ""
    category: str = ""
    level: str = ""
    unit: str = ""  # unit code; department items only
    basis: str = ""
    covers: str = ""


def _row(w: Work, item_id: int) -> dict[str, Any]:
    rows = catalogue_rows(w.session, w.actor.region_code, w.ctx.directory, retired=True)
    return next(r.as_json() for r in rows if r.id == item_id)


@router.get("", summary="派单目录（已发布事项；可按分类、关键词查找）")
def list_items(
    request: Request, category: str = "", q: str = "", retired: bool = False
) -> Response:
    with work(request) as w:
        rows = catalogue_rows(
            w.session, w.actor.region_code, w.ctx.directory, category, q[:100], retired
        )
        return json_response({"items": [r.as_json() for r in rows], "count": len(rows)})


@router.post("", status_code=201, summary="新增派单目录事项（热线中心）")
async def create_item(request: Request, body: ItemBody) -> Response:
    def run(w: Work) -> dict[str, Any]:
        item = do_save_item(w.session, w.ctx, check_item(w.session, w.ctx, body.model_dump()))
        return _row(w, item.id)

    return json_response(await write(request, run), 201)


@router.put("/{item_id}", summary="修改派单目录事项（热线中心）")
async def update_item(request: Request, item_id: PathId, body: ItemBody) -> Response:
    def run(w: Work) -> dict[str, Any]:
        require_editor(w.ctx)
        load_item(w.session, w.ctx, item_id)
        data = check_item(w.session, w.ctx, body.model_dump(), item_id)
        return _row(w, do_save_item(w.session, w.ctx, data, item_id).id)

    return json_response(await write(request, run))


@router.post("/{item_id}/retire", summary="停用派单目录事项（热线中心）")
async def retire_item(request: Request, item_id: PathId) -> Response:
    def run(w: Work) -> dict[str, Any]:
        require_editor(w.ctx)
        do_retire_item(w.session, w.ctx, load_item(w.session, w.ctx, item_id))
        return _row(w, item_id)

    return json_response(await write(request, run))
