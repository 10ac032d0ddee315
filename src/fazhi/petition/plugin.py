"""What petitions and the disclosure report add to the platform (for `fazhi.bootstrap`): the
year's figures of both types over the API and in the console (`/petitions` for the petition
bureau, `/disclosure-report` for the units that answer disclosure requests), and the
synthetic 2023 data for `fazhi demo`. Both types are data (catalog/case_types/petition.yaml,
disclosure_request.yaml); neither needs a hook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fazhi.actions.platform import Platform
from fazhi.petition import api
from fazhi.petition.web import pages
from fazhi.web.console import ConsoleExtension

NAME = "petition"
API_ROUTERS = (api.router,)
WEB = Path(__file__).parent / "web"
CONSOLE = ConsoleExtension(
    routers=(pages.router,),
    # The bureau's menu entry. The disclosure report has none: its readers are every unit's
    # handlers and leaders (the first wave's roles, whose menus stay as they are), so it is
    # reached from its address, as supervisors and leaders reach /petitions.
    nav=((("/petitions", "信访事项", frozenset({"petition_officer"})), "/work"),),
    landing={"petition_officer": "/petitions"},
    templates=WEB / "templates",
)


def generate_demo(
    platform: Platform, orders: int, current: int, seed: int, progress: Callable[[int], None]
) -> str:
    """The synthetic 2023 petitions and disclosure requests of the seed report."""
    from fazhi.petition.demo.work import seed_petitions

    made = seed_petitions(platform)
    return made or "信访与政府信息公开演示数据已存在，跳过。"
