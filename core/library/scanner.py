"""Scan music folders into the library: only new or changed files, in parallel, resumable.

A scan walks the folders, compares each file's size and modification time with its row,
and analyses only files that are new or changed, or were analysed by another version of
the analysis (:data:`~core.audio.analysis.ANALYSIS_VERSION`, stamped on every row), in
worker processes. Each result is
committed as it arrives, so a scan that is killed loses at most the files in flight and
the next scan carries on where it stopped. Files that cannot be decoded are recorded
with the reason and not retried until they change; so are files that kill their worker
process or run past their time limit (:mod:`core.library.scan_pool`).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from core.audio.analysis import ANALYSIS_VERSION, analyze_file
from core.audio.decode import read_tags
from core.errors import LibraryError, MediaError
from core.fileio import content_hash
from core.jobs import CancelToken, ProgressFn, report
from core.library.db import LibraryDB, TrackRecord
from core.library.scan_pool import FileLimits, run_isolated

__all__ = ["SCAN_EXTENSIONS", "FileLimits", "ScanReport", "analyse_track", "check_folders", "content_hash",
           "failed_track", "not_a_folder", "plan_scan", "prune_missing", "scan_folders"]

SCAN_EXTENSIONS = frozenset(
    {".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac", ".mp3", ".ogg", ".oga", ".opus", ".m4a", ".aac",
     ".alac", ".wma", ".caf", ".w64"}
)
"""Extensions treated as music when scanning folders (video containers are left out)."""


@dataclass
class ScanReport:
    """What a scan did."""

    found: int = 0
    """Music files found in the folders."""
    analysed: int = 0
    """New or changed files analysed successfully."""
    unchanged: int = 0
    """Files already in the library with the same size and modification time."""
    reanalysed: int = 0
    """Unchanged files analysed again because the analysis version changed (counted in ``analysed`` too)."""
    restamped: set[str] = field(default_factory=set)
    """Unchanged files planned for analysis again because their rows came from another analysis version."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """``(path, reason)`` of files that could not be analysed (now or before, unchanged since)."""
    removed: int = 0
    """Rows removed because their files vanished from a scanned folder."""
    reused: int = 0
    """Files recognised by content hash (moved, renamed or touched) that kept an existing analysis."""
    vanished: list[str] = field(default_factory=list)
    """Rows whose files vanished from a scanned folder (removed unless the plan was told to wait)."""
    seconds: float = 0.0


def _walk(folder: Path) -> list[tuple[str, int, int]]:
    """(path, size, mtime_ns) of every music file under ``folder``; hidden folders are skipped."""
    found = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif Path(entry.name).suffix.lower() in SCAN_EXTENSIONS and entry.is_file():
                    stat = entry.stat()
                    found.append((os.path.abspath(entry.path), stat.st_size, stat.st_mtime_ns))
            except OSError:
                continue
    found.sort()
    return found


def _analyse(path: str, size: int, mtime_ns: int) -> TrackRecord:
    """Analyse one file into a record (run in a worker process). Never raises for bad media."""
    try:
        digest = content_hash(path)
    except OSError as exc:
        return _failed(path, size, mtime_ns, f"cannot read the file ({exc.strerror or exc})")
    try:
        analysis = analyze_file(path)
    except MediaError as exc:
        return _failed(path, size, mtime_ns, str(exc).replace(f"{path}: ", ""), digest)
    except Exception as exc:  # a bug on one odd file must not stop a scan of thousands
        return _failed(path, size, mtime_ns, f"analysis failed ({type(exc).__name__}: {exc})", digest)
    tags = read_tags(path)
    return TrackRecord(
        path=path, source="scan", size=size, mtime_ns=mtime_ns, content_hash=digest,
        duration_s=analysis.duration_s, title=tags.title, artist=tags.artist, album=tags.album,
        features=analysis.features.to_array(), tempo_bpm=analysis.tempo_bpm, key=analysis.key or None,
        beats=analysis.beat_times, energy=analysis.energy_curve,
        sections=[float(s) for s in analysis.sections], error=None,
        downbeats=analysis.downbeats, phrases=analysis.phrases, edit_points=analysis.edit_points,
        analysis_version=ANALYSIS_VERSION, tempo_confidence=analysis.tempo_confidence, silent=analysis.silent,
    )


def analyse_track(path: str, size: int, mtime_ns: int) -> TrackRecord:
    """Analyse one music file into a library row: the scan's per-file step (also run on Ray workers).

    Never raises for bad media: a file that cannot be read or decoded gives a row with
    ``error`` set to the reason.
    """
    return _analyse(path, size, mtime_ns)


def failed_track(path: str, size: int, mtime_ns: int, reason: str, digest: str | None = None) -> TrackRecord:
    """The library row of a file that could not be analysed, with ``reason``."""
    return _failed(path, size, mtime_ns, reason, digest)


def _failed(path: str, size: int, mtime_ns: int, reason: str, digest: str | None = None) -> TrackRecord:
    return TrackRecord(
        path=path, source="scan", size=size, mtime_ns=mtime_ns, content_hash=digest, duration_s=None,
        title="", artist="", album="", features=None, tempo_bpm=None, key=None, beats=[], energy=[],
        sections=[], error=reason, analysis_version=ANALYSIS_VERSION,
    )



def check_folders(folders) -> list[Path]:
    """The folders, resolved; :class:`LibraryError` for one that is not a folder (before anything starts)."""
    roots = []
    for folder in folders:
        root = Path(folder).expanduser()
        if not root.is_dir():
            raise LibraryError(not_a_folder(folder))
        roots.append(root.resolve())
    return roots


def not_a_folder(folder) -> str:
    """The one-line reason a path given as a music folder is not one (a file, or nothing there)."""
    path = Path(folder).expanduser()
    if path.is_file():
        return f"{folder}: is a file, not a folder (library add takes folders: add the folder that holds it)"
    return f"{folder}: no such folder"

def plan_scan(
    db: LibraryDB,
    folders: list[str | os.PathLike[str]],
    *,
    progress: ProgressFn | None = None,
    remove_vanished: bool = True,
) -> tuple[ScanReport, list[tuple[str, int, int]]]:
    """Walk ``folders`` and decide what a scan must analyse (shared by local and Ray scans).

    Registers the folders, removes the rows of files that vanished from them (unless
    ``remove_vanished`` is false: a scan that relinks moved files by content hash removes
    them after it has looked for their new paths), and counts unchanged and known-bad
    files in the returned report.

    Returns
    -------
    report : ScanReport
        ``found``, ``unchanged``, ``skipped`` (known-bad, unchanged) and ``removed`` filled in.
    todo : list of (path, size, mtime_ns)
        New or changed files, in path order.

    Raises
    ------
    LibraryError
        A folder does not exist (checked before anything is written).
    """
    roots = check_folders(folders)
    report(progress, 0.0, "Looking for music files")
    states = db.file_states()
    stale = db.stale(ANALYSIS_VERSION)
    result = ScanReport()
    restamped: set[str] = set()
    todo: list[tuple[str, int, int]] = []
    seen: set[str] = set()
    for root in roots:
        db.add_folder(str(root))
        for path, size, mtime_ns in _walk(root):
            if path in seen:
                continue
            seen.add(path)
            result.found += 1
            state = states.get(path)
            if state is not None and state[0] == size and state[1] == mtime_ns:
                if path in stale:
                    # Same file, older analysis: analyse it again so the library never mixes versions.
                    restamped.add(path)
                    todo.append((path, size, mtime_ns))
                elif state[2]:
                    result.skipped.append((path, ""))
                else:
                    result.unchanged += 1
                continue
            todo.append((path, size, mtime_ns))
    vanished = [
        path for path in states
        if path not in seen and any(_is_under(path, root) for root in roots)
    ]
    result.vanished = vanished
    result.restamped = restamped
    if vanished and remove_vanished:
        result.removed = db.remove(vanished)
    if result.skipped:
        reasons = dict(db.errors())
        result.skipped = [(path, reasons.get(path, "")) for path, _ in result.skipped]
    return result, todo


def scan_folders(
    db: LibraryDB,
    folders: list[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    limits: FileLimits | None = None,
) -> ScanReport:
    """Add the music files under ``folders`` to ``db``, analysing only new or changed files.

    Parameters
    ----------
    jobs : int, optional
        Worker processes; default the number of CPU cores. 1 analyses in this process
        (no protection against a file that crashes or hangs the decoder).
    limits : FileLimits, optional
        How long one file may take in a worker before it is skipped (default
        :class:`~core.library.scan_pool.FileLimits`: at least 2 minutes).

    Raises
    ------
    LibraryError
        A folder does not exist (nothing is scanned or removed then: an unplugged
        drive must not empty the library).
    Cancelled
        ``cancel`` was set; everything analysed so far is kept.
    WorkerStartError
        Worker processes die before taking any file (a broken installation, not a bad file).

    Notes
    -----
    With more than one job even a single file is analysed in a worker process (about a
    second to start one), so that a file that crashes or hangs the decoder costs only itself.
    """
    started = time.perf_counter()
    result, todo = plan_scan(db, folders, progress=progress)

    total = len(todo)
    done = 0

    def store(record: TrackRecord) -> None:
        nonlocal done
        db.upsert(record)
        done += 1
        if record.error is None:
            result.analysed += 1
            result.reanalysed += record.path in result.restamped
        else:
            result.skipped.append((record.path, record.error))
        report(progress, done / total, f"Analysed {done} of {total}: {Path(record.path).name}")

    workers = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    if total and workers == 1:
        for item in todo:
            if cancel is not None:
                cancel.raise_if_cancelled()
            store(_analyse(*item))
    elif total:
        # Each file in a worker process of its own pipe: a file that kills its worker (out of
        # memory, a decoder crash) or hangs is skipped with the reason, and the scan goes on.
        def lost(item: tuple[str, int, int], reason: str) -> None:
            store(_failed(*item, reason))

        run_isolated(todo, _analyse, workers=workers, store=lambda item, record: store(record), lost=lost,
                     probe=_duration, limits=limits, init=_quiet_worker, cancel=cancel)
    summary = f"{result.analysed} analysed, {result.unchanged} unchanged, {len(result.skipped)} skipped"
    report(progress, 1.0, summary)
    result.seconds = time.perf_counter() - started
    return result


def _duration(path: str, size: int, mtime_ns: int) -> float | None:
    """The file's duration in seconds from its header (for its time limit), or ``None``."""
    return read_tags(path).duration_s


def _quiet_worker() -> None:
    """Send a worker's C-level stderr to the null device.

    Decoder libraries (libmpg123, FFmpeg) print warnings about damaged files straight to
    file descriptor 2; every problem is already recorded with its file, so in a scan of
    thousands of files those lines are only noise.
    """
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
    except OSError:
        pass


def _is_under(path: str, root: Path) -> bool:
    try:
        Path(path).relative_to(root)
    except ValueError:
        return False
    return True


def prune_missing(db: LibraryDB) -> list[str]:
    """Remove scanned tracks whose files no longer exist; returns their paths."""
    gone = [path for path in db.file_states() if not os.path.exists(path)]
    if gone:
        db.remove(gone)
    return gone
