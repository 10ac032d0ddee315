"""Analytics benchmark: do the rollup queries cost more when history grows?

Builds SQLite databases in a temp dir with the demo organisation and the rollup rows that
synthetic hotline orders would leave: small (~10k orders over 3 years), large (~1M over
3 years) and recent (the large stream's last 63 days only — same daily volume, no
history). Per order: its `received` cell and its dispatch / acknowledge / reply / revisit
/ close counters, on random grids, categories and lead units. Orders are not taken through
the actions (1M would take hours); the rows are bulk-inserted (driver executemany), already
summed per cell, as the upserts would have left them, with one case row per order for the
hard-cases query (about half of the last 20 days' orders open).

Times each analytics query (p50 of several runs) and prints large/small (the brief's
ratio: history and 100x daily volume together) and large/recent (history alone: a ratio
near 1 means cost does not grow with history). Never pass/fail.

    python bench/analytics.py [--small 10000] [--large 1000000] [--runs 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import select  # noqa: E402

from fazhi.actions.auth import actor_for  # noqa: E402
from fazhi.actions.org import load_org_into  # noqa: E402
from fazhi.actions.platform import Platform  # noqa: E402
from fazhi.analytics import rollups as ru  # noqa: E402
from fazhi.analytics.period import Period  # noqa: E402
from fazhi.catalog.categories import load_categories  # noqa: E402
from fazhi.catalog.org_file import load_demo_org  # noqa: E402
from fazhi.catalog.registry import default_case_types  # noqa: E402
from fazhi.settings import Settings  # noqa: E402
from fazhi.store.db import make_engine, session_factory, transaction  # noqa: E402
from fazhi.store.migrate import upgrade  # noqa: E402
from fazhi.store.models import User  # noqa: E402

REGION = "430204"
END = date(2026, 11, 20)
DAYS = 3 * 365
RECENT_DAYS = 63  # the widest window a query reads: 7 days + an 8-week baseline
# Per order: the counters its life adds, with a probability each.
LIFE = (
    ("dispatched", 0.95),
    ("acknowledged", 0.95),
    ("acknowledged_on_time", 0.9),
    ("replied", 0.93),
    ("replied_on_time", 0.85),
    ("resolved", 0.7),
    ("rated", 0.8),
    ("satisfied", 0.72),
    ("dissatisfied", 0.08),
    ("returned", 0.05),
    ("reopened", 0.03),
    ("closed", 0.95),
    ("closed_on_time", 0.88),
)


def _stamp(moment: datetime) -> str:
    """How SQLAlchemy stores a UTC moment in SQLite (naive, microseconds)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def build(path: Path, per_day: int, days: int, seed: int = 5) -> Platform:
    """`per_day` orders on each of the last `days` days up to END. A day's orders depend only
    on (seed, day), so a short database holds exactly the last days of a long one."""
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
    directory = platform.directory()
    grids = sorted(u.id for u in directory.by_id.values() if u.kind == "grid")
    leads = sorted(u.id for u in directory.by_id.values() if u.kind in ("department", "street"))
    categories = [c.code for c in load_categories()]
    now = _stamp(datetime.now(UTC))
    rollup_sql = (
        "INSERT INTO rollup_daily (region_code, day, case_type, lead_unit_id, category, "
        "grid_id, metric, value) VALUES (?, ?, 'hotline', ?, ?, ?, ?, ?)"
    )
    case_sql = (
        "INSERT INTO cases (region_code, type, state, terminal, version, title, category, "
        "lead_unit_id, grid_id, fields, marks, open_to_units, due_at, created_at, updated_at, "
        "closed_at) VALUES (?, 'hotline', ?, ?, 5, ?, ?, ?, ?, ?, '[]', 0, ?, ?, ?, ?)"
    )
    fields_text = ('{"return_count": 0}', '{"return_count": 2}', '{"reopen_count": 1}')
    orders = rows = 0
    with engine.begin() as conn:
        for back in range(days - 1, -1, -1):
            day = END - timedelta(days=back)
            rng = random.Random(seed * 1_000_003 + day.toordinal())
            cells: dict[tuple[Any, ...], int] = defaultdict(int)
            cases = []
            created = datetime(day.year, day.month, day.day, 2, tzinfo=UTC)
            for _ in range(per_day):
                grid, lead, cat = rng.choice(grids), rng.choice(leads), rng.choice(categories)
                cells[(0, cat, grid, "received")] += 1
                for metric, p in LIFE:
                    if rng.random() < p:
                        cells[(lead, cat, grid, metric)] += 1
                is_open = back < 20 and rng.random() < 0.5
                cases.append(
                    (
                        REGION,
                        "handling" if is_open else "closed",
                        int(not is_open),
                        f"合成工单 {orders}",
                        cat,
                        lead,
                        grid,
                        fields_text[rng.randrange(3)] if rng.random() < 0.1 else fields_text[0],
                        _stamp(created + timedelta(days=7)),
                        _stamp(created),
                        now,
                        None if is_open else _stamp(created + timedelta(days=5)),
                    )
                )
                orders += 1
            iso = day.isoformat()
            conn.exec_driver_sql(rollup_sql, [(REGION, iso, *key, n) for key, n in cells.items()])
            conn.exec_driver_sql(case_sql, cases)
            rows += len(cells)
    # No ANALYZE: the platform never runs it, and SQLite's per-index averages would make the
    # open-state lookup of the hard-cases query look like half the table.
    print(f"  {orders:>9,} orders over {days:>4} days → {rows:,} rollup rows", flush=True)
    return platform


