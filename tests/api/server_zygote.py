"""A parent for `fazhi serve` children: it imports the platform once, then forks a fresh
server process per line "PORT DATABASE_URL" read from stdin and answers the child's pid.
Importing the platform takes seconds (scikit-learn for dispatch suggestions); a forked child
starts from the imported code but opens the database itself, so a restart after SIGKILL is
real.

Run as a script by tests/api/test_crash.py; children are reaped automatically."""

from __future__ import annotations

import os
import signal
import sys

from fazhi.cli import app

if __name__ == "__main__":
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps killed children
    for line in sys.stdin:
        port, url = line.split()
        pid = os.fork()
        if pid == 0:
            os.environ["FAZHI_DATABASE_URL"] = url
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.dup2(2, 1)  # the child's output goes to the log; stdout answers pids only
            try:
                app(["serve", "--port", port], standalone_mode=False)
            finally:
                os._exit(0)
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()
