"""The synthetic 2023 legal-aid work of the seed report (石峰区2023年法治政府建设报告): a yearly
target of 260 cases and 456 cases approved and handled (completion 175%), among them
(2023)湘援0204刑136号, marked a provincial excellent case; with the lawyer register the
centre assigns from, a few applications refused (one objected to) and withdrawn, and some
taken in at 田心街道司法所 or forwarded from 12345 LEGAL_AID work orders.

SYNTHETIC: every name, matter and lawyer is made up. Everything goes through the one door
(each case's actions and documents) at 2023 instants by the demo's users. To keep `fazhi demo`
quick, one case in twelve (and case 刑136) is walked to its evaluation; the others take the
shortest valid path (application, then the decision to grant aid, which numbers the case)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from fazhi.actions.context import ActionContext
from fazhi.actions.demo_desk import Desk
from fazhi.actions.platform import Platform
from fazhi.domain.durations import LOCAL_TZ
from fazhi.legal_aid import lawyers as register
from fazhi.legal_aid.store import Lawyer
from fazhi.legal_aid.targets import do_set_target
from fazhi.store.db import transaction
from fazhi.store.models import Case, Unit, User

OFFICER = "sfj_aid"
STREET = "tx_sfs"  # 田心街道司法所
YEAR, TARGET = 2023, 260
# Cases approved and handled in 2023 by kind: 456 in all, 168 of them criminal (刑136 among them).
KINDS = (("criminal", 168), ("civil", 252), ("administrative", 16), ("non_litigation", 20))
EXCELLENT = ("criminal", 136)
REFUSED, WITHDRAWN, LINKED = 7, 3, 8
FIRMS = ("湖南石峰律师事务所（合成）", "株洲明法律师事务所（合成）", "湖南清水塘律师事务所（合成）")
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高"
MATTERS = {
    "criminal": "犯罪嫌疑人经济困难，申请指派律师担任辩护人（合成）",
    "civil": "追索劳动报酬纠纷，申请代理（合成）",
    "administrative": "工伤认定行政诉讼，申请代理（合成）",
    "non_litigation": "农民工欠薪，申请法律援助协助讨薪（合成）",
}


def _lawyer_rows() -> list[dict[str, str]]:
    rows = []
    for n in range(12):
        rows.append(
            {
                "licence_number": f"1430220{n + 10:02d}1000{n:03d}",  # synthetic
                "name": f"{SURNAMES[n]}律师（合成）",
                "law_firm": FIRMS[n % 3],
                "practice_areas": "刑事辩护" if n % 2 == 0 else "民事、行政代理",
                "active": "否" if n == 11 else "是",
            }
        )
    return rows


def _day(n: int, total: int) -> datetime:
    """The n-th of `total` applications, spread from 3 January to 15 December 2023."""
    offset = n * 345 // total
    day = date(YEAR, 1, 3) + timedelta(days=offset)
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=LOCAL_TZ)


def _schedule() -> list[str]:
    """The kinds of the 456 accepted cases in order of acceptance, interleaved through the year."""
    left = dict(KINDS)
    total = sum(left.values())
    out: list[str] = []
    seen = {k: 0 for k in left}
    for i in range(total):
        # Each kind gets its share of each stretch of the year (largest remainder first).
        kind = max(left, key=lambda k: (dict(KINDS)[k] * (i + 1) / total - seen[k], -len(k)))
        out.append(kind)
        seen[kind] += 1
        left[kind] -= 1
        if left[kind] == 0:
            del left[kind]
    return out


def _application(n: int, kind: str) -> dict[str, Any]:
    name = f"{SURNAMES[n % len(SURNAMES)]}某{n}（合成）"
    fields: dict[str, Any] = {
        "channel": "walk_in",
        "applicant_name": name,
        "applicant_phone": f"1390733{n:04d}",
        "matter_kind": kind,
        "matter": MATTERS[kind],
        "eligibility_basis": "financial_hardship",
        "hardship_evidence": "低保证明（合成）",
    }
    if kind == "criminal" and n % 3 == 0:
        fields.update(
            channel="court_notice",
            notifying_body="石峰区人民法院（合成）",
            eligibility_basis="statutory_notice",
            statutory_ground="minor" if n % 2 else "disabled",
            charge="盗窃罪（合成）",
        )
        fields.pop("hardship_evidence")
    return fields


def _walk(desk: Desk, case_id: int, start: datetime, n: int, excellent: bool) -> None:
    lawyer = _lawyer_rows()[n % 11]  # never the last (no longer practising)
    desk.act(
        OFFICER,
        start + timedelta(days=1),
        case_id,
        "assign",
        lawyer_licence=lawyer["licence_number"],
        lawyer_name=lawyer["name"],
        law_firm=lawyer["law_firm"],
    )
    desk.act(
        OFFICER,
        start + timedelta(days=10),
        case_id,
        "record_handling",
        held_on=(start + timedelta(days=10)).date().isoformat(),
        activity="meeting",
        note="会见受援人，了解案情（合成）",
    )
    desk.act(
        OFFICER,
        start + timedelta(days=40),
        case_id,
        "close",
        outcome="defence_adopted" if excellent else "settled",
        outcome_note="承办律师提交结案材料（合成）",
    )
    grade = "excellent" if excellent or n % 5 == 0 else "qualified"
    desk.act(OFFICER, start + timedelta(days=45), case_id, "evaluate", grade=grade)
    if excellent:
        desk.act(
            OFFICER,
            start + timedelta(days=50),
            case_id,
            "mark_provincial_excellent",
            provincial_note="2023年全省法律援助案件质量评估优秀案件（合成）",
        )


def _hotline_orders(desk: Desk) -> list[int]:
    """12345 LEGAL_AID orders of 2023 led by 区司法局 (the hotline demo's), if any."""
    unit = desk.session.scalar(select(Unit.id).where(Unit.code == "SF-SFJ"))
    start = datetime(YEAR, 1, 1, tzinfo=LOCAL_TZ)
    return list(
        desk.session.scalars(
            select(Case.id)
            .where(Case.type == "hotline", Case.category == "LEGAL_AID")
            .where(Case.lead_unit_id == unit, Case.created_at >= start)
            .order_by(Case.id)
            .limit(LINKED)
        )
    )


def _registers(desk: Desk) -> None:
    ctx: ActionContext = desk.ctx(OFFICER, datetime(YEAR, 1, 3, 9, tzinfo=LOCAL_TZ))
    register.do_import(desk.session, ctx, register.check_rows(ctx, _lawyer_rows()))
    do_set_target(desk.session, ctx, YEAR, TARGET)


def _accepted(desk: Desk, kinds: list[str], orders: list[int]) -> None:
    counters = {k: 0 for k, _ in KINDS}
    for n, kind in enumerate(kinds):
        when = _day(n, len(kinds))
        fields = _application(n, kind)
        user = STREET if n % 10 == 7 else OFFICER
        if n < len(orders) and kind != "criminal":
            fields.update(channel="hotline", source_case=orders[n])
            user = OFFICER
        granted = when + timedelta(days=2)
        if fields["channel"] == "court_notice":
            # Granted as the notice is received (art.36): no review, no decision.
            case_id = desk.create(OFFICER, when, "legal_aid", "receive_notice", **fields)
            granted = when
        else:
            case_id = desk.create(user, when, "legal_aid", **fields)
            desk.act(OFFICER, granted, case_id, "accept")
        counters[kind] += 1
        excellent = (kind, counters[kind]) == EXCELLENT
        if excellent or n % 12 == 0:
            _walk(desk, case_id, granted, n, excellent)


def _others(desk: Desk) -> None:
    for n in range(REFUSED + WITHDRAWN):
        when = _day(n * 40, 456) + timedelta(hours=2)
        fields = _application(1000 + n, "civil")
        case_id = desk.create(OFFICER, when, "legal_aid", **fields)
        if n >= REFUSED:
            desk.act(OFFICER, when + timedelta(days=1), case_id, "withdraw")
            continue
        reason = "家庭经济状况不符合本省法律援助经济困难标准（合成）"
        desk.act(OFFICER, when + timedelta(days=3), case_id, "refuse", refusal_reason=reason)
        if n == 0:
            desk.act(
                OFFICER,
                when + timedelta(days=6),
                case_id,
                "object",
                objection="认为收入核算有误（合成）",
            )
            desk.act(
                OFFICER,
                when + timedelta(days=9),
                case_id,
                "dismiss_objection",
                objection_ruling="经复核，维持不予法律援助决定（合成）",
            )


def seed_legal_aid(platform: Platform) -> str:
    """Write the demo's legal-aid year once; '' when there already is one (or no officer)."""
    with transaction(platform.sessions) as session:
        # The demo's lawyer register marks the year as written (a target may be set alone).
        if session.scalar(select(Lawyer.id).where(Lawyer.name.like("%（合成）")).limit(1)):
            return ""
        if not session.scalar(select(User.id).where(User.username == OFFICER)):
            return ""
        desk = Desk(session, platform)
        _registers(desk)
        _accepted(desk, _schedule(), _hotline_orders(desk))
        _others(desk)
    accepted = sum(n for _, n in KINDS)
    return (
        f"法律援助：{YEAR}年审批办理{accepted}件（年度任务{TARGET}件，完成"
        f"{accepted * 100 // TARGET}%），全省优秀案件({YEAR})湘援0204刑136号；律师名册12人。"
    )
