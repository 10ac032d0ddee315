"""A synthetic year (2023) of penalty cases for `fazhi demo`: general-procedure cases of
区城管执法大队 and 田心街道综合行政执法队 walked from case source to closing and publication
(the major ones through legal review and collective discussion), on-the-spot (summary)
decisions of 城管, a few cases still open at the year's end, and — as the seed's September
review read them — the 16 files of 区交警大队 imported from the police's own system as review
tasks and given the reviewer's verdicts. Defects like the seed's are planted in some platform
cases (no copy of the ID card, a fine outside the discretion benchmark with its reason, a
decision served after the 7 working days), so that the machine review at closing has
something to find.

SYNTHETIC: every name, ID number, credit code and document number is made up; ID numbers and
credit codes carry valid check digits so that only the planted defects are defects. Every
step goes through the one door (each case's actions and documents) at a 2023 instant."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from stdnum.cn import uscc

from fazhi.actions.demo_desk import Desk, at_2023
from fazhi.actions.document_files import FileUpload
from fazhi.actions.documents import add_document
from fazhi.actions.platform import Platform
from fazhi.domain.identity import organisation_check
from fazhi.enforcement.demo.case_files import demo_files, person_id
from fazhi.enforcement.review.registry import DEFECT_LABELS
from fazhi.enforcement.reviews import check_verdict, do_import_file, do_record_verdict
from fazhi.enforcement.store import CaseFileReview
from fazhi.store.db import transaction
from fazhi.store.models import Case, User

# A scanned paper with no data of its own (现场照片, 调查终结报告 …): a tiny synthetic PDF.
SCAN = b"%PDF-1.4\n% Fazhi demo: synthetic scanned paper\n%%EOF\n"
PAPERS_SCANNED = ("evidence", "investigation_report", "decision_approval")
LEGAL = "cgj_legal"
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"


@dataclass(frozen=True)
class DemoUnit:
    """An enforcement unit of the demo: its officer's login, the two officers on its
    records, the prefix of its document numbers and where its parties work."""

    user: str
    officers: tuple[tuple[str, str], ...]
    prefix: str
    place: str


CGJ = DemoUnit(
    "cgj_enforcer",
    (("刘建军", "43020400101"), ("陈晓东", "43020400102")),
    "石城管",
    "株洲市石峰区红旗北路（合成）",
)
TX = DemoUnit(
    "tx_enforcer",
    (("钟志刚", "43020400201"), ("黎明辉", "43020400202")),
    "石田执",
    "株洲市石峰区田心街道（合成）",
)


@dataclass(frozen=True)
class Matter:
    """What a case is about: its penalty item and circumstance in the register, the cause,
    the facts, the legal basis and the fine."""

    item: str
    circumstance: str
    cause: str
    facts: str
    basis: str
    fine: int


MATTERS = {
    "road": Matter(
        "CG-0101",
        "一般情节",
        "擅自占用城市道路经营",
        "在人行道上摆摊经营，经责令改正拒不改正（合成）",
        "《城市道路管理条例》第二十七条、第四十二条",
        1000,
    ),
    "road_serious": Matter(
        "CG-0101",
        "严重情节",
        "擅自占用城市道路经营",
        "长期占用人行道设置经营摊点，影响行人通行（合成）",
        "《城市道路管理条例》第二十七条、第四十二条",
        8000,
    ),
    "sign": Matter(
        "CG-0103",
        "面积10平方米以上",
        "擅自设置大型户外广告",
        "未经批准在建筑物外墙设置大型户外广告牌（合成）",
        "《城市市容和环境卫生管理条例》第十一条、第三十六条",
        5000,
    ),
    "litter": Matter(
        "CG-0102",
        "一般情节",
        "随意倾倒、抛撒垃圾",
        "在道路上随意倾倒装修垃圾（合成）",
        "《城市市容和环境卫生管理条例》第三十四条",
        100,
    ),
    "street": Matter(
        "TX-0301",
        "一般情节",
        "占道经营",
        "在街道背街小巷占道经营，经劝导后仍未改正（合成）",
        "《城市道路管理条例》第二十七条、第四十二条",
        500,
    ),
}


@dataclass
class Plan:
    """One general-procedure case of the demo year: who, what, when, what is planted and
    where it stops (None: walked to publication)."""

    unit: DemoUnit
    n: int
    matter: Matter
    filed: datetime
    company: bool = False
    major: bool = False
    fine: int | None = None
    plants: frozenset[str] = frozenset()
    stop: str | None = None


# (unit, matter, month, day, options): the year of each unit, in filing order.
YEAR: tuple[tuple[DemoUnit, str, int, int, dict[str, Any]], ...] = (
    (CGJ, "road", 1, 9, {}),
    (CGJ, "sign", 1, 16, {"company": True, "major": True}),
    (CGJ, "road", 2, 6, {}),
    (CGJ, "road", 2, 20, {"plants": {"no_identity"}}),
    (CGJ, "road_serious", 3, 6, {"major": True}),
    (CGJ, "road", 3, 20, {}),
    (CGJ, "sign", 4, 10, {"company": True, "major": True}),
    (CGJ, "road", 4, 24, {"fine": 6000, "plants": {"outside_benchmark"}}),
    (CGJ, "road", 5, 8, {}),
    (CGJ, "sign", 5, 22, {"company": True}),
    (CGJ, "road", 6, 5, {}),
    (CGJ, "road", 6, 19, {"plants": {"no_identity"}}),
    (CGJ, "road_serious", 7, 10, {"major": True}),
    (CGJ, "road", 7, 24, {}),
    (CGJ, "sign", 8, 7, {"company": True}),
    (CGJ, "road", 8, 21, {}),
    (CGJ, "road", 9, 4, {}),
    (CGJ, "road", 9, 18, {"plants": {"late_service"}}),  # decided before National Day
    (CGJ, "sign", 10, 16, {"company": True, "major": True}),
    (CGJ, "road", 10, 30, {}),
    (CGJ, "road", 11, 13, {}),
    (CGJ, "road", 12, 4, {"stop": "decided"}),
    (CGJ, "road", 12, 18, {"stop": "filed"}),
    (TX, "street", 2, 13, {}),
    (TX, "street", 3, 13, {}),
    (TX, "street", 4, 17, {"plants": {"no_identity"}}),
    (TX, "street", 5, 15, {}),
    (TX, "street", 6, 12, {}),
    (TX, "street", 7, 17, {}),
    (TX, "street", 8, 14, {}),
    (TX, "street", 9, 11, {}),
    (TX, "street", 10, 23, {}),
    (TX, "street", 11, 20, {}),
    (TX, "street", 12, 11, {"stop": "notified"}),
)
# On-the-spot decisions of 城管 (month, day, fine; 0: a warning).
SUMMARY = ((3, 1, 100), (4, 3, 0), (5, 4, 50), (6, 7, 100), (8, 2, 200), (9, 6, 0), (11, 8, 100))


def org_credit_code(rng: random.Random) -> str:
    """A synthetic unified social credit code (enterprise, 石峰区) with its check digit."""
    organisation = "".join(rng.choice("0123456789") for _ in range(8))
    body = "91430204" + organisation + organisation_check(organisation)
    return body + uscc.calc_check_digit(body)


def _party(plan: Plan, rng: random.Random) -> tuple[str, dict[str, Any]]:
    if plan.company:
        return "organisation", {
            "kind": "organisation",
            "name": f"株洲某{('广告', '商贸', '传媒', '餐饮')[plan.n % 4]}有限公司{plan.n}（合成）",
            "credit_code": org_credit_code(rng),
            "legal_representative": f"{SURNAMES[(plan.n + 7) % len(SURNAMES)]}某（合成）",
        }
    return "person", {
        "kind": "person",
        "name": f"{SURNAMES[plan.n % len(SURNAMES)]}某{plan.n}（合成）",
        "id_number": person_id(rng),
    }


def _scan(desk: Desk, user: str, when: datetime, case_id: int, kind: str) -> None:
    add_document(
        desk.session,
        desk.ctx(user, when),
        case_id,
        kind,
        None,
        FileUpload.of(f"{kind}.pdf", "application/pdf", SCAN),
    )


def _day(when: datetime, days: int, hour: int = 10) -> datetime:
    """`days` later at `hour`, moved off a weekend (to the Monday)."""
    moved = (when + timedelta(days=days)).replace(hour=hour)
    while moved.weekday() >= 5:
        moved += timedelta(days=1)
    return moved


def walk_general(desk: Desk, plan: Plan, rng: random.Random) -> int:
    """One general-procedure case from case source as far as the plan goes."""
    unit, m, u = plan.unit, plan.matter, plan.unit.user
    party_kind, party = _party(plan, rng)
    fine = plan.fine if plan.fine is not None else m.fine
    f = plan.filed
    case_id = desk.create(
        u,
        f - timedelta(hours=2),
        "penalty_case",
        procedure="general",
        source=("inspection", "complaint", "hotline")[plan.n % 3],
        cause=m.cause,
        facts=m.facts,
        address=unit.place,
        party_kind=party_kind,
        parties=[party],
        officers=[{"name": n, "certificate_number": c} for n, c in unit.officers],
        major=plan.major,
    )
    desk.act(u, f, case_id, "file")
    desk.file(u, f.replace(hour=11), case_id, "onsite_record", made_on=f.date().isoformat())
    if "no_identity" not in plan.plants:
        proofs = (
            ("business_licence", "legal_representative_certificate")
            if plan.company
            else ("id_card_copy",)
        )
        for proof in proofs:
            desk.file(
                u,
                f.replace(hour=11),
                case_id,
                "identity_proof",
                proof_kind=proof,
                party_name=party["name"],
            )
    _scan(desk, u, f.replace(hour=11), case_id, "evidence")
    if plan.stop == "filed":
        return case_id
    t = _day(f, 7)
    _scan(desk, u, t, case_id, "investigation_report")
    desk.act(u, t, case_id, "end_investigation")
    number = plan.n
    t = _day(t, 1)
    desk.act(u, t, case_id, "notify_rights", notice_number=f"{unit.prefix}告〔2023〕{number}号")
    if plan.stop == "notified":
        return case_id
    if plan.major:
        t = _day(t, 5)
        desk.act(u, t, case_id, "request_review")
        desk.file(
            LEGAL,
            t.replace(hour=15),
            case_id,
            "legal_review",
            opinion="主体合法，事实清楚，证据确凿，程序合法，裁量适当（合成）",
            conclusion="approve",
        )
        desk.act(LEGAL, t.replace(hour=15), case_id, "give_opinion")
        t = _day(t, 1)
        desk.file(
            u,
            t,
            case_id,
            "collective_discussion",
            held_on=t.date().isoformat(),
            conclusion=f"同意罚款{fine}元（合成）",
        )
    else:
        t = _day(t, 5)
    _scan(desk, u, t, case_id, "decision_approval")
    decision_number = f"{unit.prefix}罚决〔2023〕{number}号"
    inputs: dict[str, Any] = {
        "penalty_kind": "fine",
        "fine_amount": str(fine),
        "legal_basis": m.basis,
        "decision_number": decision_number,
        "penalty_item": m.item,
        "circumstance": m.circumstance,
    }
    if "outside_benchmark" in plan.plants:
        inputs["benchmark_reason"] = "当事人多次违法且拒不改正，从重处罚（合成）"
    t = t.replace(hour=15)
    desk.act(u, t, case_id, "decide", **inputs)
    if plan.stop == "decided":
        return case_id
    served = _day(t, 16 if "late_service" in plan.plants else 1)
    desk.file(
        u,
        served,
        case_id,
        "service_proof",
        served_on=served.date().isoformat(),
        served_document=decision_number,
        method="direct",
    )
    desk.act(u, served, case_id, "serve")
    paid = _day(served, 6)
    desk.file(
        u, paid, case_id, "payment_receipt", paid_on=paid.date().isoformat(), amount=str(fine)
    )
    desk.act(u, paid, case_id, "record_payment")
    closed = _day(paid, 3)
    desk.file(u, closed, case_id, "closing_report", execution=f"已缴纳罚款{fine}元（合成）")
    desk.act(u, closed, case_id, "close")
    desk.act(u, closed.replace(hour=16), case_id, "publish")
    return case_id


def walk_summary(desk: Desk, n: int, when: datetime, fine: int, rng: random.Random) -> int:
    """An on-the-spot decision of 城管 (第五十一条): a warning, or a small fine paid."""
    u = CGJ.user
    name = f"{SURNAMES[(n + 11) % len(SURNAMES)]}某{n}（合成）"
    m = MATTERS["litter"]
    case_id = desk.create(
        u,
        when,
        "penalty_case",
        procedure="summary",
        source="inspection",
        cause=m.cause,
        facts="在道路上随意抛撒垃圾，当场承认（合成）",
        address=CGJ.place,
        party_kind="person",
        parties=[{"kind": "person", "name": name, "id_number": person_id(rng)}],
        officers=[{"name": a, "certificate_number": c} for a, c in CGJ.officers],
    )
    t = when + timedelta(minutes=20)
    desk.file(u, t, case_id, "onsite_record", made_on=t.date().isoformat())
    desk.file(u, t, case_id, "identity_proof", proof_kind="id_card_copy", party_name=name)
    inputs: dict[str, Any] = {
        "legal_basis": m.basis,
        "decision_number": f"430204{t:%Y%m%d}{n:04d}",
        "penalty_item": m.item,
        "circumstance": "情节轻微" if fine <= 50 else m.circumstance,
    }
    if fine:
        inputs |= {"penalty_kind": "fine", "fine_amount": str(fine)}
    else:
        inputs |= {"penalty_kind": "warning", "circumstance": "情节轻微"}
    desk.act(u, t, case_id, "summary_decide", **inputs)
    if fine:
        desk.file(u, t, case_id, "payment_receipt", paid_on=t.date().isoformat(), amount=str(fine))
        desk.act(u, t, case_id, "record_payment")
    desk.act(u, t + timedelta(minutes=10), case_id, "close")
    return case_id


def seed_penalty_cases(platform: Platform, seed: int = 2023) -> str:
    """Write the demo's penalty year once; '' when penalty cases exist already (or the
    demo's officers are missing)."""
    rng = random.Random(seed)
    with transaction(platform.sessions) as session:
        if session.scalars(select(Case.id).where(Case.type == "penalty_case").limit(1)).first():
            return ""
        wanted = {CGJ.user, TX.user, LEGAL}
        found = set(session.scalars(select(User.username).where(User.username.in_(wanted))))
        if found != wanted:
            return ""
        desk = Desk(session, platform)
        counts: dict[DemoUnit, int] = {}
        closed = 0
        for unit, matter, month, day, given in YEAR:
            counts[unit] = counts.get(unit, 0) + 1
            options = dict(given)  # YEAR stays as written for the next demo database
            plants = frozenset(options.pop("plants", ()))
            plan = Plan(
                unit, counts[unit], MATTERS[matter], at_2023(month, day), plants=plants, **options
            )
            walk_general(desk, plan, rng)
            closed += plan.stop is None
        for n, (month, day, fine) in enumerate(SUMMARY, start=1):
            walk_summary(desk, n, at_2023(month, day, 15), fine, rng)
        imported = _import_traffic_files(desk)
    general = len(YEAR)
    return (
        f"2023年行政处罚案件{general + len(SUMMARY)}件"
        f"（一般程序{general}件，其中{closed}件已结案并公示；"
        f"简易程序{len(SUMMARY)}件），结案即机器评查；区交警大队案卷{imported}份导入评查。"
    )


