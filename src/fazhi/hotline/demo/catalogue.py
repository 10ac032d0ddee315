"""The demo's dispatch catalogue: dispatch_catalogue.yaml (synthetic, after the 三定 duties
and street duty lists of the demo organisation), loaded into an empty catalogue by the admin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext
from fazhi.actions.platform import Platform
from fazhi.hotline.actions.catalogue import seed_items
from fazhi.store.db import transaction
from fazhi.store.models import User, UserRole

DEMO_FILE = Path(__file__).with_name("dispatch_catalogue.yaml")


def demo_rows() -> list[dict[str, Any]]:
    rows = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    return [dict(r) for r in rows]


def seed_catalogue(platform: Platform) -> int:
    """The demo catalogue's items, unless the catalogue has items already (0 then)."""
    with transaction(platform.sessions) as session:
        admin = session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == "admin")
            .order_by(User.id)
        ).first()
        if admin is None:
            return 0
        ctx = ActionContext(platform, actor_for(platform, admin), platform.now())
        return seed_items(session, ctx, demo_rows())
