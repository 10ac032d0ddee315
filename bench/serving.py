"""What the benchmarks that start a real server share: a free port and waiting for it."""

from __future__ import annotations

import http.client
import socket
import subprocess
import time

# Importing the platform (scikit-learn, jieba) takes a while on a loaded machine.
START_SECONDS = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, proc: subprocess.Popen[bytes], seconds: float = START_SECONDS) -> None:
    """Return once /healthz answers 200; exit if the server dies or never comes up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("server exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("server did not start")
