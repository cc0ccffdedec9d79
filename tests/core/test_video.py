"""Video analysis on generated clips whose truth is known by construction."""

from __future__ import annotations

import itertools
import json

import av
import numpy as np
import pytest
import torch

from core.cli import main
from core.errors import MediaError
from core.features import VIDEO
from core.video.analysis import extract_video
from core.video.source import _convert, iter_frames, probe
from core.video.synth import ClipSpec, write_clip


def analyse(tmp_path, name: str, spec: ClipSpec):
    return extract_video(write_clip(tmp_path / f"{name}.mp4", spec))


def rising(values) -> bool:
    return all(b > a for a, b in itertools.pairwise(values))


def test_colour_cast_blue_to_orange_raises_warmth(tmp_path):
    casts = [(0.5, 0.8, 1.3), (0.8, 0.9, 1.1), (1.0, 1.0, 1.0), (1.15, 0.95, 0.75), (1.3, 0.9, 0.45)]
    warmth = [analyse(tmp_path, f"cast{i}", ClipSpec(seconds=2, cast=c)).features.color_warmth
              for i, c in enumerate(casts)]
    assert rising(warmth), warmth
    assert warmth[0] < 0.35 and warmth[-1] > 0.75


def test_dark_to_bright_lowers_heaviness_and_scene_tension(tmp_path):
    results = [analyse(tmp_path, f"light{i}", ClipSpec(seconds=2, brightness=b))
               for i, b in enumerate((0.2, 0.45, 0.7, 1.0, 1.3))]
    heaviness = [r.features.color_heaviness for r in results]
    assert rising(heaviness[::-1]), heaviness
    assert results[0].features.scene_tension > results[-1].features.scene_tension


def test_object_speed_raises_action_energy(tmp_path):
    energy = [analyse(tmp_path, f"speed{i}", ClipSpec(seconds=3, object_speed=v)).features.action_energy
              for i, v in enumerate((0.0, 0.05, 0.15, 0.4, 0.8))]
    assert rising(energy), energy
    assert energy[0] < 5 and energy[-1] > 80


def test_camera_pan_is_not_object_motion(tmp_path):
    panned = analyse(tmp_path, "pan", ClipSpec(seconds=3, pan_speed=0.2, object_size=0.0))
    assert panned.measurements.camera_motion == pytest.approx(0.2, rel=0.25)
    assert panned.features.action_energy < 15


def test_moving_area_raises_motion_amplitude(tmp_path):
    amplitude = [analyse(tmp_path, f"size{i}", ClipSpec(seconds=3, object_speed=0.3, object_size=s))
                 .features.motion_amplitude for i, s in enumerate((0.1, 0.3, 0.6, 0.9))]
    assert rising(amplitude), amplitude


def test_faster_cutting_raises_narrative_pace(tmp_path):
    results = [analyse(tmp_path, f"cuts{i}", ClipSpec(seconds=16, fps=12, shot_seconds=s, seed=i))
               for i, s in enumerate((8.0, 4.0, 2.0, 1.0))]
    assert [len(r.shots) for r in results] == [2, 4, 8, 16]
    pace = [r.features.narrative_pace for r in results]
    assert rising(pace), pace
    assert results[-1].features.visual_arousal > results[0].features.visual_arousal


def test_a_cut_is_found_at_its_first_frame(tmp_path):
    # 25 fps, cuts at frames 62 and 124 (2.48 s, 4.96 s): off the 8 Hz analysis grid.
    result = analyse(tmp_path, "cut", ClipSpec(seconds=6, fps=25, shot_seconds=2.48, object_speed=0.2))
    assert len(result.shots) == 3
    assert result.shots[1][0] == pytest.approx(2.48, abs=1e-6)
    assert result.shots[2][0] == pytest.approx(4.96, abs=1e-6)


