"""What the benchmarks that start a real server share: a free port and waiting for it."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import time
from pathlib import Path

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


def cpu_seconds(pid: int, children: bool = False) -> float:
    """utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat); with `children`,
    also cutime + cstime (16, 17): the CPU of its children that have exited and been reaped."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")
