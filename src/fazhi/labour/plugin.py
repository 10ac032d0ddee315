"""What labour arbitration, wage arrears and the labour inspections add to the platform (for
`fazhi.bootstrap`): the year's figures over the API and in the console (`/labour`), and the
synthetic 2023 data for `fazhi demo`. The three case types are data
(catalog/case_types/labour_arbitration.yaml, wage_arrears.yaml, labour_inspection.yaml);
what data cannot say is in `fazhi.labour.hooks`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fazhi.actions.platform import Platform
from fazhi.labour import api
from fazhi.labour.web import pages
from fazhi.web.console import ConsoleExtension

NAME = "labour"
API_ROUTERS = (api.router,)
WEB = Path(__file__).parent / "web"
CONSOLE = ConsoleExtension(
    routers=(pages.router,),
    nav=((("/labour", "劳动仲裁与欠薪", frozenset({"arbitrator", "labour_inspector"})), "/cases"),),
    templates=WEB / "templates",
)


def generate_demo(
    platform: Platform, orders: int, current: int, seed: int, progress: Callable[[int], None]
) -> str:
    """The synthetic 2023 labour work of the seed report."""
    from fazhi.labour.demo.work import seed_labour

    made = seed_labour(platform)
    return made or "劳动仲裁与根治欠薪演示数据已存在，跳过。"
