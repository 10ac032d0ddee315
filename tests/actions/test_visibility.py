"""Who sees which case, per type: a case is visible iff its type's visibility names one of
the user's roles and the broadest scope among those named roles reaches it —
region (every case), subtree (cases its unit or a unit below is or was involved in),
involved (cases its unit itself is or was involved in).

Every check below asks both the detail lookup and the list clause, which must agree.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from fazhi.actions.cases import create_case, perform_action
from fazhi.actions.platform import Platform
from fazhi.actions.visibility import load_visible_case, visible_clause
from fazhi.domain.errors import DomainError
from fazhi.store.db import transaction
from fazhi.store.models import Case, Event
from tests.visibility_support import (
    MEDIATION,
    PENALTY,
    RESTRICTED,
    actor_of,
    add_user,
    context,
)


def create(platform: Platform, username: str, type_name: str, **fields: Any) -> int:
    with transaction(platform.sessions) as session:
        return create_case(session, context(platform, username), type_name, fields).id


def sees(platform: Platform, username: str, case_id: int) -> bool:
    actor = actor_of(platform, username)
    with platform.sessions() as session:
        try:
            load_visible_case(session, actor, case_id)
            detail = True
        except DomainError as exc:
            assert exc.status == 404
            detail = False
        listed = session.scalar(select(Case.id).where(visible_clause(actor), Case.id == case_id))
    assert detail == (listed is not None), f"{username}: detail and list disagree"
    return detail


@pytest.fixture(scope="module")
def users(vplatform: Platform) -> Platform:
    for username, roles, unit in (
        ("vis_legal_tx", ("legal_reviewer",), "SF-TX"),
        ("vis_legal_xsl", ("legal_reviewer",), "SF-XSL"),
        ("vis_mediator_street", ("mediator",), "SF-TX"),
        ("vis_judicial_street", ("judicial_officer",), "SF-TX"),
        ("vis_mediator_judicial", ("mediator", "judicial_officer"), "SF-TX"),
        ("vis_mediator_supervisor", ("mediator", "supervisor"), "SF-TX"),
        ("vis_judicial_only", ("judicial_officer",), "SF-SFJ-TX"),
    ):
        add_user(vplatform, username, roles, unit)
    return vplatform


def test_a_type_is_seen_only_by_the_roles_its_visibility_names(users: Platform) -> None:
    case_id = create(users, "tx_enforcer", PENALTY, summary="占道经营（测试）", party_name="测试甲")
    assert sees(users, "tx_enforcer", case_id)
    for username in ("supervisor1", "leader1", "admin"):  # region-wide and named
        assert sees(users, username, case_id), username
    # The hotline centre is not named: not even region-wide roles see the case; nor does a
    # unit role whose unit (the district itself) has access to every case.
    for username in ("operator1", "dispatcher1", "vis_unit_handler", "vis_unit_leader"):
        assert not sees(users, username, case_id), username


def test_subtree_scope_reaches_cases_of_the_units_below(users: Platform) -> None:
    """The case is led by 田心街道综合行政执法大队, below 田心街道."""
    case_id = create(users, "tx_enforcer", PENALTY, summary="违法建设（测试）", party_name="测试乙")
    assert sees(users, "vis_legal_tx", case_id)
    assert not sees(users, "vis_legal_xsl", case_id)  # another street
    assert not sees(users, "cgj_legal", case_id)  # another department


def test_involved_scope_is_the_units_own_cases_only(users: Platform) -> None:
    """The mediation is led by 田心街道人民调解委员会 (below 田心街道)."""
    case_id = create(users, "tx_mediator", MEDIATION, summary="邻里漏水纠纷（测试）")
    assert sees(users, "tx_mediator", case_id)
    assert not sees(users, "vis_mediator_street", case_id)  # the street above: not involved
    assert sees(users, "vis_judicial_street", case_id)  # subtree: the street above sees it
    assert not sees(users, "vis_judicial_only", case_id)  # the 司法所 is not above it


def test_the_broadest_scope_among_the_named_roles_applies(users: Platform) -> None:
    case_id = create(users, "tx_mediator", MEDIATION, summary="婚姻家庭纠纷（测试）")
    assert sees(users, "vis_mediator_judicial", case_id)  # judicial_officer: subtree
    # A supervisor sees everything of the types that name it; mediation does not, so the
    # same user sees this case only as a mediator (involved), which does not reach it…
    assert not sees(users, "vis_mediator_supervisor", case_id)
    # …while the hotline's orders, which name the supervisor, it sees region-wide.
    order = create(
        users,
        "operator1",
        "hotline",
        request_kind="complaint",
        category="CITY_APPEARANCE",
        content="小区门口占道经营（测试合成数据）",
    )
    assert sees(users, "vis_mediator_supervisor", order)
    assert not sees(users, "tx_mediator", order)


def test_a_restricted_type_is_seen_by_its_named_roles_in_scope_only(users: Platform) -> None:
    case_id = create(
        users, "tx_sfs", RESTRICTED, summary="接收社区矫正对象（测试）", subject_name="测试丙"
    )
    assert sees(users, "tx_sfs", case_id)
    assert sees(users, "vis_judicial_only", case_id)  # the same 司法所
    assert not sees(users, "vis_corr_xsl", case_id)  # another street's 司法所
    for username in ("supervisor1", "leader1", "admin", "vis_legal_aid_officer", "sfj_aid"):
        assert not sees(users, username, case_id), username


def test_a_user_with_two_roles_takes_the_actions_of_both(users: Platform) -> None:
    case_id = create(users, "tx_sfs", RESTRICTED, summary="接收（测试）", subject_name="测试丁")
    with transaction(users.sessions) as session:  # 走访 is the judicial officer's
        case = perform_action(session, context(users, "tx_sfs"), case_id, "visit", {"note": "走访"})
        assert case.state == "supervising"
    with transaction(users.sessions) as session:  # 解除矫正 the correction officer's
        ctx = context(users, "tx_sfs")
        assert perform_action(session, ctx, case_id, "release", {}).state == "closed"
    # One role alone: the judicial officer may not enrol a subject.
    fields = {"summary": "接收（测试）", "subject_name": "测试"}
    with pytest.raises(DomainError) as refused, transaction(users.sessions) as session:
        create_case(session, context(users, "vis_judicial_only"), RESTRICTED, fields)
    assert (refused.value.status, refused.value.code) == (403, "forbidden_role")


def test_an_event_names_all_the_roles_its_actor_held(users: Platform) -> None:
    case_id = create(users, "tx_sfs", RESTRICTED, summary="接收（测试）", subject_name="测试戊")
    with users.sessions() as session:
        event = session.scalar(select(Event).where(Event.case_id == case_id))
        assert event is not None
        assert event.actor["role"] == "judicial_officer"
        assert event.actor["roles"] == ["judicial_officer", "correction_officer"]
