"""SQLite's group commit (fazhi.http.writer): a write alone goes straight to the writer thread
and a refused one leaves nothing behind; writes arriving while one is written share the
next batch, each refused write undoing only itself."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from fazhi.actions.platform import Platform
from fazhi.catalog.registry import default_case_types
from fazhi.http.writer import GroupCommitter, Job, Outcome
from fazhi.settings import Settings
from fazhi.store.db import make_engine, session_factory
from tests.support import FakeClock

pytestmark = pytest.mark.sqlite_only


T = TypeVar("T")


class Refused(Exception):
    pass


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` on a thread of its own, as the server runs its loop: the suite's browser
    fixture keeps an event loop running on the main thread, where asyncio.run would refuse."""
    found: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            found.append(asyncio.run(main))
        except BaseException as exc:  # handed to the test's thread
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(30)
    if errors:
        raise errors[0]
    assert found, "the event loop did not finish in 30 s"
    return found[0]


@pytest.fixture
def committer(tmp_path: Path, clock: FakeClock) -> Iterator[GroupCommitter]:
    url = f"sqlite:///{tmp_path / 'writer.db'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE probe (n INTEGER)"))
    platform = Platform(
        settings=Settings(database_url=url),
        engine=engine,
        sessions=session_factory(engine),
        types=default_case_types(),
        clock=clock,
    )
    found = GroupCommitter(platform)
    yield found
    found.close()
    engine.dispose()


def _stored(committer: GroupCommitter) -> list[int]:
    with committer.platform.sessions() as session:
        return [n for (n,) in session.execute(text("SELECT n FROM probe ORDER BY n"))]


def _insert(
    n: int, refuse: bool = False, wait: threading.Event | None = None
) -> Callable[[Session], int]:
    def job(session: Session) -> int:
        if wait is not None:
            wait.wait(5)
        session.execute(text("INSERT INTO probe (n) VALUES (:n)"), {"n": n})
        if refuse:
            raise Refused(n)
        return n

    return job


def test_a_lone_write_commits_and_a_refused_one_leaves_nothing(
    committer: GroupCommitter,
) -> None:
    async def run() -> None:
        assert await committer.submit(_insert(1)) == 1
        with pytest.raises(Refused):
            await committer.submit(_insert(2, refuse=True))
        assert await committer.submit(_insert(3)) == 3
        assert not committer.draining and not committer.pending

    run_loop(run())
    assert _stored(committer) == [1, 3]


def test_writes_arriving_meanwhile_share_the_next_batch(committer: GroupCommitter) -> None:
    gate = threading.Event()
    batches: list[int] = []
    write = committer._write

    def counted(jobs: list[Job]) -> list[Outcome]:
        batches.append(len(jobs))
        return write(jobs)

    committer._write = counted  # type: ignore[method-assign]

    async def run() -> list[object]:
        first = asyncio.ensure_future(committer.submit(_insert(1, wait=gate)))
        await asyncio.sleep(0.05)  # the lone write is on the writer thread, held at the gate
        later = [
            asyncio.ensure_future(committer.submit(_insert(n, refuse=n == 3))) for n in (2, 3, 4)
        ]
        await asyncio.sleep(0.05)
        assert len(committer.pending) == 3  # queued behind the lone write
        gate.set()
        return await asyncio.gather(first, *later, return_exceptions=True)

    results = run_loop(run())
    assert results[:2] == [1, 2] and isinstance(results[2], Refused) and results[3] == 4
    assert batches == [3]  # the three that queued went as one batch
    assert _stored(committer) == [1, 2, 4]
    assert not committer.draining
