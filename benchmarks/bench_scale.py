"""Studio scale: what a distributed scan costs, and where a million-track catalogue would stop scaling.

Measured in this one process, medians of repeated runs (docs/scale.md explains the model):

* ``analysis``: seconds to analyse one 3-minute track on one core (the unit of all work);
* ``scan``: files a second for a local scan (1 and 2 processes) and a Ray scan (a local Ray
  with 1 and 2 CPUs) of the same folder, and the Ray/local ratio at the same worker count;
* ``tasks``: Ray's cost per task: empty tasks, and tasks returning 16 library rows;
* ``writer``: rows a second the single SQLite writer stores: a commit per row
  (``upsert``) against a commit per batch (``upsert_many``), 3-minute-track rows;
* ``catalogue``: Parquet export and import rows a second and bytes per track;

then prints the estimate for a catalogue of ``--tracks`` tracks on N nodes.

Run: ``.venv/bin/python benchmarks/bench_scale.py [--only scan,writer] [--files 12] [--repeats 3]``
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

from core.audio.synth import LoopSpec, drum_chord_loop
from core.library.db import LibraryDB, TrackRecord
from tests.core.audio_files import write_audio

SECTIONS = ("analysis", "scan", "tasks", "writer", "catalogue")


def median_of(repeats: int, run) -> float:
    return statistics.median(run() for _ in range(repeats))


def track_row(i: int, rng: np.random.Generator) -> TrackRecord:
    """A library row the size of a 3-minute track's: 360 beats, 360 energy values, 6 sections."""
    return TrackRecord(
        path=f"/studio/archive/{i // 1000:04d}/{i:07d}.mp3", source="scan", size=7_000_000 + i, mtime_ns=i,
        content_hash=f"{i:032x}", duration_s=180.0, title=f"Track {i}", artist="Artist", album="Album",
        features=rng.normal(size=10) * 10, tempo_bpm=120.0, key="A minor",
        beats=np.arange(360, dtype=np.float64) * 0.5, energy=rng.normal(-20, 5, 360).astype(np.float32),
        sections=[0.0, 30.0, 60.0, 90.0, 120.0, 150.0], error=None,
    )


def bench_analysis(repeats: int, folder: Path) -> float:
    from core.library.scanner import analyse_track

    track = write_audio(folder / "three-minutes.flac",
                        drum_chord_loop(LoopSpec(seconds=180, tempo_bpm=112), seed=3), 22_050)
    stat = track.stat()
    analyse_track(str(track), stat.st_size, stat.st_mtime_ns)  # imports, caches
    seconds = median_of(repeats, lambda: _timed(lambda: analyse_track(str(track), stat.st_size, stat.st_mtime_ns)))
    print(f"analysis: {seconds:.2f} s per 3-minute track on one core ({180 / seconds:.0f}x real time)")
    return seconds


def _timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def bench_scan(repeats: int, files: int, folder: Path) -> dict:
    from core.library.cluster import connect
    from core.library.cluster_scan import scan_folders_ray
    from core.library.scanner import scan_folders

    music = folder / "music"
    music.mkdir()
    for i in range(files):
        write_audio(music / f"t{i:02d}.flac", drum_chord_loop(LoopSpec(seconds=60, tempo_bpm=80 + 5 * i), seed=i),
                    22_050)

    def one(scan) -> float:
        with tempfile.TemporaryDirectory(dir=folder) as scratch, LibraryDB(Path(scratch) / "lib.sqlite") as db:
            start = time.perf_counter()
            result = scan(db)
            assert result.analysed == files, result
            return time.perf_counter() - start

    rates = {}
    for jobs in (1, 2):
        seconds = median_of(repeats, lambda jobs=jobs: one(lambda db: scan_folders(db, [music], jobs=jobs)))
        rates[f"local {jobs}"] = files / seconds
    for cpus in (1, 2):
        started = time.perf_counter()
        with connect(None, cpus=cpus) as session:
            startup = time.perf_counter() - started
            one(lambda db, session=session: scan_folders_ray(db, [music], session=session))  # warm the workers
            seconds = median_of(repeats, lambda session=session: one(
                lambda db: scan_folders_ray(db, [music], session=session)))
        rates[f"ray {cpus}"] = files / seconds
        print(f"Ray start-up with {cpus} CPU(s): {startup:.1f} s (once per scan; not in the rates below)")
    print(f"scan of {files} one-minute FLAC files, files per second (median of {repeats}):")
    for name, rate in rates.items():
        print(f"  {name:8s} {rate:6.2f} files/s  ({rate * 60:6.0f} s of audio per s)")
    for n in (1, 2):
        print(f"  Ray / local with {n} worker(s): {rates[f'ray {n}'] / rates[f'local {n}']:.2f}x the throughput")
    print(f"  2 workers / 1 worker: local {rates['local 2'] / rates['local 1']:.2f}x, "
          f"Ray {rates['ray 2'] / rates['ray 1']:.2f}x (this machine has 2 cores, shared)")
    return rates


def _noop(items):
    return items


def _rows(count: int):
    rng = np.random.default_rng(0)
    return [track_row(i, rng) for i in range(count)]


