"""The demo's inbox: the synthetic 2023 history's messages are read by everyone, so a demo
user signs in to the messages of today's orders only."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, func, select

from fazhi.store.messages import Message, MessageCursor
from fazhi.store.models import Case, User
from tests.test_cli import env_for, run


def test_history_is_read_and_todays_orders_bring_unread_messages(tmp_path: Path) -> None:
    env = {**env_for(tmp_path / "fazhi.db"), "FAZHI_NOW": "2023-12-20T10:00:00+08:00"}
    result = run(env, "demo", "--orders", "30", "--current", "20", "--only", "hotline")
    assert result.exit_code == 0, result.output
    engine = create_engine(env["FAZHI_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            history = select(Case.id).where(Case.external_id.like("DEMO-2023-%"))
            newest_old = conn.scalar(
                select(func.max(Message.id)).where(Message.case_id.in_(history))
            )
            assert newest_old is not None  # the history's dispatches told their units
            rows = conn.execute(select(MessageCursor.user_id, MessageCursor.read_through)).all()
            cursors = {int(user): int(through) for user, through in rows}
            # The platform's own account (it numbers the legal-aid demo's cases) has no inbox.
            users = set(conn.scalars(select(User.id).where(User.role != "system")))
            assert users and set(cursors) == users
            assert all(through >= newest_old for through in cursors.values())
            today = conn.scalar(select(func.count()).where(Message.id > min(cursors.values())))
            assert today and today > 0  # the current orders' messages stay unread
    finally:
        engine.dispose()
