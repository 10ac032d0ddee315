"""Group commit for SQLite: concurrent case writes share one transaction.

SQLite takes one writer at a time, and a commit is the largest single cost of a small write.
Requests that arrive while a batch is being written wait in a queue; the next batch runs
each of them in its own savepoint (a refused action rolls back only itself) and commits
them together, and only then are their responses released. Alone, a request is a batch of
one and waits for nothing. PostgreSQL, which has real concurrent writers, does not use this.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from fazhi.actions.platform import Platform
from fazhi.store.db import transaction

BATCH_MAX = 64
YIELDS = 3
Job = Callable[[Session], Any]


class GroupCommitter:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.pending: list[tuple[Job, asyncio.Future[Any]]] = []
        self.draining = False
        self._task: asyncio.Task[None] | None = None

    async def submit(self, job: Job) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending.append((job, future))
        if not self.draining:
            self.draining = True
            self._task = asyncio.get_running_loop().create_task(self._drainer())
        return await future

    async def _drainer(self) -> None:
        try:
            while self.pending:
                # A few turns of the loop let requests already received reach the queue
                # and share this batch; alone, a request loses only microseconds.
                for _ in range(YIELDS):
                    await asyncio.sleep(0)
                self._drain()
        finally:
            self.draining = False

    def _drain(self) -> None:
        batch, self.pending = self.pending[:BATCH_MAX], self.pending[BATCH_MAX:]
        outcomes: list[tuple[asyncio.Future[Any], Any, BaseException | None]] = []
        try:
            with self.platform.writing(), transaction(self.platform.sessions) as session:
                for job, future in batch:
                    try:
                        with session.begin_nested():
                            outcomes.append((future, job(session), None))
                    except Exception as exc:  # the job's own error, answered to its request
                        outcomes.append((future, None, exc))
        except Exception as exc:  # the commit itself failed: nobody's write stands
            outcomes = [(future, None, exc) for _, future in batch]
        for future, result, error in outcomes:
            if future.cancelled():
                continue
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)


def committer(platform: Platform) -> GroupCommitter:
    found = getattr(platform, "_group_committer", None)
    if found is None:
        found = GroupCommitter(platform)
        platform._group_committer = found  # type: ignore[attr-defined]
    return found
