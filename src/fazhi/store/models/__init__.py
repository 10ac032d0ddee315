"""The tables. Case tables are written only by `fazhi.actions` (one door for every change).

Split by area: base (the declarative base), org (units, users, sign-in), cases (cases and what
hangs on them), platform (calendar, outbox, rollups, anchors). Import from here."""

from fazhi.store.models.base import NAMING, Base, UTCDateTime
from fazhi.store.models.cases import (
    Case,
    CaseAccess,
    CaseLink,
    CaseUnit,
    Clock,
    Document,
    DocumentBlob,
    Event,
)
from fazhi.store.models.indicators import FigureImport, ImportedFigure, IndicatorEvidence
from fazhi.store.models.org import (
    ApiKey,
    ApiToken,
    DutyRule,
    GazetteerEntry,
    LoginFailure,
    LoginLock,
    Unit,
    User,
    UserRole,
)
from fazhi.store.models.platform import (
    AdminLog,
    AnchorHead,
    CacheVersion,
    CalendarDay,
    CalendarYear,
    ChainAnchor,
    ClockSetting,
    Lease,
    OutboxMessage,
    RollupDaily,
    ScheduleRun,
)

__all__ = [
    "NAMING",
    "AdminLog",
    "AnchorHead",
    "ApiKey",
    "ApiToken",
    "Base",
    "CacheVersion",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseAccess",
    "CaseLink",
    "CaseUnit",
    "ChainAnchor",
    "Clock",
    "ClockSetting",
    "Document",
    "DocumentBlob",
    "DutyRule",
    "Event",
    "FigureImport",
    "GazetteerEntry",
    "ImportedFigure",
    "IndicatorEvidence",
    "Lease",
    "LoginFailure",
    "LoginLock",
    "OutboxMessage",
    "RollupDaily",
    "ScheduleRun",
    "UTCDateTime",
    "Unit",
    "User",
    "UserRole",
]
