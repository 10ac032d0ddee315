"""通知 page: counts by status, failed and dead messages with masked recipients and their last
error, "retry now", and who may see it."""

from __future__ import annotations

import re

from sqlalchemy import insert, select

from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import OutboxMessage
from tests.analytics.scenario import console_client
from tests.support import FakeClock, ServerThread

PHONE = "17099887766"


def dead_message(platform: Platform) -> int:
    now = platform.now()
    with platform.writing(), transaction(platform.sessions) as session:
        return int(
            session.execute(
                insert(OutboxMessage).returning(OutboxMessage.id),
                {
                    "region_code": platform.region_code,
                    "created_at": now,
                    "channel": "sms",
                    "topic": "reply",
                    "recipient": PHONE,
                    "subject": "测试",
                    "body": "测试消息（合成数据）",
                    "status": "dead",
                    "attempts": 8,
                    "next_attempt_at": now,
                    "last_error": "短信网关答复 HTTP 503：测试",
                },
            ).scalar_one()
        )


def row(html: str, message_id: int) -> str:
    table = html.split('id="failed-messages"', 1)[1].split("</table>", 1)[0]
    found = re.search(rf'<tr data-message-id="{message_id}"[^>]*>(.*?)</tr>', table, re.S)
    return found[1] if found else ""


def count(html: str, status: str) -> int:
    found = re.search(rf'data-status="{status}"><span>[^<]*</span><b>(\d+)</b>', html)
    assert found, html
    return int(found[1])


def test_failed_list_and_retry(platform: Platform, server: ServerThread, clock: FakeClock) -> None:
    message_id = dead_message(platform)
    http = console_client(server, clock, "dispatcher1")
    page = http.get("/notifications")
    assert page.status_code == 200, page.text
    line = row(page.text, message_id)
    assert "170****7766" in line and PHONE not in page.text
    assert "HTTP 503" in line and "已放弃" in line and ">8<" in line
    dead_before = count(page.text, "dead")
    assert dead_before >= 1

    retried = http.post(f"/notifications/{message_id}/retry")
    assert retried.status_code == 303 and retried.headers["location"].startswith("/notifications")
    with platform.sessions() as session:
        status, due = session.execute(
            select(OutboxMessage.status, OutboxMessage.next_attempt_at).where(
                OutboxMessage.id == message_id
            )
        ).one()
    assert (status, due) == ("pending", clock())
    after = http.get("/notifications?retried=1")
    assert row(after.text, message_id) == ""
    assert count(after.text, "dead") == dead_before - 1
    assert "已重新排队" in after.text
    # Only failed or dead messages can be put back.
    assert http.post(f"/notifications/{message_id}/retry").status_code == 404


def test_admin_sees_the_page_units_do_not(server: ServerThread, clock: FakeClock) -> None:
    assert console_client(server, clock, "admin").get("/notifications").status_code == 200
    denied = console_client(server, clock, "cgj_handler")
    assert denied.get("/notifications").status_code == 403
    assert denied.post("/notifications/1/retry").status_code == 403
