"""The 未接来电 page: operators see the oldest open call first with the number to dial, record
a call-back (an order named by its RX number), import the telephony export (a bad file is
refused whole, each bad row named on the page), and roles outside the hotline are refused."""

from __future__ import annotations

import re
import uuid

from fazhi.actions.platform import Platform
from fazhi.hotline.actions.missed_calls import check_missed_call, do_record_missed_calls
from fazhi.hotline.store.missed_calls import MissedCall
from fazhi.store.db import transaction
from tests.hotline.actions.test_missed_calls import ctx
from tests.support import FakeClock
from tests.web.conftest import Console


def _calls(platform: Platform, clock: FakeClock, *times: str) -> list[str]:
    tags = [f"W{uuid.uuid4().hex[:10]}" for _ in times]
    calls = [
        check_missed_call({"call_id": t, "caller_phone": "17000006655", "called_at": at}, clock())
        for t, at in zip(tags, times, strict=True)
    ]
    with transaction(platform.sessions) as session:
        c = ctx(platform)
        do_record_missed_calls(session, type(c)(platform, c.actor, clock()), calls, "api")
    return tags


def test_the_list_puts_the_longest_waiting_caller_first(
    console: Console, platform: Platform, clock: FakeClock
) -> None:
    clock.set("2023-06-05T12:00:00+08:00")
    later, earlier = _calls(platform, clock, "2023-06-05 11:30", "2023-06-05 08:00")
    html = console("operator1").get("/missed-calls").text
    assert html.index(earlier) < html.index(later)
    row = re.search(rf'<tr data-call="{earlier}" class="overdue">(.*?)</tr>', html, re.S)
    assert row and "17000006655" in row[1] and "已超时" in row[1]
    assert "未接来电" in html and 'href="/missed-calls"' in html  # in the menu


def test_a_call_back_that_registered_an_order_closes_the_task(
    console: Console, platform: Platform, clock: FakeClock
) -> None:
    clock.set("2023-06-05T12:00:00+08:00")
    (tag,) = _calls(platform, clock, "2023-06-05 11:50")
    with platform.sessions() as session:
        missed = session.query(MissedCall).filter_by(call_id=tag).one()
    operator = console("operator1")
    refused = operator.post(
        f"/missed-calls/{missed.id}/call-back", data={"outcome": "registered", "case": ""}
    )
    assert refused.status_code == 422 and "请填写回拨后登记的工单编号" in refused.text
    intake = operator.post(
        "/intake",
        data={
            "request_kind": "consultation",
            "category": "GOV_SERVICE",
            "content": "回拨后登记：咨询社保转移（合成）",
            "caller_phone": "17000006655",
        },
    )
    assert intake.status_code in (200, 303), intake.text
    location = intake.headers.get("location") or intake.headers.get("hx-redirect") or ""
    case_id = int(re.search(r"/cases/(\d+)", location or intake.text)[1])  # type: ignore[index]
    done = operator.post(
        f"/missed-calls/{missed.id}/call-back",
        data={"outcome": "registered", "case": str(case_id), "note": "已登记"},
    )
    assert done.status_code in (200, 303)
    finished = operator.get("/missed-calls", params={"status": "done"}).text
    assert tag in finished and f'href="/cases/{case_id}"' in finished
    assert tag not in operator.get("/missed-calls").text


def test_a_bad_export_is_refused_whole_with_every_bad_row(
    console: Console, platform: Platform, clock: FakeClock
) -> None:
    clock.set("2023-06-05T12:00:00+08:00")
    tag = f"F{uuid.uuid4().hex[:8]}"
    text = (
        "呼叫编号,来电号码,来电时间\n"
        f"{tag}-1,17000006655,2023-06-05 09:00\n"
        f"{tag}-2,abc,2023-06-05 09:10\n"
        f"{tag}-3,17000006656,2023-06-09 09:10\n"
    )
    operator = console("operator1")
    response = operator.post(
        "/missed-calls/import", files={"file": ("calls.csv", text.encode(), "text/csv")}
    )
    assert response.status_code == 422
    assert "第3行" in response.text and "第4行" in response.text and "整批未写入" in response.text
    assert tag not in operator.get("/missed-calls").text
    good = text.split("\n")[0:2]
    response = operator.post(
        "/missed-calls/import",
        files={"file": ("calls.csv", ("\n".join(good) + "\n").encode(), "text/csv")},
    )
    assert response.status_code == 200 and "已导入 1 个" in response.text
    empty = operator.post("/missed-calls/import", files={"file": ("c.csv", b"", "text/csv")})
    assert empty.status_code == 422 and "请选择" in empty.text


def test_roles_outside_the_hotline_centre_are_refused(console: Console) -> None:
    for user in ("sfj_handler", "leader1"):
        page = console(user).get("/missed-calls")
        assert page.status_code == 403
        assert 'href="/missed-calls"' not in page.text
    supervisor = console("supervisor1").get("/missed-calls")
    assert supervisor.status_code == 200 and "导入话务系统" not in supervisor.text
