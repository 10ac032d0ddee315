"""What community correction adds to the platform (for `fazhi.bootstrap`): the terminals'
check-in API, the officer's views over the API and in the console (`/correction`), and the
synthetic subjects and year of check-ins for `fazhi demo`. The case types are data
(catalog/case_types/community_correction.yaml, correction_anomaly.yaml, resettlement.yaml);
what data cannot say is in `fazhi.correction.hooks` (pure), `anomalies` and `checkins`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fazhi.actions.platform import Platform
from fazhi.correction import api
from fazhi.correction.photos import MAX_PHOTO
from fazhi.correction.web import pages
from fazhi.http.body_limits import BodyLimit
from fazhi.web.console import ConsoleExtension

NAME = "correction"
API_ROUTERS = (api.router,)
# A check-in carries its photo (≤ 2 MB) Base64-encoded: a third more, and the position.
BODY_LIMITS = (
    BodyLimit("POST", r"/api/v1/correction/check-ins", fixed=MAX_PHOTO * 4 // 3 + 64 * 1024),
)
WEB = Path(__file__).parent / "web"
READERS = frozenset({"correction_officer", "judicial_officer"})
CONSOLE = ConsoleExtension(
    routers=(pages.router,),
    nav=((("/correction", "社区矫正", READERS), "/cases"),),
    landing={"correction_officer": "/correction"},
    templates=WEB / "templates",
    static_prefix="correction",
    static=WEB / "static",
)


def generate_demo(
    platform: Platform, orders: int, current: int, seed: int, progress: Callable[[int], None]
) -> str:
    """The synthetic subjects of 2023 with a year of check-ins and planted anomalies."""
    from fazhi.correction.demo.work import seed_correction

    made = seed_correction(platform)
    return made or "社区矫正演示数据已存在，跳过。"
