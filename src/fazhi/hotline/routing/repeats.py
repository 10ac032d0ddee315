"""Repeat callers and duplicate requests: pure scoring, no I/O.

Two hotline requests are compared on three things:

- **text** — Jaccard similarity of their character 2-grams, after dropping whitespace and
  punctuation (Chinese has no word boundaries; bigrams catch "占道经营" in "摊贩占道经营"
  without a segmenter or a model);
- **place** — great-circle (haversine) distance in metres between their coordinates; when
  either has none, the same grid counts as nearby;
- **time** — the gap between the two in days.

Thresholds (tuned on the demo's synthetic requests and the way 12345 centres count repeats):

- ``REPEAT_CALLER_DAYS = 30`` — the same phone within 30 days is a *repeat caller* (重复来电),
  the window national 12345 assessments use for 重复诉求;
- ``SIMILARITY_MIN = 0.35`` — two rewordings of one complaint ("小区门口摊贩占道" /
  "小区大门口有流动摊贩占道经营") share about 40–60 % of their bigrams; different problems
  on the same street share under 20 %;
- ``DISTANCE_MAX_M = 300`` — one block: the same road works or stall seen from both ends;
- ``DUPLICATE_DAYS = 14`` — an unresolved problem is reported again within the handling
  limit (5–15 working days).

A request is a *likely duplicate* (疑似同一诉求) when similarity ≥ 0.35 and it is nearby and
within 14 days. The combined ``score`` (0–1) only ranks candidates:
0.6 × similarity + 0.25 × proximity + 0.15 × recency.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime

REPEAT_CALLER_DAYS = 30
DUPLICATE_DAYS = 14
SIMILARITY_MIN = 0.35
DISTANCE_MAX_M = 300.0
EARTH_RADIUS_M = 6_371_008.8
# Proximity falls from 1 at the same spot to 0 at twice the nearby distance.
PROXIMITY_ZERO_M = 2 * DISTANCE_MAX_M
SAME_GRID_PROXIMITY = 0.5
WEIGHTS = (0.6, 0.25, 0.15)  # similarity, proximity, recency


def normalise(text: str) -> str:
    """Lower case, full-width folded (NFKC), without whitespace, punctuation or symbols."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def bigrams(text: str) -> frozenset[str]:
    """Character 2-grams of the normalised text (the single character for a one-char text)."""
    clean = normalise(text)
    if len(clean) < 2:
        return frozenset({clean}) if clean else frozenset()
    return frozenset(clean[i : i + 2] for i in range(len(clean) - 1))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' character bigrams, 0–1 (0 when either is empty)."""
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points given as longitude/latitude."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _number(value: object) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def normalise_phone(phone: object) -> str:
    """Digits only, so "0731-2288 1234" and "073122881234" are the same caller."""
    return "".join(ch for ch in str(phone or "") if ch.isdigit())


@dataclass(frozen=True)
class Request:
    """What is compared of a request: its text, caller, place and time."""

    text: str
    at: datetime
    phone: str = ""
    longitude: float | None = None
    latitude: float | None = None
    grid_id: int | None = None

    @classmethod
    def of(
        cls,
        text: str,
        at: datetime,
        phone: object = "",
        longitude: object = None,
        latitude: object = None,
        grid_id: int | None = None,
    ) -> Request:
        return cls(
            text or "", at, normalise_phone(phone), _number(longitude), _number(latitude), grid_id
        )

    @property
    def point(self) -> tuple[float, float] | None:
        if self.longitude is None or self.latitude is None:
            return None
        return self.longitude, self.latitude


@dataclass(frozen=True)
class DuplicateCandidate:
    """How an earlier (or later) request compares with this one."""

    similarity: float
    distance_m: float | None  # None when either request has no coordinates
    same_grid: bool
    days_apart: float
    same_phone: bool
    later: bool = False  # the other request came after this one

    @property
    def nearby(self) -> bool:
        if self.distance_m is not None:
            return self.distance_m <= DISTANCE_MAX_M
        return self.same_grid

    @property
    def repeat_caller(self) -> bool:
        return self.same_phone and self.days_apart <= REPEAT_CALLER_DAYS

    @property
    def likely_duplicate(self) -> bool:
        return (
            self.similarity >= SIMILARITY_MIN and self.nearby and self.days_apart <= DUPLICATE_DAYS
        )

    @property
    def relevant(self) -> bool:
        return self.repeat_caller or self.likely_duplicate

    @property
    def proximity(self) -> float:
        if self.distance_m is not None:
            return max(0.0, 1 - self.distance_m / PROXIMITY_ZERO_M)
        return SAME_GRID_PROXIMITY if self.same_grid else 0.0

    @property
    def recency(self) -> float:
        return max(0.0, 1 - self.days_apart / DUPLICATE_DAYS)

    @property
    def score(self) -> float:
        ws, wp, wr = WEIGHTS
        return round(ws * self.similarity + wp * self.proximity + wr * self.recency, 4)

    def explain(self) -> str:
        """内容相似 62%，相距 120 米，3 天前 (or 同一网格 / 位置不明; 同一来电号码)."""
        parts = [f"内容相似 {round(self.similarity * 100)}%"]
        if self.distance_m is not None:
            parts.append(f"相距 {round(self.distance_m)} 米")
        elif self.same_grid:
            parts.append("同一网格")
        else:
            parts.append("位置不明")
        days = int(self.days_apart)
        parts.append("当天" if days == 0 else f"{days} 天{'后' if self.later else '前'}")
        if self.same_phone:
            parts.append("同一来电号码")
        return "，".join(parts)


def compare(request: Request, other: Request) -> DuplicateCandidate:
    """The three components of `other` seen from `request` (the gap counts either way)."""
    a, b = request.point, other.point
    distance = haversine_m(a[0], a[1], b[0], b[1]) if a and b else None
    same_grid = request.grid_id is not None and request.grid_id == other.grid_id
    gap = abs((request.at - other.at).total_seconds()) / 86400
    return DuplicateCandidate(
        similarity=round(similarity(request.text, other.text), 4),
        distance_m=None if distance is None else round(distance, 1),
        same_grid=same_grid,
        days_apart=round(gap, 3),
        same_phone=bool(request.phone) and request.phone == other.phone,
        later=other.at > request.at,
    )


def rank_key(candidate: DuplicateCandidate) -> tuple[int, float, float]:
    """Likely duplicates first, then by score, nearer in time first."""
    return (0 if candidate.likely_duplicate else 1, -candidate.score, candidate.days_apart)
