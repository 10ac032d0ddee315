"""Scale benchmark (issue 15, items 1–2): does a page cost the same with years of history?

For each size it makes a fresh database, writes a synthetic city with `fazhi demo generate
--orders N --districts K` (its own timing gives the generation rate), starts a real
`fazhi serve` for district 1 (region 439901) and times, from one keep-alive client, the
requests a day's work makes:

  - the unit's work list, first page (`/work`: the console's queue) with each filter its bar
    offers (type, state, category, street, urgency, overdue, text), and the full case list
    (`/cases`, newest first) plain and by category;
  - the statistics page (`/stats`) and the indicator dashboard (`/indicators`) for the last
    full year, as the district's leader;
  - a closed case's page with its timeline (`/cases/{id}`);
  - intake: orders registered through the API one after another (orders/s).

All sizes are generated first, then served at once (one `fazhi serve` each) and measured
side by side: each round asks every page of every size in turn, so the neighbours' load on
a shared machine falls on all sizes alike. It prints p50/p95 wall milliseconds per request
at each size and the ratio of p95 largest/smallest (1.0 = the page does not grow with
history). Never pass/fail.

    python bench/scale.py [--sizes 10000,100000] [--districts 2] [--requests 30]
                          [--intake 200] [--database-url postgresql+psycopg://…/postgres]
                          [--keep] [--reuse FOLDER|pg]

With --database-url (a PostgreSQL server's maintenance database) each size gets a database
of its own on that server (`fazhi_scale_<N>`, dropped first); without it, a SQLite file.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

from serving import ORDER_FIELDS, free_port, server_env, wait_for
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PASSWORD = "fazhi2023"
REGION = "439901"  # district 1 of the synthetic city (fazhi.catalog.city)
FAZHI = [sys.executable, "-c", "from fazhi.cli import app; app()"]


@dataclass
class Result:
    size: int
    rate: float  # orders generated per second
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=dict)  # ms per request
    intake: float = 0.0  # orders registered per second over the API


class Client:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        try:
            self.conn.request(method, path, body, headers or {})
            response = self.conn.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # uvicorn closes a keep-alive connection idle for 5 s, which a round over the
            # other sizes' pages can exceed on a loaded machine: connect again.
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.conn.host, self.conn.port, timeout=300)
            self.conn.request(method, path, body, headers or {})
            response = self.conn.getresponse()
        return response.status, response.read()


def token(client: Client, username: str) -> str:
    body = json.dumps({"username": username, "password": PASSWORD}).encode()
    status, data = client.send(
        "POST", "/api/v1/auth/token", body, {"content-type": "application/json"}
    )
    if status != 200:
        raise SystemExit(f"login {username}: HTTP {status} {data[:200]!r}")
    return str(json.loads(data)["access_token"])


@contextmanager
def database(url: str | None, size: int, folder: Path, fresh: bool = True) -> Iterator[str]:
    """The database of one size: a SQLite file, or a PostgreSQL database of its own; made
    afresh unless `fresh` is false (--reuse)."""
    if url is None:
        yield f"sqlite:///{folder}/scale-{size}.db"
        return
    name = f"fazhi_scale_{size}"
    if fresh:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    yield make_url(url).set(database=name).render_as_string(hide_password=False)


def generate(env: dict[str, str], size: int, districts: int) -> tuple[float, float]:
    """(orders/s, seconds) as `fazhi demo generate` measured its own writing."""
    subprocess.run([*FAZHI, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    done = subprocess.run(
        [*FAZHI, "demo", "generate", "--orders", str(size), "--districts", str(districts)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    found = re.search(r"用时 ([\d.]+) 秒", done.stdout)
    if not found:
        raise SystemExit(f"generate printed no timing: {done.stdout}\n{done.stderr}")
    seconds = float(found.group(1))
    cpu = re.search(r"CPU ([\d.]+) 秒", done.stdout)
    if cpu:
        print(f"  {size:>9,} orders: the generating process used {float(cpu.group(1)):.1f} s CPU")
    return (size / seconds if seconds else 0.0), seconds


def requests(client: Client, year: int) -> dict[str, tuple[str, str]]:
    """name → (user, path) of the pages to time."""
    status, data = client.send(
        "GET",
        "/api/v1/cases?type=hotline&state=closed&page_size=1",
        headers={"authorization": f"Bearer {token(client, 'c01.leader1')}"},
    )
    if status != 200 or not json.loads(data)["items"]:
        raise SystemExit(f"no closed case to open: HTTP {status} {data[:200]!r}")
    case_id = json.loads(data)["items"][0]["id"]
    handler, leader = "c01.cgj_handler", "c01.leader1"
    period = f"from={year}-01-01&to={year}-12-31"
    return {
        "work": (handler, "/work"),
        "work type": (handler, "/work?type=hotline"),
        "work state": (handler, "/work?type=hotline&state=handling"),
        "work category": (handler, "/work?type=hotline&category=CITY_APPEARANCE"),
        "work street": (handler, "/work?type=hotline&street=C01-TX"),
        "work urgency": (handler, "/work?type=hotline&urgency=urgent"),
        "work overdue": (handler, "/work?overdue=1"),
        "work text": (handler, "/work?q=" + quote("垃圾")),
        "cases (all, newest)": (handler, "/cases"),
        "cases category": (handler, "/cases?type=hotline&category=CITY_APPEARANCE"),
        "cases text": (handler, "/cases?q=" + quote("噪音")),
        "stats year": (leader, f"/stats?{period}"),
        "indicators year": (leader, f"/indicators?year={year}"),
        "case page": (leader, f"/cases/{case_id}"),
    }


def time_pages(ports: list[int], rounds: int) -> list[dict[str, list[float]]]:
    """ms per request of every page on every server; each round asks every page of every
    size in turn, so a neighbour's burst of load hits all sizes alike."""
    clients = [Client(port) for port in ports]
    year = date.today().year - 1
    pages = [requests(client, year) for client in clients]
    cookies = [
        {user: token(client, user) for user, _ in asked.values()}
        for client, asked in zip(clients, pages, strict=True)
    ]
    out: list[dict[str, list[float]]] = [{name: [] for name in asked} for asked in pages]
    for round_ in range(rounds + 2):  # the first two rounds warm the caches, unmeasured
        for name in pages[0]:
            for i, client in enumerate(clients):
                user, path = pages[i][name]
                started = time.perf_counter()
                status, body = client.send(
                    "GET", path, headers={"cookie": f"fazhi_token={cookies[i][user]}"}
                )
                took = (time.perf_counter() - started) * 1000
                if status != 200:
                    raise SystemExit(f"{name} {path}: HTTP {status} {body[:300]!r}")
                if round_ >= 2:
                    out[i][name].append(took)
    return out


