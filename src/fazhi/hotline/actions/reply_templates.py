"""Reply templates and 常用语: units keep their own, the hotline centre keeps shared ones;
placeholders (`{number}`, `{category}`…) are filled from the order when a handler inserts
one into a reply, return or handling note. Placeholders that would carry a caller's phone or
ID number do not exist, and unknown ones are refused when a template is saved."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from fazhi.actions.cases import ActionContext
from fazhi.catalog.categories import load_categories
from fazhi.domain.errors import DomainError, Problem
from fazhi.hotline.store.reply_templates import ReplyTemplate

KINDS = {"reply": "答复模板", "phrase": "常用语"}
PLACEHOLDERS = {
    "number": "工单编号",
    "title": "诉求摘要",
    "category": "诉求分类",
    "address": "事发地址（按查看者权限显示）",
    "unit": "主办单位",
    "received": "受理日期",
    "due": "办理期限",
    "today": "今天",
}
SHARED_ROLES = ("dispatcher", "admin")
UNIT_ROLES = ("unit_handler", "unit_leader")
MAX_BODY = 2000
_FIELD = re.compile(r"\{([^{}]*)\}")


def placeholders_in(body: str) -> list[str]:
    """The placeholder names a body uses, or DomainError when its braces do not parse."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(body) if name is not None]
    except ValueError:
        raise DomainError("invalid_template", "模板中的花括号不成对", 422, "body") from None


def fill(body: str, values: dict[str, str]) -> str:
    """The body with each known placeholder replaced (an unknown one stays as written)."""
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), body)


@dataclass(frozen=True)
class TemplateInput:
    kind: str
    category: str
    title: str
    body: str
    shared: bool


def check_template(ctx: ActionContext, raw: dict[str, Any]) -> TemplateInput:
    """A template the actor may save: every problem reported at once."""
    kind = str(raw.get("kind") or "reply")
    category = str(raw.get("category") or "")
    title = str(raw.get("title") or "").strip()
    body = str(raw.get("body") or "").strip()
    shared = bool(raw.get("shared"))
    problems: list[Problem] = []
    if kind not in KINDS:
        problems.append(Problem("invalid_value", "类型只能是答复模板或常用语", "kind"))
    if category and category not in {c.code for c in load_categories()}:
        problems.append(Problem("invalid_value", "没有该诉求分类", "category"))
    if not title:
        problems.append(Problem("required", "请填写模板名称", "title"))
    elif len(title) > 60:
        problems.append(Problem("too_long", "模板名称不能超过60个字", "title"))
    if not body:
        problems.append(Problem("required", "请填写模板内容", "body"))
    elif len(body) > MAX_BODY:
        problems.append(Problem("too_long", f"模板内容不能超过{MAX_BODY}个字", "body"))
    else:
        try:
            unknown = [n for n in placeholders_in(body) if n not in PLACEHOLDERS]
        except DomainError as exc:
            problems.append(Problem(exc.code, exc.message, "body"))
        else:
            if unknown:
                allowed = "、".join("{" + k + "}" for k in PLACEHOLDERS)
                problems.append(
                    Problem(
                        "unknown_placeholder",
                        f"不认识的占位符 {{{unknown[0]}}}，可用：{allowed}",
                        "body",
                    )
                )
    if shared and not ctx.actor.has_role(*SHARED_ROLES):
        raise DomainError("forbidden", "只有热线中心（派单员、管理员）可以维护共用模板", 403)
    if not shared and not ctx.actor.has_role(*UNIT_ROLES, *SHARED_ROLES):
        raise DomainError("forbidden", "当前角色无权维护答复模板", 403)
    if problems:
        raise DomainError.from_problems(problems)
    return TemplateInput(kind, category, title, body, shared)


def owner_of(ctx: ActionContext, data: TemplateInput) -> int | None:
    return None if data.shared else ctx.actor.unit.id


def may_manage(ctx: ActionContext, template: ReplyTemplate) -> bool:
    if template.owner_unit_id is None:
        return ctx.actor.has_role(*SHARED_ROLES)
    return template.owner_unit_id == ctx.actor.unit.id


def load_template(session: Session, ctx: ActionContext, template_id: int) -> ReplyTemplate:
    template = session.get(ReplyTemplate, template_id)
    if template is None or template.region_code != ctx.actor.region_code:
        raise DomainError("not_found", "没有该模板", 404)
    if not may_manage(ctx, template):
        raise DomainError("forbidden", "只能维护本单位的模板；共用模板由热线中心维护", 403)
    return template


def do_save_template(
    session: Session, ctx: ActionContext, data: TemplateInput, template_id: int | None = None
) -> ReplyTemplate:
    """Create a template, or update `template_id` in place (its owner does not change).

    Preconditions: `data` came from `check_template` for this actor; when updating, the
    actor may manage the template (`load_template`)."""
    if template_id is None:
        template = ReplyTemplate(
            region_code=ctx.actor.region_code,
            owner_unit_id=owner_of(ctx, data),
            uses=0,
            active=True,
            created_by=ctx.actor.user_id,
            created_at=ctx.now,
        )
        session.add(template)
    else:
        template = load_template(session, ctx, template_id)
    template.kind, template.category = data.kind, data.category
    template.title, template.body = data.title, data.body
    template.updated_by, template.updated_at = ctx.actor.user_id, ctx.now
    session.flush()
    return template


def do_retire_template(session: Session, ctx: ActionContext, template: ReplyTemplate) -> None:
    """Stop offering a template (kept for the record).

    Preconditions: `template` came from `load_template` for this actor."""
    template.active = False
    template.updated_by, template.updated_at = ctx.actor.user_id, ctx.now
    session.flush()


def do_count_use(session: Session, template_id: int, region: str) -> None:
    """One more insertion of a template (the list shows the most used first).

    Preconditions: none; an unknown id is ignored (the count is a hint, not a record)."""
    template = session.get(ReplyTemplate, template_id)
    if template is not None and template.region_code == region:
        template.uses += 1
        session.flush()
