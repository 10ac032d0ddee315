"""`fazhi serve --workers N`: several server processes answering on one port.

The supervisor binds the listening socket once and forks N workers; each runs its own
event loop (uvicorn) and its own platform (database pool, caches) on that socket, and the
kernel hands each new connection to one of them. A worker that dies is started again; on
SIGTERM or SIGINT the supervisor asks every worker to finish its requests and stop.

Why not `uvicorn --workers`: uvicorn binds its shared socket as `socket.socket(family)`,
whose `proto` is 0, and asyncio sets TCP_NODELAY only on sockets whose proto is
IPPROTO_TCP — so each keep-alive response waited for the client's delayed ACK (Nagle), about
40 ms per request. The socket here is made with IPPROTO_TCP, so every accepted connection
gets TCP_NODELAY (asyncio's transport sets it), and the option is set on the listener too.

Forking after the platform's modules are imported (scikit-learn, jieba: seconds) shares
their memory between workers and starts each in well under a second. Nothing that holds a
connection or a thread is made before the fork: each worker builds its platform itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from fazhi.http.metrics import MULTIPROC_VARIABLE

# A worker that dies this soon after starting is not restarted at once (a broken
# deployment would otherwise fork in a tight loop).
RESTART_PAUSE = 1.0


def listening_socket(host: str, port: int, backlog: int = 2048) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def run_worker(sock: socket.socket, make_app: Callable[[], Any]) -> None:
    """One server process on the shared socket (uvicorn handles SIGTERM/SIGINT itself)."""
    import uvicorn

    config = uvicorn.Config(make_app(), log_level="warning", timeout_graceful_shutdown=20)
    uvicorn.Server(config).run(sockets=[sock])


class Supervisor:
    def __init__(self, sock: socket.socket, workers: int, make_app: Callable[[], Any]) -> None:
        self.sock = sock
        self.workers = workers
        self.make_app = make_app
        self.children: dict[int, float] = {}  # pid → when it was started
        self.stopping = False

    def _fork(self) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            code = 0
            try:
                run_worker(self.sock, self.make_app)
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            os._exit(code)
        self.children[pid] = time.monotonic()

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping = True
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for _ in range(self.workers):
            self._fork()
        while self.children:
            try:
                pid, _status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            started = self.children.pop(pid, None)
            if started is None:
                continue
            _forget_worker_metrics(pid)
            if not self.stopping:
                if time.monotonic() - started < RESTART_PAUSE:
                    time.sleep(RESTART_PAUSE)
                if not self.stopping:
                    self._fork()
        return 0


def _forget_worker_metrics(pid: int) -> None:
    if os.environ.get(MULTIPROC_VARIABLE):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def serve_processes(host: str, port: int, workers: int, make_app: Callable[[], Any]) -> int:
    """Serve on host:port with `workers` processes (1: this process itself)."""
    sock = listening_socket(host, port)
    own_dir = None
    given = os.environ.get(MULTIPROC_VARIABLE)
    if given:
        # A folder the deployment chose: the last run's files would be summed with ours.
        for stale in Path(given).glob("*.db"):
            stale.unlink(missing_ok=True)
    else:
        # The workers' metric files (http.metrics); fresh for each start, removed at exit.
        own_dir = tempfile.mkdtemp(prefix="fazhi-metrics-")
        os.environ[MULTIPROC_VARIABLE] = own_dir
    try:
        if workers == 1:
            run_worker(sock, make_app)
            return 0
        return Supervisor(sock, workers, make_app).run()
    finally:
        sock.close()
        if own_dir is not None:
            shutil.rmtree(own_dir, ignore_errors=True)
