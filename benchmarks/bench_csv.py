"""The customer's ``audio_features.csv`` at a million rows: read time, memory and import time.

Generates a library CSV in the customer's format (a name column with a file path, the
seed's column names, 4-decimal values) and measures, in child processes so that each
peak-memory figure is that command's own:

* ``read``: :func:`core.library.read_library_csv` (Arrow's multi-threaded parser for a
  clean file), wall and CPU seconds, and the peak resident memory it added, as a multiple
  of the file's size;
* ``pandas``: the same with Arrow left out (what a machine without pyarrow runs: pandas'
  C parser);
* ``careful``: the same file through the cell-by-cell reader that names the line and
  column of a bad cell (what every file took before), for the ratio;
* ``match``: ``musicmatch match --audio-csv FILE`` end to end (read, index, top-5);
* ``import``: ``musicmatch library import-csv FILE`` into a new database.

CPU seconds are printed beside wall seconds because this machine is often shared: the
CPU time of a single-threaded step is what it costs, the wall time what it took today.

Run: ``.venv/bin/python benchmarks/bench_csv.py [--rows 1000000] [--repeats 3] [--steps read,pandas,match]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.features import MUSIC  # noqa: E402

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
def usage():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime, r.ru_maxrss * 1024
import numpy, pandas  # imported before the baseline: their code is not the reader's data
from core.library import csv_format
from core.cli.main import main
from core.library.db import LibraryDB
cpu0, rss0 = usage()
wall0 = time.perf_counter()
{body}
wall = time.perf_counter() - wall0
cpu1, rss1 = usage()
print(json.dumps({{"wall": wall, "cpu": cpu1 - cpu0, "added_rss": rss1 - rss0, "peak_rss": rss1}}))
"""

_BODIES = {
    "read": "lib = csv_format.read_library_csv({csv!r}); assert len(lib) == {rows}",
    "pandas": (
        "csv_format._arrow_parse = lambda data, layout: None\n"
        "lib = csv_format.read_library_csv({csv!r}); assert len(lib) == {rows}"
    ),
    "careful": (
        "csv_format._fast_parse = lambda data, layout: None\n"
        "lib = csv_format.read_library_csv({csv!r}); assert len(lib) == {rows}"
    ),
    "match": (
        "import io, contextlib\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['match', '--audio-csv', {csv!r}, '--pred-feat', {target!r}]) == 0"
    ),
    "import": (
        "import io, contextlib\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['library', 'import-csv', {csv!r}, '--db', {db!r}]) == 0"
    ),
}


def make_csv(path: Path, rows: int) -> None:
    """A customer-style library: paths, the seed's headers, values rounded to 4 decimals."""
    rng = np.random.default_rng(0)
    low = np.array([d.low for d in MUSIC])
    high = np.array([d.high for d in MUSIC])
    values = np.round(low + (high - low) * rng.beta(2, 2, size=(rows, len(MUSIC))), 4)
    header = ",".join(["name"] + [d.seed_name or d.id for d in MUSIC])
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(header + "\n")
        for start in range(0, rows, 100_000):
            block = values[start:start + 100_000]
            lines = [
                f"/music/library/artist_{(start + i) % 5000}/track_{start + i:07d}.wav," + ",".join(map(repr, row))
                for i, row in enumerate(block.tolist())
            ]
            stream.write("\n".join(lines) + "\n")


def run(kind: str, csv: Path, rows: int, db: Path) -> dict:
    target = ",".join(str(round((d.low + d.high) / 2, 2)) for d in MUSIC)
    body = _BODIES[kind].format(csv=str(csv), rows=rows, target=target, db=str(db))
    code = _CHILD.format(root=str(ROOT), body=body)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", default="read,pandas,careful,match,import",
                        help="comma-separated subset of read,pandas,careful,match,import")
    args = parser.parse_args()
    steps = [step for step in args.steps.split(",") if step in _BODIES]
    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "audio_features.csv"
        make_csv(csv, args.rows)
        size = csv.stat().st_size
        print(f"{args.rows:,} rows, {size / 1e6:.1f} MB")
        print(f"{'step':10s} {'wall s':>8s} {'CPU s':>8s} {'added memory':>14s} {'x file size':>12s}")
        results = {}
        for kind in steps:
            repeats = args.repeats if kind in ("read", "pandas", "match") else 1
            runs = []
            for repeat in range(repeats):
                db = Path(folder) / f"lib{kind}{repeat}.sqlite"
                runs.append(run(kind, csv, args.rows, db))
            wall = statistics.median(r["wall"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            added = max(r["added_rss"] for r in runs)
            results[kind] = cpu
            print(f"{kind:10s} {wall:8.2f} {cpu:8.2f} {added / 1e6:11.0f} MB {added / size:12.2f}")
        if "careful" in results and "read" in results:
            print(f"careful / fast reader, CPU: {results['careful'] / results['read']:.1f}x")


if __name__ == "__main__":
    main()
