"""The synthetic community-correction year for `fazhi demo`: 10 subjects of three judicial
offices (田心 5, 铜塘湾 3, 响石岭 2) registered and reported in during the first half of 2023,
each checking in every day to 31 December from a bound terminal through the real check-in
path (`checkins.do_check_in`), with planted anomalies — missed days (one over National Day),
late check-ins, out-of-area and unverifiable positions — raised by the anomaly rule in the
night after, most handled to closing, the December ones left open for the queue; monthly
visits and education, an electronic-location approval renewed once, a leave with its
temporary area, one term ended in October; and 6 resettlement files with their groups,
monthly visits (one month missed) and problems raised and solved. Written once, in one
transaction, through the one door. SYNTHETIC: every name, number and place is made up."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from fazhi.actions.demo_desk import Desk
from fazhi.actions.platform import Platform
from fazhi.actions.system_account import system_actor_in
from fazhi.correction.checkins import Fix, do_bind_device, do_check_in
from fazhi.correction.demo.night import night
from fazhi.correction.demo.people import STREET_CENTRES, box, id_number, name
from fazhi.correction.demo.resettlement import seed_resettlement
from fazhi.domain.durations import LOCAL_TZ
from fazhi.store.db import transaction
from fazhi.store.models import Case, User

RULE = "correction_check_in_anomalies"
OFFICERS = {"SF-SFJ-TX": "tx_sfs", "SF-SFJ-TTW": "ttw_sfs", "SF-SFJ-XSL": "sfj_jz"}
OFFICES = ("SF-SFJ-TX",) * 4 + ("SF-SFJ-TTW",) * 2 + ("SF-SFJ-XSL",) * 2
KINDS = ("probation", "probation", "parole", "control", "probation", "temporary_execution")
LAST_DAY = date(2023, 12, 31)
LEAVE = (date(2023, 7, 10), date(2023, 7, 12))  # subject 3's approved leave, to 长沙
AWAY = (112.98, 28.20)
OPEN_FROM = date(2023, 12, 1)  # anomalies from here on are left open for the queue


@dataclass
class Plan:
    """One subject's year: who, where, and the days something goes wrong."""

    n: int
    office: str
    reported: date
    missed: set[date] = field(default_factory=set)
    late: set[date] = field(default_factory=set)
    outside: set[date] = field(default_factory=set)
    coarse: set[date] = field(default_factory=set)
    ends: date | None = None


def _plans(rng: random.Random) -> list[Plan]:
    plans = []
    for n, office in enumerate(OFFICES):
        reported = date(2023, 1, 9) + timedelta(days=35 * n)
        plan = Plan(n, office, reported)
        days = [reported + timedelta(days=i) for i in range(1, (LAST_DAY - reported).days + 1)]
        if n in (0, 3, 5, 8):
            plan.missed |= set(rng.sample(days, 3))
        if n in (1, 3, 6, 9):
            plan.late |= set(rng.sample(days, 4))
        if n in (2, 5):
            plan.outside |= set(rng.sample(days, 2))
        if n == 7:
            plan.coarse.add(date(2023, 8, 14))
        plans.append(plan)
    plans[0].missed.add(date(2023, 10, 2))  # over National Day: owed as on any day
    plans[0].missed.add(date(2023, 12, 12))  # left open
    plans[1].late.add(date(2023, 12, 20))  # left open
    plans[2].outside.add(date(2023, 12, 27))  # left open
    plans[4].ends = date(2023, 10, 31)
    return plans


def _register(desk: Desk, plan: Plan) -> int:
    officer = OFFICERS[plan.office]
    effective = plan.reported - timedelta(days=3 + plan.n % 5)
    when = datetime.combine(effective, datetime.min.time(), LOCAL_TZ).replace(hour=15)
    term_end = plan.ends or date(2024 + plan.n % 3, effective.month, min(effective.day, 28))
    case_id = desk.create(
        officer,
        when,
        "community_correction",
        subject_name=name(plan.n),
        subject_id_number=id_number(300 + plan.n),
        subject_phone=f"170000{13100 + plan.n}",
        subject_address=f"石峰区某小区{plan.n + 1}栋（合成）",
        office=plan.office,
        sentence_kind=KINDS[plan.n % len(KINDS)],
        crime=("危险驾驶罪", "盗窃罪", "诈骗罪", "故意伤害罪", "交通肇事罪")[plan.n % 5]
        + "（合成）",
        court="株洲市石峰区人民法院（合成）",
        judgment_number=f"（2023）湘0204刑初{100 + plan.n}号（合成）",
        judgment_effective_on=effective.isoformat(),
        term_start=effective.isoformat(),
        term_end=term_end.isoformat(),
        supervision_level="strict" if plan.n in (2, 5) else "ordinary",
        area=box(STREET_CENTRES[plan.office]),
        area_name="本街道辖区（合成）",
        check_in_by="10:00",
    )
    reported_at = datetime.combine(plan.reported, datetime.min.time(), LOCAL_TZ).replace(hour=9)
    desk.act(officer, reported_at, case_id, "report_in", reported_on=plan.reported.isoformat())
    return case_id


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, datetime.min.time(), LOCAL_TZ).replace(hour=hour, minute=minute)


def _handle(desk: Desk, officer: str, anomaly_id: int, day: date, n: int) -> None:
    desk.act(
        officer,
        _at(day, 9, 10),
        anomaly_id,
        "contact",
        contact_way="phone",
        contact_note="电话联系本人核实情况（合成）",
        justified=n % 3 == 0,
    )
    measure = "none" if n % 3 == 0 else ("talk", "admonish", "warning")[n % 3]
    desk.act(
        officer,
        _at(day, 15),
        anomaly_id,
        "handle",
        measure=measure,
        handling_record="核实后依规处置并记录（合成）",
    )
    desk.act(
        officer,
        _at(day + timedelta(days=1), 10),
        anomaly_id,
        "close",
        closing_note="处置完毕（合成）",
    )


