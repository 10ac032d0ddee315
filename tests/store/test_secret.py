"""The server secret: created once, owner-only, and the same key on every later start."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from fazhi.store.secret import load_or_create_secret


def test_first_start_creates_an_owner_only_key_and_later_starts_read_it(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret.key"
    key = load_or_create_secret(str(path))
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret(str(path)) == key


def test_a_too_short_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    path.write_text("abcd\n")
    with pytest.raises(ValueError, match="过短"):
        load_or_create_secret(str(path))