def bench_tasks(repeats: int) -> dict:
    from core.library.cluster import connect

    results = {}
    with connect(None, cpus=2) as session:
        ray = session.ray
        noop = ray.remote(_noop)
        rows = ray.remote(_rows)
        ray.get([noop.remote(i) for i in range(200)])  # start the workers
        for name, make, count in (("empty task", lambda i: noop.remote(i), 2000),
                                  ("task returning 16 rows", lambda i: rows.remote(16), 500)):
            seconds = median_of(repeats, lambda make=make, count=count: _timed(
                lambda: ray.get([make(i) for i in range(count)])))
            results[name] = seconds / count
            print(f"Ray, 2 CPUs: {name:24s} {seconds / count * 1e3:6.2f} ms per task ({count} tasks)")
    return results


def bench_writer(repeats: int, folder: Path) -> dict:
    rng = np.random.default_rng(1)
    rows = [track_row(i, rng) for i in range(4000)]
    rates = {}
    for name, size, count in (("commit per row", 1, 1500), ("commit per 16 rows", 16, 4000),
                              ("commit per 1000 rows", 1000, 4000)):
        def run(size=size, count=count) -> float:
            with tempfile.TemporaryDirectory(dir=folder) as scratch, LibraryDB(Path(scratch) / "w.sqlite") as db:
                start = time.perf_counter()
                for first in range(0, count, size):
                    chunk = rows[first:first + size]
                    if size == 1:
                        db.upsert(chunk[0])
                    else:
                        db.upsert_many(chunk)
                return count / (time.perf_counter() - start)

        rates[name] = median_of(repeats, run)
        print(f"SQLite single writer, {name:20s} {rates[name]:8.0f} rows/s")
    return rates


def bench_catalogue(repeats: int, folder: Path) -> dict:
    from core.library.parquet_catalogue import export_catalogue, import_catalogue

    count = 20_000
    rng = np.random.default_rng(2)
    source = LibraryDB(folder / "catalogue-source.sqlite")
    source.upsert_many([track_row(i, rng) for i in range(count)])
    out = folder / "team.parquet"
    export_rate = median_of(repeats, lambda: count / _timed(lambda: export_catalogue(source, out)))

    def imported() -> float:
        with tempfile.TemporaryDirectory(dir=folder) as scratch, LibraryDB(Path(scratch) / "i.sqlite") as db:
            return count / _timed(lambda: import_catalogue(db, out))

    import_rate = median_of(repeats, imported)
    per_track = out.stat().st_size / count
    source.close()
    print(f"catalogue of {count} 3-minute-track rows: export {export_rate:.0f} rows/s, "
          f"import {import_rate:.0f} rows/s, {per_track / 1e3:.1f} kB per track")
    return {"export": export_rate, "import": import_rate, "bytes": per_track}


def estimate(tracks: int, analysis_s: float, writer_rows_s: float, ray_efficiency: float, *, cores: int,
             track_mb: float, storage_gb_s: float, node_hour: float) -> None:
    print(f"\nEstimate for {tracks:,} three-minute tracks; nodes of {cores} cores at {analysis_s:.2f} s per track per "
          f"core (this machine), Ray efficiency {ray_efficiency:.2f}, {track_mb:g} MB per track, shared storage "
          f"{storage_gb_s:g} GB/s, {node_hour:g} per node-hour:")
    storage_rate = storage_gb_s * 1e3 / track_mb
    print(f"  ceilings: writer {writer_rows_s:,.0f} tracks/s, storage {storage_rate:,.0f} tracks/s")
    print("  nodes   compute tracks/s   limit      hours   node-hours   cost")
    for nodes in (1, 4, 16, 64, 256):
        compute = nodes * cores * ray_efficiency / analysis_s
        rate = min(compute, writer_rows_s, storage_rate)
        limit = "compute" if rate == compute else ("writer" if rate == writer_rows_s else "storage")
        hours = tracks / rate / 3600
        print(f"  {nodes:5d}   {compute:14,.0f}   {limit:8s} {hours:8.2f}   {hours * nodes:10.0f}   "
              f"{hours * nodes * node_hour:6.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {SECTIONS}")
    parser.add_argument("--files", type=int, default=12, help="one-minute files in the scan benchmark")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tracks", type=int, default=1_000_000)
    parser.add_argument("--cores", type=int, default=32, help="cores per node in the estimate")
    parser.add_argument("--track-mb", type=float, default=7.0, help="average file size (320 kbit/s MP3: 7 MB)")
    parser.add_argument("--storage-gb-s", type=float, default=1.25, help="shared storage read bandwidth (10 GbE)")
    parser.add_argument("--node-hour", type=float, default=1.5, help="price of a node-hour, any currency")
    args = parser.parse_args()
    only = set(args.only.split(","))
    print("This machine: 2 cores shared with other jobs while measuring; ratios within one run are the figures.")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        folder = Path(scratch)
        analysis_s = bench_analysis(args.repeats, folder) if "analysis" in only else 0.5
        rates = bench_scan(args.repeats, args.files, folder) if "scan" in only else {}
        if "tasks" in only:
            bench_tasks(args.repeats)
        writer = bench_writer(args.repeats, folder) if "writer" in only else {"commit per 16 rows": 2000.0}
        if "catalogue" in only:
            bench_catalogue(args.repeats, folder)
    efficiency = rates["ray 2"] / rates["local 2"] if rates else 0.95
    estimate(args.tracks, analysis_s, writer["commit per 16 rows"], min(1.0, efficiency), cores=args.cores,
             track_mb=args.track_mb, storage_gb_s=args.storage_gb_s, node_hour=args.node_hour)


if __name__ == "__main__":
    main()
