"""The synthetic 2023 petitions of the seed report. The seed counts 171 petitions about online
training (网络培训的信访投诉举报1119起，其中信访171件), transferred to the market regulator
(区市场监管局), which handles them as consumer complaints. Where the seed gives no figure the
demo adds a modest SYNTHETIC year of the bureau's own: 8 wage petitions transferred to 区人社局,
4 not accepted, 2 withdrawn and 15 accepted — 12 answered (one after an extension), 3 of them
reviewed and 1 of those re-reviewed; 3 still being handled at the year's end. 200 in all.

SYNTHETIC: every petitioner, phone and number is made up. Every step goes through the one door
at a 2023 instant, by the demo's petition officer."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from fazhi.actions.demo_desk import Desk, at_2023
from fazhi.store.models import Unit

OFFICER = "xfj_officer"
ONLINE_TRAINING, WAGES, REFUSED, WITHDRAWN, ACCEPTED = 171, 8, 4, 2, 15
ANSWERED, REVIEWED, RE_REVIEWED = 12, 3, 1
TOTAL = ONLINE_TRAINING + WAGES + REFUSED + WITHDRAWN + ACCEPTED
CHANNELS = ("letter", "online", "online", "visit")
OWN_MATTERS = (
    ("housing", "反映房屋征收补偿安置标准问题"),
    ("urban_management", "反映小区周边占道经营长期未整治"),
    ("social_security", "反映养老保险待遇核定问题"),
    ("other", "反映村集体经济收益分配问题"),
)


def _units(desk: Desk) -> dict[str, int]:
    rows = desk.session.execute(
        select(Unit.code, Unit.id).where(Unit.code.in_(("SF-SCJG", "SF-RSJ")))
    ).all()
    return {str(code): int(unit_id) for code, unit_id in rows}


def _register(desk: Desk, n: int, when: datetime, matter: str, subject: str) -> int:
    channel = CHANNELS[n % len(CHANNELS)]
    return desk.create(
        OFFICER,
        when,
        "petition",
        channel=channel,
        petitioner_name=f"信访人{n:03d}（合成）",
        petitioner_phone=f"1390731{n:04d}",
        petitioners=1 + (n % 9 == 0) * 4,
        matter=matter,
        subject=f"{subject}（合成{n:03d}）",
        content=f"{subject}，请求依法处理（合成演示数据）。",
    )


def _day(n: int) -> datetime:
    """The n-th petition's instant, spread over 4 January – 30 November."""
    return at_2023(1, 4, 9) + timedelta(days=(n * 330) // TOTAL, hours=n % 7)


def _transfer(desk: Desk, case_id: int, when: datetime, unit: int, note: str) -> None:
    desk.act(OFFICER, when, case_id, "transfer", transferred_unit=unit, note=note)


def _paper(desk: Desk, case_id: int, when: datetime, kind: str, n: int, **data: str) -> None:
    desk.file(
        OFFICER,
        when,
        case_id,
        kind,
        number=f"石信〔2023〕{kind[:2]}{n:03d}号",
        issued_on=when.date().isoformat(),
        **data,
    )


def _accepted(desk: Desk, n: int, k: int, when: datetime) -> None:
    matter, subject = OWN_MATTERS[k % len(OWN_MATTERS)]
    case_id = _register(desk, n, when, matter, subject)
    told = when + timedelta(days=5 + k % 8)
    _paper(desk, case_id, told, "acceptance_notice", n)
    desk.act(OFFICER, told, case_id, "accept")
    if k >= ANSWERED:
        return  # still being handled at the year's end
    step = told + timedelta(days=12)
    desk.act(
        OFFICER,
        step,
        case_id,
        "record_handling",
        held_on=step.date().isoformat(),
        note="约谈信访人并调阅相关材料（合成）",
    )
    if k == 1:  # a complex matter: extended by the head of the bureau
        desk.act(
            OFFICER,
            step + timedelta(days=1),
            case_id,
            "extend_handling",
            days=30,
            approved_by="区信访局局长（合成）",
            reason="涉及多个部门，需联合调查（合成）",
        )
    answered = told + timedelta(days=40 + 25 * (k == 1))
    _paper(desk, case_id, answered, "handling_opinion", n, opinion="经调查核实，答复如下（合成）。")
    desk.act(
        OFFICER,
        answered,
        case_id,
        "answer",
        opinion_result=("explained", "supported", "not_supported")[k % 3],
    )
    if k >= REVIEWED:
        # Past the 30-day window however a holiday moves its last day.
        desk.act(OFFICER, answered + timedelta(days=45), case_id, "close", close_reason="lapsed")
        return
    asked = answered + timedelta(days=20)
    desk.act(OFFICER, asked, case_id, "request_review", note="信访人对处理意见不服（合成）")
    decided = asked + timedelta(days=25)
    _paper(desk, case_id, decided, "review_opinion", n, opinion="维持原处理意见（合成）。")
    desk.act(OFFICER, decided, case_id, "decide_review", review_result="explained")
    if k >= RE_REVIEWED:
        desk.act(
            OFFICER,
            decided + timedelta(days=3),
            case_id,
            "close_after_review",
            close_reason="satisfied",
        )
        return
    asked = decided + timedelta(days=15)
    desk.act(OFFICER, asked, case_id, "request_re_review", note="信访人对复查意见不服（合成）")
    done = asked + timedelta(days=20)
    _paper(desk, case_id, done, "re_review_opinion", n, opinion="复核意见：维持复查意见（合成）。")
    desk.act(OFFICER, done, case_id, "decide_re_review", re_review_result="explained")


def seed_petition_year(desk: Desk) -> None:
    """Write the year's petitions through the door (caller holds the transaction)."""
    units = _units(desk)
    for n in range(1, TOTAL + 1):
        when = _day(n)
        k = n - ONLINE_TRAINING - WAGES - REFUSED - WITHDRAWN  # index of the bureau's own
        if n <= ONLINE_TRAINING:
            case_id = _register(desk, n, when, "online_training", "反映网络教育培训机构拒不退费")
            _transfer(
                desk,
                case_id,
                when + timedelta(days=2 + n % 6),
                units["SF-SCJG"],
                "属消费维权事项，转区市场监管局按投诉处理（合成）",
            )
        elif n <= ONLINE_TRAINING + WAGES:
            case_id = _register(desk, n, when, "wages", "反映工地拖欠农民工工资")
            _transfer(
                desk,
                case_id,
                when + timedelta(days=3),
                units["SF-RSJ"],
                "属劳动保障监察事项，转区人社局调查处理（合成）",
            )
        elif n <= ONLINE_TRAINING + WAGES + REFUSED:
            case_id = _register(desk, n, when, "other", "要求撤销法院生效判决")
            told = when + timedelta(days=6)
            _paper(
                desk,
                case_id,
                told,
                "refusal_notice",
                n,
                reason="应当通过诉讼途径解决，请依法向人民法院申请再审（合成）",
            )
            desk.act(OFFICER, told, case_id, "refuse", refusal_reason="legal_channel")
        elif k <= 0:
            case_id = _register(desk, n, when, "housing", "反映相邻建筑采光问题")
            desk.act(
                OFFICER,
                when + timedelta(days=4),
                case_id,
                "withdraw",
                reason="双方协商一致，信访人撤回（合成）",
            )
        else:  # the bureau's own, spread over January – August so each walk ends in 2023
            _accepted(desk, n, k - 1, at_2023(1, 9, 9) + timedelta(days=(k - 1) * 16))
