"""The platform's one argon2 hasher: sign-ins, organisation loads, user administration and
the demo all hash and check passwords with it.

The parameters are argon2-cffi's defaults (RFC 9106's low-memory profile: 3 passes over
64 MiB, 4 lanes — about 0.2 s of CPU a hash on a 2023 server). FAZHI_PASSWORD_PROFILE=test
chooses one pass over 1 MiB instead: for the test suite only, whose thousands of sign-ins
and organisation loads would otherwise spend minutes of CPU on hashing alone. A hash
records its own parameters, so a database written under either profile verifies under
both; `fazhi serve` warns when the test profile is on.
"""

from __future__ import annotations

import os

from argon2 import Parameters, PasswordHasher, Type, profiles

PROFILE_VARIABLE = "FAZHI_PASSWORD_PROFILE"
TEST_PARAMETERS = Parameters(
    type=Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=1,
    memory_cost=1024,
    parallelism=1,
)
PROFILES = {"standard": profiles.RFC_9106_LOW_MEMORY, "test": TEST_PARAMETERS}


def profile_name(environ: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """The profile the environment asks for; an unknown name is refused, not ignored."""
    name = environ.get(PROFILE_VARIABLE, "").strip() or "standard"
    if name not in PROFILES:
        raise ValueError(f"{PROFILE_VARIABLE} must be one of {', '.join(PROFILES)}: {name!r}")
    return name


def make_hasher(name: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(PROFILES[name])


PROFILE = profile_name()
hasher = make_hasher(PROFILE)


def hash_password(password: str) -> str:
    return hasher.hash(password)
