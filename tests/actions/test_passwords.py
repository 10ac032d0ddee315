"""The password hasher: production strength unless the environment asks for the test
profile, and hashes of either profile verify under the other (a hash names its parameters)."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters, profiles

from fazhi.actions.passwords import make_hasher, profile_name


def test_without_the_variable_passwords_get_argon2s_production_parameters() -> None:
    assert profile_name({}) == "standard"
    stored = make_hasher("standard").hash("fazhi2023")
    assert extract_parameters(stored) == profiles.RFC_9106_LOW_MEMORY


def test_the_test_profile_is_argon2id_with_a_full_salt_and_hash() -> None:
    assert profile_name({"FAZHI_PASSWORD_PROFILE": "test"}) == "test"
    params = extract_parameters(make_hasher("test").hash("fazhi2023"))
    assert (params.type.name, params.salt_len, params.hash_len) == ("ID", 16, 32)
    assert params.memory_cost < profiles.RFC_9106_LOW_MEMORY.memory_cost


def test_hashes_of_one_profile_verify_under_the_other() -> None:
    standard, test = make_hasher("standard"), make_hasher("test")
    assert test.verify(standard.hash("甲乙丙"), "甲乙丙")
    assert standard.verify(test.hash("甲乙丙"), "甲乙丙")


def test_an_unknown_profile_is_refused_rather_than_ignored() -> None:
    with pytest.raises(ValueError, match="FAZHI_PASSWORD_PROFILE"):
        profile_name({"FAZHI_PASSWORD_PROFILE": "fast"})
