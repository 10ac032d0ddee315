"""Cost benchmark: the server's CPU time per request for each main endpoint, beside a bare
endpoint (/healthz) measured in the same run (these machines are noisy and shared, so only
same-run ratios mean much; CPU time is less disturbed by neighbours than wall time).

A real `fazhi serve` (one process) runs on a fresh SQLite file, or on the PostgreSQL database
given; one keep-alive client sends N sequential requests per endpoint and the server's
utime + stime (/proc/<pid>/stat, all its threads) is read before and after. On PostgreSQL the
database server's CPU is added: the postmaster found by the URL's port, its live backends and
the children it has reaped. Rounds interleave the endpoints; the median round is printed, and
the median of the rounds' ratios to the bare endpoint of the same round.

    python bench/cost.py [--requests 500] [--rounds 3] [--database-url URL]
                         [--profile create,list,... --profile-dir DIR]
                         [--baseline CHECKOUT [--baseline-block httptools,...]]

--baseline runs a second server from another checkout's `src` (say the main branch, for a
before/after table) on a database of its own, and alternates the two servers' rounds, so
both see the same neighbours; `--baseline-block` makes the named modules unimportable in
that server (e.g. httptools, so its uvicorn falls back to h11 as before it was a
dependency). The ratio after/before of each endpoint is the median of the rounds' ratios.

--profile runs py-spy (if installed: `pip install py-spy`, not a project dependency) against
the server for each named endpoint after the measured rounds and writes DIR/<name>.txt in
py-spy's collapsed ("raw") format. Prints ms of CPU per request, the ratio to the bare
endpoint and to the issue's targets (issue 15 item 0). Never pass/fail.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from serving import ORDER_FIELDS, cpu_seconds, free_port, server_env, wait_for

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "fazhi2023"
# Issue 15, item 0: server plus database CPU per request, a tenth of the peer's.
TARGETS = {"create": 1.5, "list": 2.5, "one": 0.7}
SEED_ORDERS = 120  # so that every list has its 50 rows before the first round


@dataclass
class Endpoint:
    name: str
    label: str
    target: str | None  # key into TARGETS
    request: Callable[[int], tuple[str, str, bytes | None, dict[str, str]]]
    expect: int = 200


class Client:
    """One keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def reconnect(self) -> None:
        """A fresh connection: the server closes one left idle past its keep-alive timeout
        (5 s), as while the other server of a baseline run is measured."""
        self.conn.close()
        self.conn.connect()

    def send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> bytes:
        self.conn.request(method, path, body, headers)
        response = self.conn.getresponse()
        data = response.read()
        self.status = response.status
        return data


def token_for(port: int, username: str) -> str:
    client = Client(port)
    body = json.dumps({"username": username, "password": PASSWORD}).encode()
    data = client.send("POST", "/api/v1/auth/token", body, {"content-type": "application/json"})
    if client.status != 200:
        raise SystemExit(f"login {username}: HTTP {client.status} {data[:200]!r}")
    return str(json.loads(data)["access_token"])


def order_body(i: int) -> bytes:
    fields = dict(ORDER_FIELDS, content=f"小区门口流动摊贩占道经营，第{i}号合成测试诉求")
    return json.dumps({"type": "hotline", "fields": fields}, ensure_ascii=False).encode()


