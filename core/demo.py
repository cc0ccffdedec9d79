"""A demo to try MusicMatch without media of your own: generated music loops, a library, a clip.

``make_demo(folder)`` writes a dozen drum-and-chord loops (tempo 70-160 BPM, major and
minor, bright and dark), scans them into a library database, and writes a short clip
with cuts, motion and a warm colour cast. Everything is generated; nothing is downloaded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import soundfile

from core.audio.synth import LoopSpec, drum_chord_loop
from core.jobs import CancelToken, ProgressFn, report, scaled_progress
from core.library.db import LibraryDB
from core.library.scanner import scan_folders
from core.video.synth import ClipSpec, write_clip

__all__ = ["Demo", "make_demo"]

_LOOPS = [(70, "minor"), (76, "major"), (84, "minor"), (92, "major"), (100, "minor"), (108, "major"),
          (116, "minor"), (124, "major"), (132, "minor"), (140, "major"), (150, "minor"), (160, "major")]


@dataclass(frozen=True)
class Demo:
    folder: Path
    library: Path
    """The library database."""
    clip: Path


def make_demo(folder: str | os.PathLike[str], *, progress: ProgressFn | None = None,
              cancel: CancelToken | None = None) -> Demo:
    """Create (or reuse, if complete) the demo in ``folder``."""
    root = Path(folder)
    music = root / "music"
    music.mkdir(parents=True, exist_ok=True)
    for i, (bpm, mode) in enumerate(_LOOPS):
        if cancel is not None:
            cancel.raise_if_cancelled()
        path = music / f"demo_{bpm:03d}bpm_{mode}.flac"
        if not path.exists():
            spec = LoopSpec(tempo_bpm=bpm, seconds=24, mode=mode, key_midi=57 + (5 * i) % 12,
                            hat_division=4 if i % 2 else 2, lowpass_hz=None if i % 3 else 2500.0)
            soundfile.write(path, drum_chord_loop(spec), 22050)
        report(progress, 0.3 * (i + 1) / len(_LOOPS), f"Writing demo music {i + 1} of {len(_LOOPS)}")
    clip = root / "demo_clip.mp4"
    if not clip.exists():
        write_clip(clip, ClipSpec(seconds=12, width=640, height=360, shot_seconds=3.0, object_speed=0.3,
                                  cast=(1.15, 1.0, 0.8)), audio=True)
    report(progress, 0.4, "Analysing the demo music")
    db_path = root / "library.sqlite"
    with LibraryDB(db_path) as db:
        scan_folders(db, [str(music)], jobs=1, progress=scaled_progress(progress, 0.4, 1.0), cancel=cancel)
    report(progress, 1.0, "Demo ready")
    return Demo(root, db_path, clip)
