"""``library import-csv`` at the customer's scale: a million rows into a fresh library.

Writes an ``audio_features.csv`` of N rows (a name column and the 10 features, the
customer's shape: ~85 MB for a million rows) once, then times in this one process, as
medians of ``--repeats`` runs:

* ``read``: :func:`core.library.csv_format.read_library_csv` alone (the pandas C parser);
* ``import, row by row``: reading plus one ``LibraryDB.upsert`` (one commit) per row, the
  way ``import_csv`` stored rows before ``upsert_many`` (only with ``--row-by-row``: a
  million rows take about a minute);
* ``import, records``: reading plus one ``TrackRecord`` per row into ``LibraryDB.upsert_many``
  (one transaction), the way ``import_csv`` stored rows before the columnar path;
* ``import``: :func:`core.library.catalog.import_csv` (reading + ``LibraryDB.store_vectors``:
  the keys and the vectors' bytes as columns, one ``executemany``);
* ``import again``: the same file into the same library (every row an update).

Every import is checked: the library holds N tracks afterwards. Wall and CPU seconds are
printed: on a shared machine the CPU seconds are what a step costs.

Run: ``.venv/bin/python benchmarks/bench_import_csv.py [--rows 1000000] [--repeats 3] [--row-by-row]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.features import MUSIC
from core.library.catalog import csv_keys, import_csv
from core.library.csv_format import read_library_csv
from core.library.db import LibraryDB, TrackRecord


def write_table(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(0, 30, (rows, len(MUSIC)))
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(",".join(["name", *MUSIC.ids]) + "\n")
        step = 100_000
        for start in range(0, rows, step):
            block = values[start : start + step]
            stream.writelines(
                f"track_{i:07d}.mp3," + ",".join(f"{v:.4f}" for v in row) + "\n"
                for i, row in enumerate(block, start=start)
            )


def timed(func) -> tuple[float, float]:
    """Wall and CPU seconds of ``func()`` (CPU: this process, all threads; the machine may be shared)."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


def row_by_row(db: LibraryDB, path: Path) -> None:
    library = read_library_csv(path)
    for name, features in zip(library.names, library.features, strict=True):
        db.upsert(TrackRecord(path=name, source="csv", size=None, mtime_ns=None, content_hash=None, duration_s=None,
                              title="", artist="", album="", features=features, tempo_bpm=None, key=None,
                              beats=np.zeros(0), energy=np.zeros(0), sections=[], error=None))


def by_records(db: LibraryDB, path: Path) -> None:
    library = read_library_csv(path)
    keys = csv_keys(library.names, path.name, named=library.name_column is not None)
    db.upsert_many(
        TrackRecord(path=key, source="csv", size=None, mtime_ns=None, content_hash=None, duration_s=None,
                    title="", artist="", album="", features=features, tempo_bpm=None, key=None,
                    beats=np.zeros(0), energy=np.zeros(0), sections=[], error=None)
        for key, features in zip(keys, library.features, strict=True)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--row-by-row", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        table = Path(folder) / "audio_features.csv"
        write_table(table, args.rows)
        print(f"{args.rows} rows, {table.stat().st_size / 1e6:.0f} MB")
        steps = ("read", "import, records", "import", "import again")
        results: dict[str, list[tuple[float, float]]] = {step: [] for step in steps}
        if args.row_by_row:
            results["import, row by row"] = []
        for repeat in range(args.repeats):
            results["read"].append(timed(lambda: read_library_csv(table)))
            db_path = Path(folder) / f"lib{repeat}.sqlite"
            with LibraryDB(db_path) as db:
                results["import"].append(timed(lambda db=db: import_csv(db, table)))
                assert db.count() == args.rows
                results["import again"].append(timed(lambda db=db: import_csv(db, table)))
                assert db.count() == args.rows
            db_path.unlink()
            with LibraryDB(Path(folder) / f"records{repeat}.sqlite") as db:
                results["import, records"].append(timed(lambda db=db: by_records(db, table)))
                assert db.count() == args.rows
            (Path(folder) / f"records{repeat}.sqlite").unlink()
            if args.row_by_row and repeat == 0:
                with LibraryDB(Path(folder) / "slow.sqlite") as db:
                    results["import, row by row"].append(timed(lambda db=db: row_by_row(db, table)))
                    assert db.count() == args.rows
        print(f"{'':20s} {'wall s':>8s} {'CPU s':>8s}   CPU of each run")
        for name, times in results.items():
            wall = statistics.median(t[0] for t in times)
            cpu = statistics.median(t[1] for t in times)
            print(f"{name:20s} {wall:8.2f} {cpu:8.2f}   {', '.join(f'{t[1]:.2f}' for t in times)}")
        ratio = statistics.median(t[1] for t in results["import, records"]) / statistics.median(
            t[1] for t in results["import"])
        print(f"records / columnar import, CPU: {ratio:.1f}x")


if __name__ == "__main__":
    main()