def endpoints(port: int, case_id: int) -> list[Endpoint]:
    operator = {"authorization": f"Bearer {token_for(port, 'operator1')}"}
    dispatcher_token = token_for(port, "dispatcher1")
    dispatcher = {"authorization": f"Bearer {dispatcher_token}"}
    json_post = dict(operator, **{"content-type": "application/json"})
    console = {"cookie": f"fazhi_token={dispatcher_token}"}
    list_path = "/api/v1/cases?type=hotline&page_size=50"
    return [
        Endpoint("bare", "bare GET /healthz", None, lambda i: ("GET", "/healthz", None, {})),
        Endpoint(
            "create",
            "create POST /api/v1/cases",
            "create",
            lambda i: ("POST", "/api/v1/cases", order_body(i), json_post),
            201,
        ),
        Endpoint(
            "list",
            "list 50 GET /api/v1/cases",
            "list",
            lambda i: ("GET", list_path, None, dispatcher),
        ),
        Endpoint(
            "o311-list",
            "list 50 Open311 requests.json",
            "list",
            lambda i: ("GET", "/open311/v2/requests.json?page_size=50", None, {}),
        ),
        Endpoint(
            "o311-list-xml",
            "list 50 Open311 requests.xml",
            "list",
            lambda i: ("GET", "/open311/v2/requests.xml?page_size=50", None, {}),
        ),
        Endpoint(
            "one",
            "one GET /api/v1/cases/{id}",
            "one",
            lambda i: ("GET", f"/api/v1/cases/{case_id}", None, dispatcher),
        ),
        Endpoint(
            "o311-one",
            "one Open311 requests/{id}.json",
            "one",
            lambda i: ("GET", f"/open311/v2/requests/{case_id}.json", None, {}),
        ),
        Endpoint(
            "work", "console GET /work (30 rows)", None, lambda i: ("GET", "/work", None, console)
        ),
    ]


def check_rows(client: Client, table: list[Endpoint]) -> None:
    """The lists answer the 50 rows they are measured for."""
    for endpoint in table:
        if endpoint.name in ("list", "o311-list"):
            method, path, body, headers = endpoint.request(0)
            data = json.loads(client.send(method, path, body, headers))
            rows = data["items"] if isinstance(data, dict) else data
            if len(rows) != 50:
                raise SystemExit(f"{endpoint.label}: {len(rows)} rows, not 50")


def postmaster_pid(database_url: str) -> int | None:
    """The PostgreSQL server listening on the URL's port on this machine (its command line
    carries `-p PORT`, as scripts/pg-test-cluster.sh starts it), or None."""
    port = str(urlparse(database_url).port or 5432)
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if not (args and args[0].endswith(b"postgres") and b"-p" in args):
            continue
        if args[args.index(b"-p") + 1 : args.index(b"-p") + 2] == [port.encode()]:
            found.append(int(entry.name))
    return min(found) if found else None


def database_cpu(postmaster: int | None) -> float:
    """The postmaster's CPU, its reaped children's and its live children's (backends,
    walwriter, checkpointer…)."""
    if postmaster is None:
        return 0.0
    total = cpu_seconds(postmaster, children=True)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        if int(text[text.rindex(")") + 2 :].split()[1]) == postmaster:
            # One that exited between the two reads is now in the postmaster's cutime.
            with contextlib.suppress(OSError):
                total += cpu_seconds(int(entry.name))
    return total


@dataclass
class Sample:
    server_ms: float
    db_ms: float
    wall_ms: float


def measure(
    client: Client, endpoint: Endpoint, n: int, pid: int, postmaster: int | None, offset: int
) -> Sample:
    requests = [endpoint.request(offset + i) for i in range(n)]
    db0, cpu0, t0 = database_cpu(postmaster), cpu_seconds(pid), time.perf_counter()
    for method, path, body, headers in requests:
        data = client.send(method, path, body, headers)
        if client.status != endpoint.expect:
            raise SystemExit(f"{endpoint.label}: HTTP {client.status} {data[:300]!r}")
    wall = time.perf_counter() - t0
    cpu, db = cpu_seconds(pid) - cpu0, database_cpu(postmaster) - db0
    return Sample(cpu / n * 1000, db / n * 1000, wall / n * 1000)


