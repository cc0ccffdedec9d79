"""Desktop app start-up: seconds from process start until the main window is shown.

Runs ``musicmatch gui --startup-probe`` (builds and shows the window, then quits at once)
offscreen, five times, and reports the median. The recommender (torch) loads in a job
after the window shows, so it is not part of this time. Goal: <= 2 s.

Run: ``.venv/bin/python benchmarks/bench_gui.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.library.db import LibraryDB  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "empty.sqlite"
        LibraryDB(db).close()
        command = [sys.executable, "-m", "musicmatch_gui.cli", "gui", "--startup-probe", "--db", str(db)]
        subprocess.run(command, env=env, capture_output=True, check=True)  # warm the file cache
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
    print(f"window shown {statistics.median(times):.2f} s after process start (median of {args.runs}; "
          f"min {min(times):.2f}, max {max(times):.2f}; goal <= 2 s)")


if __name__ == "__main__":
    main()
