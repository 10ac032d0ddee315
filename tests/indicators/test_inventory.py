"""The inventory of the seed report's figures (catalog/indicators/inventory/shifeng_2023.yaml)
names, for every figure, an indicator of the catalogue with the same unit of measure and
says truthfully whether the platform computes it: an `imported` figure's indicator reads an
imported figure, a `computed` one reads none."""

from __future__ import annotations

from pathlib import Path

import yaml

from fazhi.analytics.indicators import computed
from fazhi.catalog.indicator_catalog import INVENTORY, load_indicator_catalog
from fazhi.catalog.registry import default_case_types

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed"


def test_every_figure_of_the_inventory_has_its_indicator() -> None:
    catalog = load_indicator_catalog(default_case_types())
    inventory = yaml.safe_load((INVENTORY / "shifeng_2023.yaml").read_text(encoding="utf-8"))
    figures = inventory["figures"]
    assert len(figures) >= 110
    for entry in figures:
        indicator = catalog.indicator(entry["indicator"])
        assert indicator is not None, entry
        target_of = "目标" in entry["fragment"] or "任务数" in entry["fragment"]
        if not target_of:
            assert indicator.unit == entry["unit"], entry
        assert computed(indicator, catalog) == (entry["origin"] == "computed"), entry
        assert entry["section"].startswith("一(")


def _plain(text: str) -> str:
    """The seed mixes full-width and ASCII punctuation: compare without the difference."""
    return text.translate(str.maketrans("，：；（）", ",:;()")).replace(" ", "")


def test_the_fragments_are_the_seed_reports_words_where_it_is_at_hand() -> None:
    files = sorted(SEED.glob("*.txt")) if SEED.is_dir() else []
    if not files:
        return  # the shared seed sits beside the checkout on developers' machines and CI
    text = _plain(files[0].read_text(encoding="utf-8"))
    inventory = yaml.safe_load((INVENTORY / "shifeng_2023.yaml").read_text(encoding="utf-8"))
    for entry in inventory["figures"]:
        for part in str(entry["fragment"]).split("……"):
            part = part.split("（")[0]
            assert _plain(part) in text, part