def intake(ports: list[int], count: int) -> list[float]:
    """Orders per second registered over the API, in alternating chunks per server."""
    clients = [Client(port) for port in ports]
    headers = [
        {
            "authorization": f"Bearer {token(client, 'c01.operator1')}",
            "content-type": "application/json",
        }
        for client in clients
    ]
    spent = [0.0] * len(clients)
    chunk = 20
    for first in range(0, count, chunk):
        for i, client in enumerate(clients):
            started = time.perf_counter()
            for n in range(first, min(count, first + chunk)):
                content = f"小区门口流动摊贩占道经营，第{n}号合成测试诉求"
                fields = dict(ORDER_FIELDS, content=content)
                body = json.dumps({"type": "hotline", "fields": fields}, ensure_ascii=False)
                status, data = client.send("POST", "/api/v1/cases", body.encode(), headers[i])
                if status != 201:
                    raise SystemExit(f"intake: HTTP {status} {data[:300]!r}")
            spent[i] += time.perf_counter() - started
    return [count / s if s else 0.0 for s in spent]


def run(args: argparse.Namespace, sizes: list[int], folder: Path) -> list[Result]:
    """Generate every size, then serve them all at once and measure them side by side."""
    results: list[Result] = []
    envs: list[dict[str, str]] = []
    with ExitStack() as stack:
        for size in sizes:
            url = stack.enter_context(database(args.database_url, size, folder, not args.reuse))
            env = dict(server_env(url, str(folder)), FAZHI_REGION_CODE=REGION)
            if args.reuse:
                rate, seconds = 0.0, 0.0  # generated by an earlier run: not measured here
            else:
                rate, seconds = generate(env, size, args.districts)
                print(f"  {size:>9,} orders: generated in {seconds:.1f} s ({rate:,.0f} orders/s)")
            results.append(Result(size, rate, seconds))
            envs.append(env)
        ports = [free_port() for _ in sizes]
        procs: list[subprocess.Popen[bytes]] = []
        try:
            for env, port in zip(envs, ports, strict=True):
                serve = [*FAZHI, "serve", "--port", str(port)]
                procs.append(subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL))
            for proc, port in zip(procs, ports, strict=True):
                wait_for(port, proc)
            for result, latencies in zip(results, time_pages(ports, args.requests), strict=True):
                result.latencies = latencies
            for result, rate in zip(results, intake(ports, args.intake), strict=True):
                result.intake = rate
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(30)
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def print_table(results: list[Result]) -> None:
    small, large = results[0], results[-1]
    sizes = " | ".join(f"{r.size:>9,} p50 / p95" for r in results)
    print(f"\n| measure (ms unless said)  | {sizes} | × p95 |")
    print("|" + "---|" * (len(results) + 2))
    rows = [
        (
            "generation (orders/s)",
            [f"{r.rate:>21,.0f}" for r in results],
            large.rate / small.rate if small.rate else 0.0,
        )
    ]
    for name in small.latencies:
        cells = [
            f"{statistics.median(values):>9.1f} / {percentile(values, 0.95):>9.1f}"
            for values in (r.latencies[name] for r in results)
        ]
        ratio = percentile(large.latencies[name], 0.95) / percentile(small.latencies[name], 0.95)
        rows.append((name, cells, ratio))
    rows.append(
        (
            "intake (orders/s)",
            [f"{r.intake:>21,.1f}" for r in results],
            large.intake / small.intake if small.intake else 0.0,
        )
    )
    for name, cells, ratio in rows:
        print(f"| {name:<25} | {' | '.join(cells)} | {ratio:5.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--districts", type=int, default=2)
    parser.add_argument("--requests", type=int, default=30, help="timed rounds per page")
    parser.add_argument("--intake", type=int, default=200, help="orders registered per size")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files (printed)")
    parser.add_argument(
        "--reuse",
        default=None,
        help="measure the databases an earlier --keep run left (its SQLite folder, or 'pg' "
        "for the fazhi_scale_<N> databases on --database-url) instead of generating",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    folder = Path(tempfile.mkdtemp(prefix="fazhi-scale-"))
    if args.reuse and not args.database_url:
        shutil.rmtree(folder, ignore_errors=True)
        folder = Path(args.reuse)
        args.keep = True  # never delete what an earlier run kept
    where = "PostgreSQL" if args.database_url else "SQLite"
    print(f"scale bench on {where}: {args.districts} districts, sizes {sizes}")
    try:
        results = run(args, sizes, folder)
    finally:
        if args.keep:
            print(f"databases kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print_table(results)


if __name__ == "__main__":
    main()
