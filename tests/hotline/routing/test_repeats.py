"""Repeat and duplicate scoring (fazhi.hotline.routing.repeats): text, distance, time and
thresholds."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fazhi.domain.durations import LOCAL_TZ
from fazhi.hotline.routing.repeats import (
    DISTANCE_MAX_M,
    SIMILARITY_MIN,
    Request,
    bigrams,
    compare,
    haversine_m,
    normalise_phone,
    rank_key,
    similarity,
)

NOW = datetime(2024, 12, 5, 10, 0, tzinfo=LOCAL_TZ)
STALL = "建设路小区大门口有流动摊贩占道经营，影响通行"
STALL_AGAIN = "建设路小区门口流动摊贩占道经营，堵住通行"
NOISE = "夜间工地施工噪音扰民，凌晨还在打桩"
# 株洲石峰区一带：0.001° of latitude is about 111 m.
LON, LAT = 113.1500, 27.8700


def test_bigrams_ignore_punctuation_space_and_width() -> None:
    assert bigrams("摊贩， 占道！") == bigrams("摊贩占道") == {"摊贩", "贩占", "占道"}
    assert bigrams("ＡＢ") == {"ab"}
    assert bigrams("水") == {"水"} and bigrams("  ，") == frozenset()


def test_similarity_of_a_reworded_complaint_passes_the_threshold_and_a_different_one_not() -> None:
    assert similarity(STALL, STALL) == 1.0
    assert similarity(STALL, STALL_AGAIN) >= SIMILARITY_MIN
    assert similarity(STALL, NOISE) < 0.1
    assert similarity("", STALL) == 0.0


def test_haversine_distance_in_metres() -> None:
    assert haversine_m(LON, LAT, LON, LAT) == 0.0
    assert haversine_m(LON, LAT, LON, LAT + 0.001) == pytest.approx(111.2, abs=0.5)
    # 长沙 to 株洲, about 40 km.
    assert 35_000 < haversine_m(112.9388, 28.2282, 113.1340, 27.8274) < 50_000


def test_phone_numbers_compare_by_digits() -> None:
    assert normalise_phone("0731-2288 1234") == normalise_phone("073122881234")


def request(text: str = STALL, days: float = 0, **kw: object) -> Request:
    return Request.of(text, NOW - timedelta(days=days), **kw)  # type: ignore[arg-type]


def test_a_near_identical_request_nearby_and_recent_is_a_likely_duplicate() -> None:
    c = compare(
        request(longitude=LON, latitude=LAT),
        request(STALL_AGAIN, days=3, longitude=LON, latitude=LAT + 0.001),
    )
    assert c.likely_duplicate and c.nearby and not c.repeat_caller
    assert c.distance_m == pytest.approx(111.2, abs=0.5)
    assert c.days_apart == 3
    assert c.explain().startswith(f"内容相似 {round(c.similarity * 100)}%，相距 111 米，3 天前")
    assert 0.5 < c.score <= 1


@pytest.mark.parametrize(
    ("other", "why"),
    [
        (request(NOISE, days=1, longitude=LON, latitude=LAT), "different text"),
        (request(STALL_AGAIN, days=1, longitude=LON, latitude=LAT + 0.004), "445 m away"),
        (request(STALL_AGAIN, days=15, longitude=LON, latitude=LAT), "15 days before"),
        (request(STALL_AGAIN, days=1), "no place and no grid"),
    ],
)
def test_not_a_likely_duplicate(other: Request, why: str) -> None:
    assert not compare(request(longitude=LON, latitude=LAT), other).likely_duplicate, why


def test_without_coordinates_the_same_grid_counts_as_nearby() -> None:
    c = compare(request(grid_id=7), request(STALL_AGAIN, days=2, grid_id=7))
    assert c.distance_m is None and c.same_grid and c.nearby and c.likely_duplicate
    assert "同一网格" in c.explain()
    assert not compare(request(grid_id=7), request(STALL_AGAIN, days=2, grid_id=8)).nearby


def test_distance_beats_the_grid_when_both_have_coordinates() -> None:
    c = compare(
        request(longitude=LON, latitude=LAT, grid_id=7),
        request(STALL_AGAIN, longitude=LON, latitude=LAT + 0.01, grid_id=7),
    )
    assert c.distance_m is not None and c.distance_m > DISTANCE_MAX_M and not c.nearby


def test_the_same_phone_within_30_days_is_a_repeat_caller() -> None:
    assert compare(
        request(phone="13900001111"), request(NOISE, 29, phone="13900001111")
    ).repeat_caller
    assert not compare(
        request(phone="13900001111"), request(NOISE, 31, phone="13900001111")
    ).repeat_caller
    assert not compare(request(phone=""), request(NOISE, 1, phone="")).same_phone
    assert "同一来电号码" in compare(request(phone="1"), request(phone="1")).explain()


def test_later_requests_are_said_to_come_after() -> None:
    c = compare(request(days=5, grid_id=1), request(STALL_AGAIN, days=2, grid_id=1))
    assert c.later and "3 天后" in c.explain()


def test_ranking_puts_likely_duplicates_first_then_by_score() -> None:
    here = request(longitude=LON, latitude=LAT, phone="13900001111")
    dup_far = compare(here, request(STALL_AGAIN, 10, longitude=LON, latitude=LAT + 0.002))
    dup_near = compare(here, request(STALL, 1, longitude=LON, latitude=LAT))
    caller = compare(here, request(NOISE, 1, phone="13900001111"))
    ordered = sorted([caller, dup_far, dup_near], key=rank_key)
    assert ordered == [dup_near, dup_far, caller]
