"""What legality review, major decisions and rule-of-law inspections add to the platform (for
`fazhi.bootstrap`): the reads over the API (opinions, statistics, catalogues, findings), the
console's overview and the public catalogue page, and the synthetic 2023 data for `fazhi demo`.
The three case types are data (catalog/case_types/legality_review.yaml, major_decision*.yaml,
rule_of_law_inspection.yaml); their numbered records are kept by `fazhi.legality.hooks`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fazhi.actions.platform import Platform
from fazhi.legality import api
from fazhi.legality.web import pages
from fazhi.web.console import ConsoleExtension

NAME = "legality"
API_ROUTERS = (api.router, api.public_router)
WEB = Path(__file__).parent / "web"
CONSOLE = ConsoleExtension(
    routers=(pages.router,),
    nav=((("/legality", "合法性审查", frozenset(api.READER_ROLES)), "/case-file-reviews"),),
    landing={"legality_reviewer": "/legality"},
    templates=WEB / "templates",
)


def generate_demo(
    platform: Platform, orders: int, current: int, seed: int, progress: Callable[[int], None]
) -> str:
    """The synthetic 2023 legality work of the seed report."""
    from fazhi.legality.demo.work import seed_legality

    made = seed_legality(platform)
    return made or "合法性审查演示数据已存在，跳过。"
