"""The window's timing (issue #15 item 7): what sections cost on the GUI thread and in their job.

An offscreen window opens a library of ``--tracks`` three-minute tracks with timing data
(120 BPM beat grid, bars, phrases, edit points, a quiet-loud-quiet energy curve; one in
ten shorter than the clip) and a generated 10 s clip with a cut every 2 s. Measured, each
the median of ``--repeats`` runs in the same process:

(a) a re-rank as a slider move does it, with the list's 25 sections already known: rank
    with ``covers`` (short tracks last), refill the list, repaint it, show the selected
    track in the track view and its beats on the timeline;
(b) the same re-rank with the timing columns switched off (no covers, no sections): the
    baseline (a) is compared with;
(c) the job's work for 25 listed rows when nothing is known yet: ``TrackTiming.of`` on
    each record plus ``best_sections`` (this runs off the GUI thread);
(d) the selected track's section found at once on the GUI thread (one row).

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_window_timing.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _library(path: Path, tracks: int) -> None:
    from core.features import MUSIC
    from core.library.db import LibraryDB, TrackRecord

    rng = np.random.default_rng(4)
    with LibraryDB(path) as db:
        for i in range(tracks):
            seconds = 8.0 if i % 10 == 0 else 180.0
            beats = np.arange(0.0, seconds, 0.5)
            downbeats = beats[::4]
            blocks = np.arange(int(seconds * 2))
            energy = np.where((blocks > blocks.size // 3) & (blocks < 2 * blocks.size // 3), -12.0, -26.0)
            edits = np.array([[a, a + 8.0, 0.9] for a in downbeats if a + 8.0 < seconds])
            features = np.array([rng.uniform(d.low, d.high) for d in MUSIC])
            db.upsert(TrackRecord(
                path=f"/nowhere/track_{i:05d}.wav", source="scan", size=1, mtime_ns=0, content_hash=f"h{i}",
                duration_s=seconds, title=f"Track {i:05d}", artist="Bench", album="", features=features,
                tempo_bpm=120.0, key="A minor", beats=beats, energy=energy, sections=[], error=None,
                downbeats=downbeats, phrases=beats[::16], edit_points=edits.reshape(-1, 3), tempo_confidence=0.5))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tracks", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="bench-window-timing-"))
    os.environ["XDG_DATA_HOME"] = str(work / "data")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from core.recommend.model import load_recommender
    from core.video.synth import ClipSpec, write_clip
    from musicmatch_gui.main_window import MainWindow

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(work / "settings"))
    app = QApplication.instance() or QApplication([])
    _library(work / "lib.sqlite", args.tracks)
    clip = write_clip(work / "clip.mp4", ClipSpec(seconds=10, shot_seconds=2.0, object_speed=0.4))
    window = MainWindow(load_recommender(), device="cpu")
    window.resize(1440, 900)
    window.show()

    def wait(until, seconds=300.0) -> None:
        deadline = time.monotonic() + seconds
        while not until() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.005)

    window.library_cmds.open_library(str(work / "lib.sqlite"))
    wait(lambda: window.library is not None)
    ready = []
    window.analysis_ready.connect(lambda: ready.append(1))
    window.open_video(str(clip))
    wait(lambda: bool(ready))
    wait(lambda: not window.timing_cmds.pending)
    window.table.selectRow(0)
    settings = window.controls.settings()

    def rerank() -> None:
        window.rerank(settings)
        window.table.viewport().repaint()
        window.track_view.repaint()
        window.timeline.repaint()

    def median_ms(function) -> float:
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    def rank_only() -> None:
        window.rerank(settings)

    rerank()
    with_timing, with_timing_rank = median_ms(rerank), median_ms(rank_only)
    timing_cmds = window.timing_cmds
    covers = timing_cmds.covers
    timing_cmds.covers = lambda: None
    window.results.timing_of = None
    plain, plain_rank = median_ms(rerank), median_ms(rank_only)
    timing_cmds.covers = covers
    window.results.timing_of = timing_cmds.cell
    rows = [int(r) for r in window.session.result.indices[:25]]

    def fresh_sections() -> None:
        from core.timing.grid import TrackTiming
        from core.timing.section import best_sections

        records = window.library.records
        best_sections([TrackTiming.of(records[r]) for r in rows], timing_cmds._clip)

    job = median_ms(fresh_sections)

    def one_now() -> None:
        timing_cmds._best.pop(rows[0], None)
        timing_cmds._timings.pop(rows[0], None)
        timing_cmds.best(rows[0])

    selected = median_ms(one_now)
    print(f"library {args.tracks} tracks, clip 10 s with 4 cuts, top 25, median of {args.repeats}")
    print(f"(a) re-rank + repaint with sections, key, covers: {with_timing:.1f} ms")
    print(f"(b) the same without the timing columns:           {plain:.1f} ms  (a)/(b) = {with_timing / plain:.2f}")
    print(f"    re-rank alone (no repaint): {with_timing_rank:.1f} ms with timing, {plain_rank:.1f} ms without")
    print(f"(c) the sections job for 25 rows (off the GUI thread): {job:.1f} ms")
    print(f"(d) the selected row's section found at once:        {selected:.1f} ms")
    window.undo_stack.setClean()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
