"""The writer's turn (Platform.writing) is never taken on the event loop: there it would
stop every request while it waits (issue 9, finding 1). Worker threads take it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from fazhi.actions.auth import hashing
from fazhi.actions.platform import Platform


def run_loop(main: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """asyncio.run in a thread of its own: the test's thread may already hold a loop (the
    browser tests' Playwright keeps one there)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


def test_writing_refuses_the_event_loop_and_works_in_a_thread(platform: Platform) -> None:
    def write() -> bool:
        with platform.writing():
            return platform.holds_writer() or platform.engine.dialect.name != "sqlite"

    async def on_the_loop() -> None:
        write()

    with pytest.raises(RuntimeError, match="event loop"):
        run_loop(on_the_loop)

    async def in_a_thread() -> bool:
        return await asyncio.to_thread(write)

    assert run_loop(in_a_thread)


def test_password_hashing_refuses_the_event_loop() -> None:
    async def on_the_loop() -> None:
        hashing(lambda: None)

    with pytest.raises(RuntimeError, match="event loop"):
        run_loop(on_the_loop)
