"""The synthetic 2023 petitions and disclosure requests for `fazhi demo`
(demo/petitions.py, demo/disclosure.py), written once, in one transaction, through the one
door by the demo's petition officer and the handler of 区政府办."""

from __future__ import annotations

from sqlalchemy import select

from fazhi.actions.demo_desk import Desk
from fazhi.actions.platform import Platform
from fazhi.petition.demo.disclosure import HANDLER, RECEIVED, seed_disclosure_year
from fazhi.petition.demo.petitions import OFFICER, ONLINE_TRAINING, TOTAL, seed_petition_year
from fazhi.store.db import transaction
from fazhi.store.models import Case, User


def seed_petitions(platform: Platform) -> str:
    """Write the demo's petition and disclosure year once; '' when it is there already (or
    the demo's users are missing)."""
    with transaction(platform.sessions) as session:
        written = select(Case.id).where(
            Case.type.in_(("petition", "disclosure_request")), Case.title.like("%合成%")
        )
        if session.scalars(written.limit(1)).first():
            return ""
        users = session.scalars(select(User.username).where(User.username.in_((OFFICER, HANDLER))))
        if len(set(users)) < 2:
            return ""
        desk = Desk(session, platform)
        seed_petition_year(desk)
        seed_disclosure_year(desk)
    return (
        f"信访事项：登记{TOTAL}件（其中网络培训类{ONLINE_TRAINING}件）；"
        f"政府信息公开申请：2023年收到{RECEIVED}件，上年结转1件，均已办结。"
    )
