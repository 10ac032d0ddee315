"""The platform's own daily jobs, run by `fazhi schedule run` once per local day: anchor every
chain head (`fazhi.store.anchors`) and anonymise the cases past retention
(`fazhi.actions.retention`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fazhi.actions.platform import Platform
from fazhi.actions.retention import run_retention
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.units import Actor
from fazhi.store.anchors import anchor_due, write_anchor
from fazhi.store.db import transaction
from fazhi.store.models import ScheduleRun

# The schedule_runs row that says when retention last ran (no type owns it).
PLATFORM_JOBS = "*"
RETENTION_JOB = "retention"


@dataclass
class DailyReport:
    anchored: bool = False
    anonymised: int = 0
    refused: int = 0


def run_daily(platform: Platform, actor: Actor, now: datetime) -> DailyReport:
    report = DailyReport()
    region = actor.region_code
    with transaction(platform.sessions) as session:
        if anchor_due(session, region, now):
            write_anchor(session, platform.secret, region, now)
            report.anchored = True
        key = (region, PLATFORM_JOBS, RETENTION_JOB)
        row = session.get(ScheduleRun, key)
        today = now.astimezone(LOCAL_TZ).date()
        due = row is None or row.ran_at.astimezone(LOCAL_TZ).date() < today
        if row is None:
            session.add(
                ScheduleRun(region_code=region, case_type="*", schedule="retention", ran_at=now)
            )
        elif due:
            row.ran_at = now
    if due:
        retention = run_retention(platform, actor, now)
        report.anonymised, report.refused = retention.anonymised, len(retention.refused)
    return report
