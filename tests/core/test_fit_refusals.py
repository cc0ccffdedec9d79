"""``musicmatch fit`` refuses what it cannot fit in one line, before the clip is analysed.

Found by walking the merged command line end to end: a silent track was "fitted" into
seconds of silence, a track shorter than a bar was refused only after the clip's
analysis, and as root (where ``os.access`` says yes everywhere) an unwritable render
folder was found only after all the work, naming the temporary file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import soundfile

import core.video.analysis
from core.audio.synth import LoopSpec, drum_chord_loop, silence
from core.cli.main import main
from core.video.synth import ClipSpec, write_clip

RATE = 22_050


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fit_refusals")
    soundfile.write(folder / "silent.wav", silence(20.0, sample_rate=RATE), RATE)
    soundfile.write(folder / "tiny.wav", drum_chord_loop(LoopSpec(tempo_bpm=60, seconds=1.0)), RATE)
    soundfile.write(folder / "loop.wav", drum_chord_loop(LoopSpec(tempo_bpm=120, seconds=8.0)), RATE)
    clip = write_clip(folder / "clip.mp4", ClipSpec(seconds=4))
    return {"folder": folder, "clip": clip}


@pytest.fixture
def no_video_analysis(monkeypatch):
    """Any analysis of the clip fails the test: the refusal must come first."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("the clip was analysed before the refusal")

    monkeypatch.setattr(core.video.analysis, "extract_video", refuse)


def _refused(capsys, args: list[str]) -> str:
    assert main(["fit", *map(str, args)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


def test_a_silent_track_is_refused_without_a_render(media, capsys, no_video_analysis):
    out = media["folder"] / "silent_fit.wav"
    err = _refused(capsys, [media["clip"], media["folder"] / "silent.wav", "--render", out])
    assert "silent" in err
    assert not out.exists()
    assert not [p for p in media["folder"].iterdir() if p.name.startswith(".silent_fit.")]


def test_a_track_shorter_than_a_bar_is_refused_before_the_clip_is_analysed(media, capsys, no_video_analysis):
    err = _refused(capsys, [media["clip"], media["folder"] / "tiny.wav"])
    assert "shorter than one bar" in err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs a /proc file system")
def test_an_unwritable_render_folder_is_refused_first_even_for_root(media, capsys, no_video_analysis):
    # /proc takes no new files, whoever asks; os.access says yes to root regardless.
    err = _refused(capsys, [media["clip"], media["folder"] / "loop.wav", "--render", "/proc/fit.wav"])
    assert "--render /proc/fit.wav" in err and ".fit." not in err


def test_a_loud_track_still_fits(media, capsys, tmp_path):
    out = tmp_path / "fit.flac"
    assert main(["fit", str(media["clip"]), str(media["folder"] / "loop.wav"), "--render", str(out)]) == 0
    info = soundfile.info(out)
    assert info.frames == round(4.0 * RATE) and info.samplerate == RATE
    assert np.abs(soundfile.read(out)[0]).max() > 0.05
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fit.flac"]
    assert os.access(out, os.R_OK)


def test_fit_takes_a_parquet_catalogue_as_its_library(media, capsys, monkeypatch, tmp_path):
    """``--db FILE.parquet`` opens a catalogue read-only wherever ``--db`` names a library (docs/scale.md)."""
    pytest.importorskip("pyarrow")
    music = tmp_path / "music"
    music.mkdir()
    (music / "loop.wav").write_bytes((media["folder"] / "loop.wav").read_bytes())
    db_path, catalogue = tmp_path / "library.sqlite", tmp_path / "catalogue.parquet"
    assert main(["library", "add", str(music), "--db", str(db_path), "--jobs", "1"]) == 0
    assert main(["library", "export-catalogue", str(catalogue), "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["fit", str(media["clip"]), str(music / "loop.wav"), "--db", str(db_path), "--json"]) == 0
    from_db = json.loads(capsys.readouterr().out)

    def no_analysis(*_args, **_kwargs):
        raise AssertionError("fit analysed a track the catalogue has timing data for")

    monkeypatch.setattr("core.audio.analysis.analyze_file", no_analysis)
    assert main(["fit", str(media["clip"]), str(music / "loop.wav"), "--db", str(catalogue), "--json"]) == 0
    from_catalogue = json.loads(capsys.readouterr().out)
    assert from_catalogue["start_s"] == pytest.approx(from_db["start_s"], abs=1e-6)
    assert from_catalogue["tempo_bpm"] == from_db["tempo_bpm"]
    # Nothing written beside the catalogue (SQLite's own -wal/-shm side files aside).
    written = {p.name for p in tmp_path.iterdir()} - {"library.sqlite-wal", "library.sqlite-shm"}
    assert written == {"catalogue.parquet", "library.sqlite", "music"}


def test_a_silent_track_gets_no_fit_while_music_does():
    """A silent library track scored 0.65 for a calm clip (its zero curve is close to a calm one)."""
    from core.audio.analysis import analyze_signal
    from core.timing.grid import TrackTiming
    from core.timing.section import ClipTiming, best_sections

    calm = ClipTiming(duration_s=12.0, arousal=np.full(12, 10.0), cuts=np.array([4.0, 8.0]), fps=25.0)
    quiet_music = 0.05 * drum_chord_loop(LoopSpec(tempo_bpm=90, seconds=30.0))
    silent, music = (TrackTiming.of(analyze_signal(x)) for x in (silence(30.0, sample_rate=RATE), quiet_music))
    assert silent.is_silent and not music.is_silent
    hush, played = best_sections([silent, music], calm)
    assert hush.score == 0.0 and "silent" in hush.reasons[0]
    assert hush.end_s - hush.start_s == pytest.approx(12.0)
    assert played.score > 0.3
