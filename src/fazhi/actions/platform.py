"""The services every entry point shares: database, case types, units, calendar and clock."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, event, select
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from fazhi.catalog.registry import CaseTypes, default_case_types
from fazhi.catalog.roles import RoleCatalog, default_roles
from fazhi.catalog.settings import apply_clock_settings
from fazhi.domain.calendar import DayOverride, WorkCalendar
from fazhi.domain.units import Actor
from fazhi.org.directory import UnitDirectory
from fazhi.settings import Settings
from fazhi.store.cache_versions import read_versions
from fazhi.store.clock_settings import load_clock_overrides
from fazhi.store.db import begin_immediately, disarm_immediate, make_engine, session_factory
from fazhi.store.models import CalendarDay, CalendarYear
from fazhi.store.secret import load_or_create_secret


def on_event_loop() -> bool:
    """Whether the caller runs in a task of an asyncio event loop (a request's coroutine).

    A running loop alone is not enough: Playwright's synchronous API keeps its loop marked
    running in the thread that drives the browser while plain code runs there outside any
    task, and that code may write."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return asyncio.current_task() is not None


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Platform:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    types: CaseTypes
    clock: Callable[[], datetime] = system_clock
    roles: RoleCatalog = field(default_factory=default_roles)
    _directory: UnitDirectory | None = None
    _calendar: WorkCalendar | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _write_lock: threading.Lock = field(default_factory=threading.Lock)
    # Per thread: does it hold the writer's turn (so a nested writing() does not wait on it)?
    _writer: threading.local = field(default_factory=threading.local)
    # the token row's content → (actor, the types and unit directory it was built with);
    # see actions.auth.authenticate
    token_cache: dict[tuple[Any, ...], tuple[Actor, object, object]] = field(default_factory=dict)
    # The types as their files define them; `types` is these with the deployment's clock
    # settings applied (see reload_types).
    base_types: CaseTypes | None = None
    _secret: bytes | None = None
    # The cache versions (store.cache_versions) this process's caches were built at; None
    # until watch_caches() is called.
    _seen_versions: dict[str, int] | None = None

    def __post_init__(self) -> None:
        if self.base_types is None:
            self.base_types = self.types

    @classmethod
    def create(
        cls, settings: Settings | None = None, clock: Callable[[], datetime] | None = None
    ) -> Platform:
        settings = settings or Settings()
        engine = make_engine(settings.database_url)
        if clock is None and settings.fixed_now is not None:
            fixed = settings.fixed_now.astimezone(UTC)
            clock = lambda: fixed  # noqa: E731
        platform = cls(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            types=default_case_types(),
            clock=clock or system_clock,
        )
        platform.reload_types()
        # Read at start-up, not on the event loop at the first request that needs it.
        platform._secret = load_or_create_secret(settings.secret_file)
        return platform

    @property
    def secret(self) -> bytes:
        """The server secret (fazhi.store.secret), read from its file on first use."""
        if self._secret is None:
            with self._lock:
                if self._secret is None:
                    self._secret = load_or_create_secret(self.settings.secret_file)
        return self._secret

    @property
    def region_code(self) -> str:
        return self.settings.region_code

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Held around write transactions on SQLite, which allows one writer at a time.

        Queuing writers on a lock in the process wakes the next one as soon as the last
        commits; leaving it to SQLite's busy handler makes them sleep and retry, which
        multiplied tail latency under concurrent load. PostgreSQL needs no such lock.
        A thread that already holds it passes straight through.

        Never on the event loop (on either database): a lock or a transaction taken there
        stops every other request while it waits (issue 9, finding 1). Async routes hand
        their writes to the thread pool or to the group committer's thread.
        """
        if on_event_loop():
            raise RuntimeError(
                "Platform.writing() entered on the event loop: it would block every request; "
                "run the write in the thread pool (run_in_threadpool) or fazhi.http.deps.write"
            )
        if self.engine.dialect.name != "sqlite" or self.holds_writer():
            yield
            return
        with self._write_lock:
            self._writer.held = True
            # Other processes may write to the same file (`fazhi serve --workers`, the
            # background worker): take SQLite's lock at BEGIN, waiting for theirs.
            begin_immediately()
            try:
                yield
            finally:
                self._writer.held = False
                disarm_immediate()

    def holds_writer(self) -> bool:
        """Whether this thread is inside writing() (on SQLite: may write in its session)."""
        return bool(getattr(self._writer, "held", False))

    def now(self) -> datetime:
        return self.clock()

    def directory(self) -> UnitDirectory:
        if self._directory is None:
            with self._lock, self.sessions() as session:
                self._directory = UnitDirectory.load(session, self.region_code)
        return self._directory

    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            with self._lock, self.sessions() as session:
                days = session.scalars(select(CalendarDay)).all()
                years = session.scalars(select(CalendarYear.year)).all()
                self._calendar = WorkCalendar(
                    overrides=[
                        DayOverride(d.day, d.kind, d.name)  # type: ignore[arg-type]
                        for d in days
                    ],
                    override_years=years,
                )
        return self._calendar

    def reload_types(self) -> CaseTypes:
        """Apply the clock settings stored in the database to the file types; called at
        creation and after an admin changes a setting. Clocks already running keep theirs."""
        assert self.base_types is not None
        with self.sessions() as session:
            overrides = load_clock_overrides(session)
        self.types = apply_clock_settings(self.base_types, overrides)
        return self.types

    def watch_caches(self) -> None:
        """Compare the cache versions at the start of every transaction of this platform's
        sessions and reload what another process changed (several `fazhi serve` workers,
        the background worker, a CLI command). Called once the schema is current (the table
        must exist); a process that never calls it trusts its own caches."""
        if self._seen_versions is not None:
            return
        with self.engine.connect() as connection:
            self._seen_versions = read_versions(connection)
        event.listen(self.sessions, "after_begin", self._check_versions)

    def _check_versions(
        self, _session: Session, _transaction: SessionTransaction, connection: Connection
    ) -> None:
        current = read_versions(connection)
        seen = self._seen_versions
        if seen is None or current == seen:
            return
        changed = {k for k in current.keys() | seen.keys() if current.get(k) != seen.get(k)}
        # Recorded first: the reloads below open sessions of their own, which check again.
        self._seen_versions = current
        if "units" in changed:
            self.forget_units()
        if "calendar" in changed:
            self.forget_calendar()
        if "clocks" in changed:
            self.reload_types()

    def forget_units(self) -> None:
        self._directory = None

    def forget_calendar(self) -> None:
        self._calendar = None