def p50(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(platform: Platform, runs: int) -> dict[str, float]:
    period = Period(END - timedelta(days=29), END)
    week = Period(END - timedelta(days=6), END)
    directory = platform.directory()
    hotline = platform.types.get("hotline")
    assert hotline is not None
    scope = ru.Scope(REGION, hotline)
    unit = directory.by_code["SF-CGJ"]
    unit_scope = ru.Scope(REGION, hotline, tuple(directory.subtree_ids(unit)))
    now = datetime(2026, 11, 21, 1, tzinfo=UTC)
    with platform.sessions() as session:
        user = session.scalar(select(User).where(User.username == "leader1"))
        assert user is not None
        actor = actor_for(platform, user)
        queries: dict[str, Callable[[], Any]] = {
            "hotspots (7 days vs 8 weeks)": lambda: ru.hotspots(session, scope, week, directory),
            "trends (9 weeks)": lambda: ru.trends(session, scope, END, directory),
            "units (30 days)": lambda: ru.unit_performance(session, scope, period, directory),
            "units, one unit (30 days)": lambda: ru.unit_performance(
                session, unit_scope, period, directory
            ),
            "hard cases (page 1)": lambda: ru.hard_cases(
                session, platform, actor, now, None, "", 1, 50
            ),
        }
        return {name: p50(fn, runs) for name, fn in queries.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    rate = max(args.large // DAYS, 1)
    with tempfile.TemporaryDirectory() as tmp:
        print("Building databases (SQLite)…", flush=True)
        started = time.perf_counter()
        built = {
            "small": build(Path(tmp) / "small.db", max(args.small // DAYS, 1), DAYS),
            # the last RECENT_DAYS days of the large stream: same daily volume, no history
            "recent": build(Path(tmp) / "recent.db", rate, RECENT_DAYS),
            "large": build(Path(tmp) / "large.db", rate, DAYS),
        }
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
        t = {name: measure(p, args.runs) for name, p in built.items()}
        print(f"\nAnalytics p50 over {args.runs} runs, ms (latest 7 / 30 days, 9 weeks)")
        print(f"{'query':30} {'small':>8} {'recent':>8} {'large':>8}   large/small   large/recent")
        for name in t["small"]:
            a, r, b = t["small"][name], t["recent"][name], t["large"][name]
            print(f"{name:30} {a:8.2f} {r:8.2f} {b:8.2f}   {b / a:11.2f}   {b / r:12.2f}")
        print(
            "\nsmall = ~10k orders over 3 years; large = ~1M orders over 3 years; recent = the"
            f" large stream's last {RECENT_DAYS} days only.\nlarge/recent isolates history "
            "(same daily volume); large/small mixes history with 100x daily volume."
        )
        for p in built.values():
            p.engine.dispose()


if __name__ == "__main__":
    main()
