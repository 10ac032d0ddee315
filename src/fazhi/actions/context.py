"""Who acts, when, and with which services: what every action takes first; and the unit
of work (session + context) a request runs in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

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


@dataclass
class Work:
    """One unit of work: the transaction's session and who acts in it, as the API, the
    console and the read-side builders shared by both receive it."""

    session: Session
    ctx: ActionContext

    @property
    def actor(self) -> Actor:
        return self.ctx.actor

    @property
    def platform(self) -> Platform:
        return self.ctx.platform
