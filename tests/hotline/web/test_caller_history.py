"""来电人历史: a caller's earlier orders, found by the phone's one-way key, with outcomes and
ratings — on the case page (without the order itself) and on intake as the phone is typed;
each reader sees only the orders their role may see, and roles outside the work none."""

from __future__ import annotations

import random
import re

import httpx

from tests.analytics.scenario import console_client
from tests.api.flows import Desk
from tests.support import FakeClock, ServerThread


def phone() -> str:
    return f"170{random.randrange(10**8):08d}"


def rows(html: str) -> list[str]:
    table = html.split('id="caller-history-list"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr data-case="(\d+)">', table)


def panel(client: httpx.Client, case_id: int) -> httpx.Response:
    return client.get(f"/cases/{case_id}/caller-history")


def test_the_case_page_lists_the_callers_earlier_orders_with_their_ratings(
    server: ServerThread, clock: FakeClock, desk: Desk
) -> None:
    number = phone()
    clock.set("2023-07-03T09:00:00+08:00")
    pleased = desk.closed(caller_phone=number)
    clock.set("2023-07-10T09:00:00+08:00")
    unhappy = desk.revisited(rating="dissatisfied", caller_phone=number)
    clock.set("2023-07-17T09:00:00+08:00")
    other = desk.registered(caller_phone=phone())
    current = desk.registered(caller_phone=number)

    response = panel(console_client(server, clock, "operator1"), current)
    assert response.status_code == 200
    html = response.text
    assert rows(html) == [str(unhappy), str(pleased)]  # newest first, not the order itself
    assert str(other) not in rows(html)
    summary = re.sub(
        r"<[^>]+>", "", html.split('id="caller-history-summary"', 1)[1].split("</p>")[0]
    )
    assert "此前共 2 件" in summary and "满意 1" in summary and "不满意 1" in summary
    assert "在办 1 件" in summary  # the dissatisfied one is not closed
    assert "不满意</span>" in html and "已解决" in html  # rating and result labels, not codes
    assert number not in html and "dissatisfied" not in html.replace("rating-dissatisfied", "")

    # The page itself loads the panel for the roles who work the order.
    page = console_client(server, clock, "dispatcher1").get(f"/cases/{current}").text
    assert f'hx-get="/cases/{current}/caller-history"' in page


def test_each_reader_sees_only_what_their_role_may_see(
    server: ServerThread, clock: FakeClock, desk: Desk
) -> None:
    number = phone()
    clock.set("2023-08-01T09:00:00+08:00")
    theirs = desk.dispatched(caller_phone=number)  # to 区城管局, cgj_handler's unit
    elsewhere = desk.dispatched(lead="SF-SFJ", caller_phone=number)
    current = desk.dispatched(caller_phone=number)
    handler = panel(console_client(server, clock, "cgj_handler"), current)
    assert handler.status_code == 200
    assert rows(handler.text) == [str(theirs)]  # not the order of another unit
    assert str(elsewhere) in rows(panel(console_client(server, clock, "supervisor1"), current).text)
    refused = panel(console_client(server, clock, "leader1"), current)
    assert refused.status_code == 403 and "无权" in refused.text
    assert panel(console_client(server, clock, "operator1"), 999_999_999).status_code == 404


def test_intake_shows_the_history_as_the_phone_is_typed(
    server: ServerThread, clock: FakeClock, desk: Desk
) -> None:
    number = phone()
    clock.set("2022-03-01T09:00:00+08:00")  # long before the 30-day repeat window
    old = desk.closed(caller_phone=number)
    clock.set("2023-09-01T09:00:00+08:00")
    operator = console_client(server, clock, "operator1")
    html = operator.get("/intake/recent", params={"caller_phone": number}).text
    assert 'id="intake-caller-history"' in html and rows(html) == [str(old)]
    assert "此前共 <strong>1</strong> 件" in html
    fresh = operator.get("/intake/recent", params={"caller_phone": phone()}).text
    assert "intake-caller-history" not in fresh  # a new caller: nothing to show
