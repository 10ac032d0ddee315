"""Narrative blocks: the district leaders, the rule-of-law office and the administrators
write them; each save is one admin-log row with who, when and the text before and after
(saving the same again adds none; emptying a block removes it); the draft places the text
in its section; every other role is refused, a section the template lacks and an
over-long text are refused naming the field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from fazhi.actions.context import ActionContext
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError
from fazhi.report.build import gather
from fazhi.report.narratives import MAX_LENGTH, check_save_narrative, history, narratives
from fazhi.report.template import annual_template
from fazhi.store.db import transaction
from fazhi.store.models import AdminLog
from tests.report.conftest import LEADER, OFFICE

YEAR = 2022  # a year of its own: the writers' suite drafts 2023
KEY = "measures.disputes.legal_aid"


def _log(platform: Platform, key: str) -> list[AdminLog]:
    with transaction(platform.sessions) as session:
        rows = session.scalars(
            select(AdminLog)
            .where(AdminLog.target == f"annual_report:{platform.region_code}:{YEAR}:{key}")
            .order_by(AdminLog.id)
        )
        return list(rows)


@pytest.mark.usefixtures("no_sources")  # the year's figures would open other sections
def test_each_edit_is_recorded_with_who_and_when_and_appears_in_its_section(
    platform: Platform, acting: Callable[[str], ActionContext]
) -> None:
    office, leader = acting(OFFICE), acting(LEADER)
    first = "落实司法所规范化建设三年行动（测试）。"
    second = "清水塘街道司法所通过省司法厅规范化建设验收（测试）。"
    template = annual_template()
    with transaction(platform.sessions) as session:
        check_save_narrative(session, office, template, YEAR, KEY, first)
    with transaction(platform.sessions) as session:
        check_save_narrative(session, leader, template, str(YEAR), KEY, second + "\r\n")
        check_save_narrative(session, leader, template, YEAR, KEY, second)  # unchanged
    rows = _log(platform, KEY)
    assert [(r.actor_username, r.action) for r in rows] == [
        (OFFICE, "report_narrative_saved"),
        (LEADER, "report_narrative_saved"),
    ]
    assert [(r.details["before"], r.details["after"]) for r in rows] == [
        ("", first),
        (first, second),
    ]
    assert rows[0].at == office.now
    with transaction(platform.sessions) as session:
        assert narratives(session, platform.region_code, YEAR)[KEY] == second
        edits = history(session, platform.region_code, YEAR)
        assert [(e.username, e.key) for e in edits[:2]] == [(LEADER, KEY), (OFFICE, KEY)]
        lines = gather(session, office, YEAR).text().splitlines()
    # The only written block of its area: numbered 1. under （一）, whatever else is empty.
    assert "1.推进基层规范建设，提升法律援助服务。" + second in lines
    assert "（一）依法有效化解社会矛盾纠纷，切实维护人民群众合法权益" in lines

    with transaction(platform.sessions) as session:
        check_save_narrative(session, office, template, YEAR, KEY, "   ")
        assert KEY not in narratives(session, platform.region_code, YEAR)
    assert _log(platform, KEY)[-1].details == {
        "year": YEAR,
        "key": KEY,
        "before": second,
        "after": "",
    }


@pytest.mark.parametrize("username", ["operator1", "supervisor1", "sfj_legality", "case_reviewer"])
def test_other_roles_may_neither_write_nor_draft_the_report(
    platform: Platform, acting: Callable[[str], ActionContext], username: str
) -> None:
    ctx = acting(username)
    with transaction(platform.sessions) as session, pytest.raises(DomainError) as refused:
        check_save_narrative(session, ctx, annual_template(), YEAR, KEY, "越权（测试）")
    assert (refused.value.code, refused.value.status) == ("forbidden_role", 403)
    with transaction(platform.sessions) as session, pytest.raises(DomainError) as refused:
        gather(session, ctx, YEAR)
    assert refused.value.status == 403


def test_a_bad_section_year_or_length_is_refused_naming_the_field(
    platform: Platform, acting: Callable[[str], ActionContext]
) -> None:
    ctx = acting(OFFICE)
    cases = [
        ("measures.nowhere", YEAR, "文字", "key", "报告中没有这一部分"),
        (KEY, "二〇二二", "文字", "year", "年度应为2000至2100之间的四位数字"),
        (KEY, YEAR, "字" * (MAX_LENGTH + 1), f"text.{KEY}", f"每部分内容不能超过{MAX_LENGTH}字"),
    ]
    for key, year, text, field, message in cases:
        with transaction(platform.sessions) as session, pytest.raises(DomainError) as refused:
            check_save_narrative(session, ctx, annual_template(), year, key, text)
        assert refused.value.field == field and refused.value.message.startswith(message)
