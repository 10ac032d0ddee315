"""`fazhi demo` on a fresh database reproduces every figure of the seed report: each figure of
the inventory (catalog/indicators/inventory/shifeng_2023.yaml) has, through its indicator, the
value the report states — computed from the demo's records or imported through the sources'
templates by the demo's import step — for the year (or the day the inventory names).

How a figure is read against the report's words:
- "500余个", "2万多份", "1318万余元": at least the number and less than the next one at the
  place of its last digit (500 ≤ n < 600, 20,000 ≤ n < 30,000, 1,318 ≤ n < 1,319);
- a percentage at the report's precision, rounded or cut off there (99.83% is written 99%,
  17 ÷ 18 = 94.44% is 94.4%);
- "任务数为260件" is the target of the completion rate its indicator names;
- every other figure exactly, as its indicator writes it (to its precision: the average
  handling time fell by 2.08 working days, written 2个工作日).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from fazhi.actions.platform import Platform
from fazhi.analytics import indicators as ix
from fazhi.analytics.period import Period
from fazhi.catalog.indicator_catalog import INVENTORY
from fazhi.cli import app
from fazhi.store.db import transaction
from tests.databases import drop, fresh_url, open_platform
from tests.support import FakeClock

# The synthetic demo year's content: the same on either database (docs/operations.md).
pytestmark = [pytest.mark.slow, pytest.mark.dialect_neutral]
FIGURES: list[dict[str, Any]] = yaml.safe_load(
    (INVENTORY / "shifeng_2023.yaml").read_text(encoding="utf-8")
)["figures"]
ABOUT = re.compile(r"\d(万)?(余|多)")  # 500余个, 2万多份, 1318万余元


@pytest.fixture(scope="module")
def demo_platform(tmp_path_factory: pytest.TempPathFactory, clock: FakeClock) -> Iterator[Platform]:
    """A fresh database loaded by `fazhi demo` as `make run` does (its defaults)."""
    url = fresh_url(tmp_path_factory.mktemp("seed2023"), "seed2023")
    result = CliRunner().invoke(app, ["demo"], env={"FAZHI_DATABASE_URL": url, "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    platform = open_platform(url, clock)
    try:
        yield platform
    finally:
        platform.engine.dispose()
        drop(url)


def _period(entry: dict[str, Any]) -> Period:
    if "period" in entry:
        day = date.fromisoformat(str(entry["period"]))
        return Period(day, day)
    return Period(date(2023, 1, 1), date(2023, 12, 31))


def _places(number: Decimal) -> int:
    return max(0, -number.normalize().as_tuple().exponent)  # type: ignore[operator]


def _next_round(number: Decimal) -> Decimal:
    """500 → 600, 20000 → 30000, 1318 → 1319, 75 → 76: one more at the last digit's place."""
    digits = str(int(number))
    trailing = len(digits) - len(digits.rstrip("0"))
    return number + Decimal(10) ** trailing


def states(entry: dict[str, Any], got: Decimal | None) -> bool:
    """Whether `got` is what the report writes for the entry's figure."""
    if got is None:
        return False
    want = Decimal(str(entry["value"]))
    if ABOUT.search(str(entry["fragment"])) or "多" in str(entry.get("note", "")):
        return want <= got < _next_round(want)
    if entry["unit"] == "%":
        step = Decimal(1).scaleb(-_places(want * 100) - 2)  # 94.4% → 0.001
        return want in (got.quantize(step, ROUND_HALF_UP), got.quantize(step, ROUND_DOWN))
    return got == want


def test_the_reading_of_the_reports_words() -> None:
    about = {"fragment": "500余个", "value": 500, "unit": "个"}
    assert states(about, Decimal(519)) and not states(about, Decimal(473))
    assert not states(about, Decimal(600))
    rate = {"fragment": "调解成功率高达99%", "value": 0.99, "unit": "%"}
    assert states(rate, Decimal(1724) / 1727) and not states(rate, Decimal("0.9849"))
    assert not states({"fragment": "106", "value": 1.0, "unit": "%"}, Decimal(18) / 17)
    assert states({"fragment": "x", "value": 16, "unit": "本"}, Decimal(16))
    assert not states({"fragment": "x", "value": 16, "unit": "本"}, None)


def _is_target(entry: dict[str, Any]) -> bool:
    """ "任务数为260件" is a target; "完成全年目标任务的175%" the completion itself."""
    words = str(entry["fragment"])
    return entry["unit"] != "%" and ("目标" in words or "任务数" in words)


def test_every_figure_of_the_seed_comes_out_of_the_demo(demo_platform: Platform) -> None:
    p = demo_platform
    region = p.settings.region_code
    wrong = []
    with transaction(p.sessions) as session:
        directory = p.directory()
        for period in sorted({_period(e) for e in FIGURES}, key=lambda x: x.start):
            entries = [e for e in FIGURES if _period(e) == period]
            scope = ix.Scope(region, period, None, None)
            found = ix.values(session, p, directory, scope, {e["indicator"] for e in entries})
            for entry in entries:
                value = found[entry["indicator"]]
                # As the indicator writes it: an average of 2.08 working days is "2个工作日".
                got = value.target if _is_target(entry) else value.rounded
                if not states(entry, got):
                    wrong.append(f"{entry['indicator']}: 报告 {entry['value']}，演示 {got}")
    assert not wrong, "\n".join(wrong)
    assert len(FIGURES) == 122


def test_no_figure_is_left_out_of_the_demo() -> None:
    # `demo: false` would mark a computed figure the demo does not produce: there is none.
    assert [e["indicator"] for e in FIGURES if e.get("demo") is False] == []


def test_all_concluded_counts_the_years_own_requests(demo_platform: Platform) -> None:
    """均按程序办结: of the 17 requests received in 2023, 17 are concluded. The year also saw 18
    conclusions (the request of December 2022 was replied to in January), which a ratio of the
    year's totals would turn into 106%; the cohort counter (`day: created`) files each
    conclusion under the day its request came in."""
    p = demo_platform
    year = Period(date(2023, 1, 1), date(2023, 12, 31))
    december = Period(date(2022, 12, 1), date(2022, 12, 31))
    with transaction(p.sessions) as session:
        directory = p.directory()
        names = {"disclosure.requests_concluded", "disclosure.conclusion_rate"}
        found = ix.values(
            session, p, directory, ix.Scope(p.settings.region_code, year, None, None), names
        )
        carried = ix.values(
            session, p, directory, ix.Scope(p.settings.region_code, december, None, None), names
        )
    assert found["disclosure.requests_concluded"].value == 18  # concluded in the year
    assert found["disclosure.conclusion_rate"].value == 1  # 17 of the year's 17
    # The carried-over request counts as concluded for the month it was received in.
    assert carried["disclosure.conclusion_rate"].value == 1
    assert carried["disclosure.requests_concluded"].value == 0
