"""The window's shared test fixtures: generated media, a library database, and an offscreen window.

Every test gets its own settings store and data folder, so recent files, geometry and
the library a scan creates never leak between tests or into the user's own.
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

pytest.importorskip("PySide6.QtMultimedia")

from core.library.db import LibraryDB, TrackRecord
from core.recommend.prior import prior_pairs
from core.video.synth import ClipSpec, write_clip


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    folder = tmp_path / "settings"
    folder.mkdir()
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return folder


@pytest.fixture(autouse=True)
def nobody_at_the_keyboard(monkeypatch):
    """No test may wait on a dialog: an unscripted unsaved-changes question (pytest-qt closes the
    test's windows after each test) is answered Discard; tests that script answers override this."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Discard)


class FakeStream:
    """Stands in for a sounddevice stream: pulls one block per call of ``pump``."""

    def __init__(self, callback, rate, channels=2):
        self.callback, self.rate, self.channels, self.closed = callback, rate, channels, False

    def pump(self, frames=1024):
        out = np.zeros((frames, self.channels), dtype=np.float32)
        self.callback(out, frames, None, None)
        return out

    def stop(self):
        pass

    def close(self):
        self.closed = True


@pytest.fixture(scope="session")
def media(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gui")
    clip = write_clip(folder / "clip.mp4", ClipSpec(seconds=4, shot_seconds=2.0, object_speed=0.3), audio=True)
    pairs = prior_pairs(40, seed=3)
    db_path = folder / "library.sqlite"
    with LibraryDB(db_path) as db:
        for i, music in enumerate(pairs.music):
            path = folder / f"track_{i:02d}.wav"
            seconds = 5.0 + i % 4  # longer than the 4-s clip: the filter bar lists tracks "at least the clip"
            tone = 0.2 * np.sin(2 * np.pi * (220 + 10 * i) * np.arange(int(22050 * seconds)) / 22050)
            soundfile.write(path, tone.astype(np.float32), 22050)
            db.upsert(TrackRecord(path=str(path), source="scan", size=path.stat().st_size, mtime_ns=0,
                                  content_hash=f"h{i}", duration_s=seconds, title=f"Track {i:02d}", artist="Test",
                                  album="", features=music, tempo_bpm=90.0 + i, key=None, beats=np.zeros(0),
                                  energy=np.zeros(0), sections=[], error=None))
    return clip, db_path


@pytest.fixture(scope="session")
def recommender():
    from core.recommend.model import load_recommender

    return load_recommender()


@pytest.fixture
def make_window(qtbot, recommender):
    """Build windows with fake audio streams; each is closed (and its jobs stopped) after the test."""
    from musicmatch_gui.audio import Player
    from musicmatch_gui.main_window import MainWindow

    made = []

    def build(**kwargs):
        streams = []

        def factory(callback, rate, channels=2):
            streams.append(FakeStream(callback, rate, channels))
            return streams[-1]

        win = MainWindow(kwargs.pop("model", recommender), device="cpu",
                         audition_player=Player(stream_factory=factory),
                         **kwargs)
        win.streams = streams
        qtbot.addWidget(win)
        made.append(win)
        return win

    yield build
    for win in made:
        win.undo_stack.setClean()  # nothing to ask about: the test is over
        win.jobs.shutdown()


@pytest.fixture
def window(qtbot, media, make_window):
    _, db_path = media
    win = make_window()
    win.show()
    with qtbot.waitSignal(win.jobs.started, timeout=5000):
        win.library_cmds.open_library(str(db_path))
    qtbot.waitUntil(lambda: win.library is not None, timeout=10_000)
    return win


def analyse(qtbot, window, clip) -> None:
    """Open ``clip`` and wait until it is analysed and ranked."""
    with qtbot.waitSignal(window.analysis_ready, timeout=120_000):
        assert window.open_video(str(clip), asked=True)
