"""The demo's users acting at chosen instants: what the type packages' demo data use to put
their synthetic year through the one door (each case's actions and documents), as if the
users had worked it then. Never used for real work: the instant is the caller's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.auth import actor_for, roles_of
from fazhi.actions.cases import create_case, perform_action
from fazhi.actions.context import ActionContext
from fazhi.actions.documents import add_document
from fazhi.actions.platform import Platform
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.units import Actor
from fazhi.store.models import User


def at_2023(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A local (Asia/Shanghai) instant of the demo year."""
    return datetime(2023, month, day, hour, minute, tzinfo=LOCAL_TZ)


class Desk:
    """The demo's users acting at chosen instants, in one session (one transaction)."""

    def __init__(self, session: Session, platform: Platform) -> None:
        self.session, self.platform = session, platform
        self._actors: dict[str, Actor] = {}

    def ctx(self, username: str, when: datetime) -> ActionContext:
        actor = self._actors.get(username)
        if actor is None:
            user = self.session.scalars(select(User).where(User.username == username)).one()
            actor = actor_for(self.platform, user, roles_of(self.session, user.id))
            self._actors[username] = actor
        return ActionContext(self.platform, actor, when)

    def create(
        self,
        username: str,
        when: datetime,
        type_name: str,
        action_name: str | None = None,
        **fields: Any,
    ) -> int:
        """A new case by the type's first create action, or `action_name`."""
        ctx = self.ctx(username, when)
        return create_case(self.session, ctx, type_name, fields, action_name).id

    def act(self, username: str, when: datetime, case_id: int, action: str, **inputs: Any) -> None:
        perform_action(self.session, self.ctx(username, when), case_id, action, inputs)

    def file(self, username: str, when: datetime, case_id: int, kind: str, **data: Any) -> None:
        add_document(self.session, self.ctx(username, when), case_id, kind, data)
