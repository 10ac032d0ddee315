"""`fazhi notify run` and `fazhi notify scan` against a temporary SQLite database."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine, func, select

from fazhi.store.models import OutboxMessage
from tests.test_cli import FULL_MOBILE, env_for, flat, run


def statuses(env: dict[str, str]) -> dict[str, int]:
    engine = create_engine(env["FAZHI_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
            return {status: int(n) for status, n in rows}
    finally:
        engine.dispose()


def test_run_sends_the_demo_outbox_once_to_the_log_file(tmp_path: Path) -> None:
    # The demo's "current" orders are made around its now; the 2023 history's messages are
    # recorded as delivered back then, so only the current ones wait for the dispatcher.
    env = {**env_for(tmp_path / "fazhi.db"), "FAZHI_NOW": "2023-12-20T10:00:00+08:00"}
    result = run(env, "demo", "--orders", "30", "--current", "40", "--only", "hotline")
    assert result.exit_code == 0, result.output
    queued = statuses(env)
    assert queued.get("sent", 0) > 0  # the history's, settled
    assert queued.get("pending", 0) > 0  # replies and closings of the current orders
    log = tmp_path / "notifications.jsonl"
    env = {**env, "FAZHI_NOTIFY_LOG": str(log), "FAZHI_SENDER_SMS": "log"}

    result = run(env, "notify", "run", "--once", "--batch", "7")
    assert result.exit_code == 0, result.output
    assert f"已发送{queued['pending']}条" in flat(result.output)
    assert statuses(env) == {"sent": queued["pending"] + queued["sent"]}
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == queued["pending"]
    assert not FULL_MOBILE.search(log.read_text(encoding="utf-8"))
    assert any("****" in line["to"] for line in lines if line["channel"] == "sms")

    again = run(env, "notify", "run", "--once")
    assert "已发送0条" in flat(again.output)
    assert len(log.read_text(encoding="utf-8").splitlines()) == queued["pending"]


def test_scan_is_idempotent_and_bad_sender_settings_exit_2(tmp_path: Path) -> None:
    env = env_for(tmp_path / "fazhi.db")
    assert run(env, "demo", "--orders", "10", "--current", "0", "--only", "hotline").exit_code == 0
    env = {**env, "FAZHI_NOW": "2023-12-29T10:00:00+08:00"}
    first = run(env, "notify", "scan")
    assert first.exit_code == 0, first.output
    assert "新增提醒" in flat(first.output)
    second = run(env, "notify", "scan")
    assert second.exit_code == 0
    assert "新增提醒0条" in flat(second.output)

    bad = run({**env, "FAZHI_SENDER_SMS": "pigeon"}, "notify", "run", "--once")
    assert bad.exit_code == 2
    assert "FAZHI_SENDER_SMS=pigeon" in flat(bad.output)
