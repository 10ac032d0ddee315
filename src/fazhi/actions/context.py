"""Who acts, when, and with which services: what every action takes first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fazhi.actions.platform import Platform
from fazhi.domain.units import Actor
from fazhi.org.directory import UnitDirectory


@dataclass(frozen=True)
class ActionContext:
    """Who acts, when, and with which services."""

    platform: Platform
    actor: Actor
    now: datetime

    @property
    def directory(self) -> UnitDirectory:
        return self.platform.directory()