def _import_traffic_files(desk: Desk) -> int:
    """The 16 files of 区交警大队 as the September 2023 review read them, from the police's
    own system: imported by the reviewer as review tasks, and each given the reviewer's
    verdict over the following days (the organised review the report counts: 16本)."""
    reviewer = desk.session.scalars(
        select(User.username).where(User.username == "case_reviewer")
    ).first()
    if reviewer is None:
        return 0
    ctx = desk.ctx(reviewer, at_2023(9, 12, 9))
    files = demo_files()
    tasks = [
        (do_import_file(desk.session, ctx, manifest, name), planted)
        for name, (manifest, planted) in files.items()
    ]
    for n, (task, planted) in enumerate(tasks):
        # Four files a working day, from Wednesday 13 September.
        when = at_2023(9, 13 + n // 4 + (2 if n >= 12 else 0), 9) + timedelta(hours=n % 4)
        verdict = check_verdict(desk.ctx(reviewer, when), _verdict(task, planted))
        do_record_verdict(desk.session, desk.ctx(reviewer, when), task, verdict)
    return len(files)


def _verdict(task: CaseFileReview, planted: list[str]) -> dict[str, Any]:
    """The reviewer's verdict (synthetic): the machine's score confirmed, with the defects
    the reviewer names in the note."""
    found = "、".join(DEFECT_LABELS.get(d, d) for d in planted)
    note = f"（合成）经评查，{found}，责令整改。" if found else "（合成）经评查，案卷规范。"
    return {"score": round(task.machine_score), "vetoed": task.machine_vetoed, "note": note}
