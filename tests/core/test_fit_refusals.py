"""``musicmatch fit`` refuses what it cannot fit in one line, before the clip is analysed.

Found by walking the merged command line end to end: a silent track was "fitted" into
seconds of silence, a track shorter than a bar was refused only after the clip's
analysis, and as root (where ``os.access`` says yes everywhere) an unwritable render
folder was found only after all the work, naming the temporary file.
"""

from __future__ import annotations

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
