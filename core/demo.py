"""A demo to try MusicMatch without media of your own: generated music loops, a library, a clip.

``make_demo(folder)`` writes two dozen drum-and-chord loops (64-180 BPM, major and minor,
bright and dark, with and without drums: a spread of tempo, mode, brightness and energy),
scans them into a library database, and writes three short clips: a calm warm one, a
fast-cut energetic one and a dark, slow one. Everything is generated; nothing is
downloaded.
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

_LOOPS = [(64 + 5 * i, "major" if i % 2 else "minor") for i in range(24)]
_CLIPS = {
    "demo_calm_warm.mp4": ClipSpec(seconds=12, width=640, height=360, shot_seconds=6.0, object_speed=0.05,
                                   cast=(1.2, 1.0, 0.75), brightness=1.1),
    "demo_fast_cuts.mp4": ClipSpec(seconds=12, width=640, height=360, shot_seconds=1.5, object_speed=0.5,
                                   pan_speed=0.1, object_size=0.5),
    "demo_dark_slow.mp4": ClipSpec(seconds=12, width=640, height=360, shot_seconds=4.0, object_speed=0.1,
                                   cast=(0.8, 0.95, 1.2), brightness=0.35),
}


@dataclass(frozen=True)
class Demo:
    folder: Path
    library: Path
    """The library database."""
    clip: Path
    """The first demo clip (the app opens it)."""
    clips: tuple[Path, ...]


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
            spec = LoopSpec(tempo_bpm=bpm, seconds=20, mode=mode, key_midi=57 + (5 * i) % 12,
                            hat_division=4 if i % 2 else 2, lowpass_hz=None if i % 3 else 2500.0,
                            drums=i % 5 != 4, gain_db=-6.0 - 6.0 * (i % 4 == 0))
            soundfile.write(path, drum_chord_loop(spec), 22050)
        report(progress, 0.3 * (i + 1) / len(_LOOPS), f"Writing demo music {i + 1} of {len(_LOOPS)}")
    clips = []
    for name, clip_spec in _CLIPS.items():
        clip = root / name
        if not clip.exists():
            write_clip(clip, clip_spec, audio=True)
        clips.append(clip)
    report(progress, 0.4, "Analysing the demo music")
    db_path = root / "library.sqlite"
    with LibraryDB(db_path) as db:
        scan_folders(db, [str(music)], jobs=1, progress=scaled_progress(progress, 0.4, 1.0), cancel=cancel)
    report(progress, 1.0, "Demo ready")
    return Demo(root, db_path, clips[0], tuple(clips))
