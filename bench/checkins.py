"""Check-in benchmark: how fast terminals' check-ins are taken, and what the officer's day
view costs once they pile up.

Builds a SQLite database in a temp dir with the demo organisation, registers `--subjects`
subjects of community correction spread over the judicial offices (each reported in and
given a terminal, through the one door), then takes `--days` days of one check-in per
subject per day through the real path (`fazhi.correction.checkins.do_check_in`: terminal
authentication, geofence, lateness, the `check_in` action with its event and the daily
window of the repeating clock), in transactions of `--batch` check-ins (the API's group
commit does the same on SQLite). Prints check-ins ingested per second, then the time to
compute the day's status of every subject (`read.day_status`) and the anomaly queue for the
bureau's officer, who sees them all — the p50 of `--runs` runs. Wall and CPU time both: the
machine may be shared. Never pass/fail.

    python bench/checkins.py [--subjects 2000] [--days 30] [--batch 50] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import func, select  # noqa: E402

from fazhi.actions.auth import actor_for, roles_of  # noqa: E402
from fazhi.actions.context import ActionContext, Work  # noqa: E402
from fazhi.actions.demo_desk import Desk  # noqa: E402
from fazhi.actions.org import load_org_into  # noqa: E402
from fazhi.actions.platform import Platform  # noqa: E402
from fazhi.actions.system_account import system_actor_in  # noqa: E402
from fazhi.catalog.org_file import load_demo_org  # noqa: E402
from fazhi.catalog.registry import default_case_types  # noqa: E402
from fazhi.correction.checkins import Fix, do_bind_device, do_check_in  # noqa: E402
from fazhi.correction.demo.people import box, id_number, name  # noqa: E402
from fazhi.correction.read import anomaly_queue, day_status  # noqa: E402
from fazhi.domain.durations import LOCAL_TZ  # noqa: E402
from fazhi.settings import Settings  # noqa: E402
from fazhi.store.db import make_engine, session_factory, transaction  # noqa: E402
from fazhi.store.migrate import upgrade  # noqa: E402
from fazhi.store.models import Case, Event, User  # noqa: E402

START = date(2023, 3, 1)
# The offices (their officers act for them) and a centre for each one's permitted area.
OFFICES = {
    "SF-SFJ-TX": ("tx_sfs", (113.158, 27.886)),
    "SF-SFJ-TTW": ("ttw_sfs", (113.195, 27.862)),
    "SF-SFJ-XSL": ("sfj_jz", (113.170, 27.860)),
    "SF-SFJ-QST": ("sfj_jz", (113.120, 27.870)),
}


def _at(day: date, hour: int, second: int = 0) -> datetime:
    base = datetime.combine(day, datetime.min.time(), LOCAL_TZ).replace(hour=hour)
    return base + timedelta(seconds=second)


class Timer:
    """Wall and CPU seconds of a block."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def build(path: Path) -> Platform:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    platform = Platform(
        settings=Settings(database_url=url),
        engine=engine,
        sessions=session_factory(engine),
        types=default_case_types(),
    )
    with transaction(platform.sessions) as session:
        load_org_into(session, load_demo_org())
    return platform


def register(
    platform: Platform, subjects: int, batch: int
) -> list[tuple[int, str, str, tuple[float, float]]]:
    """Every subject registered, reported in on START and given a terminal."""
    out = []
    offices = list(OFFICES.items())
    for first in range(0, subjects, batch):
        with transaction(platform.sessions) as session:
            desk = Desk(session, platform)
            for n in range(first, min(subjects, first + batch)):
                office, (officer, centre) = offices[n % len(offices)]
                when = _at(START, 8)
                case_id = desk.create(
                    officer,
                    when,
                    "community_correction",
                    subject_name=name(n),
                    subject_id_number=id_number(10_000 + n),
                    office=office,
                    sentence_kind="probation",
                    court="测试法院（合成）",
                    judgment_number=f"（2023）测{n}号（合成）",
                    judgment_effective_on=START.isoformat(),
                    term_start=START.isoformat(),
                    term_end="2024-12-31",
                    area=box(centre),
                    area_name="街道辖区（合成）",
                    check_in_by="10:00",
                )
                desk.act(
                    officer, _at(START, 8, 30), case_id, "report_in", reported_on=START.isoformat()
                )
                device = f"BENCH-{n:06d}"
                token = do_bind_device(
                    session, desk.ctx(officer, _at(START, 8, 40)), case_id, device
                )
                out.append((case_id, device, token, centre))
    return out


def ingest(platform: Platform, subjects: list[Any], days: int, batch: int) -> tuple[int, Timer]:
    rng = random.Random(7)
    plan = [
        (START + timedelta(days=d), i, device, token, centre)
        for d in range(days)
        for i, (_, device, token, centre) in enumerate(subjects)
    ]
    with Timer() as timer:
        for first in range(0, len(plan), batch):
            with transaction(platform.sessions) as session:
                account = system_actor_in(session, platform)
                for day, i, device, token, centre in plan[first : first + batch]:
                    # The reporting day's window opens at the report (08:30): check in after it.
                    hour = 9 if day == START else 7 + rng.randrange(3)
                    lon = centre[0] + rng.uniform(-0.015, 0.015)
                    lat = centre[1] + rng.uniform(-0.015, 0.015)
                    fix = Fix(lon, lat, rng.choice((8, 15, 30)), None)
                    do_check_in(session, platform, _at(day, hour, i), device, token, fix, account)
    return len(plan), timer


def p50(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(runs):
        with Timer() as t:
            fn()
        walls.append(t.wall)
        cpus.append(t.cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        platform = build(Path(tmp) / "bench.db")
        with Timer() as t:
            subjects = register(platform, args.subjects, 200)
        print(
            f"registered {len(subjects)} subjects (register + report + terminal): "
            f"{t.wall:.1f} s wall, {t.cpu:.1f} s CPU"
        )
        count, t = ingest(platform, subjects, args.days, args.batch)
        print(
            f"ingested {count} check-ins in batches of {args.batch}: {t.wall:.1f} s wall, "
            f"{t.cpu:.1f} s CPU -> {count / t.wall:.0f}/s wall, {count / t.cpu:.0f}/s CPU"
        )
        last_day = START + timedelta(days=args.days - 1)
        with transaction(platform.sessions) as session:
            events = session.scalar(
                select(func.count()).select_from(Event).where(Event.action == "check_in")
            )
            user = session.scalars(select(User).where(User.username == "sfj_jz")).one()
            actor = actor_for(platform, user, roles_of(session, user.id))
            w = Work(session, ActionContext(platform, actor, _at(last_day, 11)))
            day = day_status(w)
            print(
                f"database: {events} check-in events; day view of {len(day['subjects'])} "
                f"subjects: {day['counts']}"
            )
            wall, cpu = p50(lambda: day_status(w), args.runs)
            ms = f"{wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU"
            print(f"day status (p50 of {args.runs}): {ms}")
            wall, cpu = p50(lambda: anomaly_queue(w), args.runs)
            ms = f"{wall * 1000:.1f} ms wall, {cpu * 1000:.1f} ms CPU"
            print(f"anomaly queue (p50 of {args.runs}): {ms}")
            cases = session.scalar(select(func.count()).select_from(Case))
            print(f"cases in the database: {cases}")


if __name__ == "__main__":
    main()
