"""Fit to length: exact length, the source's own samples, edits on beats, no clicks, a clean ending."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile

from core.audio.analysis import analyze_signal
from core.audio.synth import LoopSpec, drum_chord_loop, noise
from core.errors import InputError
from core.timing.grid import TrackTiming
from core.timing.plan import plan_fit
from core.timing.render import read_track, render_plan, write_atomic

RATE = 22_050
BAR = 2.0


@pytest.fixture(scope="module")
def loop() -> tuple[np.ndarray, TrackTiming]:
    """40 s at 120 BPM (beats every 0.5 s from 0, bars of 2 s, the progression repeats every 8 s)."""
    x = drum_chord_loop(LoopSpec(tempo_bpm=120, seconds=40))
    return x, TrackTiming.of(analyze_signal(x))


def true_beat_offset(t: float) -> float:
    return abs(t - round(t / 0.5) * 0.5)


def max_step(x: np.ndarray) -> float:
    return float(np.max(np.abs(np.diff(x, axis=0))))


@pytest.mark.parametrize("length", [3.0, 7.3, 10.0, 17.0, 31.4, 95.0, 600.0])
def test_renders_exactly_the_length_asked_for_with_clean_edits(loop, length):
    x, timing = loop
    start = float(timing.bars[1])
    plan = plan_fit(timing, start, length)
    audio = render_plan(x, RATE, plan)
    out = audio.samples[:, 0]
    assert audio.sample_rate == RATE
    assert out.shape[0] == round(length * RATE)  # to the sample
    # Not stretched: from the start to the first edit it is the source itself, sample for sample.
    first = plan.edits[0].at_s if plan.edits else length - plan.fade_s
    begin, stop = int(0.006 * RATE), int((first - plan.crossfade_s) * RATE)
    source_from = int(round(start * RATE))
    assert np.array_equal(out[begin:stop], x[source_from + begin : source_from + stop])
    for edit in plan.edits:
        assert true_beat_offset(edit.from_s) < 0.035 and true_beat_offset(edit.to_s) < 0.035
        # Whole bars are repeated or skipped: leave and resume at the same place in the bar.
        shift = edit.to_s - edit.from_s
        assert abs(shift / BAR - round(shift / BAR)) < 0.02
        assert plan.crossfade_s >= 0.010
    # No clicks: no sample step larger than the music's own biggest step (plus equal-power overlap).
    assert max_step(out) <= 1.5 * max_step(x) + 1e-6
    # A clean ending: silence at the last sample, a fade of at most 2 s (or the track's own end).
    assert abs(out[-1]) < 1e-6
    if plan.ending == "track end":
        assert plan.fade_s == 0.0 and plan.tail_s <= 2.0
        assert np.all(out[out.size - int(plan.tail_s * RATE) :] == 0.0)
    else:
        assert 0.0 < plan.fade_s <= 2.0
    if length > 6 and plan.ending != "track end":
        before_fade = out[-int((plan.fade_s + 0.5) * RATE) : -int((plan.fade_s + 0.05) * RATE)]
        assert np.sqrt(np.mean(before_fade**2)) > 0.02  # the music plays at full level until the fade


def test_a_length_that_fits_the_phrases_ends_on_a_phrase_without_edits(loop):
    _, timing = loop
    start = float(timing.phrases[0])
    phrase_later = float(timing.phrases[2])
    plan = plan_fit(timing, start, phrase_later - start + 1.0)
    assert plan.edits == [] and plan.ending == "phrase"
    assert plan.segments[-1][1] == pytest.approx(phrase_later)
    assert plan.tail_s == pytest.approx(1.0, abs=1e-6) and plan.fade_s == pytest.approx(1.0, abs=1e-6)


def test_a_long_fit_repeats_whole_phrases_at_similar_points(loop):
    _, timing = loop
    # 177 s = 22 phrases of 8 s + 1 s: reachable by repeating whole phrases.
    plan = plan_fit(timing, float(timing.phrases[0]), 177.0)
    assert len(plan.edits) >= 4
    assert all(edit.similarity >= 0.6 for edit in plan.edits)
    assert all(edit.to_s < edit.from_s for edit in plan.edits[:-1])  # repeats
    played = sum(b - a for a, b in plan.segments) + plan.tail_s
    assert played == pytest.approx(177.0, abs=1e-6)
    assert plan.ending in ("phrase", "track end")


def test_edits_are_listed_in_output_time(loop):
    _, timing = loop
    plan = plan_fit(timing, float(timing.bars[0]), 100.0)
    position = 0.0
    for (seg_from, seg_to), edit in zip(plan.segments, plan.edits, strict=False):
        position += seg_to - seg_from
        assert edit.at_s == pytest.approx(position) and edit.from_s == pytest.approx(seg_to)


@pytest.mark.parametrize("bad", [0.0, -5.0, float("nan"), float("inf"), 2.9, 601.0, 1e12])
def test_lengths_outside_3_s_to_10_min_are_refused(loop, bad):
    _, timing = loop
    with pytest.raises(InputError):
        plan_fit(timing, 0.0, bad)


def test_a_track_shorter_than_a_bar_is_refused():
    timing = TrackTiming(duration_s=1.2, tempo_bpm=0.0)
    with pytest.raises(InputError, match="shorter than one bar"):
        plan_fit(timing, 0.0, 10.0)


def test_a_track_without_beat_falls_back_to_quiet_points_and_says_so():
    t = np.arange(30 * RATE) / RATE
    x = (noise(30, color="pink") * (0.05 + 0.95 * np.sin(np.pi * t / 6.0) ** 2)).astype(np.float32)
    timing = TrackTiming.of(analyze_signal(x))
    assert not timing.has_beat
    plan = plan_fit(timing, 0.0, 75.0)
    assert any("no steady beat" in note for note in plan.notes)
    assert plan.crossfade_s >= 0.1
    audio = render_plan(x, RATE, plan)
    assert audio.samples.shape[0] == round(75.0 * RATE)
    assert abs(audio.samples[-1, 0]) < 1e-6


def test_stereo_at_the_tracks_own_rate_round_trips_through_the_file(tmp_path, loop):
    x, timing = loop
    rate = 44_100
    stereo = np.stack([x, -0.5 * x], axis=1)
    # The same music at 44.1 kHz: every sample doubled is enough to check rate and channels.
    stereo = np.repeat(stereo, 2, axis=0)
    source = tmp_path / "track.flac"
    soundfile.write(source, stereo, rate, subtype="PCM_24")
    data, read_rate = read_track(source)
    assert read_rate == rate and data.shape[1] == 2
    plan = plan_fit(timing, float(timing.bars[1]), 12.5)
    target = tmp_path / "fit.wav"
    write_atomic(render_plan(data, read_rate, plan), target)
    written, written_rate = soundfile.read(target)
    assert written_rate == rate and written.shape == (round(12.5 * rate), 2)
    assert np.allclose(written[:, 1], -0.5 * written[:, 0], atol=2e-6)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fit.wav", "track.flac"]  # no temporary left
    # Readable as a plain write would make it (the temporary file's private 0600 is not kept).
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_failed_write_leaves_no_file(tmp_path, loop, monkeypatch):
    x, timing = loop
    audio = render_plan(x, RATE, plan_fit(timing, 0.0, 5.0))

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(soundfile, "write", broken)
    with pytest.raises(InputError, match="cannot write"):
        write_atomic(audio, tmp_path / "fit.wav")
    assert list(tmp_path.iterdir()) == []


def test_silence_is_repeated_to_the_length_and_says_so():
    x = np.zeros(10 * RATE, dtype=np.float32)
    timing = TrackTiming.of(analyze_signal(x))
    plan = plan_fit(timing, 0.0, 25.0)
    assert any("no steady beat" in note for note in plan.notes)
    assert any("repeats the section" in note for note in plan.notes)
    audio = render_plan(x, RATE, plan)
    assert audio.samples.shape[0] == 25 * RATE and not np.any(audio.samples)
