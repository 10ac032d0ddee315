"""The synthetic 2023 consumer work of the seed report for `fazhi demo`: the online-training
campaign and the reports (demo/campaign.py), the year's 6,369 complaints (demo/complaints.py),
written once, in one transaction, through the one door by the demo's consumer officers."""

from __future__ import annotations

from sqlalchemy import select

from fazhi.actions.demo_desk import Desk
from fazhi.actions.platform import Platform
from fazhi.consumer.demo.campaign import (
    FILED,
    REPORTS,
    conclude_campaign,
    launch_campaign,
    seed_reports,
)
from fazhi.consumer.demo.complaints import LISTED, OFFICER, ONLINE, STATION, TOTAL, seed_complaints
from fazhi.store.db import transaction
from fazhi.store.models import Case, User

CASES = 1 + REPORTS + TOTAL


def seed_consumer(platform: Platform) -> str:
    """Write the demo's consumer year once; '' when it is there already (or the demo's users
    are missing)."""
    with transaction(platform.sessions) as session:
        written = select(Case.id).where(
            Case.type.in_(("consumer_complaint", "consumer_campaign")), Case.title.like("%（合成%")
        )
        if session.scalars(written.limit(1)).first():
            return ""
        users = session.scalars(select(User.username).where(User.username.in_((OFFICER, STATION))))
        if len(set(users)) < 2:
            return ""
        desk = Desk(session, platform)
        campaign = launch_campaign(desk)
        seed_reports(desk, campaign)
        seed_complaints(desk, campaign)
        conclude_campaign(desk, campaign)
    return (
        f"消费维权：投诉{TOTAL}件（网络培训{ONLINE}件）、举报{REPORTS}件（立案{FILED}件）、"
        f"列入经营异常名录{LISTED}户、专项整治1项。"
    )
