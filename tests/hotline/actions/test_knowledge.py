"""知识库 as the hotline keeps it: a unit proposes, the hotline centre approves (or sends it
back), every version stays on record, a published article keeps serving while an edit waits,
retired and unapproved text is never proposed, stale articles are flagged, uses are counted."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.knowledge import (
    check_article,
    check_may_decide,
    check_may_edit,
    do_approve,
    do_propose,
    do_record_uses,
    do_reject,
    do_retire,
    load_article,
    parse_article_ids,
    stale_reason,
)
from fazhi.hotline.read.knowledge import article_detail, ranked
from fazhi.hotline.store.knowledge import KnowledgeArticle, KnowledgeUse, KnowledgeVersion
from fazhi.store.db import transaction
from fazhi.store.models import Case, User
from tests.support import FakeClock


def ctx(platform: Platform, clock: FakeClock, username: str) -> ActionContext:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return ActionContext(platform, actor_for(platform, user), clock())


def article(word: str, **extra: Any) -> dict[str, Any]:
    return {
        "category": "CITY_APPEARANCE",
        "question": f"{word}门店外摆经营需要办理什么手续",
        "answer": f"{word}门店外摆须向城管部门申请临时占道许可，按核定范围和时段经营。",
        "legal_basis": "《城市市容和环境卫生管理条例》第十四条",
        "tags": f"外摆 占道 {word}",
        **extra,
    }


def propose(platform: Platform, c: ActionContext, raw: dict[str, Any]) -> int:
    with transaction(platform.sessions) as session:
        return do_propose(session, c, check_article(c, raw)).id


def test_a_proposal_is_searchable_only_after_the_centre_approves(
    platform: Platform, clock: FakeClock
) -> None:
    word = "甲" + uuid.uuid4().hex[:8]
    unit, centre = ctx(platform, clock, "cgj_handler"), ctx(platform, clock, "dispatcher1")
    article_id = propose(platform, unit, article(word))
    with platform.sessions() as session:
        assert session.get(KnowledgeArticle, article_id).status == "pending"
        assert ranked(session, unit.actor.region_code, word) == []
    with transaction(platform.sessions) as session:
        check_may_decide(centre)
        do_approve(session, centre, load_article(session, centre, article_id))
    with platform.sessions() as session:
        found = ranked(session, unit.actor.region_code, f"{word}外摆")
        assert [a.id for a, _ in found] == [article_id]
        assert session.get(KnowledgeArticle, article_id).owner_unit_id == unit.actor.unit.id


def test_an_edit_waits_beside_the_published_text_and_every_version_is_kept(
    platform: Platform, clock: FakeClock
) -> None:
    word = "乙" + uuid.uuid4().hex[:8]
    unit, centre = ctx(platform, clock, "cgj_handler"), ctx(platform, clock, "dispatcher1")
    article_id = propose(platform, unit, article(word))
    with transaction(platform.sessions) as session:
        do_approve(session, centre, load_article(session, centre, article_id))
    edited = article(word, answer=f"{word}新规：外摆须先在线申报。", note="按新规更新")
    with transaction(platform.sessions) as session:
        found = load_article(session, unit, article_id)
        check_may_edit(unit, found)
        do_propose(session, unit, check_article(unit, edited), found)
    with platform.sessions() as session:
        live = session.get(KnowledgeArticle, article_id)
        assert live.status == "published" and live.pending_version == 2
        assert "新规" not in live.answer  # the approved text serves until the edit is approved
    with transaction(platform.sessions) as session:
        do_reject(session, centre, load_article(session, centre, article_id), "请补充法律依据")
    with transaction(platform.sessions) as session:
        found = load_article(session, unit, article_id)
        do_propose(session, unit, check_article(unit, edited), found)
        do_approve(session, centre, found)
    with platform.sessions() as session:
        live = session.get(KnowledgeArticle, article_id)
        assert live.version == 3 and live.pending_version is None and "新规" in live.answer
        events = session.scalars(
            select(KnowledgeVersion.event)
            .where(KnowledgeVersion.article_id == article_id)
            .order_by(KnowledgeVersion.id)
        ).all()
        assert events == ["propose", "approve", "propose", "reject", "propose", "approve"]
        detail = article_detail(session, live, platform.directory(), date(2024, 1, 1))
        assert detail["versions"][2]["note"] == "请补充法律依据"
        assert detail["versions"][0]["by"] == "赵明辉"


def test_nothing_to_approve_and_a_rejection_without_reason_are_refused(
    platform: Platform, clock: FakeClock
) -> None:
    unit, centre = ctx(platform, clock, "cgj_handler"), ctx(platform, clock, "dispatcher1")
    article_id = propose(platform, unit, article("丙" + uuid.uuid4().hex[:8]))
    with transaction(platform.sessions) as session:
        found = load_article(session, centre, article_id)
        with pytest.raises(DomainError) as no_reason:
            do_reject(session, centre, found, " ")
        assert no_reason.value.field == "note"
        do_approve(session, centre, found)
        with pytest.raises(DomainError) as twice:
            do_approve(session, centre, found)
        assert twice.value.status == 409


def test_roles_units_and_fields_are_checked(platform: Platform, clock: FakeClock) -> None:
    operator = ctx(platform, clock, "operator1")
    with pytest.raises(DomainError) as refused:
        check_article(operator, article("丁"))
    assert refused.value.status == 403
    unit = ctx(platform, clock, "cgj_handler")
    with pytest.raises(DomainError) as decide:
        check_may_decide(unit)
    assert decide.value.status == 403
    other = ctx(platform, clock, "zjj_handler")
    article_id = propose(platform, unit, article("丁" + uuid.uuid4().hex[:8]))
    with platform.sessions() as session, pytest.raises(DomainError) as foreign:
        check_may_edit(other, load_article(session, other, article_id))
    assert foreign.value.status == 403
    with pytest.raises(DomainError) as bad:
        check_article(
            unit,
            {
                "category": "NOPE",
                "question": "",
                "answer": "x",
                "valid_from": "2024-13-01",
                "valid_to": "2024-01-01",
                "review_date": "明天",
            },
        )
    assert [p.field for p in bad.value.problems] == [
        "question",
        "category",
        "valid_from",
        "review_date",
    ]
    centre = ctx(platform, clock, "dispatcher1")
    with pytest.raises(DomainError) as owner:
        check_article(centre, article("丁"))
    assert owner.value.field == "owner_unit"
    assert check_article(centre, article("丁", owner_unit="SF-RSJ")).owner_unit_id == (
        platform.directory().by_code["SF-RSJ"].id
    )


def test_stale_means_past_valid_to_or_review_date() -> None:
    today = date(2024, 6, 1)
    assert stale_reason(None, None, today) == ""
    assert stale_reason(date(2024, 6, 1), date(2024, 6, 1), today) == ""
    assert "有效期" in stale_reason(date(2024, 5, 31), None, today)
    assert "复核" in stale_reason(None, date(2024, 5, 31), today)


def test_retired_articles_leave_the_index(platform: Platform, clock: FakeClock) -> None:
    word = "戊" + uuid.uuid4().hex[:8]
    unit, centre = ctx(platform, clock, "cgj_handler"), ctx(platform, clock, "dispatcher1")
    article_id = propose(platform, unit, article(word))
    with transaction(platform.sessions) as session:
        do_approve(session, centre, load_article(session, centre, article_id))
    with transaction(platform.sessions) as session:
        do_retire(session, centre, load_article(session, centre, article_id), "政策废止")
    with platform.sessions() as session:
        assert ranked(session, unit.actor.region_code, word) == []


def test_uses_count_published_articles_of_the_region_only(
    platform: Platform, clock: FakeClock, login: Any
) -> None:
    unit, centre = ctx(platform, clock, "cgj_handler"), ctx(platform, clock, "dispatcher1")
    live = propose(platform, unit, article("己" + uuid.uuid4().hex[:8]))
    waiting = propose(platform, unit, article("己" + uuid.uuid4().hex[:8]))
    with transaction(platform.sessions) as session:
        do_approve(session, centre, load_article(session, centre, live))
    case_id = login("operator1").register()["id"]
    operator = ctx(platform, clock, "operator1")
    assert parse_article_ids(f"{live}, {waiting} x {live} 99999999999") == [live, waiting]
    with transaction(platform.sessions) as session:
        assert session.get(Case, case_id) is not None
        counted = do_record_uses(session, operator, [live, waiting, 10**8], case_id)
    assert counted == 1
    with platform.sessions() as session:
        assert session.get(KnowledgeArticle, live).uses == 1
        assert session.get(KnowledgeArticle, waiting).uses == 0
        uses = session.scalars(select(KnowledgeUse).where(KnowledgeUse.article_id == live))
        assert [u.case_id for u in uses] == [case_id]
