"""Group commit for SQLite: concurrent case writes share one transaction.

SQLite takes one writer at a time, and a commit is the largest single cost of a small write.
Requests that arrive while a batch is being written wait in a queue; the next batch runs
each of them in its own savepoint (a refused action rolls back only itself) and commits
them together, and only then are their responses released. Alone, a request goes straight
to the writer thread in a transaction of its own (no queue, no savepoint) and waits for
nothing. PostgreSQL, which has real concurrent writers, does not use this.

The batches run on one dedicated writer thread, never on the event loop: the writer's
turn (`Platform.writing`) may be held by a worker thread doing a long write (a 20 MB
document), and the loop must stay free to answer everyone else meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.orm import Session

from fazhi.actions.platform import Platform
from fazhi.store.db import transaction

BATCH_MAX = 64
YIELDS = 3
Job = Callable[[Session], Any]
Outcome = tuple[Any, BaseException | None]


class GroupCommitter:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.pending: list[tuple[Job, asyncio.Future[Any]]] = []
        self.draining = False
        self._task: asyncio.Task[None] | None = None
        # One thread: the batches are serial anyway (one SQLite writer).
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fazhi-writer")

    async def submit(self, job: Job) -> Any:
        loop = asyncio.get_running_loop()
        if not self.draining and not self.pending:
            # Alone: a batch of one goes to the writer thread at once, without the drainer's
            # task, turns of the loop and future hand-offs. Requests arriving meanwhile queue
            # (`draining`) and the drainer takes them once this one is written.
            self.draining = True
            try:
                result, error = await loop.run_in_executor(self._thread, self._write_one, job)
            finally:
                if self.pending:
                    self._task = loop.create_task(self._drainer())
                else:
                    self.draining = False
            if error is not None:
                raise error
            return result
        future: asyncio.Future[Any] = loop.create_future()
        self.pending.append((job, future))
        if not self.draining:
            self.draining = True
            self._task = loop.create_task(self._drainer())
        return await future

    async def _drainer(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self.pending:
                # A few turns of the loop let requests already received reach the queue
                # and share this batch; alone, a request loses only microseconds. While a
                # batch is written, the next one gathers here.
                for _ in range(YIELDS):
                    await asyncio.sleep(0)
                batch, self.pending = self.pending[:BATCH_MAX], self.pending[BATCH_MAX:]
                jobs = [job for job, _ in batch]
                outcomes = await loop.run_in_executor(self._thread, self._write, jobs)
                self._answer(batch, outcomes)
        finally:
            self.draining = False

    @staticmethod
    def _answer(batch: list[tuple[Job, asyncio.Future[Any]]], outcomes: list[Outcome]) -> None:
        for (_, future), (result, error) in zip(batch, outcomes, strict=True):
            if future.done():
                continue
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)

    def _write(self, jobs: list[Job]) -> list[Outcome]:
        """On the writer thread: every job in its savepoint, one commit for all."""
        outcomes: list[Outcome] = []
        try:
            with self.platform.writing(), transaction(self.platform.sessions) as session:
                for job in jobs:
                    try:
                        with session.begin_nested():
                            outcomes.append((job(session), None))
                    except Exception as exc:  # the job's own error, answered to its request
                        outcomes.append((None, exc))
        except Exception as exc:  # the commit itself failed: nobody's write stands
            return [(None, exc)] * len(jobs)
        return outcomes

    def _write_one(self, job: Job) -> Outcome:
        """On the writer thread: one job in a transaction of its own. No savepoint: if the
        job fails, rolling the transaction back undoes exactly what it wrote."""
        try:
            with self.platform.writing(), transaction(self.platform.sessions) as session:
                return job(session), None
        except Exception as exc:  # the job's error or the commit's, answered to its request
            return None, exc

    def close(self) -> None:
        self._thread.shutdown(wait=True)


def committer(platform: Platform) -> GroupCommitter:
    found = getattr(platform, "_group_committer", None)
    if found is None:
        found = GroupCommitter(platform)
        platform._group_committer = found  # type: ignore[attr-defined]
    return found
