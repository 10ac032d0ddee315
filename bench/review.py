"""Machine case-file review benchmark: files reviewed per second, in process and through
`fazhi review` on a folder, against the cost of reading the manifests alone.

- parse + review of the 16 demo files (fazhi.enforcement.demo), repeated, CPU time per file;
- parse alone (the floor the rules stand on), and the ratio;
- `fazhi review FOLDER` on N copies of the demo files written to disk: wall time per file,
  start-up included.

Prints figures; never pass/fail.

    python bench/review.py [--rounds 200] [--copies 20]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from fazhi.domain.calendar import WorkCalendar  # noqa: E402
from fazhi.enforcement.demo.case_files import demo_files  # noqa: E402
from fazhi.enforcement.review.engine import review  # noqa: E402
from fazhi.enforcement.review.manifest import parse_manifest  # noqa: E402
from fazhi.enforcement.review.registry import RULES  # noqa: E402
from fazhi.enforcement.review.standard_file import default_standard  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    manifests = [m for m, _ in demo_files().values()]
    standard, calendar = default_standard(), WorkCalendar()
    n = len(manifests) * args.rounds

    start = time.process_time()
    for _ in range(args.rounds):
        for m in manifests:
            parse_manifest(m)
    parse_cpu = (time.process_time() - start) / n

    start = time.process_time()
    findings = 0
    for _ in range(args.rounds):
        for m in manifests:
            findings += len(review(parse_manifest(m), standard, calendar).findings)
    review_cpu = (time.process_time() - start) / n

    with tempfile.TemporaryDirectory() as tmp:
        for copy in range(args.copies):
            for name, (manifest, _planted) in demo_files(seed=copy).items():
                folder = Path(tmp) / f"{copy:03d}-{name}"
                folder.mkdir()
                (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))
        files = len(manifests) * args.copies
        command = str(Path(sys.executable).with_name("fazhi"))
        start = time.perf_counter()
        done = subprocess.run([command, "review", tmp], capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        lines = len(done.stdout.splitlines())
        start = time.perf_counter()
        subprocess.run([command, "--help"], capture_output=True, check=False)
        startup = time.perf_counter() - start

    print(f"Case-file review benchmark — {len(manifests)} demo files × {args.rounds} rounds")
    print(
        f"parse only            {parse_cpu * 1e6:8.1f} µs CPU/file  ({1 / parse_cpu:,.0f} files/s)"
    )
    print(
        f"parse + {len(RULES)} rules      {review_cpu * 1e6:8.1f} µs CPU/file  "
        f"({1 / review_cpu:,.0f} files/s)"
    )
    print(
        f"ratio review / parse: {review_cpu / parse_cpu:.1f}   "
        f"findings per round: {findings // args.rounds}"
    )
    print(
        f"fazhi review on one folder of {files} files: {wall:.2f} s wall, {lines} lines printed; "
        f"start-up alone {startup:.2f} s"
    )
    print(f"  → {files / max(wall - startup, 1e-9):,.0f} files/s after start-up")


if __name__ == "__main__":
    main()
