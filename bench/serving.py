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

ROOT = Path(__file__).resolve().parents[1]


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


# A hotline order's fields as a caller's phone call gives them (synthetic), for the benches
# that register orders; each adds its own `content`.
ORDER_FIELDS = {
    "request_kind": "complaint",
    "category": "CITY_APPEARANCE",
    "channel": "phone",
    "caller_name": "测试甲",
    "caller_phone": "17000001234",
    "address": "田心街道某社区（合成）",
    "longitude": 113.13,
    "latitude": 27.93,
}


def server_env(url: str, folder: str) -> dict[str, str]:
    """The environment of a `fazhi` subprocess on this database, with its secret and models
    in `folder` (never the working copy's var/)."""
    return dict(
        os.environ,
        PYTHONPATH=str(ROOT / "src"),
        FAZHI_DATABASE_URL=url,
        FAZHI_SECRET_FILE=f"{folder}/secret.key",
        FAZHI_MODELS_DIR=f"{folder}/models",
    )
