"""Every figure of the seed report (the indicator catalogue's inventory of it) stands in the
drafted 2023 report, under the area the seed states it in and written as the seed writes it:
the inventory's values go in through the report's interface, each to its indicator's own
precision and rounding (调解成功率高达99%: 99.83% rounded down), and the draft is read back."""

from __future__ import annotations

from decimal import Decimal

import yaml

from fazhi.catalog.indicator_catalog import INVENTORY, load_indicator_catalog
from fazhi.catalog.registry import default_case_types
from fazhi.domain.indicators.formulas import rounded
from fazhi.report.draft import Figure, Heading, Paragraph, draft_report
from fazhi.report.numbers import Spec, format_figure
from fazhi.report.template import annual_template
from fazhi.report.values import IndicatorValue, Period

SECTIONS = {
    "一(一)": "（一）",
    "一(二)": "（二）",
    "一(三)": "（三）",
    "一(四)": "（四）",
    "一(五)": "（五）",
}


def test_every_figure_of_the_seed_stands_in_its_area_as_the_seed_writes_it() -> None:
    catalog = load_indicator_catalog(default_case_types())
    figures = yaml.safe_load((INVENTORY / "shifeng_2023.yaml").read_text("utf-8"))["figures"]
    # A target stated beside its completion (任务数为260件) is the completion's input, not its
    # value; an indicator stated once per dated agreement is stated for the year as their sum.
    stated: dict[str, Decimal] = {}
    sections: dict[str, str] = {}
    for entry in figures:
        indicator = catalog.indicator(entry["indicator"])
        assert indicator is not None, entry
        if indicator.unit != entry["unit"]:
            continue
        stated[indicator.id] = stated.get(indicator.id, Decimal(0)) + Decimal(str(entry["value"]))
        sections[indicator.id] = entry["section"][:4]
    assert len(stated) >= 115

    values, expected = {}, {}
    for ident, value in stated.items():
        indicator = catalog.indicator(ident)
        assert indicator is not None
        shown = rounded(indicator, value)
        assert shown is not None
        unit = "ratio" if indicator.percent else indicator.unit
        values[ident] = IndicatorValue(
            ident,
            indicator.name,
            shown,
            unit,
            Period.year(2023),
            f"/indicators/ledger/{ident}?year=2023",
            decimals=indicator.precision,
        )
        written = format_figure(shown, unit, Spec(decimals=indicator.precision))
        expected[ident] = (SECTIONS[sections[ident]], written)

    draft = draft_report(annual_template(), 2023, "石峰区", values, {})
    found: dict[str, tuple[str, str]] = {}
    area = ""
    for block in draft.blocks:
        if isinstance(block, Heading) and block.level == 2:
            area = block.number
        elif isinstance(block, Paragraph):
            for run in block.runs:
                if isinstance(run, Figure):
                    found.setdefault(run.key, (area, run.text))
    assert {k: found.get(k) for k in expected} == expected
    assert not draft.missing or set(draft.missing).isdisjoint(expected)
    text = draft.text()
    for words in (
        "全区共调解矛盾纠纷1727件，调解成功1724件，调解成功率高达99%",
        "今年送审12个项目累计核减205.4万元，核减比率4.05%",
        "政务服务“好差评”系统评价满意率99.98%",
        "胜诉率为94.4%",
        "完成全年目标任务的175%",
        "为群众追赃挽损53.89万元",
    ):
        assert words in text, words
