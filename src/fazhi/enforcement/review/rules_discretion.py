"""The discretion-benchmark rule (裁量基准): a fine outside the range its item's benchmark sets
for the circumstance found. Only a file that names its benchmark (`penalty.benchmark`: the
platform's own exports, and outside files that carry it) is checked."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from fazhi.domain.calendar import WorkCalendar
from fazhi.enforcement.review.manifest import CaseFile
from fazhi.enforcement.review.registry import BOTH, Hit, rule


def _yuan(amount: Decimal) -> str:
    return f"{amount.normalize():f}"


@rule("benchmark.range", "wrong_entry", BOTH)
def _within_benchmark(cf: CaseFile, cal: WorkCalendar) -> Iterator[Hit]:
    bench, amount = cf.benchmark, cf.penalty_amount
    if bench is None or amount is None or cf.penalty_kind != "fine":
        return
    if bench.low <= amount <= bench.high:
        return
    why = f"；所述理由：{bench.reason}" if bench.reason else "，且未说明理由"
    yield (
        "summary_decision" if cf.procedure == "summary" else "decision",
        f"罚款 {_yuan(amount)} 元超出处罚事项 {bench.item}「{bench.circumstance}」情形的裁量基准"
        f"（{_yuan(bench.low)}至{_yuan(bench.high)}元）{why}",
    )
