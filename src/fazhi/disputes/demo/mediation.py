"""The synthetic 2023 people's mediation of the seed report (石峰区2023年法治政府建设报告: "全区共
调解矛盾纠纷1727件，调解成功1724件，调解成功率高达99%").

1,727 disputes are mediated to an end within the year — 1,724 with a signed agreement, 3
without — and 8 taken in late December are still being mediated at the year's end. The
split by kind and the dates are made up. A successful mediation takes the shortest valid
path of the type (mediation.yaml): taken in, started with its mediator, one session
recorded, the agreement signed and the mediation concluded, then closed without judicial
confirmation; a failed one is started and ended without agreement.

SYNTHETIC: every party, mediator and dispute is made up. Everything goes through the one door
(each case's actions and documents) at 2023 instants, by the demo's mediator of the 田心街道
people's mediation committee."""

from __future__ import annotations

from datetime import datetime, timedelta

from fazhi.actions.demo_desk import Desk, at_2023

MEDIATOR = "tx_mediator"
CONCLUDED, SUCCEEDED, OPEN = 1727, 1724, 8
FAILED_AT = (400, 900, 1500)  # the three mediations ended without agreement
KINDS = ("neighbourhood", "family", "property", "labour", "contract", "damage", "other")
SUMMARIES = {
    "neighbourhood": "相邻双方因通行、漏水、噪音等问题发生纠纷",
    "family": "家庭成员之间因赡养、抚养等问题发生纠纷",
    "property": "业主与物业服务企业因物业费、维修等问题发生纠纷",
    "labour": "劳动者与用人单位因劳动报酬问题发生纠纷",
    "contract": "双方因买卖、租赁合同履行问题发生纠纷",
    "damage": "双方因人身、财产损害赔偿问题发生纠纷",
    "other": "双方因其他民间事务发生纠纷",
}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
MEDIATORS = ("曹淑芬", "谭建国", "易红梅", "刘志刚")


def when_of(n: int) -> datetime:
    """The n-th concluded mediation's intake: 3 January – 15 December, hours spread."""
    return at_2023(1, 3, 9) + timedelta(days=n * 346 // CONCLUDED, hours=n % 7)


def _parties(n: int) -> list[dict[str, str]]:
    first, second = SURNAMES[n % 20], SURNAMES[(n * 7 + 3) % 20]
    return [
        {
            "side": "applicant",
            "kind": "person",
            "name": f"{first}某{n % 10}（合成）",
            "phone": f"1390731{n:04d}",
        },
        {
            "side": "respondent",
            "kind": "person",
            "name": f"{second}某{(n + 5) % 10}（合成）",
            "phone": f"1390732{n:04d}",
        },
    ]


def _take_in(desk: Desk, n: int, when: datetime) -> int:
    kind = KINDS[n % len(KINDS)]
    case_id = desk.create(
        MEDIATOR,
        when,
        "mediation",
        dispute_kind=kind,
        summary=f"{SUMMARIES[kind]}，申请人民调解（合成演示数据）。",
        parties=_parties(n),
    )
    mediator = MEDIATORS[n % len(MEDIATORS)]
    desk.act(
        MEDIATOR,
        when + timedelta(hours=1),
        case_id,
        "start",
        mediators=[{"name": f"{mediator}（合成）", "certificate_no": f"TJ-{n % 40:04d}"}],
    )
    return case_id


def _agree(desk: Desk, n: int, case_id: int, when: datetime) -> None:
    day = when.date().isoformat()
    desk.act(
        MEDIATOR,
        when,
        case_id,
        "record_session",
        held_on=day,
        place="田心街道人民调解室",
        attendees="双方当事人、调解员（合成）",
        result="经调解双方达成一致（合成）。",
    )
    desk.file(
        MEDIATOR,
        when,
        case_id,
        "agreement",
        number=f"石田调〔2023〕{n + 1}号",
        signed_on=day,
        terms="双方就纠纷达成和解，互不追究（合成演示数据）。",
        performance="协议签订之日起七日内履行完毕",
    )
    desk.act(MEDIATOR, when, case_id, "reach_agreement")
    desk.act(MEDIATOR, when + timedelta(days=1), case_id, "close", note="协议已履行（合成）。")


def seed_mediation(desk: Desk) -> None:
    """The year's mediations: 1,727 concluded (1,724 agreed) and 8 still being mediated."""
    for n in range(CONCLUDED):
        start = when_of(n)
        case_id = _take_in(desk, n, start)
        if n in FAILED_AT:
            desk.act(
                MEDIATOR,
                start + timedelta(days=5),
                case_id,
                "record_failure",
                failure_reason="双方分歧较大，经多次调解未能达成协议，已告知其他救济途径（合成）。",
            )
        else:
            _agree(desk, n, case_id, start + timedelta(days=2, hours=2))
    for n in range(CONCLUDED, CONCLUDED + OPEN):
        _take_in(desk, n, at_2023(12, 21, 9) + timedelta(days=n - CONCLUDED))
