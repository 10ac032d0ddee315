"""The synthetic 2023 consumer complaints of the seed report: 受理各投诉举报平台共计6369起，争议
金额429.93万元，为消费者挽回经济损失6.9万元，全国12315平台办结率97.46%，区12345消费者投诉
举报办结率100%; 网络培训1119起（其中信访171件）, 列入经营异常11户.

The plan (index k of 6,369): the first 1,119 are online training, grouped in the campaign —
171 by petition, 700 from 12315, 248 from 12345; the other 5,250 have other topics, 4,300 from
12315 and 950 from 12345. 127 complaints of 12315 registered in late December are still open at
the year's end (5,000 received, 4,873 closed: 97.46%); every other complaint is closed.
Paths: 11 online-training businesses that cannot be reached are listed in the
abnormal-operation register and their mediation terminated; 600 complaints are settled by
mediation with 69,000 yuan recovered in all (a dozen walked with the acceptance notice, a
suspension for testing and the 调解书); one in 25 of the others is not accepted; the petitions
are accepted with a notice and mediated to an end; the rest are withdrawn after the parties
settle between themselves (2 events) or mediated without agreement.

SYNTHETIC: every party, number and amount is made up. Every step goes through the one door at
a 2023 instant, by the demo's consumer officers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fazhi.actions.demo_desk import Desk, at_2023
from fazhi.consumer.demo.parties import business, complainant, phone

OFFICER, STATION = "scjg_consumer", "scjg_tx_consumer"
TOTAL, AMOUNT_IN_DISPUTE, RECOVERED = 6369, 4_299_300, 69_000
ONLINE, PETITION, ONLINE_12315 = 1119, 171, 700  # online training: the rest (248) from 12345
OTHER_12315 = 4300  # the other topics: the rest (950) from 12345
OPEN, LISTED, SETTLED = 127, 11, 600
OTHER_TOPICS = (
    "goods_quality",
    "online_shopping",
    "prepaid_card",
    "services",
    "price",
    "education_training",
    "other",
)


def channel_of(k: int) -> str:
    if k < PETITION:
        return "petition"
    if k < PETITION + ONLINE_12315:
        return "platform_12315"
    if k < ONLINE:
        return "hotline_12345"
    return "platform_12315" if k < ONLINE + OTHER_12315 else "hotline_12345"


def topic_of(k: int) -> str:
    return "online_training" if k < ONLINE else OTHER_TOPICS[k % len(OTHER_TOPICS)]


def is_open(k: int) -> bool:
    """The last 127 complaints of 12315 with other topics, registered in late December."""
    return ONLINE + OTHER_12315 - OPEN <= k < ONLINE + OTHER_12315


def is_listed(k: int) -> bool:
    return PETITION <= k < PETITION + LISTED


def settled() -> list[int]:
    """The 600 complaints settled by mediation: every seventh closed one of the other topics."""
    chosen = [k for k in range(ONLINE, TOTAL) if k % 7 == 3 and not is_open(k)]
    return chosen[:SETTLED]


def amounts() -> list[int]:
    """6,369 amounts in dispute (yuan) adding up to the seed's 4,299,300: small ones for the
    other topics, the online-training fees filling the rest."""
    other = {k: 120 + (k * 31) % 100 for k in range(ONLINE, TOTAL)}
    budget = AMOUNT_IN_DISPUTE - sum(other.values())
    base = [1_500 + (k * 7_919) % 3_000 for k in range(ONLINE)]
    share, rest = divmod(budget - sum(base), ONLINE)
    online = [b + share + (1 if k < rest else 0) for k, b in enumerate(base)]
    return online + [other[k] for k in range(ONLINE, TOTAL)]


def recoveries(chosen: list[int]) -> dict[int, int]:
    share, rest = divmod(RECOVERED, len(chosen))
    return {k: share + (1 if i < rest else 0) for i, k in enumerate(chosen)}


def when_of(k: int) -> datetime:
    """The k-th complaint's instant: 3 January – 20 November, the open ones 18–28 December."""
    if is_open(k):
        first = ONLINE + OTHER_12315 - OPEN
        return at_2023(12, 18, 9) + timedelta(days=(k - first) * 10 // OPEN, hours=k % 6)
    return at_2023(1, 3, 9) + timedelta(days=(k * 321) // TOTAL, hours=k % 8)


def _register(desk: Desk, user: str, k: int, amount: int, campaign: int | None) -> int:
    topic = topic_of(k)
    name, code = business(k, topic)
    fields: dict[str, Any] = {
        "channel": channel_of(k),
        "complainant_name": complainant(k),
        "complainant_phone": phone(k),
        "business_name": name,
        "business_credit_code": code,
        "topic": topic,
        "amount_in_dispute": str(amount),
        "summary": "消费者反映经营者拒不退费或商品、服务存在问题（合成演示数据）。",
    }
    if channel_of(k) != "hotline_12345":
        fields["platform_number"] = f"{'XF' if k < PETITION else '12315'}2023{k:06d}"
    if campaign is not None and topic == "online_training":
        fields["campaign"] = campaign
    return desk.create(user, when_of(k), "consumer_complaint", **fields)


def _notice(desk: Desk, user: str, when: datetime, case_id: int, k: int) -> None:
    desk.file(
        user,
        when,
        case_id,
        "acceptance_notice",
        number=f"石市监投受〔2023〕{k:04d}号",
        issued_on=when.date().isoformat(),
    )


def _list_and_terminate(desk: Desk, when: datetime, case_id: int, k: int) -> None:
    desk.file(
        OFFICER,
        when,
        case_id,
        "abnormal_listing_decision",
        number=f"石市监异〔2023〕{k - PETITION + 1:02d}号",
        issued_on=when.date().isoformat(),
        finding="经实地核查，被投诉人通过登记的住所或者经营场所无法联系（合成）。",
    )
    desk.act(OFFICER, when, case_id, "list_abnormal")
    desk.act(
        OFFICER, when + timedelta(hours=1), case_id, "terminate", termination_ground="unreachable"
    )


def _walk_settlement(desk: Desk, user: str, when: datetime, case_id: int, k: int, got: int) -> None:
    """A settlement walked fully: testing suspends the clock, the 调解书 is signed."""
    desk.act(user, when, case_id, "suspend_mediation", reason="送检商品质量（合成）。")
    desk.act(user, when + timedelta(days=6), case_id, "resume_mediation")
    signed = when + timedelta(days=8)
    desk.file(
        user,
        signed,
        case_id,
        "mediation_agreement",
        number=f"石市监调〔2023〕{k:04d}号",
        signed_on=signed.date().isoformat(),
        terms=f"被投诉人退还消费者{got}元（合成）。",
        amount=str(got),
    )
    desk.act(user, signed, case_id, "settle", amount_recovered=str(got))


def _handle(desk: Desk, user: str, k: int, case_id: int, got: int | None) -> None:
    """Decide and close the k-th complaint (or leave it open at the year's end)."""
    start = when_of(k)
    decided = start + timedelta(days=2)
    if is_open(k):
        if k % 2:
            desk.act(user, decided, case_id, "accept")
        return
    if is_listed(k):
        desk.act(OFFICER, decided, case_id, "accept")
        _list_and_terminate(desk, decided + timedelta(days=10), case_id, k)
        return
    if k < PETITION:
        _notice(desk, user, decided, case_id, k)
        desk.act(user, decided, case_id, "accept")
        desk.act(
            user,
            decided + timedelta(days=20),
            case_id,
            "terminate",
            termination_ground="no_agreement",
        )
        return
    if got is not None:
        if k % 50 == 3:
            _notice(desk, user, decided, case_id, k)  # a paper notice on file too
        desk.act(user, decided, case_id, "accept")
        if k % 50 == 3:
            _walk_settlement(desk, user, decided + timedelta(days=3), case_id, k, got)
        else:
            desk.act(
                user, decided + timedelta(days=12), case_id, "settle", amount_recovered=str(got)
            )
        return
    if k >= ONLINE and k % 25 == 0:
        desk.act(user, decided, case_id, "refuse", refusal_ground="no_jurisdiction")
    elif k % 5 == 1:
        desk.act(user, decided, case_id, "accept")
        desk.act(
            user,
            decided + timedelta(days=15),
            case_id,
            "terminate",
            termination_ground="no_agreement",
        )
    else:
        desk.act(user, start + timedelta(days=1), case_id, "withdraw")


def seed_complaints(desk: Desk, campaign: int) -> None:
    """The 6,369 complaints of the year, the online-training ones linked to `campaign`."""
    got = recoveries(settled())
    for k, amount in enumerate(amounts()):
        # The 田心 station takes a share of the 12345 complaints of other topics.
        user = STATION if k >= ONLINE + OTHER_12315 and k % 10 == 0 else OFFICER
        case_id = _register(desk, user, k, amount, campaign)
        _handle(desk, user, k, case_id, got.get(k))
