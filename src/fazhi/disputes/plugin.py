"""What administrative reconsideration and litigation add to the platform (for
`fazhi.bootstrap`): the year's figures over the API and in the console (`/disputes`), and the
synthetic 2023 data for `fazhi demo`. Both case types are data
(catalog/case_types/reconsideration.yaml, litigation.yaml); what data cannot say (silence
means accepted, the hearing records) is in `fazhi.disputes.hooks`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fazhi.actions.platform import Platform
from fazhi.disputes import api
from fazhi.disputes.web import pages
from fazhi.web.console import ConsoleExtension

NAME = "disputes"
API_ROUTERS = (api.router,)
WEB = Path(__file__).parent / "web"
CONSOLE = ConsoleExtension(
    routers=(pages.router,),
    # Only the office's own menu: supervisors and leaders reach the page from its address
    # and their statistics, so their menus stay as they are.
    nav=((("/disputes", "复议应诉", frozenset({"reconsideration_officer"})), "/work"),),
    landing={"reconsideration_officer": "/disputes"},
    templates=WEB / "templates",
)


def generate_demo(
    platform: Platform, orders: int, current: int, seed: int, progress: Callable[[int], None]
) -> str:
    """The synthetic 2023 reconsideration and litigation work of the seed report."""
    from fazhi.disputes.demo.work import seed_disputes

    made = seed_disputes(platform)
    return made or "行政复议与应诉演示数据已存在，跳过。"