def profile(
    client: Client, endpoint: Endpoint, pid: int, out: Path, seconds: float, offset: int
) -> None:
    """py-spy against the server while this endpoint alone is called for `seconds`."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    cmd = [spy, "record", "--pid", str(pid), "--format", "raw", "--rate", "250"]
    cmd += ["--duration", str(int(seconds) + 2), "--output", str(out), "--nonblocking"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # py-spy attaches
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        method, path, body, headers = endpoint.request(offset + i)
        client.send(method, path, body, headers)
        i += 1
    proc.wait(timeout=60)


def prepare(env: dict[str, str]) -> None:
    """Schema and the demo organisation (units and users), nothing else."""
    code = (
        "from fazhi.actions.org import load_org_into\n"
        "from fazhi.catalog.org_file import load_demo_org\n"
        "from fazhi.store.db import make_engine, session_factory, transaction\n"
        "from fazhi.store.migrate import upgrade\n"
        "import os\n"
        "engine = make_engine(os.environ['FAZHI_DATABASE_URL'])\n"
        "upgrade(engine)\n"
        "with transaction(session_factory(engine)) as session:\n"
        "    load_org_into(session, load_demo_org())\n"
        "engine.dispose()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


@dataclass
class Server:
    """One `fazhi serve` under measurement, with its endpoints and samples."""

    name: str
    url: str
    proc: subprocess.Popen[bytes]
    port: int
    postmaster: int | None
    table: list[Endpoint] | None = None
    client: Client | None = None
    samples: dict[str, list[Sample]] | None = None


def start_server(
    name: str, url: str, folder: str, src: Path, block: str, seed: bool = True
) -> Server:
    env = server_env(url, folder)
    env["PYTHONPATH"] = str(src)
    if seed:
        prepare(env)
    blocked = [m for m in block.split(",") if m]
    # A module set to None in sys.modules cannot be imported: uvicorn's "auto" then picks
    # its pure-Python fallback (h11 for httptools, asyncio for uvloop).
    code = "".join(f"import sys; sys.modules[{m!r}] = None\n" for m in blocked)
    code += "from fazhi.cli import app; app()"
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    postmaster = None if url.startswith("sqlite") else postmaster_pid(url)
    return Server(name, url, proc, port, postmaster)


def ready(server: Server, requests: int) -> int:
    """Seed the orders, check the lists, warm up; the offset of the next request number."""
    wait_for(server.port, server.proc)
    client = Client(server.port)
    create_token = token_for(server.port, "operator1")
    headers = {"authorization": f"Bearer {create_token}", "content-type": "application/json"}
    for i in range(SEED_ORDERS):
        data = client.send("POST", "/api/v1/cases", order_body(10_000_000 + i), headers)
    case_id = int(json.loads(data)["id"])
    server.table = endpoints(server.port, case_id)
    server.client = client
    server.samples = {}
    check_rows(client, server.table)
    offset = 0
    for endpoint in server.table:  # warm-up: caches, first-use imports, templates
        measure(client, endpoint, max(20, requests // 10), server.proc.pid, None, offset)
        offset += requests
    return offset


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=500, help="per endpoint and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--database-url", default=None, help="default: a fresh SQLite file in a temporary folder"
    )
    parser.add_argument("--profile", default="", help="endpoint names, comma-separated")
    parser.add_argument("--profile-dir", default="bench-profiles")
    parser.add_argument("--profile-seconds", type=float, default=20)
    parser.add_argument("--baseline", default=None, help="another checkout: its src, measured too")
    parser.add_argument("--baseline-block", default="", help="modules the baseline cannot import")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="fazhi-cost-")
    url = args.database_url or f"sqlite:///{tmp}/cost.db"
    servers = [start_server("this", url, tmp, ROOT / "src", "")]
    try:
        if args.baseline:
            # On PostgreSQL both share the database (the organisation is loaded once; each
            # server seeds its own orders); on SQLite each has its file.
            base_url = url if args.database_url else f"sqlite:///{tmp}/baseline.db"
            base_src = Path(args.baseline).resolve() / "src"
            servers.append(
                start_server(
                    "baseline",
                    base_url,
                    tmp,
                    base_src,
                    args.baseline_block,
                    seed=not args.database_url,
                )
            )
        offset = 0
        for server in servers:
            offset = max(offset, ready(server, args.requests))
        for _ in range(args.rounds):
            for server in servers:  # alternating: both servers see the same neighbours
                assert server.table and server.client and server.samples is not None
                server.client.reconnect()
                for endpoint in server.table:
                    sample = measure(
                        server.client,
                        endpoint,
                        args.requests,
                        server.proc.pid,
                        server.postmaster,
                        offset,
                    )
                    server.samples.setdefault(endpoint.name, []).append(sample)
                    offset += args.requests
        main_server = servers[0]
        assert main_server.table and main_server.client
        chosen = [e for e in main_server.table if e.name in args.profile.split(",")]
        if chosen:
            main_server.client.reconnect()
            out_dir = Path(args.profile_dir)
            out_dir.mkdir(parents=True, exist_ok=True)
            for endpoint in chosen:
                profile(
                    main_server.client,
                    endpoint,
                    main_server.proc.pid,
                    out_dir / f"{endpoint.name}.txt",
                    args.profile_seconds,
                    offset,
                )
                offset += 100_000
    finally:
        for server in servers:
            server.proc.terminate()
            server.proc.wait(timeout=20)
    for server in servers:
        assert server.table and server.samples is not None
        if len(servers) > 1:
            print(f"\n[{server.name}: {server.url.split('?')[0]}]")
        report(server.url, args, server.table, server.samples, server.postmaster)
    if len(servers) > 1:
        compare(servers[0], servers[1])


def compare(after: Server, before: Server) -> None:
    """Each endpoint's total CPU here against the baseline's, the median of the rounds'
    ratios (round i of one server ran next to round i of the other)."""
    assert after.table and after.samples and before.samples
    print("\nthis / baseline (median of the rounds' ratios; < 1 is cheaper)")
    for endpoint in after.table:
        pairs = zip(after.samples[endpoint.name], before.samples[endpoint.name], strict=True)
        ratios = sorted(
            (a.server_ms + a.db_ms) / (b.server_ms + b.db_ms)
            for a, b in pairs
            if b.server_ms + b.db_ms
        )
        ratio = ratios[len(ratios) // 2] if ratios else float("nan")
        print(f"{endpoint.label:<34}{ratio:>8.2f}")


def report(
    url: str,
    args: argparse.Namespace,
    table: list[Endpoint],
    samples: dict[str, list[Sample]],
    postmaster: int | None,
) -> None:
    db = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    if db == "PostgreSQL" and postmaster is None:
        db += " (database server not found on this machine: its CPU is not counted)"

    def med(name: str) -> Sample:
        # The round whose total (server + database) is the median.
        rows = sorted(samples[name], key=lambda s: s.server_ms + s.db_ms)
        return rows[len(rows) // 2]

    print(
        f"Cost benchmark — {db}, 1 server process, {os.cpu_count()} cores, "
        f"{args.requests} sequential keep-alive requests × {args.rounds} rounds (median round)"
    )
    print(
        f"{'endpoint':<34}{'server ms':>10}{'db ms':>8}{'total ms':>10}{'wall ms':>9}"
        f"{'× bare':>8}{'target':>8}{'× target':>10}"
    )
    for endpoint in table:
        s = med(endpoint.name)
        total = s.server_ms + s.db_ms
        target = TARGETS.get(endpoint.target or "")
        target_text = f"{target:>8.1f}{total / target:>10.2f}" if target else f"{'':>8}{'':>10}"
        # Each round against the bare endpoint of the same round, then the median: the
        # machine's speed drifts between rounds (neighbours), less so within one.
        ratios = sorted(
            (x.server_ms + x.db_ms) / (b.server_ms + b.db_ms)
            for x, b in zip(samples[endpoint.name], samples["bare"], strict=True)
            if b.server_ms + b.db_ms
        )
        ratio = ratios[len(ratios) // 2] if ratios else float("nan")
        print(
            f"{endpoint.label:<34}{s.server_ms:>10.2f}{s.db_ms:>8.2f}{total:>10.2f}"
            f"{s.wall_ms:>9.2f}{ratio:>8.1f}{target_text}"
        )
    spread = {n: [round(x.server_ms + x.db_ms, 2) for x in v] for n, v in samples.items()}
    print(f"every round's total ms: {spread}")


if __name__ == "__main__":
    main()
