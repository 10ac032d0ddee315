"""The templates a reader may use: the hotline centre's shared ones and their own unit's, for
the order's category or any, most used first — filled from the order as the reader sees it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fazhi.actions.platform import Platform
from fazhi.catalog.categories import load_categories
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.units import Actor
from fazhi.hotline.actions.reply_templates import KINDS, fill
from fazhi.hotline.store.reply_templates import ReplyTemplate
from fazhi.read.presenters import case_number, present_fields
from fazhi.store.models import Case

TEMPLATE_LIMIT = 100


def _names() -> dict[str, str]:
    return {c.code: c.name for c in load_categories()}


def present_template(template: ReplyTemplate, text: str | None = None) -> dict[str, Any]:
    return {
        "id": template.id,
        "kind": template.kind,
        "kind_label": KINDS.get(template.kind, template.kind),
        "category": template.category,
        "category_label": _names().get(template.category, "全部分类"),
        "title": template.title,
        "body": template.body,
        "text": template.body if text is None else text,
        "shared": template.owner_unit_id is None,
        "uses": template.uses,
        "active": template.active,
    }


def usable(session: Session, actor: Actor, category: str | None = None) -> list[ReplyTemplate]:
    """Active templates of the reader: shared and their unit's, of `category` or any."""
    where = [
        ReplyTemplate.region_code == actor.region_code,
        ReplyTemplate.active.is_(True),
        or_(ReplyTemplate.owner_unit_id.is_(None), ReplyTemplate.owner_unit_id == actor.unit.id),
    ]
    if category is not None:
        where.append(or_(ReplyTemplate.category == "", ReplyTemplate.category == category))
    return list(
        session.scalars(
            select(ReplyTemplate)
            .where(*where)
            .order_by(ReplyTemplate.uses.desc(), ReplyTemplate.kind, ReplyTemplate.id)
            .limit(TEMPLATE_LIMIT)
        )
    )


def values_for(platform: Platform, actor: Actor, case: Case, now: datetime) -> dict[str, str]:
    """The placeholders' values for this order, personal data masked as the reader sees it."""
    case_type = platform.types.get(case.type)
    fields = present_fields(case_type, case.fields or {}, actor) if case_type else {}
    lead = platform.directory().by_id.get(case.lead_unit_id) if case.lead_unit_id else None
    return {
        "number": case_number(case_type, case),
        "title": case.title or "",
        "category": _names().get(case.category or "", ""),
        "address": str(fields.get("address") or ""),
        "unit": lead.name if lead else "",
        "received": f"{case.created_at.astimezone(LOCAL_TZ):%Y年%m月%d日}",
        "due": f"{case.due_at.astimezone(LOCAL_TZ):%Y年%m月%d日}" if case.due_at else "",
        "today": f"{now.astimezone(LOCAL_TZ):%Y年%m月%d日}",
    }


def filled_for_case(
    session: Session, platform: Platform, actor: Actor, case: Case, now: datetime
) -> list[dict[str, Any]]:
    values = values_for(platform, actor, case, now)
    return [
        present_template(t, fill(t.body, values)) for t in usable(session, actor, case.category)
    ]


def managed_by(session: Session, actor: Actor, shared: bool) -> list[dict[str, Any]]:
    """Templates the reader maintains: their unit's, or (hotline centre) the shared ones."""
    owner = (
        ReplyTemplate.owner_unit_id.is_(None)
        if shared
        else (ReplyTemplate.owner_unit_id == actor.unit.id)
    )
    rows = session.scalars(
        select(ReplyTemplate)
        .where(ReplyTemplate.region_code == actor.region_code, owner)
        .order_by(ReplyTemplate.active.desc(), ReplyTemplate.kind, ReplyTemplate.title)
        .limit(TEMPLATE_LIMIT * 2)
    )
    return [present_template(t) for t in rows]
