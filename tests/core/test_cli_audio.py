"""`musicmatch analyze-audio`: text, JSON, and broken files among good ones."""

from __future__ import annotations

import json

import pytest

from core.audio.synth import LoopSpec, drum_chord_loop
from core.cli import main
from core.features import MUSIC
from tests.core.audio_files import write_audio


@pytest.fixture
def loop_file(tmp_path):
    return write_audio(tmp_path / "loop 中文.flac", drum_chord_loop(LoopSpec(seconds=10, tempo_bpm=110)), 22_050)


def test_json_shape(loop_file, capsys):
    assert main(["analyze-audio", str(loop_file), "--json"]) == 0
    (doc,) = json.loads(capsys.readouterr().out)
    assert doc["file"] == str(loop_file)
    assert doc["duration_s"] == pytest.approx(10, abs=0.05)
    assert doc["tempo_bpm"] == pytest.approx(110, rel=0.02)
    assert list(doc["features"]) == list(MUSIC.ids)
    assert doc["key"] == "C major" and len(doc["energy_curve_db"]) == 20


def test_text_and_a_broken_file_among_good_ones(loop_file, tmp_path, capsys):
    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"ID3" + bytes(500))
    code = main(["analyze-audio", str(loop_file), str(broken)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "109.9 BPM" in out.splitlines()[0] or "110.0 BPM" in out.splitlines()[0]
    assert "rhythm_speed" in out
    assert err.count("\n") == 1 and "broken.mp3" in err and "Traceback" not in err


def test_silent_file_says_so_and_has_no_key_or_tempo(loop_file, tmp_path, capsys):
    import numpy as np

    silent = write_audio(tmp_path / "muted.wav", np.zeros(22_050 * 5, np.float32), 22_050)
    assert main(["analyze-audio", str(silent), str(loop_file), "--json"]) == 0
    quiet, loop = json.loads(capsys.readouterr().out)
    assert quiet["silent"] is True and quiet["key"] is None and quiet["tempo_bpm"] == 0.0
    assert loop["silent"] is False and 0.0 < loop["tempo_confidence"] <= 1.0
    assert main(["analyze-audio", str(silent)]) == 0
    assert "silent: no tempo, no key" in capsys.readouterr().out
