"""Cohort counters (`day: created`): a metric filed under the day its case was created, so a
period's sum counts what happened to the cases received in it, whenever it happened. Shown
on the disclosure request's `received_concluded` (received and concluded) through the real
actions over HTTP: the live count files a January reply under the December day of its
request, the rebuild from the events gives the same rows, and the ledger lists exactly the
events the figure counts. Synthetic applicants only."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from fazhi.actions.platform import Platform
from fazhi.actions.rollups import do_rebuild_rollups
from fazhi.store.db import transaction
from fazhi.store.models import RollupDaily
from tests.api.conftest import Login
from tests.support import ApiClient, FakeClock, at, file_paper

HANDLER = "zfb_gk"  # 区政府办 disclosure staff (demo organisation)
OFFICE = "yfzq_office"  # 区委依法治区办, who reads the indicators
TYPE = "disclosure_request"
REGION = "430204"
R = RollupDaily


def _apply(handler: ApiClient) -> int:
    body = {
        "applicant_kind": "citizen",
        "applicant_name": "测试申请人丙（队列合成）",
        "applicant_phone": "17000008013",
        "request_content": "申请公开某项目的批复文件（队列计数测试）",
        "channel": "online",
    }
    response = handler.post("/api/v1/cases", json={"type": TYPE, "fields": body})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _reply(handler: ApiClient, case_id: int, day: str) -> None:
    file_paper(
        handler, case_id, "reply_letter", number=f"石政办公开〔T〕{case_id}号", issued_on=day
    )
    handler.act(case_id, "reply", reply_kind="disclosed", reply_text="予以公开（测试）。")


def _cells(platform: Platform, metrics: tuple[str, ...]) -> dict[tuple[date, str], int]:
    with platform.sessions() as session:
        rows = session.execute(
            select(R.day, R.metric, func.sum(R.value))
            .where(R.region_code == REGION, R.case_type == TYPE, R.metric.in_(metrics))
            .group_by(R.day, R.metric)
        ).all()
    return {(day, str(metric)): int(n) for day, metric, n in rows}


def _all_rows(platform: Platform) -> list[tuple[object, ...]]:
    with platform.sessions() as session:
        return sorted(
            tuple(r)
            for r in session.execute(
                select(
                    R.region_code,
                    R.day,
                    R.case_type,
                    R.lead_unit_id,
                    R.category,
                    R.grid_id,
                    R.metric,
                    R.value,
                ).where(R.region_code == REGION)  # constructed rows elsewhere are not events'
            )
        )


def test_a_cohort_counter_files_under_the_day_of_reception(
    platform: Platform, login: Login, clock: FakeClock
) -> None:
    metrics = ("received", "concluded", "received_concluded")
    before = _cells(platform, metrics)
    handler = login(HANDLER)
    at(clock, "2024-12-23")
    carried = _apply(handler)  # received in December, replied in January
    at(clock, "2025-01-06")
    _reply(handler, carried, "2025-01-06")
    still_open = _apply(handler)
    at(clock, "2025-01-07", 10)
    withdrawn = _apply(handler)
    at(clock, "2025-01-08")
    handler.act(withdrawn, "withdraw", reason="申请人撤回（测试）")
    assert handler.case(still_open).json()["state"] == "received"

    after = _cells(platform, metrics)
    added = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    dec23, jan6, jan7, jan8 = (
        date(2024, 12, 23),
        date(2025, 1, 6),
        date(2025, 1, 7),
        date(2025, 1, 8),
    )
    assert {k: n for k, n in added.items() if n} == {
        (dec23, "received"): 1,
        (jan6, "received"): 1,
        (jan7, "received"): 1,
        # The day-of-event counter: the conclusions on the days they happened.
        (jan6, "concluded"): 1,
        (jan8, "concluded"): 1,
        # The cohort counter: each conclusion on the day its request came in.
        (dec23, "received_concluded"): 1,
        (jan7, "received_concluded"): 1,
    }

    # The rebuild replays the events through the same mapping: the same rows, every type.
    live = _all_rows(platform)
    with transaction(platform.sessions) as session:
        assert do_rebuild_rollups(session, platform, flush_every=5) > 0
    assert _all_rows(platform) == live

    # The ledger of the December day lists the January reply its cohort figure counts.
    office = login(OFFICE)
    day = {"from": "2024-12-23", "to": "2024-12-23"}
    rate = office.get("/api/v1/indicators/disclosure.conclusion_rate", params=day).json()
    ledger = office.get("/api/v1/indicators/disclosure.conclusion_rate/ledger", params=day)
    assert ledger.status_code == 200, ledger.text
    concluded, received = ledger.json()["sheets"]
    assert (concluded["count"], received["count"]) == (rate["numerator"], rate["denominator"])
    assert concluded["count"] >= 1
    replies = [row for row in concluded["rows"] if row[4].startswith("2025-01-06")]
    assert len(replies) == 1 and replies[0][3] == "答复"
