"""The standing of an evaluation scheme (pure): per item its completion, evidence status and
the score it would earn, per area and for the whole scheme.

An item is evidenced by the platform (its indicators, each with the ledger behind it), by
uploaded evidence (材料 the platform cannot hold: a meeting's minutes, a published plan), or
both. Completion is the mean over its indicators of their completion against target
(capped at 1; an indicator without a target counts as complete once it has a value); an
upload-only item is complete once evidence is uploaded. The earned score is the item's
score × completion, and is a self-assessment estimate, not the assessors' mark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from fazhi.domain.indicators.formulas import Value
from fazhi.domain.indicators.spec import Scheme, SchemeArea, SchemeItem

ONE = Decimal(1)
EVIDENCE_LABELS = {
    "platform": "平台数据佐证",
    "missing_data": "缺少数据",
    "uploaded": "已上传佐证材料",
    "awaiting_upload": "待上传佐证材料",
    "partial": "部分佐证",
}


@dataclass(frozen=True)
class ItemStatus:
    item: SchemeItem
    completion: Decimal
    evidence: str  # a key of EVIDENCE_LABELS
    earned: Decimal
    uploads: int
    values: tuple[Value, ...]

    @property
    def evidence_label(self) -> str:
        return EVIDENCE_LABELS[self.evidence]

    @property
    def complete(self) -> bool:
        return self.completion >= ONE and self.evidence in ("platform", "uploaded")


@dataclass(frozen=True)
class AreaStatus:
    area: SchemeArea
    items: tuple[ItemStatus, ...]

    @property
    def score(self) -> Decimal:
        return self.area.score

    @property
    def earned(self) -> Decimal:
        return sum((i.earned for i in self.items), Decimal(0))

    @property
    def complete_items(self) -> int:
        return sum(1 for i in self.items if i.complete)


def _indicator_completion(value: Value) -> Decimal:
    if value.value is None:
        return Decimal(0)
    if value.target is None and value.indicator.formula.kind != "completion":
        return ONE
    return min(ONE, value.completion or Decimal(0))


def item_status(item: SchemeItem, values: Mapping[str, Value], uploads: int) -> ItemStatus:
    """`values`: the scheme's indicators for the period; `uploads`: evidence files in force."""
    found = tuple(values[i] for i in item.indicators if i in values)
    data_ok = bool(found) and all(v.value is not None for v in found)
    platform_part = (
        sum((_indicator_completion(v) for v in found), Decimal(0)) / len(found)
        if found
        else Decimal(0)
    )
    upload_part = ONE if uploads else Decimal(0)
    if item.evidence == "platform":
        completion, evidence = platform_part, "platform" if data_ok else "missing_data"
    elif item.evidence == "upload":
        completion, evidence = upload_part, "uploaded" if uploads else "awaiting_upload"
    else:
        completion = (platform_part + upload_part) / 2
        evidence = (
            "uploaded"
            if data_ok and uploads
            else "partial"
            if data_ok or uploads
            else "awaiting_upload"
        )
    return ItemStatus(item, completion, evidence, item.score * completion, uploads, found)


def scheme_status(
    scheme: Scheme, values: Mapping[str, Value], uploads: Mapping[str, int]
) -> tuple[AreaStatus, ...]:
    """Every area of the scheme with its items' standing (`uploads`: item code → files)."""
    return tuple(
        AreaStatus(area, tuple(item_status(i, values, uploads.get(i.code, 0)) for i in area.items))
        for area in scheme.areas
    )
