"""What the demo's hotline centre and units work with beside the orders — all SYNTHETIC:
missed calls of the last days (some called back), and the reply templates and 常用语 of the
hotline centre and of a few units."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext
from fazhi.actions.platform import Platform
from fazhi.hotline.actions.missed_calls import (
    check_call_back,
    check_missed_call,
    do_call_back,
    do_record_missed_calls,
)
from fazhi.hotline.actions.reply_templates import check_template, do_save_template
from fazhi.hotline.store.missed_calls import MissedCall
from fazhi.hotline.store.reply_templates import ReplyTemplate
from fazhi.store.models import User

MISSED_CALLS = 36
# (username, shared, kind, category, title, body)
TEMPLATES = (
    (
        "dispatcher1",
        True,
        "phrase",
        "",
        "来电致谢",
        "感谢您对我们工作的关心和支持，如有疑问请再次拨打12345。",
    ),
    (
        "dispatcher1",
        True,
        "reply",
        "",
        "已转办说明",
        "您反映的{number}已转{unit}办理，办理期限至{due}，届时将回复您。",
    ),
    (
        "dispatcher1",
        True,
        "phrase",
        "",
        "非职能范围",
        "经核实，您反映的问题不属于本级政府职能范围，已告知相关渠道。",
    ),
    (
        "cgj_handler",
        False,
        "reply",
        "CITY_APPEARANCE",
        "占道经营已处理",
        "您好，您于{received}反映的{title}，{unit}已于{today}安排执法人员到现场处置，已劝离占道经营摊点，并将加强巡查。",
    ),
    (
        "cgj_handler",
        False,
        "reply",
        "SANITATION",
        "垃圾已清运",
        "您好，您反映的{number}（{category}）问题，{unit}已于{today}安排环卫人员清运完毕，并督促保洁单位落实日常保洁。",
    ),
    (
        "tx_handler",
        False,
        "reply",
        "PROPERTY_MGMT",
        "物业问题已约谈",
        "您好，关于{number}反映的物业服务问题，{unit}已约谈物业公司负责人，责令其限期整改，社区将跟踪督促。",
    ),
)


def _actor(session: Session, platform: Platform, username: str) -> ActionContext | None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        return None
    return ActionContext(platform, actor_for(platform, user), platform.now())


def generate_extras(session: Session, platform: Platform, seed: int = 20230101) -> tuple[int, int]:
    """(missed calls, templates) written, once: nothing when either already exists.

    Preconditions: the demo organisation (operator1, dispatcher1, cgj_handler, tx_handler)
    is loaded; the caller commits."""
    region = platform.region_code
    calls = templates = 0
    operator = _actor(session, platform, "operator1")
    has_calls = session.scalar(
        select(func.count()).select_from(MissedCall).where(MissedCall.region_code == region)
    )
    if operator is not None and not has_calls:
        rng = random.Random(seed)
        now = platform.now()
        made = []
        for index in range(MISSED_CALLS):
            called = now - timedelta(minutes=rng.randint(5, 60 * 24 * 4))
            raw = {
                "call_id": f"DEMO-MC-{index + 1:04d}",
                "caller_phone": f"170{rng.randrange(10**8):08d}",
                "called_at": called,
                "line": rng.choice(("12345-1", "12345-2", "12345-夜间")),
                "wait_seconds": rng.randint(15, 240),
            }
            made.append(check_missed_call(raw, now))
        _, _, rows = do_record_missed_calls(session, operator, made, "csv")
        # The older two thirds were worked on: reached, no answer, or a wrong number.
        for row in sorted(rows, key=lambda r: r.called_at)[: MISSED_CALLS * 2 // 3]:
            outcome = rng.choice(("answered", "answered", "no_answer", "wrong_number"))
            moment = row.called_at + timedelta(minutes=rng.randint(10, 300))
            ctx = ActionContext(platform, operator.actor, min(moment, now))
            do_call_back(
                session, ctx, check_call_back(session, ctx, row.id, outcome, "（合成）", None)
            )
        calls = len(rows)
    has_templates = session.scalar(
        select(func.count()).select_from(ReplyTemplate).where(ReplyTemplate.region_code == region)
    )
    if not has_templates:
        for username, shared, kind, category, title, body in TEMPLATES:
            ctx = _actor(session, platform, username)
            if ctx is None:
                continue
            raw = {
                "kind": kind,
                "category": category,
                "title": title,
                "body": body,
                "shared": shared,
            }
            do_save_template(session, ctx, check_template(ctx, raw))
            templates += 1
    return calls, templates
