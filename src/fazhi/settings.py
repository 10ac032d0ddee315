"""Settings read from the environment, with the demo deployment's defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime

from fazhi.store.db import default_url
from fazhi.store.secret import default_secret_file


def _fixed_now() -> datetime | None:
    text = os.environ.get("FAZHI_NOW")
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("FAZHI_NOW 需要带时区，例如 2023-06-01T10:00:00+08:00")
    return moment


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_url)
    region_code: str = field(default_factory=lambda: os.environ.get("FAZHI_REGION_CODE", "430204"))
    token_hours: int = field(default_factory=lambda: int(os.environ.get("FAZHI_TOKEN_HOURS", "12")))
    max_upload_bytes: int = field(
        default_factory=lambda: int(os.environ.get("FAZHI_MAX_UPLOAD_MB", "20")) * 1024 * 1024
    )
    # A fixed "now" for demonstrations and browser tests; production leaves it unset.
    fixed_now: datetime | None = field(default_factory=_fixed_now)
    # The server secret's file (fazhi.store.secret); FAZHI_SECRET_FILE, else var/secret.key.
    secret_file: str = field(default_factory=default_secret_file)
    # Cases closed longer ago than this are anonymised (`fazhi retention run`, daily by the
    # scheduler); FAZHI_RETENTION_YEARS, default 10.
    retention_years: int = field(
        default_factory=lambda: int(os.environ.get("FAZHI_RETENTION_YEARS", "10"))
    )
    # Behind a reverse proxy: honour X-Forwarded-Proto/-Host (cookies' Secure flag, the
    # Origin check of fazhi.http.csrf). FAZHI_COOKIE_SECURE=1 marks cookies Secure always.
    trust_proxy: bool = field(default_factory=lambda: _flag("FAZHI_TRUST_PROXY"))
    cookie_secure: bool = field(default_factory=lambda: _flag("FAZHI_COOKIE_SECURE"))
    # An intranet tile server for the console's map, as a URL template
    # (http://tiles.gov.example/{z}/{x}/{y}.png). Unset: the map draws only the district's
    # own polygons and nothing is fetched from outside the platform.
    map_tiles: str = field(default_factory=lambda: os.environ.get("FAZHI_MAP_TILES", "").strip())
