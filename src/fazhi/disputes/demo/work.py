"""The synthetic 2023 reconsideration and litigation work of the seed report
(石峰区2023年法治政府建设报告: "收到行政复议案件83件，收到以区政府为被告的行政案件20件，共审结18件，
胜诉率为94.4%…共收到人民法院行政机关负责人出庭通知书9份，行政机关负责人出庭应诉率达到100%").

The report gives no more about reconsideration than the 83 received; the split below
(accepted, refused, decided by outcome, pending at the year's end) is made up for the demo.
Lawsuits: 20 received (19 first instance, 1 appeal of a 2023 judgment), 18 concluded of which
17 won and 1 lost (17 / 18 = 94.4%), 9 notices for the head of agency to appear, 9
appearances (100%).

SYNTHETIC: every name, number and fact is made up. Everything goes through the one door (each
case's actions and documents), at 2023 instants, by the demo's users. (No application is
accepted by silence here: that is the scheduler's, under the platform's system account, which
the demo does not create — the hotline demo has already marked every user's history read.)"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from fazhi.actions.demo_desk import Desk, at_2023
from fazhi.actions.platform import Platform
from fazhi.disputes.demo.mediation import CONCLUDED, SUCCEEDED, seed_mediation
from fazhi.store.db import transaction
from fazhi.store.models import Case, Unit, User

OFFICER = "sfj_fuyi"
RECEIVED = 83
REJECTED = (5, 23, 41, 58, 66, 77)  # refused at acceptance review (不予受理)
PENDING_FROM = 77  # applications from this one on are still being heard at the year's end
# The outcomes of the decided applications, in turn (71 decided: 13 corrected).
OUTCOMES = (
    ("maintain", 39),
    ("dismiss", 9),
    ("revoke", 6),
    ("change", 2),
    ("confirm_illegal", 3),
    ("order_performance", 2),
    ("terminate", 6),
    ("mediated", 4),
)
# Respondent units and the staff who file their replies (demo users).
RESPONDENTS = (
    ("SF-CGJ", "cgj_handler", "城市管理行政处罚决定"),
    ("SF-ZJJ", "zjj_handler", "房屋征收补偿决定"),
    ("SF-SCJG", "scjg_handler", "市场监管行政处罚决定"),
    ("SF-RSJ", "rsj_handler", "工伤认定决定"),
    ("SF-TX", "tx_handler", "违法建设限期拆除决定"),
)
LAWSUITS = 20
LOST = 7  # the one lawsuit lost
APPEALED = 18  # judged 2023-11-22, appealed by the plaintiff
NOTICED = (1, 3, 5, 7, 9, 11, 13, 15, 17)  # the 9 hearings the court summoned the head to
COURT = "株洲市中级人民法院"
YEAR_END = at_2023(12, 26)


def _outcomes() -> list[str]:
    return [name for name, n in OUTCOMES for _ in range(n)]


def _title(n: int) -> str:
    """The demo application's title (its challenged act)."""
    return f"{RESPONDENTS[n % len(RESPONDENTS)][2]}（合成演示数据）"


def _units(desk: Desk) -> dict[str, int]:
    codes = [code for code, _, _ in RESPONDENTS]
    rows = desk.session.execute(select(Unit.code, Unit.id).where(Unit.code.in_(codes))).all()
    return {str(code): int(unit_id) for code, unit_id in rows}


