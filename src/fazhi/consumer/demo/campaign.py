"""The synthetic 2023 online-training campaign of the seed report (积极查办投诉集中的网络教培
机构案件 … 立案调查4件，列入经营异常11户，挽回经济损失252万元) and the year's consumer
reports: the campaign is launched on 3 January and concluded on 28 December with 2,520,000
yuan recovered by its refund orders; 24 reports are verified, the 4 of online training
(linked to the campaign, one after an approved extension) filed for investigation and the 20
others not filed.

SYNTHETIC: every party, number and amount is made up. Every step goes through the one door at
a 2023 instant, by the demo's consumer officer."""

from __future__ import annotations

from datetime import timedelta

from fazhi.actions.demo_desk import Desk, at_2023
from fazhi.consumer.demo.parties import business, complainant, phone

OFFICER = "scjg_consumer"
CAMPAIGN_RECOVERED = 2_520_000
REPORTS, FILED = 24, 4
REPORT_TOPICS = ("price", "goods_quality", "prepaid_card", "online_shopping", "services")


def launch_campaign(desk: Desk) -> int:
    return desk.create(
        OFFICER,
        at_2023(1, 3, 9),
        "consumer_campaign",
        theme="网络教培机构退费专项整治（合成）",
        topic="online_training",
        starts_on="2023-01-01",
        ends_on="2023-12-31",
        plan="归集网络培训退费投诉举报，约谈平台和机构，督促退费，查处违法行为（合成演示数据）。",
        units=["SF-SCJG-TX"],  # the 田心 station takes part
    )


def conclude_campaign(desk: Desk, campaign: int) -> None:
    for month in (3, 6, 9):
        desk.act(
            OFFICER,
            at_2023(month, 28, 15),
            campaign,
            "record_progress",
            held_on=f"2023-{month:02d}-28",
            note="集中约谈网络教培机构，督促退费（合成）。",
        )
    desk.act(
        OFFICER,
        at_2023(12, 28, 16),
        campaign,
        "conclude",
        amount_recovered=str(CAMPAIGN_RECOVERED),
        conclusion="全年收到网络培训信访投诉举报1119起，立案调查4件，列入经营异常11户（合成）。",
    )


def seed_reports(desk: Desk, campaign: int) -> None:
    for n in range(REPORTS):
        online = n < FILED
        topic = "online_training" if online else REPORT_TOPICS[n % len(REPORT_TOPICS)]
        name, code = business(9000 + n, topic)
        when = at_2023(2, 6, 10) + timedelta(days=n * 12)
        fields = {
            "channel": "platform_12315" if n % 3 else "hotline_12345",
            "reporter_name": complainant(7000 + n),
            "reporter_phone": phone(7000 + n),
            "business_name": name,
            "business_credit_code": code,
            "topic": topic,
            "matter": "举报经营者虚假宣传、拒不退费等违法行为（合成演示数据）。",
        }
        if online:
            fields["campaign"] = campaign
        case_id = desk.create(OFFICER, when, "consumer_report", **fields)
        decided = when + timedelta(days=9)
        if n == 0:
            desk.act(
                OFFICER,
                when + timedelta(days=14),
                case_id,
                "extend_verification",
                days=15,
                approved_by="局长（合成）",
                reason="涉及多个网络平台，需调取交易数据（合成）。",
            )
            decided = when + timedelta(days=30)
        desk.file(
            OFFICER, decided, case_id, "verification_report", summary="现场核查与调取证据（合成）。"
        )
        if online:
            desk.act(
                OFFICER,
                decided,
                case_id,
                "file_case",
                penalty_reference=f"石市监立〔2023〕{n + 1:02d}号",
            )
        else:
            desk.act(
                OFFICER,
                decided,
                case_id,
                "not_file",
                not_filed_reason="经核查，违法事实不成立（合成）。",
            )
