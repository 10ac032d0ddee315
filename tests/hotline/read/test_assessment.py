"""The monthly assessment (考核) and dispatch objections: a known month of orders taken
through the real actions over HTTP, including both rulings on a return and an order judged
unreasonable, read back through `fazhi.hotline.read.assessment` and `.objections`."""

from __future__ import annotations

from datetime import date

import pytest

from fazhi.actions.platform import Platform
from fazhi.hotline.read import assessment as ha
from fazhi.hotline.read import objections as ho
from tests.analytics.scenario import LEAD, OTHER, api_client, at, make_desk
from tests.hotline.read.test_stats import actor
from tests.support import FakeClock, ServerThread

MONDAY = date(2025, 11, 10)  # a month no other scenario touches (tests share one server)
WED = date(2025, 11, 12)
reply = {"reply": "已处理（测试）", "result": "resolved"}


_built: dict[str, dict[str, int]] = {}


@pytest.fixture(scope="module")
def month(server: ServerThread, clock: FakeClock) -> dict[str, int]:
    # Built once per server: the page tests (tests/hotline/web) read the same month.
    if server.url not in _built:
        _built[server.url] = _build(server, clock)
    return _built[server.url]


def _build(server: ServerThread, clock: FakeClock) -> dict[str, int]:
    desk = make_desk(server, clock)
    tx = api_client(server, clock, "tx_leader")
    ids: dict[str, int] = {}

    def new(name: str, hh: int, lead: str = LEAD) -> int:
        clock.set(at(MONDAY, hh))
        ids[name] = int(desk.operator.register(content=f"考核测试·{name}（测试合成数据）")["id"])
        clock.set(at(MONDAY, hh, 5))
        desk.dispatcher.act(ids[name], "dispatch", lead_unit=lead)
        return ids[name]

    def step(client: object, case_id: int, day: date, hh: int, action: str, **kw: object) -> None:
        clock.set(at(day, hh))
        client.act(case_id, action, **kw)  # type: ignore[attr-defined]

    a = new("A", 9)  # on time throughout, satisfied
    step(desk.handler, a, MONDAY, 10, "acknowledge")
    step(desk.handler, a, MONDAY, 15, "reply", **reply)
    step(desk.operator, a, MONDAY, 16, "revisit", rating="satisfied")
    b = new("B", 10)  # acknowledged late (1 working day), dissatisfied, reopened
    step(desk.handler, b, WED, 10, "acknowledge")
    step(desk.handler, b, WED, 11, "reply", **reply)
    step(desk.operator, b, WED, 12, "revisit", rating="dissatisfied")
    step(desk.operator, b, WED, 13, "reopen", reason="仍未解决（测试）")
    c = new("C", 11)  # returned by the lead unit; the objection is rejected: back to it
    step(desk.handler, c, MONDAY, 12, "return", reason="不属本单位（测试）")
    step(desk.dispatcher, c, MONDAY, 14, "reject_return", ruling="派单目录：占道经营属城管职责")
    d = new("D", 12, lead=OTHER)  # returned by the street; upheld: to the catalogue's unit
    step(tx, d, MONDAY, 13, "return", reason="属部门职责（测试）")
    step(desk.dispatcher, d, MONDAY, 15, "uphold_return", lead_unit=LEAD, ruling="目录：部门事项")
    e = new("E", 13)  # acknowledged late and dissatisfied, but judged unreasonable: left out
    step(desk.handler, e, WED, 14, "acknowledge")
    step(desk.handler, e, WED, 15, "reply", **reply)
    step(desk.operator, e, WED, 16, "revisit", rating="dissatisfied")
    step(desk.supervisor, e, WED, 17, "mark_unreasonable", reason="诉求超出法定范围（测试）")
    return ids


def test_a_rejected_objection_goes_back_to_the_unit_with_the_ruling_recorded(
    server: ServerThread, clock: FakeClock, month: dict[str, int]
) -> None:
    desk = make_desk(server, clock)
    case = desk.case(month["C"])
    assert case["state"] == "dispatched" and case["lead_unit"]["code"] == LEAD
    ruling = desk.events(month["C"])[-1]
    assert ruling["action"] == "reject_return"
    assert ruling["payload"]["inputs"]["ruling"] == "派单目录：占道经营属城管职责"


def test_an_upheld_objection_reassigns_to_the_catalogues_unit(
    server: ServerThread, clock: FakeClock, month: dict[str, int]
) -> None:
    desk = make_desk(server, clock)
    case = desk.case(month["D"])
    assert case["state"] == "dispatched" and case["lead_unit"]["code"] == LEAD
    # A ruling is taken only on a returned order, and only by the hotline centre.
    desk.handler.act(month["A"], "reject_return", expect=403, ruling="x")


def test_objections_per_unit(platform: Platform, month: dict[str, int]) -> None:
    directory = platform.directory()
    with platform.sessions() as session:
        rows = ho.objections_by_unit(
            session, actor(platform, "supervisor1"), ha.month_period("2025-11")
        )
    lead, street = rows[directory.by_code[LEAD].id], rows[directory.by_code[OTHER].id]
    assert (lead.raised, lead.upheld, lead.rejected) == (1, 0, 1)
    assert (street.raised, street.upheld, street.rejected) == (1, 1, 0)


def test_the_monthly_assessment_arithmetic_leaves_out_unreasonable_orders(
    platform: Platform, month: dict[str, int]
) -> None:
    directory = platform.directory()
    with platform.sessions() as session:
        rows = ha.assess(
            session, actor(platform, "supervisor1"), ha.month_period("2025-11"), directory
        )
    by_id = {r.unit_id: r for r in rows}
    lead = by_id[directory.by_code[LEAD].id]
    assert (lead.acknowledged, lead.acknowledged_on_time) == (2, 1)  # A, B (E left out)
    assert (lead.replied, lead.replied_on_time) == (2, 2)
    assert (lead.rated, lead.satisfied, lead.reopened) == (2, 1, 1)
    assert (lead.given, lead.objections_rejected) == (5, 1)  # A B C, C back, D upheld
    assert lead.excluded == 4  # E: dispatch, acknowledge, reply, revisit — counted nowhere
    assert lead.rates == {
        "response": 0.5,
        "on_time": 1.0,
        "satisfaction": 0.5,
        "objections_rejected": 0.2,
        "reopened": 0.5,
    }
    # 100 × (0.2×0.5 + 0.3×1 + 0.3×0.5 + 0.1×(1−0.2) + 0.1×(1−0.5))
    assert lead.score == 68.0
    street = by_id[directory.by_code[OTHER].id]
    assert (street.given, street.objections_rejected, street.score) == (1, 0, 100.0)
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    assert ha.month_period("2024-12").end == date(2024, 12, 31)
