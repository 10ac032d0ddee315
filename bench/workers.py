"""Several server processes (issue 15, item 3): serial keep-alive latency and intake
throughput of `fazhi serve --workers N`, beside `uvicorn --workers N` as tried before.

    python bench/workers.py [--workers 1,2] [--requests 400] [--clients 4]
                            [--database-url URL] [--uvicorn]

For each N it starts a real server on a fresh database (the demo organisation), then
  - serial latency: one keep-alive client sends `/healthz` and `GET /api/v1/cases/{id}`
    one after another (p50 and p95 in ms) — a server whose socket lacks TCP_NODELAY shows
    about 40 ms here instead of about 1;
  - intake: `--clients` keep-alive clients register hotline orders in parallel
    (`POST /api/v1/cases`) for `--requests` each; orders per second and p50/p99.
`--uvicorn` adds the same runs against `uvicorn --factory fazhi.bootstrap:create_app
--workers N` (which binds its own socket). Prints figures, never pass/fail; on this
machine's two shared cores compare the runs of one invocation only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

from cost import prepare, token_for
from serving import ORDER_FIELDS, free_port, server_env, wait_for


def order_body(i: int) -> bytes:
    fields = dict(ORDER_FIELDS, content=f"小区门口流动摊贩占道经营，第{i}号合成测试诉求")
    return json.dumps({"type": "hotline", "fields": fields}, ensure_ascii=False).encode()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def serial(port: int, path: str, headers: dict[str, str], n: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status}")
    conn.close()
    return times


def _intake_client(args: tuple[int, str, int, int]) -> list[float]:
    port, token, count, offset = args
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
    times = []
    for i in range(count):
        start = time.perf_counter()
        conn.request("POST", "/api/v1/cases", order_body(offset + i), headers)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - start) * 1000)
        if response.status != 201:
            raise SystemExit(f"intake: HTTP {response.status}")
    return times


def intake(
    port: int, token: str, clients: int, each: int, offset: int
) -> tuple[float, list[float]]:
    jobs = [(port, token, each, offset + c * each) for c in range(clients)]
    with mp.Pool(clients) as pool:
        start = time.perf_counter()
        results = pool.map(_intake_client, jobs)
        wall = time.perf_counter() - start
    times = [t for r in results for t in r]
    return len(times) / wall, times


def run(label: str, command: list[str], env: dict[str, str], port: int, args: Any) -> None:
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for(port, proc)
        token = token_for(port, "operator1")
        auth = {"authorization": f"Bearer {token}"}
        conn = http.client.HTTPConnection("127.0.0.1", port)
        headers = {"content-type": "application/json", **auth}
        conn.request("POST", "/api/v1/cases", order_body(0), headers)
        case_id = json.loads(conn.getresponse().read())["id"]
        conn.close()
        # Warm-up: every worker's first requests (imports, template and statement caches).
        intake(port, token, args.clients, 25, 1)
        serial(port, "/healthz", {}, 50)
        bare = serial(port, "/healthz", {}, args.serial)
        one = serial(port, f"/api/v1/cases/{case_id}", auth, args.serial)
        rate, times = intake(port, token, args.clients, args.requests, 100_000)
        print(
            f"| {label:<28} | {statistics.median(bare):7.2f} | {percentile(bare, 0.95):7.2f} "
            f"| {statistics.median(one):7.2f} | {percentile(one, 0.95):7.2f} "
            f"| {rate:8.1f} | {statistics.median(times):7.1f} | {percentile(times, 0.99):7.1f} |",
            flush=True,
        )
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", default="1,2", help="comma-separated process counts")
    parser.add_argument("--requests", type=int, default=400, help="orders per intake client")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--serial", type=int, default=300, help="serial requests per endpoint")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default SQLite)")
    parser.add_argument("--uvicorn", action="store_true", help="also run `uvicorn --workers`")
    args = parser.parse_args()
    print(
        "| server                       | /healthz p50 | p95 | one case p50 | p95 "
        "| orders/s | intake p50 ms | p99 |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    python = [sys.executable, "-c"]
    for n in [int(x) for x in args.workers.split(",")]:
        kinds = [("fazhi serve", "fazhi")] + ([("uvicorn", "uvicorn")] if args.uvicorn else [])
        for name, kind in kinds:
            tmp = tempfile.mkdtemp(prefix="fazhi-workers-")
            url = args.database_url or f"sqlite:///{tmp}/workers.db"
            env = server_env(url, tmp)
            env["FAZHI_PASSWORD_PROFILE"] = "test"
            if args.database_url:
                reset(url, env)
            prepare(env)
            port = free_port()
            if kind == "fazhi":
                cmd = [*python, "from fazhi.cli import app; app()", "serve"]
                cmd += ["--port", str(port), "--workers", str(n)]
            else:
                cmd = [sys.executable, "-m", "uvicorn", "--factory", "fazhi.bootstrap:create_app"]
                cmd += ["--port", str(port), "--workers", str(n), "--log-level", "warning"]
            run(f"{name} × {n}", cmd, env, port, args)


def reset(url: str, env: dict[str, str]) -> None:
    """An empty PostgreSQL schema for each run (the runs must not see each other's orders)."""
    code = (
        "import os\n"
        "from sqlalchemy import text\n"
        "from fazhi.store.db import make_engine\n"
        "engine = make_engine(os.environ['FAZHI_DATABASE_URL'])\n"
        "with engine.begin() as c:\n"
        "    c.execute(text('DROP SCHEMA public CASCADE'))\n"
        "    c.execute(text('CREATE SCHEMA public'))\n"
        "engine.dispose()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


if __name__ == "__main__":
    main()
