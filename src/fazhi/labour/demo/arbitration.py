"""The synthetic 2023 labour arbitration of the seed report (劳动仲裁共受理案件135件，已办结
130件): 140 applications, 5 refused, 135 accepted; of those 130 closed (72 by mediation, 44 by
award, 14 withdrawn) and 5 still being heard at the year's end. A few awards are extended
(with the chair's approval) or suspended on the way.

SYNTHETIC: every party, number and amount is made up. Every step goes through the one door
at a 2023 instant, by the demo's arbitrator."""

from __future__ import annotations

from datetime import datetime, timedelta

from fazhi.actions.demo_desk import Desk, at_2023
from fazhi.labour.demo.parties import employer, id_number, phone, worker_name

ARBITRATOR = "rsj_arbitrator"
ACCEPTED, CLOSED, REFUSED = 135, 130, 5
MEDIATED, AWARDED = 72, 44  # the rest of the closed (14) withdrawn
KINDS = ("wages", "wages", "wages", "contract", "contract", "social_insurance", "injury", "other")


def _day(n: int, total: int) -> datetime:
    """The n-th application's instant, spread over 1 January – 10 November (open ones late)."""
    start = at_2023(1, 3, 9)
    return start + timedelta(days=(n * 311) // total, hours=n % 6)


def _apply(desk: Desk, n: int, when: datetime) -> int:
    name, code = employer(500 + n % 90)
    workers = 1 + (n % 7 == 0) * (n % 4)
    amount = 3000 + (n * 7919) % 60000
    return desk.create(
        ARBITRATOR,
        when,
        "labour_arbitration",
        applicants=[
            {
                "name": worker_name(n * 5 + i),
                "id_number": id_number(n * 5 + i),
                "phone": phone(n * 5 + i),
            }
            for i in range(workers)
        ],
        employer_name=name,
        employer_credit_code=code,
        dispute_kind=KINDS[n % len(KINDS)],
        claims=f"请求裁决被申请人支付拖欠工资及经济补偿金共计{amount}元（合成演示数据）。",
        amount_claimed=str(amount),
    )


def _accept(desk: Desk, case_id: int, n: int, when: datetime) -> None:
    desk.file(
        ARBITRATOR,
        when,
        case_id,
        "acceptance_notice",
        number=f"石劳人仲案字〔2023〕第{n:03d}号",
        issued_on=when.date().isoformat(),
    )
    desk.act(ARBITRATOR, when, case_id, "accept")


def _mediate(desk: Desk, case_id: int, n: int, when: datetime, amount: int) -> None:
    desk.act(ARBITRATOR, when, case_id, "start_mediation")
    done = when + timedelta(days=10 + n % 15)
    desk.file(
        ARBITRATOR,
        done,
        case_id,
        "mediation_statement",
        number=f"石劳人仲调字〔2023〕第{n:03d}号",
        signed_on=done.date().isoformat(),
        terms="被申请人于签收之日起十日内一次性支付申请人工资及补偿（合成）。",
        amount=str(amount * 4 // 5),
    )
    desk.act(ARBITRATOR, done, case_id, "settle")


def _award(desk: Desk, case_id: int, n: int, when: datetime, amount: int) -> None:
    desk.act(ARBITRATOR, when, case_id, "start_mediation")
    desk.act(ARBITRATOR, when + timedelta(days=7), case_id, "schedule_hearing", note="调解不成")
    heard = when + timedelta(days=20)
    desk.act(
        ARBITRATOR,
        heard,
        case_id,
        "record_hearing",
        held_on=heard.date().isoformat(),
        record="双方到庭，进行质证和辩论（合成）。",
    )
    if n % 11 == 0:  # a complex case: extended by the chair
        desk.act(
            ARBITRATOR,
            heard + timedelta(days=2),
            case_id,
            "extend_award",
            days=15,
            approved_by="仲裁委员会主任（合成）",
            reason="案情复杂，需补充调查（合成）",
        )
    if n % 13 == 0:  # waiting for an injury assessment
        desk.act(
            ARBITRATOR, heard + timedelta(days=3), case_id, "suspend", reason="等待工伤认定结论"
        )
        desk.act(ARBITRATOR, heard + timedelta(days=13), case_id, "resume")
    done = heard + timedelta(days=16)
    desk.file(
        ARBITRATOR,
        done,
        case_id,
        "award",
        number=f"石劳人仲裁字〔2023〕第{n:03d}号",
        issued_on=done.date().isoformat(),
        result="被申请人支付申请人拖欠工资（合成）。",
        amount=str(amount // 2),
    )
    desk.act(ARBITRATOR, done, case_id, "make_award", award_result="partly_upheld")


def seed_arbitration(desk: Desk) -> None:
    """Write the year's applications through the door (caller holds the transaction)."""
    total = ACCEPTED + REFUSED
    accepted = 0
    for n in range(1, total + 1):
        when = _day(n, total)
        case_id = _apply(desk, n, when)
        decided = when + timedelta(days=2)
        if n % 28 == 0:  # 5 refused: not a labour dispute, or out of time
            desk.file(
                ARBITRATOR,
                decided,
                case_id,
                "refusal_notice",
                number=f"石劳人仲不字〔2023〕第{n:03d}号",
                reason="申请事项不属于劳动人事争议处理范围（合成）",
            )
            desk.act(
                ARBITRATOR, decided, case_id, "refuse", refusal_reason="不属于劳动人事争议处理范围"
            )
            continue
        accepted += 1
        _accept(desk, case_id, accepted, decided)
        amount = 3000 + (n * 7919) % 60000
        if accepted > CLOSED:
            continue  # still before the tribunal at the year's end
        step = decided + timedelta(days=3)
        if accepted <= MEDIATED:
            _mediate(desk, case_id, accepted, step, amount)
        elif accepted <= MEDIATED + AWARDED:
            _award(desk, case_id, accepted, step, amount)
        else:
            desk.act(
                ARBITRATOR, step, case_id, "withdraw", withdraw_reason="双方和解，申请人撤回申请"
            )
