"""Synthetic request texts and callers."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from fazhi.catalog.categories import category_codes
from fazhi.hotline.demo.request_texts import (
    MAX_LENGTH,
    MIN_LENGTH,
    REQUEST_KINDS,
    synthetic_person,
    synthetic_request,
)

CODES = category_codes()


@pytest.mark.parametrize("category", CODES)
def test_every_category_yields_varied_text_in_range(category: str) -> None:
    rng = random.Random(f"texts-{category}")
    texts = []
    for _ in range(50):
        kind, content = synthetic_request(rng, category)
        assert kind in REQUEST_KINDS
        assert MIN_LENGTH <= len(content) <= MAX_LENGTH, content
        assert re.search(r"[\u4e00-\u9fff]", content)
        assert "{" not in content and "，，" not in content and "。。" not in content
        texts.append(content)
    assert len(set(texts)) >= 30


def test_limits_are_20_to_150() -> None:
    assert (MIN_LENGTH, MAX_LENGTH) == (20, 150)


@pytest.mark.parametrize("category", CODES)
def test_deterministic_for_a_seed(category: str) -> None:
    first = [synthetic_request(random.Random(42), category, None) for _ in range(3)]
    assert first[0] == first[1] == first[2]
    a, b = random.Random(7), random.Random(7)
    assert [synthetic_request(a, category) for _ in range(20)] == [
        synthetic_request(b, category) for _ in range(20)
    ]


@pytest.mark.parametrize("category", CODES)
def test_place_appears_in_text(category: str) -> None:
    rng = random.Random(category)
    for _ in range(20):
        _, content = synthetic_request(rng, category, place="樱花地带小区")
        assert "樱花地带小区" in content
        assert MIN_LENGTH <= len(content) <= MAX_LENGTH


def test_request_kinds_are_weighted_towards_complaint_consultation_help() -> None:
    rng = random.Random(1)
    kinds = Counter(synthetic_request(rng, rng.choice(CODES))[0] for _ in range(3000))
    assert set(kinds) == set(REQUEST_KINDS)
    main = kinds["complaint"] + kinds["consultation"] + kinds["help"]
    assert main > 0.75 * sum(kinds.values())
    assert kinds["praise"] < kinds["suggestion"] + kinds["report"]


def test_unknown_category_is_rejected() -> None:
    with pytest.raises(ValueError):
        synthetic_request(random.Random(0), "NOISE")


def test_synthetic_person() -> None:
    rng = random.Random(5)
    people = [synthetic_person(rng) for _ in range(200)]
    for name, mobile in people:
        assert 2 <= len(name) <= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", name)
        assert re.fullmatch(r"17[01]\d{8}", mobile)
    assert len(set(people)) > 190
    assert synthetic_person(random.Random(9)) == synthetic_person(random.Random(9))
