"""Load benchmark: a mixed workload against a real `fazhi serve` from other processes on
loopback, for a bounded time, stepping the number of clients up to find the highest
throughput served with zero errors.

Each client process loops over a weighted mix of:
  intake      POST /api/v1/cases (operator1)
  lists       GET  /api/v1/cases?state=…&page_size=20 (dispatcher1, cgj_handler)
  actions     dispatch (dispatcher1) then acknowledge (cgj_handler) of its own created cases
  uploads     POST /api/v1/cases/{id}/documents, a 20 KB photo (operator1)
  dashboards  GET  /api/v1/analytics/metrics | hotspots | units (dispatcher1)

    python bench/load.py [--seconds 30] [--clients 8] [--database-url URL] [--orders 200]

The server runs on a temporary SQLite file with the demo data (`fazhi demo`), or on the
database given (it must be empty or hold the demo data already). For every step it prints
throughput per kind, p50/p99 latency, errors and the server's CPU time per request (from
/proc/<pid>/stat). Never pass/fail.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from serving import cpu_seconds, free_port, server_env, wait_for

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "fazhi2023"
USERS = ("operator1", "dispatcher1", "cgj_handler")
MIX = {"intake": 3, "lists": 4, "actions": 3, "uploads": 1, "dashboards": 1}
EXPECTED = {"intake": 201, "lists": 200, "actions": 200, "uploads": 201, "dashboards": 200}
PHOTO = b"\x89PNG\r\n\x1a\n" + os.urandom(20 * 1024)
FIELDS = {
    "request_kind": "complaint",
    "category": "CITY_APPEARANCE",
    "channel": "phone",
    "caller_name": "测试甲",
    "caller_phone": "17000001234",
    "address": "田心街道某社区（合成）",
}

Sample = tuple[str, float, int]  # kind, seconds, HTTP status (0: connection error)


class Client:
    """One keep-alive connection and the three users' bearer tokens."""

    def __init__(self, port: int, tokens: dict[str, str]) -> None:
        self.port = port
        self.tokens = tokens
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(
        self, user: str, method: str, path: str, body: bytes | None = None, ctype: str = ""
    ) -> tuple[int, bytes]:
        headers = {"authorization": f"Bearer {self.tokens[user]}"}
        if ctype:
            headers["content-type"] = ctype
        try:
            self.conn.request(method, path, body, headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0, b""

    def json(self, user: str, method: str, path: str, body: Any) -> tuple[int, bytes]:
        data = json.dumps(body, ensure_ascii=False).encode()
        return self.call(user, method, path, data, "application/json")


def _multipart(fields: dict[str, str], file: tuple[str, bytes, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    name, content, ctype = file
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: {ctype}\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _client(args: tuple[int, dict[str, str], float, int]) -> list[Sample]:
    port, tokens, seconds, seed = args
    rng = random.Random(seed)
    client = Client(port, tokens)
    kinds = [k for k, w in MIX.items() for _ in range(w)]
    registered: list[int] = []  # its own cases, waiting for dispatch
    dispatched: list[int] = []  # … for acknowledgement
    created: list[int] = []  # … for photos
    samples: list[Sample] = []
    serial = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kind = rng.choice(kinds)
        if kind in ("actions", "uploads") and not created:
            kind = "intake"
        start = time.perf_counter()
        if kind == "intake":
            serial += 1
            fields = dict(FIELDS, content=f"流动摊贩占道经营，第{seed}-{serial}号合成负载诉求")
            status, body = client.json(
                "operator1", "POST", "/api/v1/cases", {"type": "hotline", "fields": fields}
            )
            if status == 201:
                case_id = int(json.loads(body)["id"])
                registered.append(case_id)
                created.append(case_id)
        elif kind == "lists":
            user, state = rng.choice([("dispatcher1", "registered"), ("cgj_handler", "dispatched")])
            status, _ = client.call(user, "GET", f"/api/v1/cases?state={state}&page_size=20")
        elif kind == "actions":
            if dispatched and (not registered or rng.random() < 0.5):
                case_id = dispatched.pop()
                status, _ = client.json(
                    "cgj_handler",
                    "POST",
                    f"/api/v1/cases/{case_id}/actions/acknowledge",
                    {"inputs": {}},
                )
            elif registered:
                case_id = registered.pop()
                status, _ = client.json(
                    "dispatcher1",
                    "POST",
                    f"/api/v1/cases/{case_id}/actions/dispatch",
                    {"inputs": {"lead_unit": "SF-CGJ"}},
                )
                if status == 200:
                    dispatched.append(case_id)
            else:
                continue
        elif kind == "uploads":
            case_id = rng.choice(created)
            body_bytes, ctype = _multipart({"kind": "photo"}, ("现场.png", PHOTO, "image/png"))
            status, _ = client.call(
                "operator1", "POST", f"/api/v1/cases/{case_id}/documents", body_bytes, ctype
            )
        else:
            view = rng.choice(["metrics", "hotspots", "units"])
            status, _ = client.call("dispatcher1", "GET", f"/api/v1/analytics/{view}")
        samples.append((kind, time.perf_counter() - start, status))
    return samples


def run_step(
    port: int, pid: int, tokens: dict[str, str], clients: int, seconds: float
) -> dict[str, Any]:
    jobs = [(port, tokens, seconds, 1000 * clients + c) for c in range(clients)]
    cpu0 = cpu_seconds(pid)
    with mp.get_context("fork").Pool(clients) as pool:
        start = time.perf_counter()
        results = pool.map(_client, jobs)
        elapsed = time.perf_counter() - start
    cpu = cpu_seconds(pid) - cpu0
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in (s for r in results for s in r):
        by_kind[sample[0]].append(sample)
    rows: dict[str, dict[str, Any]] = {}
    for kind in MIX:
        samples = by_kind.get(kind, [])
        latencies = sorted(s[1] for s in samples)
        errors = sum(1 for s in samples if s[2] != EXPECTED[kind])
        rows[kind] = {
            "n": len(samples),
            "rate": len(samples) / elapsed,
            "p50": statistics.median(latencies) * 1000 if latencies else 0.0,
            "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else 0.0,
            "errors": errors,
            "statuses": sorted({s[2] for s in samples if s[2] != EXPECTED[kind]}),
        }
    total = sum(r["n"] for r in rows.values())
    return {
        "clients": clients,
        "elapsed": elapsed,
        "rows": rows,
        "total": total,
        "rate": total / elapsed,
        "errors": sum(r["errors"] for r in rows.values()),
        "cpu_ms": cpu / total * 1000 if total else 0.0,
        "cpu_share": cpu / elapsed,
    }


def tokens_for(port: int) -> dict[str, str]:
    found = {}
    for user in USERS:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = json.dumps({"username": user, "password": PASSWORD})
        conn.request("POST", "/api/v1/auth/token", body, {"content-type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise SystemExit(f"login {user}: HTTP {response.status} {data[:200]!r}")
        found[user] = str(json.loads(data)["access_token"])
    return found


def print_step(step: dict[str, Any]) -> None:
    print(
        f"\n{step['clients']} clients, {step['elapsed']:.1f} s: {step['rate']:.0f} req/s, "
        f"{step['errors']} errors, server CPU {step['cpu_ms']:.2f} ms/request "
        f"({step['cpu_share'] * 100:.0f}% of a core)"
    )
    print(f"  {'kind':<12}{'n':>7}{'per s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for kind, r in step["rows"].items():
        bad = f"  {r['statuses']}" if r["errors"] else ""
        print(
            f"  {kind:<12}{r['n']:>7}{r['rate']:>9.1f}{r['p50']:>9.1f}{r['p99']:>9.1f}"
            f"{r['errors']:>8}{bad}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=30, help="per step")
    parser.add_argument("--clients", type=int, default=8, help="the last step's clients")
    parser.add_argument("--orders", type=int, default=200, help="demo orders to load first")
    parser.add_argument(
        "--database-url", default=None, help="default: a fresh SQLite file in a temporary folder"
    )
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="fazhi-load-")
    url = args.database_url or f"sqlite:///{tmp}/load.db"
    env = server_env(url, tmp)
    fazhi = [sys.executable, "-c", "from fazhi.cli import app; app()"]
    started = time.perf_counter()
    subprocess.run(
        [*fazhi, "demo", "--orders", str(args.orders), "--current", "40"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"demo data loaded in {time.perf_counter() - started:.0f} s")
    port = free_port()
    proc = subprocess.Popen([*fazhi, "serve", "--port", str(port)], env=env)
    steps = []
    try:
        wait_for(port, proc)
        tokens = tokens_for(port)
        _client((port, tokens, min(5.0, args.seconds), 1))  # warm-up
        counts = sorted({1, 2, 4, *range(8, args.clients + 1, 4), args.clients})
        for clients in [c for c in counts if c <= args.clients]:
            step = run_step(port, proc.pid, tokens, clients, args.seconds)
            steps.append(step)
            print_step(step)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    db = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    clean = [s for s in steps if s["errors"] == 0]
    print(f"\nLoad benchmark — {db}, 1 server process, {os.cpu_count()} cores")
    if clean:
        best = max(clean, key=lambda s: s["rate"])
        print(
            f"sustained with zero errors: {best['rate']:.0f} req/s at {best['clients']} clients "
            f"for {best['elapsed']:.0f} s (mix {MIX})"
        )
        ratio = best["rate"] / steps[0]["rate"] if steps[0]["rate"] else 0.0
        print(f"ratio best / 1 client: {ratio:.2f}")
    else:
        print("no step ran without errors")


if __name__ == "__main__":
    main()
