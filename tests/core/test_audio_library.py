"""Silence and the analysis version in the library: marks, migration, automatic re-analysis."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from core.audio import synth
from core.audio.analysis import ANALYSIS_VERSION, SILENT_FEATURES, analyze_signal
from core.audio.synth import LoopSpec, drum_chord_loop
from core.library import db as library_db
from core.library.db import DB_VERSION, LibraryDB
from core.library.scanner import scan_folders
from tests.core.audio_files import write_audio

RATE = 22_050


def hiss(seconds: float, dbfs: float, seed: int = 0) -> np.ndarray:
    """White noise at ``dbfs`` RMS: the room tone or dither of a 'silent' export."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(int(seconds * RATE)) * 10 ** (dbfs / 20)).astype(np.float32)


@pytest.mark.parametrize(
    "signal",
    [np.zeros(0, np.float32), synth.silence(10.0), hiss(20, -80), hiss(20, -64),
     drum_chord_loop(LoopSpec(seconds=20, gain_db=-70))],
    ids=["empty", "digital-silence", "dither-80dB", "hiss-64dB", "music-at-70dB"],
)
def test_silence_and_near_silence_have_no_key_no_tempo_and_fixed_features(signal):
    result = analyze_signal(signal)
    assert result.silent
    assert result.key == ""
    assert result.tempo_bpm == 0.0 and result.tempo_confidence == 0.0
    assert result.beat_times.size == 0 and result.sections.size == 0
    assert result.features == SILENT_FEATURES
    assert np.isfinite(result.energy_curve).all()


def test_quiet_music_is_not_silence():
    # The loop peaks near -34 dBFS: quiet, but an editor hears music and expects its tempo and key.
    result = analyze_signal(drum_chord_loop(LoopSpec(seconds=20, tempo_bpm=100, gain_db=-40)))
    assert not result.silent
    assert result.tempo_bpm == pytest.approx(100, rel=0.04)
    assert result.key == "C major"


def test_a_drone_has_no_pulse_but_a_pad_with_chord_changes_has_one():
    drone = analyze_signal(synth.tone(220, 20))
    assert drone.tempo_bpm == 0.0 and drone.tempo_confidence == 0.0 and not drone.silent
    pad = analyze_signal(drum_chord_loop(LoopSpec(seconds=24, drums=False)))
    # Chords change every bar (2 s at 120 BPM): a real, if weak, pulse gets a tempo with low confidence.
    assert pad.tempo_bpm > 0
    loop = analyze_signal(drum_chord_loop(LoopSpec(seconds=24)))
    assert 0.0 <= pad.tempo_confidence < loop.tempo_confidence <= 1.0


def _version_one_library(path) -> None:
    """A library as the previous release wrote it (layout version 1, no analysis stamp)."""
    conn = sqlite3.connect(path)
    library_db._migrate_0_to_1(conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO tracks(path, source, features, feature_schema, tempo_bpm, musical_key, analysed_at) "
        "VALUES ('/music/old.wav', 'scan', '[0,0,0,0,0,50,50,50,50,0]', 1, 120.0, 'A minor', 0)"
    )
    conn.commit()
    conn.close()


def test_version_one_library_is_migrated_and_its_rows_are_stale(tmp_path):
    path = tmp_path / "old.sqlite"
    _version_one_library(path)
    with LibraryDB(path, create=False) as db:
        assert db.version == DB_VERSION
        (record,) = list(db.records())
        assert record.analysis_version is None and record.tempo_confidence is None and not record.silent
        assert db.stale(ANALYSIS_VERSION) == {"/music/old.wav"}


def test_scan_marks_silence_and_reanalyses_when_the_analysis_version_changes(tmp_path):
    folder = tmp_path / "music"
    folder.mkdir()
    write_audio(folder / "loop.flac", drum_chord_loop(LoopSpec(seconds=8, tempo_bpm=110)), RATE)
    write_audio(folder / "silent.wav", hiss(8, -75), RATE)
    with LibraryDB(tmp_path / "lib.sqlite") as db:
        first = scan_folders(db, [folder], jobs=1)
        assert first.analysed == 2 and first.reanalysed == 0
        records = {r.path.rsplit("/", 1)[-1]: r for r in db.records()}
        assert records["silent.wav"].silent and records["silent.wav"].key is None
        assert records["silent.wav"].tempo_bpm == 0.0
        assert not records["loop.flac"].silent and records["loop.flac"].key
        assert 0.0 < records["loop.flac"].tempo_confidence <= 1.0
        assert {r.analysis_version for r in records.values()} == {ANALYSIS_VERSION}

        assert scan_folders(db, [folder], jobs=1).unchanged == 2  # nothing new: nothing analysed
        # An older analysis stamped these rows: the next scan analyses them again, untouched files or not.
        with db.conn:
            db.conn.execute("UPDATE tracks SET analysis_version = ?", (ANALYSIS_VERSION - 1,))
        again = scan_folders(db, [folder], jobs=1)
        assert again.reanalysed == 2 and again.analysed == 2 and again.unchanged == 0
        assert db.stale(ANALYSIS_VERSION) == set()
        assert scan_folders(db, [folder], jobs=1).unchanged == 2
