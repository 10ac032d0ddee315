"""The synthetic 2023 legality work of the seed report (石峰区2023年法治政府建设报告): 5
normative documents reviewed with 5 opinion letters and 11 opinions, 8 contracts in the
district government's name with 19 opinions, the 2023 major-decision catalogue published on
the government portal with three decisions through their procedure, and two rule-of-law
inspection visits (区城管局, 区住建局) with findings rectified.

SYNTHETIC: every title, number, opinion and finding is made up. Everything goes through the
one door (each case's actions and documents), at 2023 instants, by the demo's users."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from fazhi.actions.demo_desk import Desk, at_2023
from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import Case, Unit, User

REVIEWER = "sfj_legality"
# (submitting user, title, opinions given, of which not adopted)
DOCUMENTS = (
    ("cgj_handler", "石峰区城市管理领域轻微违法行为免罚清单（合成）", 3, 0),
    ("zjj_handler", "石峰区老旧小区改造项目管理办法（合成）", 2, 1),
    ("rsj_handler", "石峰区就业见习补贴实施细则（合成）", 2, 0),
    ("scjg_handler", "石峰区食品小作坊登记管理规定（合成）", 2, 0),
    ("sfj_handler", "石峰区行政规范性文件备案审查办法（合成）", 2, 0),
)
CONTRACT_OPINIONS = (3, 2, 3, 2, 2, 3, 2, 2)  # 19 in all
CONTRACTS = (
    "石峰区智慧城管平台运维服务合同",
    "石峰区公共法律服务中心物业服务合同",
    "石峰区老旧小区改造设计合同",
    "石峰区垃圾分类收运服务合同",
    "石峰区政府法律顾问服务合同",
    "石峰区12345热线外包坐席服务合同",
    "石峰区道路保洁服务合同",
    "石峰区网格化管理信息系统建设合同",
)
CATALOGUE_ITEMS = (
    ("石峰区城区停车设施专项规划（合成）", "区住建局", "2023年第三季度"),
    ("石峰区生活垃圾分类工作实施方案（合成）", "区城管局", "2023年第二季度"),
    ("石峰区老旧小区改造三年行动计划（合成）", "区住建局", "2023年第四季度"),
)


_at = at_2023


def _review(
    desk: Desk, n: int, submitter: str, kind: str, title: str, given: int, refused: int
) -> None:
    start = _at(2 + n % 9, 3 + n)
    extra = (
        {"counterparty": "株洲某服务有限公司（合成）", "amount": "480000"}
        if kind == "contract"
        else {}
    )
    case_id = desk.create(
        submitter,
        start,
        "legality_review",
        subject_kind=kind,
        title=title,
        draft="起草说明：依据、征求意见情况（合成演示数据）。",
        **extra,
    )
    desk.act(REVIEWER, start + timedelta(days=1), case_id, "accept")
    for i in range(given):
        desk.act(
            REVIEWER,
            start + timedelta(days=2, hours=i),
            case_id,
            "give_opinion",
            text=f"第{i + 1}条：建议修改相关条款的表述，明确权利义务（合成）。",
            basis="《中华人民共和国民法典》相关规定（合成）"
            if kind == "contract"
            else "《湖南省行政程序规定》相关规定（合成）",
        )
    number = f"石司审〔2023〕{n}号"
    when = start + timedelta(days=6)
    desk.file(
        REVIEWER,
        when,
        case_id,
        "opinion_letter",
        number=number,
        issued_on=when.date().isoformat(),
        conclusion="lawful_if_amended",
    )
    desk.act(REVIEWER, when, case_id, "conclude", conclusion="lawful_if_amended")
    for i in range(given):
        answer: dict[str, Any] = {"adopted": "adopted"}
        if i < refused:
            answer = {"adopted": "not_adopted", "reason": "上位法另有规定，保留原表述（合成）"}
        desk.act(
            submitter, when + timedelta(days=2), case_id, "record_adoption", number=i + 1, **answer
        )
    desk.act(REVIEWER, when + timedelta(days=3), case_id, "close")


def _catalogue(desk: Desk) -> None:
    case_id = desk.create(
        REVIEWER,
        _at(2, 10),
        "major_decision_catalogue",
        year=2023,
        title="2023年石峰区政府重大行政决策目录",
    )
    for title, unit, planned in CATALOGUE_ITEMS:
        desk.act(
            REVIEWER,
            _at(2, 12),
            case_id,
            "add_item",
            item_title=title,
            undertaking_unit=unit,
            planned=planned,
        )
    desk.act(
        REVIEWER,
        _at(3, 1),
        case_id,
        "publish",
        published_on="2023-03-01",
        url="http://www.shifeng.gov.cn/zwgk/zdxzjc/2023ml.html",
    )
    # Three decisions: one decided, one awaiting collective discussion, one awaiting legality
    # review. The undertaking unit cannot see the catalogue's case: the reviewer links each
    # reviewed decision to it.
    for n, (title, unit, _) in enumerate(CATALOGUE_ITEMS):
        user = "zjj_handler" if unit == "区住建局" else "cgj_handler"
        leader = "cgj_leader"
        decision = desk.create(
            user,
            _at(3 + n, 6),
            "major_decision",
            title=title,
            year=2023,
            summary="决策草案主要内容（合成）。",
        )
        desk.act(
            user,
            _at(4 + n, 10),
            decision,
            "record_participation",
            participation_from=f"2023-0{4 + n}-10",
            participation_to=f"2023-0{5 + n}-10",
            participation_opinions=12 + n,
            participation_record="在区政府门户网站公开征求意见（合成）。",
        )
        desk.act(
            user,
            _at(5 + n, 15),
            decision,
            "record_expert_argument",
            expert_on=f"2023-0{5 + n}-15",
            expert_record="专家论证认为方案可行（合成）。",
        )
        desk.act(
            user,
            _at(5 + n, 18),
            decision,
            "record_risk_assessment",
            risk_on=f"2023-0{5 + n}-18",
            risk_level="low",
            risk_record="社会稳定风险低（合成）。",
        )
        if n == 2:
            continue  # still in the procedure: awaiting legality review
        desk.act(
            REVIEWER,
            _at(5 + n, 29),
            decision,
            "record_legality_review",
            legality_on=f"2023-0{5 + n}-29",
            legality_conclusion="lawful",
            legality_record="经审查，决策草案合法（合成）。",
            catalogue=case_id,
        )
        if unit == "区城管局":
            desk.act(
                user,
                _at(6 + n, 8),
                decision,
                "record_collective_discussion",
                discussion_on=f"2023-0{6 + n}-08",
                discussion_meeting="区政府常务会议",
                discussion_record="会议审议通过（合成）。",
            )
            desk.act(
                leader,
                _at(6 + n, 9),
                decision,
                "decide",
                decision="adopted",
                decided_on=f"2023-0{6 + n}-08",
            )


def _inspection(desk: Desk, unit_code: str, handler: str, when: datetime, findings: int) -> None:
    unit = desk.session.scalars(select(Unit).where(Unit.code == unit_code)).one()
    case_id = desk.create(
        REVIEWER,
        when,
        "rule_of_law_inspection",
        subject="2023年行政执法工作法治督查",
        inspected_unit=unit.id,
        visited_on=when.date().isoformat(),
        inspectors="区司法局督查组（合成）",
        three_systems_checked=True,
        report_heard=True,
        files_sampled=10,
    )
    for i in range(findings):
        desk.act(
            REVIEWER,
            when,
            case_id,
            "add_finding",
            finding=f"抽查案卷中存在文书制作不规范问题（第{i + 1}项，合成）",
            requirement="对照评查标准逐卷整改，完善文书",
            due_on=(when + timedelta(days=30)).date().isoformat(),
        )
    desk.act(
        REVIEWER,
        when,
        case_id,
        "give_feedback",
        feedback="现场抽取2023年行政执法案卷，当场反馈评查情况。",
    )
    for i in range(findings):
        desk.act(
            handler,
            when + timedelta(days=20),
            case_id,
            "report_rectification",
            number=i + 1,
            report="已逐卷整改完毕（合成）。",
        )
        desk.act(
            REVIEWER,
            when + timedelta(days=25),
            case_id,
            "verify_rectification",
            number=i + 1,
            passed="passed",
            note="整改到位",
        )
    desk.act(REVIEWER, when + timedelta(days=26), case_id, "close")


def seed_legality(platform: Platform) -> str:
    """Write the demo's legality work once; '' when there already is some (or no reviewer)."""
    with transaction(platform.sessions) as session:
        # The demo's first document marks the set as written (other reviews may exist).
        first = select(Case.id).where(Case.type == "legality_review", Case.title == DOCUMENTS[0][1])
        if session.scalars(first.limit(1)).first():
            return ""
        if not session.scalars(select(User.id).where(User.username == REVIEWER)).first():
            return ""
        desk = Desk(session, platform)
        for n, (user, title, given, refused) in enumerate(DOCUMENTS, start=1):
            _review(desk, n, user, "normative_document", title, given, refused)
        for n, (title, given) in enumerate(zip(CONTRACTS, CONTRACT_OPINIONS, strict=True), start=6):
            _review(
                desk, n, "sfj_handler", "contract", f"{title}（合成）", given, 1 if n == 7 else 0
            )
        _catalogue(desk)
        _inspection(desk, "SF-CGJ", "cgj_handler", _at(10, 17), 3)
        _inspection(desk, "SF-ZJJ", "zjj_handler", _at(11, 14), 2)
    return (
        "合法性审查：规范性文件5件（法律意见11条）、合同8个（法律意见19条）；"
        "2023年重大行政决策目录及决策3项；法治督查2次。"
    )