def _new_anomalies(desk: Desk, before: int) -> list[int]:
    return list(
        desk.session.scalars(
            select(Case.id)
            .where(Case.type == "correction_anomaly", Case.id > before)
            .order_by(Case.id)
        )
    )


def _year(desk: Desk, plan: Plan, case_id: int, rng: random.Random) -> dict[str, int]:
    officer = OFFICERS[plan.office]
    centre = STREET_CENTRES[plan.office]
    device = f"JZ-DEMO-{plan.n:03d}"
    token = do_bind_device(
        desk.session, desk.ctx(officer, _at(plan.reported, 9, 30)), case_id, device
    )
    counts = {"check_ins": 0, "anomalies": 0, "open": 0}
    account = system_actor_in(desk.session, desk.platform)
    last = plan.ends - timedelta(days=1) if plan.ends else LAST_DAY
    day = plan.reported
    while day <= last:
        if day.day == 5:
            desk.act(
                officer,
                _at(day, 15),
                case_id,
                "record_report",
                report_date=day.isoformat(),
                report_way="in_person",
                content="报告本月遵纪守法和学习情况（合成）",
            )
        if day.day == 15:
            desk.act(
                officer,
                _at(day, 14),
                case_id,
                "record_visit",
                visited_on=day.isoformat(),
                visit_kind=("home", "community", "talk")[day.month % 3],
                note="走访了解近况（合成）",
            )
            desk.act(
                officer,
                _at(day, 16),
                case_id,
                "record_education",
                held_on=day.isoformat(),
                hours=2,
                content="法治教育集中学习（合成）",
            )
        if plan.n == 2 and day in (date(2023, 5, 4), date(2023, 8, 2)):
            verb = "approve_location" if day.month == 5 else "renew_location"
            until = (day + timedelta(days=88)).isoformat()
            desk.act(
                "sfj_jz",
                _at(day, 11),
                case_id,
                verb,
                location_reason="严管期间电子定位（合成）",
                approved_until=until,
            )
        if plan.n == 3 and day == LEAVE[0] - timedelta(days=3):
            desk.act(
                officer,
                _at(day, 10),
                case_id,
                "request_leave",
                requested_from=LEAVE[0].isoformat(),
                requested_until=LEAVE[1].isoformat(),
                requested_destination="长沙市（合成）",
                requested_reason="陪同家属就医（合成）",
                requested_area=box(AWAY, 0.05),
            )
            desk.act("sfj_jz", _at(day, 16), case_id, "approve_leave")
        if plan.n == 3 and day == LEAVE[1] + timedelta(days=1):
            desk.act(officer, _at(day, 9), case_id, "end_leave")
        if day not in plan.missed:
            here = AWAY if plan.n == 3 and LEAVE[0] <= day <= LEAVE[1] else centre
            lon, lat = here[0] + rng.uniform(-0.01, 0.01), here[1] + rng.uniform(-0.01, 0.01)
            accuracy = rng.choice((8, 12, 15, 20, 30))
            if day in plan.outside:
                lon += 0.06
            if day in plan.coarse:
                accuracy = 900
            hour, minute = (
                (10, 40) if day in plan.late else (7 + rng.randrange(3), rng.randrange(60))
            )
            if day == plan.reported:  # the day's window opens at the report (09:00)
                hour, minute = 9, 40
            fix = Fix(lon, lat, accuracy, None)
            do_check_in(
                desk.session, desk.platform, _at(day, hour, minute), device, token, fix, account
            )
            counts["check_ins"] += 1
        if day in plan.missed | plan.late | plan.outside | plan.coarse:
            before = desk.session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1)) or 0
            night(desk, case_id, _at(day + timedelta(days=1), 0, 20), RULE)
            for anomaly_id in _new_anomalies(desk, before):
                counts["anomalies"] += 1
                if day < OPEN_FROM:
                    _handle(desk, officer, anomaly_id, day + timedelta(days=1), counts["anomalies"])
                else:
                    counts["open"] += 1
        day += timedelta(days=1)
    if plan.ends:
        desk.act(
            "sfj_jz",
            _at(plan.ends, 10),
            case_id,
            "terminate",
            terminated_on=plan.ends.isoformat(),
            termination_reason="term_expired",
        )
    else:
        night(desk, case_id, _at(LAST_DAY, 23, 0))
    return counts


def seed_correction(platform: Platform, seed: int = 13) -> str:
    """Write the demo's correction year once; '' when it is there already (or the demo's
    users are missing)."""
    with transaction(platform.sessions) as session:
        written = select(Case.id).where(
            Case.type.in_(("community_correction", "resettlement")), Case.title.like("%（合成%")
        )
        if session.scalars(written.limit(1)).first():
            return ""
        users = set(
            session.scalars(select(User.username).where(User.username.in_(set(OFFICERS.values()))))
        )
        if len(users) < len(set(OFFICERS.values())):
            return ""
        desk, rng = Desk(session, platform), random.Random(seed)
        totals = {"check_ins": 0, "anomalies": 0, "open": 0}
        plans = _plans(rng)
        for plan in plans:
            case_id = _register(desk, plan)
            for key, value in _year(desk, plan, case_id, rng).items():
                totals[key] += value
        files = seed_resettlement(desk)
    return (
        f"社区矫正：矫正对象{len(plans)}人，打卡{totals['check_ins']}次，发现异常{totals['anomalies']}起"
        f"（待处置{totals['open']}起）；安置帮教档案{files}份。"
    )
