"""Finding 8 of issue #13: the same song in several formats is one row, and its best file is the one played and picked."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PySide6.QtMultimedia")

from PySide6.QtCore import Qt

from core.audio.synth import LoopSpec, drum_chord_loop
from core.features import MUSIC
from core.library.db import LibraryDB, TrackRecord
from musicmatch_gui.audio import PLAYBACK_RATE
from musicmatch_gui.widgets.results import COLUMNS
from tests.core.audio_files import write_audio
from tests.gui.conftest import analyse

RATE = 22_050


@pytest.fixture
def library_with_versions(tmp_path):
    """"Night Drive" as OGG, MP3 and WAV (in that library order) and two other songs; vectors as if analysed."""
    loop = drum_chord_loop(LoopSpec(seconds=6, sample_rate=RATE)).astype(np.float32)
    other = drum_chord_loop(LoopSpec(seconds=6, tempo_bpm=90, mode="minor", sample_rate=RATE)).astype(np.float32)
    rows = [("night_drive.ogg", loop, 0.01), ("night_drive.mp3", loop, -0.01), ("night_drive.wav", loop, 0.0),
            ("rain.wav", other, 0.4), ("dust.wav", other, -0.4)]
    db_path = tmp_path / "library.sqlite"
    with LibraryDB(db_path) as db:
        for number, (name, audio, offset) in enumerate(rows):
            path = write_audio(tmp_path / name, audio, RATE)
            db.upsert(TrackRecord(path=str(path), source="scan", size=path.stat().st_size, mtime_ns=0,
                                  content_hash=f"hash{number}", duration_s=6.0, title="", artist="", album="",
                                  features=MUSIC.centers + offset * MUSIC.scales, tempo_bpm=120.0, key=None,
                                  beats=np.zeros(0), energy=np.zeros(0), sections=[], error=None))
    return db_path


def _titles(window) -> list[str]:
    return [window.proxy.index(r, 1).data() for r in range(window.proxy.rowCount())]


def _row_of(window, stem: str) -> int:
    return next(r for r in range(window.proxy.rowCount()) if window.proxy.index(r, 1).data().startswith(stem))


def test_one_row_per_song_with_its_versions(qtbot, make_window, library_with_versions, media, monkeypatch):
    window = make_window()
    window.show()
    window.library_cmds.open_library(str(library_with_versions))
    qtbot.waitUntil(lambda: window.library is not None, timeout=10_000)
    # Browsing before a clip: three songs, not five files.
    assert sorted(_titles(window)) == ["dust", "night_drive  (+2 versions)", "rain"]
    assert window.library_label.text() == "Library: 3 songs in 5 files (library.sqlite)"
    row = _row_of(window, "night_drive")
    tip = window.proxy.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    lines = [line.strip() for line in tip.splitlines()]
    versions = [line for line in lines if line.startswith(("WAV", "MP3", "OGG"))]
    assert sorted(line.split(",")[0] for line in versions) == ["MP3", "OGG", "WAV"]
    assert versions[0].startswith("WAV, lossless") and versions[0].endswith("night_drive.wav")

    decoded = []
    monkeypatch.setattr("musicmatch_gui.audio.decode_for_audition",
                        lambda path, cancel=None: decoded.append(path) or (np.zeros((PLAYBACK_RATE, 2), np.float32),
                                                                           PLAYBACK_RATE))
    window.table.selectRow(row)
    window.audition_cmds.audition_selected()
    qtbot.waitUntil(lambda: bool(decoded), timeout=5000)
    assert decoded[0].endswith("night_drive.wav")  # the lossless file plays

    clip, _ = media  # ranked against a clip: still one row per song, and the pick is the WAV
    analyse(qtbot, window, clip)
    assert window.results.rowCount() == 3
    window.table.selectRow(_row_of(window, "night_drive"))
    window.project_cmds.toggle_pick()
    (pick,) = window.session.picks.values()
    assert pick.track_path.endswith("night_drive.wav") and pick.rank >= 1


def test_a_pick_of_another_file_marks_its_songs_row(qtbot, make_window, library_with_versions):
    """A project may hold the MP3 of a song whose WAV the list shows: the song's row is marked picked."""
    window = make_window()
    window.library_cmds.open_library(str(library_with_versions))
    qtbot.waitUntil(lambda: window.library is not None, timeout=10_000)
    mp3 = next(i for i, t in enumerate(window.library.tracks) if t.path.endswith("night_drive.mp3"))
    window.results.set_picked({mp3})
    row = _row_of(window, "night_drive")
    assert window.proxy.index(row, COLUMNS.index("Pick")).data() == "●"
    assert window.proxy.index(_row_of(window, "rain"), COLUMNS.index("Pick")).data() == ""


def test_the_note_counts_songs_when_filters_hide_them_all(qtbot, make_window, library_with_versions):
    window = make_window()
    window.show()
    window.library_cmds.open_library(str(library_with_versions))
    qtbot.waitUntil(lambda: window.library is not None, timeout=10_000)
    window.filter_bar.bpm_on.setChecked(True)  # every track is at 120 BPM: nothing between 60 and 90
    window.filter_bar.bpm_low.setValue(60)
    window.filter_bar.bpm_high.setValue(90)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 0, timeout=5000)
    note = window.list_note.text()
    # Three songs in five files: the note speaks of what the list would show.
    assert "hide all 3 tracks" in note and "(3 tracks would be listed)" in note, note
