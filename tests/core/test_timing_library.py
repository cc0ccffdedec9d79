"""Timing data in the library: stored with every track, old databases migrated and filled on rescan."""

from __future__ import annotations

import sqlite3

import numpy as np
import soundfile

from core.audio.synth import LoopSpec, drum_chord_loop
from core.library.db import _MIGRATIONS, DB_VERSION, LibraryDB
from core.library.scanner import scan_folders
from core.timing.grid import TrackTiming


def write_loop(folder, name="loop.wav", seconds=20.0):
    path = folder / name
    soundfile.write(path, drum_chord_loop(LoopSpec(tempo_bpm=120, seconds=seconds)), 22_050)
    return path


def test_a_scan_stores_downbeats_phrases_and_edit_points(tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    path = write_loop(music, seconds=40.0)
    with LibraryDB(tmp_path / "lib.sqlite") as db:
        scan_folders(db, [music], jobs=1)
        (record,) = list(db.records())
    assert record.has_timing
    assert np.allclose(np.diff(record.downbeats), 2.0, atol=0.05)
    assert np.allclose(np.diff(record.phrases), 8.0, atol=0.06)
    assert record.edit_points.shape[1] == 3 and record.edit_points.shape[0] > 0
    # Stored as float64: the bars read back are exactly the ones the analysis gave.
    timing = TrackTiming.of(record)
    assert timing.has_beat and np.array_equal(timing.bars, record.downbeats)
    assert str(path) == record.path


def test_an_old_library_is_migrated_and_rescanned_for_timing(tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    path = write_loop(music)
    db_file = tmp_path / "old.sqlite"
    # A library written before the timing data existed (layout version 1) with one analysed track.
    conn = sqlite3.connect(db_file)
    _MIGRATIONS[0](conn)
    conn.execute("PRAGMA user_version = 1")
    stat = path.stat()
    conn.execute(
        "INSERT INTO tracks(path, size, mtime_ns, duration_s, features, feature_schema, tempo_bpm, beats, energy,"
        " sections, analysed_at) VALUES (?, ?, ?, 20.0, ?, ?, 120.0, ?, ?, '[]', 0)",
        (str(path), stat.st_size, stat.st_mtime_ns, "[" + ",".join(["0"] * 10) + "]", _schema(),
         np.arange(0, 20, 0.5, dtype=np.float32).tobytes(), np.zeros(40, np.float32).tobytes()),
    )
    conn.commit()
    conn.close()
    with LibraryDB(db_file, create=False) as db:
        assert db.version == DB_VERSION
        (record,) = list(db.records())
        assert not record.has_timing and record.downbeats is None
        # Without timing data, sections still work on the old beat grid (bars of 4 beats).
        assert np.allclose(TrackTiming.of(record).bars[:3], [0.0, 2.0, 4.0])
        # The rescan sees the row as stale although the file did not change.
        assert db.file_states()[str(path)][0] is None
        report = scan_folders(db, [music], jobs=1)
        assert report.analysed == 1
        (record,) = list(db.records())
        assert record.has_timing and record.downbeats.size >= 8
        assert db.file_states()[str(path)][0] == path.stat().st_size
        assert scan_folders(db, [music], jobs=1).unchanged == 1


def _schema() -> int:
    from core.features import SCHEMA_VERSION

    return SCHEMA_VERSION