def test_features_timeline_and_shots_are_complete_and_in_range(tmp_path):
    result = analyse(tmp_path, "mixed", ClipSpec(seconds=6, shot_seconds=2, object_speed=0.3, cast=(1.2, 1.0, 0.7)))
    for dim, value in zip(VIDEO, result.features.to_array(), strict=True):
        assert dim.low <= value <= dim.high, (dim.id, value)
    assert result.duration_s == pytest.approx(6.0, abs=0.2)
    assert result.seconds.tolist() == [0, 1, 2, 3, 4, 5]
    assert set(result.timeline) == {"visual_arousal", "visual_valence", "action_energy", "narrative_pace"}
    assert len(result.shot_features) == len(result.shots) == 3
    assert result.features.character_tension == 0  # no faces in generated textures


def test_frame_source_rate_size_and_rotation(tmp_path):
    path = write_clip(tmp_path / "odd.mp4", ClipSpec(seconds=2, fps=30, width=322, height=182))
    frames = list(iter_frames(path, rate=5, width=160))
    assert len(frames) == 10
    assert frames[0].image.shape == (90, 160, 3)
    assert np.allclose(np.diff([f.time_s for f in frames]), 0.2, atol=0.02)
    assert frames[0].follower.shape == (90, 160)  # greyscale, at the optical-flow width
    # The next decoded frame: one source frame later, or two where x264 left a
    # non-reference frame in between (those are not decoded at all).
    assert frames[0].follower_dt in (pytest.approx(1 / 30, abs=1e-3), pytest.approx(2 / 30, abs=1e-3))
    info = probe(path)
    assert (info.width, info.height, info.fps) == (322, 182, 30.0)
    # A portrait phone clip: stored 182x322 sideways, shown rotated 90 degrees clockwise.
    stored = np.zeros((182, 322, 3), np.uint8)
    stored[:, :20] = 255  # a white bar along the stored left edge...
    frame = av.VideoFrame.from_ndarray(stored, format="bgr24")
    shown = _convert(frame, 91, 90)
    assert shown.shape == (160, 91, 3)  # 91 * 322 / 182 = 161, rounded to an even height
    assert shown[:10, :, 0].mean() > 200 and shown[-10:, :, 0].mean() < 50  # ...ends up on top


def test_bad_inputs(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    text = tmp_path / "notes.mp4"
    text.write_text("not a video\n" * 50)
    audio_only = tmp_path / "audio.m4a"
    from tests.core.audio_files import write_audio

    write_audio(audio_only, np.zeros(22_050, np.float32), 22_050)
    for path, message in [(tmp_path / "missing.mp4", "no such file"), (empty, "empty"),
                          (text, "not a readable video"), (audio_only, "no video track")]:
        with pytest.raises(MediaError, match=message):
            extract_video(path)
    # A truncated file gives features from the part that decodes.
    whole = write_clip(tmp_path / "whole.mp4", ClipSpec(seconds=4, object_speed=0.2))
    data = whole.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    try:
        partial = extract_video(cut)
    except MediaError as exc:  # the index (moov) may sit at the end: then it is unreadable
        assert "cut.mp4" in str(exc)
    else:
        assert 0 < partial.duration_s <= 4.2
    single = extract_video(write_clip(tmp_path / "one.mp4", ClipSpec(seconds=1 / 24)))
    assert np.isfinite(single.features.to_array()).all() and len(single.shots) == 1


def test_extract_command(tmp_path, capsys):
    clip = write_clip(tmp_path / "clip 中文.mp4", ClipSpec(seconds=3, shot_seconds=1.5, object_speed=0.2), audio=True)
    assert main(["extract", str(clip), "--json"]) == 0
    (doc,) = json.loads(capsys.readouterr().out)
    assert list(doc["features"]) == list(VIDEO.ids)
    assert doc["shots"] == [[0.0, 1.5], [1.5, pytest.approx(3.0, abs=0.15)]]
    assert len(doc["timeline"]["visual_arousal"]) == 3
    assert main(["extract", str(clip), "--timeline"]) == 0
    out = capsys.readouterr().out
    assert "2 shots" in out and "second  arousal" in out
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00" * 100)
    assert main(["extract", str(clip), str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "bad.mp4" in captured.err
    if not torch.cuda.is_available():
        assert main(["extract", str(clip), "--device", "cuda"]) == 2
        assert "no CUDA device" in capsys.readouterr().err
