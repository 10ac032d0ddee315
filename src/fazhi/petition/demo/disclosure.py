"""The synthetic 2023 disclosure requests of the seed report (收到政府信息公开申请17件，均按程序
办结): 17 requests received by 区政府办 in 2023, every one concluded within the year. Where the
seed gives no figure the demo makes modest SYNTHETIC ones: 14 from natural persons and 3 from
legal persons; 9 disclosed, 3 partly disclosed (one after asking the third party), 2 not
disclosed, 2 not held, 1 not handled; one request of December 2022 carried over and disclosed
in January; one reconsideration (maintained) and one lawsuit brought directly (maintained).

SYNTHETIC: every applicant, phone and number is made up."""

from __future__ import annotations

from datetime import datetime, timedelta

from fazhi.actions.demo_desk import Desk, at_2023
from fazhi.domain.durations import LOCAL_TZ

HANDLER = "zfb_gk"
RECEIVED = 17
# (reply kind, refusal ground or not-handled reason) of the n-th request of 2023.
REPLIES = (
    ["disclosed"] * 9
    + ["partly_disclosed"] * 3
    + ["refused", "refused", "not_held", "not_held", "not_handled"]
)
GROUNDS = {"partly_disclosed": "third_party_rights", "refused": "deliberative"}


def _apply(desk: Desk, n: int, when: datetime) -> int:
    organisation = n % 5 == 0  # 3 of the 17: the 5th, 10th and 15th
    return desk.create(
        HANDLER,
        when,
        "disclosure_request",
        applicant_kind="legal_person" if organisation else "citizen",
        applicant_name=f"株洲某某有限公司（合成{n:02d}）"
        if organisation
        else f"申请人{n:02d}（合成）",
        applicant_phone=f"1390732{n:04d}",
        request_content=f"申请公开石峰区2023年第{n}批次项目审批有关信息（合成演示数据）",
        channel="online",
    )


def _reply(desk: Desk, case_id: int, when: datetime, kind: str) -> None:
    desk.file(
        HANDLER,
        when,
        case_id,
        "reply_letter",
        number=f"石政办公开〔{when.year}〕{case_id}号",
        issued_on=when.date().isoformat(),
    )
    inputs: dict[str, str] = {"reply_kind": kind, "reply_text": "答复如下（合成）。"}
    if kind in GROUNDS:
        inputs["refusal_ground"] = GROUNDS[kind]
    if kind == "not_handled":
        inputs["not_handled_reason"] = "complaint"
    desk.act(HANDLER, when, case_id, "reply", **inputs)


def seed_disclosure_year(desk: Desk) -> None:
    """Write the carried-over request and the year's 17 (caller holds the transaction)."""
    carried = _apply(desk, 0, datetime(2022, 12, 20, 10, tzinfo=LOCAL_TZ))
    _reply(desk, carried, at_2023(1, 10), "disclosed")
    for n in range(1, RECEIVED + 1):
        when = at_2023(1 + (n - 1) * 11 // RECEIVED, 5 + n % 20, 10)
        case_id = _apply(desk, n, when)
        kind = REPLIES[n - 1]
        replied = when + timedelta(days=12)
        if n == 10:  # the third party's rights: its opinion asked, the reply clock suspended
            asked = when + timedelta(days=3)
            desk.file(
                HANDLER,
                asked,
                case_id,
                "third_party_letter",
                number="石政办征〔2023〕1号",
                sent_on=asked.date().isoformat(),
            )
            desk.act(
                HANDLER,
                when + timedelta(days=3),
                case_id,
                "consult_third_party",
                third_party="株洲某某科技有限公司（合成）",
                matter="可能涉及商业秘密（合成）",
            )
            desk.act(
                HANDLER,
                when + timedelta(days=13),
                case_id,
                "receive_third_party_opinion",
                third_party_opinion="objects",
                note="第三方不同意公开其报价明细（合成）",
            )
            replied = when + timedelta(days=20)
        _reply(desk, case_id, replied, kind)
        if n == 13:
            desk.act(
                HANDLER,
                replied + timedelta(days=40),
                case_id,
                "record_reconsideration",
                reconsideration_result="maintained",
            )
        if n == 14:
            desk.act(
                HANDLER,
                replied + timedelta(days=50),
                case_id,
                "record_lawsuit",
                lawsuit_route="direct",
                lawsuit_result="maintained",
            )
