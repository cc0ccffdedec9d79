"""Make docs/screenshots/track_view_en.png and track_view_zh.png: the track view on generated media.

The track is a 64 s drum-and-chord loop at 120 BPM with a quiet intro (0-20 s), a loud
middle and a quiet end (44-64 s); the clip is 10 s that turn from calm to action at 4 s
with cuts at 4, 6 and 8 s. The section shown is the one ``best_section`` picks.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_track_view_screenshots.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from core.audio.analysis import analyze_signal
    from core.audio.synth import LoopSpec, drum_chord_loop
    from core.timing.grid import TrackTiming
    from core.timing.section import ClipTiming, best_section
    from musicmatch_gui.widgets.track_view import TrackView

    app = QApplication.instance() or QApplication([])
    x = drum_chord_loop(LoopSpec(tempo_bpm=120, seconds=64))
    gain = np.full(x.size, 0.1)
    gain[20 * 22_050 : 44 * 22_050] = 1.0
    timing = TrackTiming.of(analyze_signal((x * gain).astype(np.float32)))
    clip = ClipTiming(duration_s=10.0, arousal=np.r_[np.full(4, 10.0), np.full(6, 70.0)],
                      cuts=np.array([4.0, 6.0, 8.0]), fps=24.0)
    section = best_section(timing, clip)
    for language, name in (("en", "Generated loop"), ("zh", "生成的循环")):
        view = TrackView(language=language)
        view.resize(900, 130)
        view.set_track(timing, name)
        view.set_section(section.start_s, clip.duration_s, section.score)
        view.set_cuts(clip.cuts)
        view.show()
        app.processEvents()
        target = DOCS / "screenshots" / f"track_view_{language}.png"
        view.grab().save(str(target))
        print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
