"""What the rules read about a case: its clocks, its documents and the case itself.

These are plain records the actions layer fills from storage (`actions.cases.snapshot`) and
the workflow reads; they hold no behaviour beyond questions about themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fazhi.domain.durations import Duration
from fazhi.domain.units import UnitRef


@dataclass
class ClockRecord:
    """One clock of a case (a row of `clocks`), or one window of a repeating clock.

    `running` means open (not stopped) — a suspended clock is still open; `ticking` means
    open and not suspended. While suspended, `remaining` holds what is left of the limit
    (a Duration string in the clock's own unit: "7wd", "12cd", "5400s") and `due_at` keeps
    the value it had at suspension, which nothing reads as a deadline. After a resumption
    `resumed_at` is set and `remaining` is the limit counted from it (so an extension can
    recompute the due date). `window` numbers the windows of a repeating clock from 1.
    """

    name: str
    label: str
    basis: str
    limit: str
    started_at: datetime
    due_at: datetime
    start_action: str
    stopped_at: datetime | None = None
    extended: int = 0
    id: int | None = None
    suspended_at: datetime | None = None
    remaining: str | None = None
    resumed_at: datetime | None = None
    window: int | None = None

    @property
    def running(self) -> bool:
        """Open: not stopped (it may be suspended)."""
        return self.stopped_at is None

    @property
    def suspended(self) -> bool:
        return self.running and self.suspended_at is not None

    @property
    def ticking(self) -> bool:
        """Open and counting: its `due_at` is a deadline."""
        return self.running and self.suspended_at is None

    def overdue(self, now: datetime) -> bool:
        """Past its due moment at `now` (or when it stopped).

        A clock suspended (or stopped while suspended) is late only when it was already late
        at its suspension and no extension has given it time since: time does not run while
        it is suspended."""
        if self.suspended_at is not None:
            left = Duration.parse(self.remaining).amount if self.remaining else 0
            return self.suspended_at > self.due_at and left == 0
        return (self.stopped_at or now) > self.due_at

    @property
    def met(self) -> bool | None:
        """Whether it stopped in time; None while open, and for a repeating clock's window
        that the end of its series closed before it began (nothing was due in it)."""
        if self.stopped_at is None or self.stopped_at < self.started_at:
            return None
        return not self.overdue(self.stopped_at)

    @property
    def unit(self) -> str:
        """The unit the limit counts in: wd, cd, mo, h, min."""
        return Duration.parse(self.limit).unit

    @property
    def unit_label(self) -> str:
        """工作日 / 日 / 月 / 小时 / 分钟 — what the console's countdown counts in."""
        return Duration.parse(self.limit).unit_label


@dataclass
class DocumentRecord:
    """A document of the case file as the rules see it: its kind and its data.

    `active` is False once withdrawn or replaced; only active documents count and are read.
    """

    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    active: bool = True
    added_at: datetime | None = None
    id: int | None = None


@dataclass
class CaseSnapshot:
    """What the rules need to know about a case; `state` is None before creation.

    `documents` are the case file's documents. `document_kinds` (the kinds on file) is kept
    for callers that load only kinds: after construction it also holds the kind of every
    active document, so either may be given.
    """

    state: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    lead_unit: UnitRef | None = None
    assisting_units: tuple[UnitRef, ...] = ()
    involved_units: tuple[UnitRef, ...] = ()
    clocks: list[ClockRecord] = field(default_factory=list)
    marks: list[dict[str, Any]] = field(default_factory=list)
    open_to_units: bool = False
    document_kinds: frozenset[str] = frozenset()
    documents: tuple[DocumentRecord, ...] = ()

    def __post_init__(self) -> None:
        active = {d.kind for d in self.documents if d.active}
        if not active <= self.document_kinds:
            self.document_kinds = self.document_kinds | active

    def running_clock(self, name: str) -> ClockRecord | None:
        """The open clock of that name (suspended or not)."""
        for clock in self.clocks:
            if clock.name == name and clock.running:
                return clock
        return None

    def active_documents(self, kind: str) -> list[DocumentRecord]:
        return [d for d in self.documents if d.kind == kind and d.active]

    def document_count(self, kind: str) -> int:
        """Active documents of `kind`; 1 for a kind known only from `document_kinds`."""
        count = len(self.active_documents(kind))
        return count or (1 if kind in self.document_kinds else 0)

    def newest_document(self, kind: str) -> DocumentRecord | None:
        """The active document of `kind` added last (by time, then id, then position)."""
        best: tuple[float, int, int] | None = None
        found: DocumentRecord | None = None
        for position, doc in enumerate(self.documents):
            if doc.kind != kind or not doc.active:
                continue
            key = (
                doc.added_at.timestamp() if doc.added_at else float("-inf"),
                doc.id if doc.id is not None else -1,
                position,
            )
            if best is None or key > best:
                best, found = key, doc
        return found
