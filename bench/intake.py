"""Intake benchmark: hotline registrations per second over HTTP, against two baselines
measured in the same run (these machines are noisy, so only same-run ratios mean much):

  (a) a bare FastAPI endpoint on the same app and server stack (same JSON body parsed by
      pydantic, no database), and
  (b) raw inserts of the same case rows into the same kind of database, one transaction
      each, with no HTTP and no platform code.

    python bench/intake.py [--requests 3000] [--clients 4] [--database-url URL]

Prints rates, p50/p99 latencies and the ratios. Never pass/fail.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from serving import ORDER_FIELDS, wait_for

ROOT = Path(__file__).resolve().parents[1]


class BareBody(BaseModel):
    """The registration body's shape, parsed the same way."""

    type: str
    fields: dict[str, Any]


def serve(database_url: str, port: int) -> None:
    """Child process: the real app plus one bare endpoint, on one uvicorn worker."""
    import uvicorn

    from fazhi.actions.platform import Platform
    from fazhi.bootstrap import create_app
    from fazhi.settings import Settings

    app = create_app(Platform.create(Settings(database_url=database_url)))

    @app.post("/api/bench/bare", status_code=201)
    def bare(body: BareBody) -> dict[str, Any]:
        return {"id": 1, "type": body.type, "state": "registered"}

    @app.post("/api/bench/bare-async", status_code=201)
    async def bare_async(body: BareBody) -> dict[str, Any]:
        return {"id": 1, "type": body.type, "state": "registered"}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _client(args: tuple[int, str, str, int, int]) -> list[float]:
    port, path, token, count, offset = args
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
    latencies = []
    for i in range(count):
        fields = dict(
            ORDER_FIELDS, content=f"小区门口流动摊贩占道经营，第{offset + i}号合成测试诉求"
        )
        body = json.dumps({"type": "hotline", "fields": fields}, ensure_ascii=False).encode()
        start = time.perf_counter()
        conn.request("POST", path, body, headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
        if response.status != 201:
            raise SystemExit(f"{path}: HTTP {response.status}")
    conn.close()
    return latencies


def load(
    port: int, path: str, token: str, total: int, clients: int, offset: int
) -> dict[str, float]:
    per = total // clients
    jobs = [(port, path, token, per, offset + c * per) for c in range(clients)]
    with mp.get_context("fork").Pool(clients) as pool:
        start = time.perf_counter()
        results = pool.map(_client, jobs)
        elapsed = time.perf_counter() - start
    latencies = sorted(x for r in results for x in r)
    return {
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "n": len(latencies),
    }


def raw_inserts(database_url: str, total: int) -> dict[str, float]:
    """The same case rows, inserted with plain SQL, one transaction each."""
    from sqlalchemy import insert

    from fazhi.store.db import make_engine
    from fazhi.store.models import Case

    engine = make_engine(database_url)
    now = datetime.now(UTC)
    latencies = []
    start = time.perf_counter()
    with engine.connect() as conn:
        for i in range(total):
            fields = dict(ORDER_FIELDS, content=f"原始插入对照第{i}号", urgency="normal")
            t0 = time.perf_counter()
            with conn.begin():
                conn.execute(
                    insert(Case).values(
                        region_code="430204",
                        type="hotline",
                        state="registered",
                        terminal=False,
                        version=1,
                        title=fields["content"],
                        category="CITY_APPEARANCE",
                        fields=fields,
                        marks=[],
                        open_to_units=False,
                        created_at=now,
                        updated_at=now,
                        external_source="bench-raw",
                        external_id=str(i),
                    )
                )
            latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    engine.dispose()
    latencies.sort()
    return {
        "rate": total / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(total * 0.99) - 1] * 1000,
        "n": total,
    }


def prepare(database_url: str) -> None:
    from fazhi.actions.org import load_org_into
    from fazhi.catalog.org_file import load_demo_org
    from fazhi.store.db import make_engine, session_factory, transaction
    from fazhi.store.migrate import upgrade

    engine = make_engine(database_url)
    upgrade(engine)
    with transaction(session_factory(engine)) as session:
        load_org_into(session, load_demo_org())
    engine.dispose()


def login(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request(
        "POST",
        "/api/v1/auth/token",
        json.dumps({"username": "operator1", "password": "fazhi2023"}),
        {"content-type": "application/json"},
    )
    body = json.loads(conn.getresponse().read())
    return str(body["access_token"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--database-url", default=None, help="default: a fresh SQLite file in a temporary folder"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.database_url, args.port)
        return
    tmp = tempfile.mkdtemp(prefix="fazhi-bench-")
    url = args.database_url or f"sqlite:///{tmp}/bench.db"
    prepare(url)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--database-url", url, "--port", str(args.port)],
        env=env,
    )
    try:
        wait_for(args.port, proc)
        token = login(args.port)
        warm = max(200, args.requests // 10)
        load(args.port, "/api/bench/bare", token, warm, args.clients, 0)
        load(args.port, "/api/v1/cases", token, warm, args.clients, 10_000_000)
        bare = load(args.port, "/api/bench/bare", token, args.requests, args.clients, 0)
        bare_async = load(args.port, "/api/bench/bare-async", token, args.requests, args.clients, 0)
        reg = load(args.port, "/api/v1/cases", token, args.requests, args.clients, 0)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    raw = raw_inserts(url, args.requests)
    db = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    print(
        f"Intake benchmark — {db}, {args.requests} requests, {args.clients} clients, "
        f"1 server worker, {os.cpu_count()} cores"
    )
    print(f"{'measure':<34}{'per s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for name, r in (
        ("registration (POST /api/v1/cases)", reg),
        ("(a) bare FastAPI endpoint (def)", bare),
        ("(a') bare endpoint (async def)", bare_async),
        ("(b) raw inserts, same rows", raw),
    ):
        print(f"{name:<34}{r['rate']:>10.0f}{r['p50']:>10.2f}{r['p99']:>10.2f}")
    print(
        f"ratio registration / bare endpoint: {reg['rate'] / bare['rate']:.2f}"
        f"   (aim ≥ 0.50 on SQLite)"
    )
    print(f"ratio registration / bare async endpoint: {reg['rate'] / bare_async['rate']:.2f}")
    print(f"ratio registration / raw inserts:   {reg['rate'] / raw['rate']:.2f}")


if __name__ == "__main__":
    main()
