"""The demo's dispatch catalogue: dispatch_catalogue.yaml (synthetic, after the 三定 duties
and street duty lists of the demo organisation), loaded into an empty catalogue by the admin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from fazhi.actions.admin.common import first_admin_context
from fazhi.actions.platform import Platform
from fazhi.hotline.actions.catalogue import seed_items
from fazhi.store.db import transaction

DEMO_FILE = Path(__file__).with_name("dispatch_catalogue.yaml")


def demo_rows() -> list[dict[str, Any]]:
    rows = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    return [dict(r) for r in rows]


def seed_catalogue(platform: Platform) -> int:
    """The demo catalogue's items, unless the catalogue has items already (0 then)."""
    with transaction(platform.sessions) as session:
        ctx = first_admin_context(session, platform)
        if ctx is None:
            return 0
        return seed_items(session, ctx, demo_rows())
