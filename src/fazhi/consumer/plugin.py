"""What consumer complaints, reports and themed campaigns add to the platform (for
`fazhi.bootstrap`): the year's figures, campaigns and abnormal-operation listings over the
API and in the console (`/consumer`), and the synthetic 2023 data for `fazhi demo`. The three
case types are data (catalog/case_types/consumer_complaint.yaml, consumer_report.yaml,
consumer_campaign.yaml); what data cannot say is in `fazhi.consumer.hooks`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fazhi.actions.platform import Platform
from fazhi.consumer import api
from fazhi.consumer.web import pages
from fazhi.web.console import ConsoleExtension

NAME = "consumer"
API_ROUTERS = (api.router,)
WEB = Path(__file__).parent / "web"
CONSOLE = ConsoleExtension(
    routers=(pages.router,),
    nav=((("/consumer", "消费维权", frozenset({"consumer_officer"})), "/cases"),),
    templates=WEB / "templates",
)


def generate_demo(
    platform: Platform, orders: int, current: int, seed: int, progress: Callable[[int], None]
) -> str:
    """The synthetic 2023 consumer work of the seed report."""
    from fazhi.consumer.demo.work import seed_consumer

    made = seed_consumer(platform)
    return made or "消费维权演示数据已存在，跳过。"
