"""Shot boundaries exact to the frame, on generated edits whose cuts and transitions are known."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from core.cli import main
from core.video.analysis import extract_video
from core.video.source import decode_windows, iter_frames
from core.video.synth import ClipSpec, EditSpec, write_clip, write_edit


def frame_of(seconds: float, fps) -> float:
    return seconds * float(fps)


@pytest.mark.parametrize(("fps", "codec"), [
    (25, "libx264"),  # B-frames: the analysis pass skips the non-reference ones
    (Fraction(30000, 1001), "libx264"),
    (Fraction(25, 2), "libx264"),
    (8, "libx264"),
    (60, "libx264"),
    (24, "mpeg4"),
])
def test_hard_cuts_land_on_their_first_frame(tmp_path, fps, codec):
    rate = float(fps)
    # Cuts off the 8 Hz analysis grid, one two frames after another's grid point, one right after a keyframe.
    cuts = tuple(int(round(s * rate)) + k for s, k in ((1.0, 1), (2.3, 0), (3.7, 2), (5.1, 0)))
    clip = write_edit(tmp_path / f"cuts_{rate:.3f}.mp4", EditSpec(frames=int(6.5 * rate), fps=fps, cuts=cuts,
                                                                 seed=3), codec=codec)
    analysis = extract_video(clip)
    starts = [start for start, _ in analysis.shots[1:]]
    assert [round(frame_of(s, fps), 3) for s in starts] == [float(c) for c in cuts]
    assert analysis.transitions == []
    for (_, end), (start, _) in zip(analysis.shots, analysis.shots[1:], strict=False):
        assert end == start  # shots tile the clip


def test_cut_hidden_by_fast_motion_is_found(tmp_path):
    # A fast-moving block makes every analysis step change a lot; at the full rate the cut still stands out.
    clip = write_edit(tmp_path / "fast.mp4", EditSpec(frames=150, fps=25, cuts=(61, 99), object_speed=2.5, seed=5))
    analysis = extract_video(clip)
    assert [round(s * 25, 3) for s, _ in analysis.shots[1:]] == [61.0, 99.0]


def test_dissolves_and_fades_are_transitions_with_a_start_and_an_end(tmp_path):
    spec = EditSpec(frames=260, fps=25, cuts=(40,), dissolves=((90, 110),), fade_outs=((150, 170),),
                    fade_ins=((185, 205),), object_speed=0.1, seed=11)
    analysis = extract_video(write_edit(tmp_path / "soft.mp4", spec))
    found = [(t.kind, round(t.start_s * 25), round(t.end_s * 25)) for t in analysis.transitions]
    assert found == [("dissolve", 90, 110), ("fade-out", 150, 170), ("fade-in", 185, 205)]
    # Shots change at the cut, where the dissolve starts and where the picture comes up from black.
    assert [round(s * 25) for s, _ in analysis.shots[1:]] == [40, 90, 185]


def test_a_clip_without_cuts_has_one_shot(tmp_path):
    analysis = extract_video(write_clip(tmp_path / "one.mp4", ClipSpec(seconds=3, object_speed=0.4, pan_speed=0.2)))
    assert len(analysis.shots) == 1 and analysis.transitions == []


def test_decode_windows_returns_every_frame_once_at_full_rate(tmp_path):
    clip = write_edit(tmp_path / "w.mp4", EditSpec(frames=100, fps=25, cuts=(50,)))
    windows = [(1.0, 1.4), (1.2, 1.6), (3.5, 3.96), (2.0, 2.1)]
    near, overlap, far, short = decode_windows(clip, windows)
    assert [round(t * 25) for t, _ in near] == list(range(25, 36))
    assert [round(t * 25) for t, _ in overlap] == list(range(30, 41))
    assert [round(t * 25) for t, _ in far] == list(range(88, 100))
    assert [round(t * 25) for t, _ in short] == [50, 51, 52]
    assert near[0][1].shape == (90, 160, 3)
    # Knowing the keyframes (as the analysis pass does) changes how, not what, is decoded.
    keyframes: list[float] = []
    list(iter_frames(clip, keyframes=keyframes))
    assert keyframes[0] == 0.0
    again = decode_windows(clip, windows, keyframes=keyframes)
    for first, second in zip((near, overlap, far, short), again, strict=True):
        assert [t for t, _ in first] == [t for t, _ in second]
        assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(first, second, strict=True))


def test_extract_json_has_exact_shots_and_transitions(tmp_path, capsys):
    clip = write_edit(tmp_path / "e.mp4", EditSpec(frames=125, fps=25, cuts=(37,), dissolves=((70, 85),),
                                                   object_speed=0.1, seed=2))
    assert main(["extract", str(clip), "--json"]) == 0
    (doc,) = json.loads(capsys.readouterr().out)
    assert [start for start, _ in doc["shots"]] == [0.0, pytest.approx(37 / 25), pytest.approx(70 / 25)]
    assert doc["transitions"] == [{"kind": "dissolve", "start_s": pytest.approx(70 / 25),
                                   "end_s": pytest.approx(85 / 25)}]
