"""`fazhi worker` beside others on one database: an outbox message is claimed by one
dispatcher only, so two workers never send it twice; a claim whose dispatcher died is taken
over once its lease ran out; the periodic pass runs in one worker at a time (a lease)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from fazhi.actions.platform import Platform
from fazhi.catalog.registry import default_case_types
from fazhi.cli.worker import PERIODIC, BackgroundWorker
from fazhi.notifications.dispatch import LEASE, claim, deliver_batch
from fazhi.store.db import make_engine, session_factory, transaction
from fazhi.store.models import Lease, OutboxMessage
from tests.actions.test_notify import Recorder, make_messages, senders, state
from tests.support import FakeClock
from tests.test_cli import env_for, flat, run
from tests.test_notify_cli import statuses


@pytest.fixture
def other(platform: Platform, clock: FakeClock) -> Iterator[Platform]:
    """A second platform on the same database with its own engine and writer lock: what a
    second process has (on SQLite only the database file's lock keeps them apart)."""
    engine = make_engine(platform.settings.database_url)
    yield Platform(
        settings=platform.settings,
        engine=engine,
        sessions=session_factory(engine),
        types=default_case_types(),
        clock=clock,
    )
    engine.dispose()


@pytest.fixture(autouse=True)
def _empty_outbox(platform: Platform) -> None:
    with platform.writing(), transaction(platform.sessions) as session:
        session.execute(delete(OutboxMessage))
        session.execute(delete(Lease))


class SlowRecorder(Recorder):
    """A gateway that takes a moment per message, so that two dispatchers overlap."""

    def __init__(self, mine: list[int]) -> None:
        super().__init__(mine)
        self.lock = threading.Lock()

    def send(self, message: OutboxMessage) -> None:
        time.sleep(0.002)
        with self.lock:
            super().send(message)


def test_two_workers_running_at_once_send_every_message_exactly_once(
    platform: Platform, other: Platform
) -> None:
    ids = make_messages(platform, 240)
    gateway = SlowRecorder(ids)
    by_worker: dict[str, int] = {}

    def dispatch(p: Platform, name: str) -> None:
        worker = BackgroundWorker(p, senders(gateway), timedelta(minutes=5), batch=8, name=name)
        by_worker[name] = worker.deliver().sent  # batch after batch until none is left

    threads = [
        threading.Thread(target=dispatch, args=(platform, "worker-a")),
        threading.Thread(target=dispatch, args=(other, "worker-b")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(gateway.got) == ids  # each once: no message twice, none left out
    assert set(state(platform, ids).values()) == {("sent", 1)}
    # Both took part (batches of 8 at 2 ms a message: neither finishes before the other starts).
    assert by_worker["worker-a"] > 0 and by_worker["worker-b"] > 0
    assert by_worker["worker-a"] + by_worker["worker-b"] == len(ids)


def test_a_claimed_message_is_not_claimed_again_until_its_lease_runs_out(
    platform: Platform, other: Platform, clock: FakeClock
) -> None:
    ids = make_messages(platform, 3)
    first = claim(platform, 10, "worker-a")
    assert [m.id for m in first] == ids
    assert claim(other, 10, "worker-b") == []
    assert set(state(platform, ids).values()) == {("sending", 0)}

    # worker-a died holding them: after the lease another dispatcher sends them.
    clock.advance(seconds=LEASE.total_seconds() + 1)
    late = Recorder(ids)
    assert deliver_batch(other, senders(late), holder="worker-b").sent == 3
    assert late.got == ids
    with platform.sessions() as session:
        holders = set(session.scalars(select(OutboxMessage.claimed_by)))
    assert holders == {"worker-b"}


def test_a_dispatcher_whose_claim_was_taken_over_records_nothing(
    platform: Platform, other: Platform, clock: FakeClock
) -> None:
    (mid,) = make_messages(platform, 1)
    (stale,) = claim(platform, 10, "worker-a")
    clock.advance(seconds=LEASE.total_seconds() + 1)
    (taken,) = claim(other, 10, "worker-b")
    assert taken.id == stale.id == mid
    # worker-a wakes up and reports a failure: the message is worker-b's now.
    from fazhi.notifications.dispatch import _mark_failed

    _mark_failed(platform, stale, "网关超时（测试）")
    assert state(platform, [mid])[mid] == ("sending", 0)


def test_the_periodic_pass_runs_in_one_worker_at_a_time(
    platform: Platform, other: Platform, clock: FakeClock
) -> None:
    every = timedelta(minutes=5)
    a = BackgroundWorker(platform, {}, every, name="worker-a")
    b = BackgroundWorker(other, {}, every, name="worker-b")
    assert a.periodic() is True
    assert b.periodic() is False  # a holds the lease for its period
    with platform.sessions() as session:
        lease = session.get(Lease, PERIODIC)
        assert lease is not None and lease.holder == "worker-a"
    a.stop()  # a stops cleanly: the lease lapses at once
    assert b.periodic() is True
    assert a.periodic() is False  # a's own turn has not come round yet

    a._last_periodic = None  # a's turn has come, but b holds the lease for its period
    assert a.periodic() is False
    clock.advance(minutes=6)  # b died: its lease lapsed, a takes over
    assert a.periodic() is True


def test_the_command_sends_the_outbox_and_runs_the_periodic_pass_once(tmp_path: Path) -> None:
    env = {**env_for(tmp_path / "fazhi.db"), "FAZHI_NOW": "2023-12-20T10:00:00+08:00"}
    made = run(env, "demo", "--orders", "30", "--current", "40", "--only", "hotline")
    assert made.exit_code == 0, made.output
    queued = statuses(env)
    assert queued.get("pending", 0) > 0
    log = tmp_path / "notifications.jsonl"
    env = {**env, "FAZHI_NOTIFY_LOG": str(log), "FAZHI_SENDER_SMS": "log"}

    result = run(env, "worker", "--once", "--batch", "7")
    assert result.exit_code == 0, result.output
    assert f"已发送{queued['pending']}条" in flat(result.output)
    assert "已完成提醒扫描与定时调度" in flat(result.output)
    assert len(log.read_text(encoding="utf-8").splitlines()) == queued["pending"]
    # The worker stopped cleanly: its lease lapsed, the next worker runs the pass at once.
    again = run(env, "worker", "--once")
    assert again.exit_code == 0, again.output
    assert "已完成提醒扫描与定时调度" in flat(again.output)
    assert "已发送" not in flat(again.output)
    assert len(log.read_text(encoding="utf-8").splitlines()) == queued["pending"]
