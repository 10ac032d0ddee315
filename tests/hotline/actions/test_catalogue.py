"""派单目录 at dispatch: an order whose catalogue item is departmental is not pushed down to a
street, community or grid without a recorded reason (国办函〔2025〕66号); the item named is
kept on the order; the hotline centre keeps the catalogue, every change in the admin log.
The test database holds the demo catalogue (tests/conftest.py)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError
from fazhi.hotline.actions.catalogue import (
    check_item,
    do_retire_item,
    do_save_item,
    item_by_code,
    load_item,
)
from fazhi.store.db import transaction
from fazhi.store.models import AdminLog, User
from tests.analytics.scenario import make_desk
from tests.api.flows import Desk, assert_error
from tests.support import FakeClock, ServerThread

STREET = "SF-TX"  # 田心街道
COMMUNITY = "SF-TX-C01"  # 田心东社区


@pytest.fixture
def desk(server: ServerThread, clock: FakeClock) -> Desk:
    return make_desk(server, clock)


def ctx(platform: Platform, clock: FakeClock, username: str) -> ActionContext:
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return ActionContext(platform, actor_for(platform, user), clock())


def dispatch(desk: Desk, case_id: int, **inputs: object) -> object:
    return desk.dispatcher.post(
        f"/api/v1/cases/{case_id}/actions/dispatch", json={"inputs": inputs}
    )


def test_a_departmental_item_is_not_dispatched_to_a_street_without_a_reason(desk: Desk) -> None:
    case_id = desk.registered(category="CITY_APPEARANCE")
    refused = dispatch(desk, case_id, lead_unit=STREET, catalogue_item="CA01")
    error = assert_error(refused, 422, "departmental_item")
    assert error["field"] == "street_reason"
    assert "「占道经营、流动摊贩查处」属部门职责" in error["message"]
    assert "石峰区城市管理和综合执法局" in error["message"]
    assert desk.case(case_id)["state"] == "registered"  # nothing written

    reason = "该路段由街道执法中队牵头整治（区城管局同意，测试）"
    desk.dispatcher.act(
        case_id, "dispatch", lead_unit=STREET, catalogue_item="CA01", street_reason=reason
    )
    case = desk.case(case_id)
    assert case["lead_unit"]["code"] == STREET
    assert desk.events(case_id)[-1]["payload"]["inputs"]["street_reason"] == reason


def test_the_item_named_is_kept_on_the_order_and_a_department_needs_no_reason(
    desk: Desk,
) -> None:
    case_id = desk.registered(category="CITY_APPEARANCE")
    desk.dispatcher.act(case_id, "dispatch", lead_unit="SF-CGJ", catalogue_item="CA01")
    assert desk.case(case_id, as_user="dispatcher1")["fields"]["catalogue_item"] == "CA01"
    # Reassigned to a community later, the recorded item still decides.
    response = desk.dispatcher.post(
        f"/api/v1/cases/{case_id}/actions/reassign", json={"inputs": {"lead_unit": COMMUNITY}}
    )
    assert assert_error(response, 422, "departmental_item")["field"] == "street_reason"


def test_a_street_item_goes_to_the_street_freely(desk: Desk) -> None:
    case_id = desk.registered(category="CITY_APPEARANCE")
    desk.dispatcher.act(case_id, "dispatch", lead_unit=STREET, catalogue_item="CA04")
    assert desk.case(case_id)["state"] == "dispatched"


def test_without_an_item_the_category_decides_when_all_its_items_are_departmental(
    desk: Desk,
) -> None:
    traffic = desk.registered(category="TRAFFIC", content="路口违章停车堵塞（测试合成数据）")
    assert_error(dispatch(desk, traffic, lead_unit=STREET), 422, "departmental_item")
    # 市容秩序 has a street item too (门前三包): the dispatcher's choice, no reason asked.
    mixed = desk.registered(category="CITY_APPEARANCE")
    desk.dispatcher.act(mixed, "dispatch", lead_unit=STREET)
    # 矛盾纠纷 is the street's (人民调解).
    dispute = desk.registered(category="DISPUTE", content="邻居漏水纠纷（测试合成数据）")
    desk.dispatcher.act(dispute, "dispatch", lead_unit=STREET)


def test_an_unknown_item_or_one_of_another_category_is_refused_at_its_field(
    desk: Desk,
) -> None:
    case_id = desk.registered(category="CITY_APPEARANCE")
    unknown = assert_error(dispatch(desk, case_id, lead_unit="SF-CGJ", catalogue_item="ZZ99"), 422)
    assert (unknown["code"], unknown["field"]) == ("unknown_item", "catalogue_item")
    other = assert_error(dispatch(desk, case_id, lead_unit="SF-JJDD", catalogue_item="TR01"), 422)
    assert (other["code"], other["field"]) == ("item_category", "catalogue_item")
    # Correcting the category in the same dispatch makes the item fit.
    desk.dispatcher.act(
        case_id, "dispatch", lead_unit="SF-JJDD", catalogue_item="TR01", category="TRAFFIC"
    )


def test_an_upheld_objection_is_held_to_the_same_rule(desk: Desk) -> None:
    case_id = desk.registered(category="TRAFFIC", content="违章停车（测试合成数据）")
    desk.dispatcher.act(case_id, "dispatch", lead_unit="SF-CGJ")
    desk.handler.act(case_id, "return", reason="违章停车属交警职责（测试）")
    response = desk.dispatcher.post(
        f"/api/v1/cases/{case_id}/actions/uphold_return",
        json={"inputs": {"lead_unit": STREET, "ruling": "目录：交通出行（测试）"}},
    )
    assert assert_error(response, 422, "departmental_item")["field"] == "street_reason"
    desk.dispatcher.act(
        case_id, "uphold_return", lead_unit="SF-JJDD", catalogue_item="TR01", ruling="目录 TR01"
    )
    assert desk.case(case_id)["lead_unit"]["code"] == "SF-JJDD"


def test_the_hotline_centre_keeps_the_catalogue_with_every_change_logged(
    platform: Platform, clock: FakeClock
) -> None:
    supervisor = ctx(platform, clock, "supervisor1")
    code = "T" + uuid.uuid4().hex[:6].upper()
    row = {
        "code": code,
        "name": f"共享单车乱停放清理{code}（测试）",
        "category": "CITY_APPEARANCE",
        "level": "department",
        "unit": "SF-CGJ",
        "basis": "区城管局“三定”规定（测试）",
    }
    with transaction(platform.sessions) as session:
        item = do_save_item(session, supervisor, check_item(session, supervisor, row))
        item_id = item.id
    with pytest.raises(DomainError) as duplicate, platform.sessions() as session:
        check_item(session, supervisor, {**row, "name": "另一个"})
    assert duplicate.value.field == "code" and "已被" in duplicate.value.message
    with pytest.raises(DomainError) as many, platform.sessions() as session:
        check_item(session, supervisor, {"code": "x y", "level": "department", "category": ""})
    assert {p.field for p in many.value.problems} == {"code", "name", "category", "unit", "basis"}
    with pytest.raises(DomainError) as street_unit, platform.sessions() as session:
        check_item(session, supervisor, {**row, "code": code + "B", "unit": STREET})
    assert street_unit.value.field == "unit"
    operator = ctx(platform, clock, "operator1")
    with pytest.raises(DomainError) as forbidden, platform.sessions() as session:
        check_item(session, operator, row)
    assert forbidden.value.status == 403

    with transaction(platform.sessions) as session:
        do_retire_item(session, supervisor, load_item(session, supervisor, item_id))
    with platform.sessions() as session:
        retired = item_by_code(session, platform.region_code, code)
        assert retired is not None and not retired.active
        logged = session.scalars(
            select(AdminLog.action).where(AdminLog.target == f"catalogue:{code}")
        ).all()
    assert logged == ["catalogue_item_saved", "catalogue_item_retired"]


def test_a_retired_item_cannot_be_named_at_dispatch(
    desk: Desk, platform: Platform, clock: FakeClock
) -> None:
    supervisor = ctx(platform, clock, "supervisor1")
    code = "R" + uuid.uuid4().hex[:6].upper()
    row = {
        "code": code,
        "name": "临时事项（测试）",
        "category": "CITY_APPEARANCE",
        "level": "street",
        "basis": "街道履职事项清单（测试）",
    }
    with transaction(platform.sessions) as session:
        item = do_save_item(session, supervisor, check_item(session, supervisor, row))
        do_retire_item(session, supervisor, item)
    case_id = desk.registered(category="CITY_APPEARANCE")
    error = assert_error(dispatch(desk, case_id, lead_unit=STREET, catalogue_item=code), 422)
    assert error["code"] == "unknown_item"
