"""The synthetic 2023 labour work of the seed report for `fazhi demo`: labour arbitration
(demo/arbitration.py), wage arrears and the inspections (demo/wages.py), written once, in
one transaction, through the one door by the demo's arbitrator and labour inspector."""

from __future__ import annotations

from sqlalchemy import select

from fazhi.actions.demo_desk import Desk
from fazhi.actions.platform import Platform
from fazhi.labour.demo.arbitration import ACCEPTED, ARBITRATOR, CLOSED, seed_arbitration
from fazhi.labour.demo.wages import (
    CLUES,
    COMPLAINTS,
    INSPECTOR,
    WARNINGS,
    seed_clues,
    seed_complaints,
    seed_inspections,
)
from fazhi.store.db import transaction
from fazhi.store.models import Case, User


def seed_labour(platform: Platform) -> str:
    """Write the demo's labour year once; '' when it is there already (or the demo's users
    are missing)."""
    with transaction(platform.sessions) as session:
        written = select(Case.id).where(
            Case.type.in_(("labour_arbitration", "wage_arrears")), Case.title.like("%（合成%")
        )
        if session.scalars(written.limit(1)).first():
            return ""
        users = session.scalars(
            select(User.username).where(User.username.in_((ARBITRATOR, INSPECTOR)))
        )
        if len(set(users)) < 2:
            return ""
        desk = Desk(session, platform)
        seed_arbitration(desk)
        seed_complaints(desk)
        seed_clues(desk)
        seed_inspections(desk)
    return (
        f"劳动人事争议仲裁：受理{ACCEPTED}件、结案{CLOSED}件；根治欠薪：投诉举报{COMPLAINTS}件、"
        f"国家平台线索{CLUES}条、人社平台预警{WARNINGS}条；专项检查2次、双随机检查28家。"
    )
