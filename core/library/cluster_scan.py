"""A library scan whose analysis runs as Ray tasks over a cluster (``library add --ray``).

The same scan as :func:`core.library.scanner.scan_folders`, with the work spread out:

* this process plans the scan exactly as a local one (:func:`~core.library.scanner.plan_scan`:
  only new or changed files, by size and modification time) and stays the single
  database writer;
* the files go out as Ray tasks of several files each; every worker runs the scanner's
  own per-file step (:func:`~core.library.scanner.analyse_track`), so a track's vector
  is the one a local scan computes, bit for bit;
* each finished task's rows are written in one transaction as it arrives, so a driver
  killed mid-scan loses only the tasks in flight and the next scan carries on;
* a file whose size or path changed but whose bytes did not (touched, renamed, moved
  within the scanned folders, or found again after a catalogue import) is recognised by
  content hash and keeps its analysis instead of being decoded again;
* failures: see :func:`core.library.cluster.run_batches` (Ray retries a dead task once;
  a file that kills its worker twice is recorded as skipped with the reason).
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from pathlib import Path

from core.fileio import content_hash
from core.jobs import CancelToken, ProgressFn, report
from core.library.cluster import ClusterSession, analysis_fingerprint, run_batches
from core.library.db import LibraryDB, TrackRecord
from core.library.scanner import ScanReport, analyse_track, check_folders, failed_track, plan_scan

__all__ = ["MAX_BATCH", "auto_batch_size", "scan_folders_ray"]

MAX_BATCH = 16
"""Most files per Ray task: about 8 s of work for 3-minute tracks, against a few ms of scheduling."""

Analyse = Callable[[str, int, int], TrackRecord]


def auto_batch_size(files: int, cpus: int) -> int:
    """Files per task: at least 4 tasks per CPU for an even finish, at most :data:`MAX_BATCH`.

    Scheduling a task costs a few milliseconds (docs/scale.md) against about half a second
    to analyse a 3-minute track, so even one file per task stays under the 5 % overhead
    budget; batching matters for short files and keeps the writer's commits few.
    """
    return max(1, min(MAX_BATCH, files // max(1, 4 * cpus)))


def _analyse_batch(batch: list[tuple[str, int, int, tuple[str, ...]]], analyse: Analyse) -> tuple[str, list]:
    """Run on a worker: analyse each file, or name its hash when it matches a track already analysed.

    ``batch`` items are ``(path, size, mtime_ns, candidate_hashes)``; the candidates are the
    hashes of analysed rows of the same size, so only files that may be copies are hashed
    twice (the analysis hashes every file again anyway).
    """
    outcomes: list[tuple[str, object]] = []
    for path, size, mtime_ns, candidates in batch:
        if candidates:
            try:
                digest = content_hash(path)
            except OSError:
                digest = None
            if digest in candidates:
                outcomes.append(("same", digest))
                continue
        outcomes.append(("record", analyse(path, size, mtime_ns)))
    return analysis_fingerprint(), outcomes


def scan_folders_ray(
    db: LibraryDB,
    folders: list[str | os.PathLike[str]],
    *,
    session: ClusterSession,
    batch_size: int | None = None,
    max_in_flight: int | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    analyse: Analyse = analyse_track,
) -> ScanReport:
    """Add the music files under ``folders`` to ``db``, analysing new or changed files on the cluster.

    Parameters
    ----------
    session : ClusterSession
        From :func:`core.library.cluster.connect`; call
        :func:`~core.library.cluster.check_workers` with the folders first.
    batch_size : int, optional
        Files per Ray task (default :func:`auto_batch_size`).
    analyse : callable
        The per-file step run on the workers (the scanner's; tests pass one that crashes).

    Raises
    ------
    LibraryError
        A folder does not exist.
    Cancelled
        ``cancel`` was set; every finished task's rows are kept.
    ClusterError
        The cluster went away or a worker runs other analysis code; what was stored is kept.
    """
    started = time.perf_counter()
    check_folders(folders)
    result, todo = plan_scan(db, folders, progress=progress, remove_vanished=False)
    by_hash: dict[str, str] = {}
    sizes: dict[int, set[str]] = {}
    if todo:
        wanted = {size for _, size, _ in todo}
        for path, size, digest in db.analysed_files():
            if size in wanted:
                by_hash.setdefault(digest, path)
                sizes.setdefault(size, set()).add(digest)
    items = [(path, size, mtime_ns, tuple(sorted(sizes.get(size, ())))) for path, size, mtime_ns in todo]
    total = len(items)
    done = 0
    taken_over: set[str] = set()
    redo: list[tuple[str, int, int, tuple[str, ...]]] = []

    def store(batch: list, outcomes: list) -> None:
        nonlocal done
        records: list[TrackRecord] = []
        for (path, size, mtime_ns, _), (kind, value) in zip(batch, outcomes, strict=True):
            if kind == "same":
                source = db.record(by_hash[value])
                if source is None or source.features is None:  # its row went away meanwhile
                    redo.append((path, size, mtime_ns, ()))
                    continue
                if source.source != "scan" or source.path in result.vanished:
                    taken_over.add(source.path)
                records.append(dataclasses.replace(source, path=path, source="scan", size=size, mtime_ns=mtime_ns))
                result.reused += 1
            else:
                records.append(value)
                if value.error is None:
                    result.analysed += 1
                else:
                    result.skipped.append((path, value.error))
        db.upsert_many(records)
        done += len(records)
        name = Path(batch[-1][0]).name
        report(progress, done / max(total, 1), f"Analysed {done} of {total} on the cluster: {name}")

    def lost(item: tuple, reason: str) -> None:
        nonlocal done
        path, size, mtime_ns, _ = item
        db.upsert(failed_track(path, size, mtime_ns, reason))
        result.skipped.append((path, reason))
        done += 1

    size = batch_size or auto_batch_size(total, session.cpus())
    for work in (items, redo):
        if work:
            run_batches(session, _analyse_batch, list(work), batch_size=size, store=store, lost=lost,
                        extra_args=(analyse,), max_in_flight=max_in_flight, cancel=cancel)
    # Rows of files that moved were kept until now so their analysis could follow them.
    gone = sorted(set(result.vanished) | {p for p in taken_over if (r := db.record(p)) and r.source != "scan"})
    if gone:
        result.removed = db.remove(gone)
    summary = (f"{result.analysed} analysed, {result.reused} recognised by content, {result.unchanged} unchanged, "
               f"{len(result.skipped)} skipped")
    report(progress, 1.0, summary)
    result.seconds = time.perf_counter() - started
    return result