def _reconsideration(desk: Desk, n: int, units: dict[str, int], outcome: str | None) -> None:
    code, handler, _ = RESPONDENTS[n % len(RESPONDENTS)]
    start = at_2023(1 + (n - 1) * 12 // RECEIVED, 3 + (n * 7) % 24)
    case_id = desk.create(
        OFFICER,
        start,
        "reconsideration",
        applicant_kind="legal_person" if n % 4 == 0 else "citizen",
        applicant_name=f"复议申请人{n:02d}（合成）",
        applicant_phone=f"1390000{n:04d}",
        respondent=units[code],
        challenged_act=_title(n),
        challenged_number=f"石{code[3:]}决〔2023〕{n}号",
        request="请求撤销该行政行为（合成）。",
        procedure="simplified" if n % 6 == 0 else "general",
    )
    if n in REJECTED:
        desk.file(
            OFFICER,
            start + timedelta(days=2),
            case_id,
            "rejection_decision",
            number=f"石政复不受〔2023〕{n}号",
        )
        desk.act(
            OFFICER,
            start + timedelta(days=2),
            case_id,
            "reject",
            rejection_reason="不属于行政复议范围（合成）。",
        )
        return
    accepted = start + timedelta(days=2)
    issued = accepted.date().isoformat()
    desk.file(
        OFFICER,
        accepted,
        case_id,
        "acceptance_notice",
        number=f"石政复受〔2023〕{n}号",
        issued_on=issued,
    )
    desk.act(OFFICER, accepted, case_id, "accept")
    sent = accepted + timedelta(days=1)
    desk.file(
        OFFICER,
        sent,
        case_id,
        "reply_notice",
        number=f"石政复答〔2023〕{n}号",
        issued_on=sent.date().isoformat(),
    )
    desk.act(OFFICER, sent, case_id, "send_reply_notice")
    replied = sent + timedelta(days=6)
    desk.file(handler, replied, case_id, "reply", submitted_on=replied.date().isoformat())
    desk.act(handler, replied, case_id, "file_reply")
    if outcome is None:
        return
    # Decided within the year: the last applications decided in late December.
    decided = min(accepted + timedelta(days=25 if n % 6 == 0 else 45), YEAR_END)
    desk.file(
        OFFICER,
        decided,
        case_id,
        "decision",
        number=f"石政复决〔2023〕{n}号",
        decided_on=decided.date().isoformat(),
        outcome=outcome,
        reasoning="经审理查明的事实、理由和依据（合成演示数据）。",
    )
    desk.act(OFFICER, decided, case_id, "decide", outcome=outcome)
    desk.act(
        OFFICER, decided + timedelta(days=5), case_id, "close", note="决定书已送达双方（合成）。"
    )


def _lawsuit(desk: Desk, n: int, units: dict[str, int], start: datetime, **extra: object) -> int:
    code, handler, act = RESPONDENTS[n % len(RESPONDENTS)]
    fields: dict[str, object] = {
        "defendant_kind": "district_government",
        "defendant_unit": units[code],
        "plaintiff": f"原告{n:02d}（合成）",
        "court": COURT,
        "court_case_number": f"（2023）湘02行初{100 + n}号",
        "cause": f"诉石峰区人民政府{act}（合成）",
        "challenged_act": f"{act}（合成演示数据）",
        **extra,
    }
    case_id = desk.create(OFFICER, start, "litigation", **fields)
    filed = start + timedelta(days=10)
    desk.file(handler, filed, case_id, "defence", submitted_on=filed.date().isoformat())
    desk.act(handler, filed, case_id, "file_defence")
    return case_id


def _hearing(desk: Desk, n: int, case_id: int, when: datetime) -> None:
    hearing_on = when.date()
    if n in NOTICED:
        desk.act(
            OFFICER,
            when,
            case_id,
            "record_hearing",
            hearing_on=hearing_on.isoformat(),
            head_appearance="appeared",
            notice_sent_on=(hearing_on - timedelta(days=7)).isoformat(),
            head_name=f"负责人{n:02d}（合成）",
        )
    else:
        desk.act(
            OFFICER,
            when,
            case_id,
            "record_hearing",
            hearing_on=hearing_on.isoformat(),
            head_appearance="not_notified",
        )


def _judge(desk: Desk, n: int, case_id: int, when: datetime, judgment: str) -> None:
    day = when.date().isoformat()
    desk.file(
        OFFICER,
        when,
        case_id,
        "judgment",
        number=f"（2023）湘02行初{100 + n}号判决书",
        judged_on=day,
    )
    desk.act(OFFICER, when, case_id, "judge", judgment=judgment, judged_on=day)


def _litigation(desk: Desk, units: dict[str, int]) -> None:
    # 19 first-instance suits: 18 judged in 2023 (17 won, 1 lost), one still pending.
    appealed = 0
    for n in range(1, LAWSUITS):
        start = at_2023(1 + (n - 1) * 10 // LAWSUITS, 5 + n)
        case_id = _lawsuit(desk, n, units, start)
        if n == LAWSUITS - 1:
            continue  # pending at the year's end
        heard = start + timedelta(days=40)
        _hearing(desk, n, case_id, heard)
        _judge(desk, n, case_id, heard + timedelta(days=20), "lose" if n == LOST else "win")
        if n == APPEALED:
            appealed = case_id
    # The plaintiff of one suit won by the district appealed: the second instance, linked to
    # the first, still pending at the year's end.
    _lawsuit(desk, LAWSUITS, units, at_2023(12, 4), instance="second", first_instance=appealed)


def seed_disputes(platform: Platform) -> str:
    """Write the demo's disputes once; '' when there already are some (or no officer)."""
    with platform.sessions() as session:
        # The demo's titles mark the set as written (other applications may exist).
        demo = select(Case.id).where(Case.type == "reconsideration", Case.title == _title(1))
        if session.scalars(demo.limit(1)).first():
            return ""
        if not session.scalars(select(User.id).where(User.username == OFFICER)).first():
            return ""
    outcomes = iter(_outcomes())
    with transaction(platform.sessions) as session:
        desk = Desk(session, platform)
        units = _units(desk)
        for n in range(1, RECEIVED + 1):
            decided = n not in REJECTED and n < PENDING_FROM
            _reconsideration(desk, n, units, next(outcomes) if decided else None)
        _litigation(desk, units)
        seed_mediation(desk)
    return (
        f"行政复议：收到申请{RECEIVED}件（合成）；行政应诉：收案{LAWSUITS}件、审结18件、胜诉17件，"
        f"负责人出庭通知书9份、出庭9次；人民调解：调结{CONCLUDED}件、调解成功{SUCCEEDED}件。"
    )
