"""督办 over HTTP: overdue and at-risk orders per lead unit, the list with countdowns and marks,
the supervision and challenge forms (posted to the generic action endpoint), claiming a
challenge as a unit leader, and who may see what."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest

from tests.analytics.scenario import at, console_client, make_desk
from tests.api.flows import Desk
from tests.support import FakeClock, ServerThread

UNIT = "SF-SFJ"  # 区司法局, whose handler is sfj_handler
STREET = "SF-TX"  # 田心街道, whose leader is tx_leader
MONDAY = date(2024, 9, 2)
WEDNESDAY = date(2024, 9, 4)
NOW = at(date(2024, 9, 5), 10)  # Thursday


@dataclass
class Orders:
    overdue_unacknowledged: int  # dispatched Monday, never acknowledged: overdue
    overdue_urgent: int  # urgent, acknowledged Monday, 24 h to handle: overdue
    at_risk: int  # dispatched Wednesday afternoon: to acknowledge within a working day
    on_track: int  # acknowledged Monday: five working days to handle
    street_overdue: int  # dispatched to 田心街道 Monday, never acknowledged


def board_row(html: str, code: str) -> tuple[int, int, int]:
    """(overdue, at risk, open) of a unit in the table by lead unit; zeros when absent."""
    table = html.split('id="board-units"', 1)[1].split("</table>", 1)[0]
    found = re.search(rf'<tr data-unit="{code}">(.*?)</tr>', table, re.S)
    if not found:
        return (0, 0, 0)
    cells = [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", found[1])
    ]
    return (int(cells[1]), int(cells[2]), int(cells[3]))


def listed(html: str, section: str) -> list[int]:
    table = html.split(f'id="{section}"', 1)[1].split("</table>", 1)[0]
    return [int(x) for x in re.findall(r'<tr class="[^"]*" data-case-id="(\d+)">', table)]


def row_of(html: str, section: str, case_id: int) -> str:
    table = html.split(f'id="{section}"', 1)[1].split("</table>", 1)[0]
    return table.split(f'data-case-id="{case_id}">', 1)[1].split("</tr>", 1)[0]


def board(server: ServerThread, clock: FakeClock, username: str) -> str:
    clock.set(NOW)
    response = console_client(server, clock, username).get("/supervision")
    assert response.status_code == 200, response.text
    return response.text


@pytest.fixture(scope="module")
def before(server: ServerThread, clock: FakeClock) -> tuple[int, int, int]:
    """The unit's row before this module's orders exist (the database is shared)."""
    return board_row(board(server, clock, "supervisor1"), UNIT)


@pytest.fixture(scope="module")
def orders(server: ServerThread, clock: FakeClock, before: tuple[int, int, int]) -> Orders:
    desk = make_desk(server, clock)
    handler = desk["sfj_handler"]

    def dispatched(day: date, hour: int, lead: str = UNIT, **fields: str) -> int:
        clock.set(at(day, hour))
        case_id = desk.registered(content=f"督办测试：路灯不亮（测试合成数据）{hour}", **fields)
        clock.set(at(day, hour, 5))
        desk.dispatcher.act(case_id, "dispatch", lead_unit=lead)
        return case_id

    def acknowledged(case_id: int, day: date, hour: int) -> int:
        clock.set(at(day, hour, 10))
        handler.act(case_id, "acknowledge")
        return case_id

    made = Orders(
        overdue_unacknowledged=dispatched(MONDAY, 9),
        overdue_urgent=acknowledged(dispatched(MONDAY, 10, urgency="urgent"), MONDAY, 10),
        at_risk=dispatched(WEDNESDAY, 16),
        on_track=acknowledged(dispatched(MONDAY, 11), MONDAY, 11),
        street_overdue=dispatched(MONDAY, 12, lead=STREET),
    )
    clock.set(NOW)
    return made


def open_orders_of(desk: Desk, code: str) -> int:
    response = desk.supervisor.get(
        "/api/v1/cases", params={"type": "hotline", "unit": code, "open": "true", "page_size": 1}
    )
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


def test_overdue_and_at_risk_orders_are_counted_per_lead_unit(
    server: ServerThread, clock: FakeClock, before: tuple[int, int, int], orders: Orders
) -> None:
    html = board(server, clock, "supervisor1")
    overdue, at_risk, open_ = board_row(html, UNIT)
    assert (overdue - before[0], at_risk - before[1]) == (2, 1)
    assert open_ == open_orders_of(make_desk(server, clock), UNIT)
    assert open_ >= 4
    assert board_row(html, STREET)[0] >= 1
    assert "石峰区司法局" in html.split('id="board-units"', 1)[1].split("</table>", 1)[0]


def test_the_list_holds_overdue_and_at_risk_orders_most_urgent_first(
    server: ServerThread, clock: FakeClock, orders: Orders
) -> None:
    html = board(server, clock, "supervisor1")
    ids = listed(html, "board-list")
    mine = [orders.overdue_unacknowledged, orders.overdue_urgent, orders.at_risk]
    assert all(i in ids for i in mine)
    assert orders.on_track not in ids
    assert ids.index(orders.overdue_unacknowledged) < ids.index(orders.at_risk)
    late = row_of(html, "board-list", orders.overdue_unacknowledged)
    assert 'class="badge overdue">超期' in late
    assert f'href="/cases/{orders.overdue_unacknowledged}">RX20240902' in late
    assert "石峰区司法局" in late and "待签收" in late
    soon = row_of(html, "board-list", orders.at_risk)
    assert 'class="badge due_soon">今日到期' in soon  # due tonight: domain.due.remaining_label
    # A supervisor gets both forms on each row.
    assert f'action="/cases/{orders.at_risk}/do/supervise"' in soon
    assert 'name="kind"' in soon and 'name="reason"' in soon
    assert f'action="/cases/{orders.at_risk}/do/post_challenge"' in soon


def test_supervising_from_the_board_marks_the_order(
    server: ServerThread, clock: FakeClock, orders: Orders
) -> None:
    http = console_client(server, clock, "supervisor1")
    clock.set(NOW)
    case_id = orders.overdue_unacknowledged
    response = http.post(
        f"/cases/{case_id}/do/supervise",
        data={"kind": "key_supervision", "reason": "超期未签收，请立即办理（测试）"},
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/cases/{case_id}?done=supervise"
    row = row_of(board(server, clock, "supervisor1"), "board-list", case_id)
    assert '<span class="badge mark" data-mark="key_supervision">政府重点督办</span>' in row


def test_a_posted_challenge_is_claimed_by_a_unit_leader(
    server: ServerThread, clock: FakeClock, orders: Orders
) -> None:
    case_id = orders.overdue_urgent
    clock.set(NOW)
    response = console_client(server, clock, "leader1").post(
        f"/cases/{case_id}/do/post_challenge", data={"reason": "久拖未决，挂榜征集领办（测试）"}
    )
    assert response.status_code == 303, response.text
    html = board(server, clock, "supervisor1")
    assert case_id in listed(html, "challenge-list")
    assert "/do/claim_challenge" not in html  # only unit leaders claim
    assert f'action="/cases/{case_id}/do/post_challenge"' not in html  # posted already

    leader = board(server, clock, "tx_leader")
    row = row_of(leader, "challenge-list", case_id)
    assert f'action="/cases/{case_id}/do/claim_challenge"' in row and 'name="note"' in row
    response = console_client(server, clock, "tx_leader").post(
        f"/cases/{case_id}/do/claim_challenge", data={"note": "我单位牵头办理（测试）"}
    )
    assert response.status_code == 303, response.text
    assert case_id not in listed(board(server, clock, "tx_leader"), "challenge-list")
    case = make_desk(server, clock).case(case_id, as_user="supervisor1")
    assert case["lead_unit"]["code"] == STREET


def test_a_unit_leader_sees_only_its_own_subtree(
    server: ServerThread, clock: FakeClock, orders: Orders
) -> None:
    html = board(server, clock, "tx_leader")
    ids = listed(html, "board-list")
    assert orders.street_overdue in ids
    assert orders.overdue_unacknowledged not in ids and orders.at_risk not in ids
    assert board_row(html, UNIT) == (0, 0, 0)
    assert "田心街道及下属单位" in html
    assert "/do/supervise" not in html  # unit leaders do not supervise
    other = listed(board(server, clock, "cgj_leader"), "board-list")
    assert orders.street_overdue not in other and orders.overdue_unacknowledged not in other


def test_a_dispatcher_sees_the_board_without_forms(
    server: ServerThread, clock: FakeClock, orders: Orders
) -> None:
    html = board(server, clock, "dispatcher1")
    assert orders.overdue_unacknowledged in listed(html, "board-list")
    assert "/do/supervise" not in html and "/do/post_challenge" not in html


def test_other_roles_are_refused(server: ServerThread, clock: FakeClock) -> None:
    for username in ("operator1", "cgj_handler", "admin"):
        response = console_client(server, clock, username).get("/supervision")
        assert response.status_code == 403, username
        assert "无权" in response.text
