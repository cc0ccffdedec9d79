"""Track timing (bars, phrases, edit points) and the best section, on generated music with known truth."""

from __future__ import annotations

import numpy as np
import pytest

from core.audio.analysis import analyze_signal
from core.audio.synth import LoopSpec, drum_chord_loop, noise
from core.timing.grid import TrackTiming
from core.timing.section import ClipTiming, best_section, best_sections, clip_curve

RATE = 22_050
BEAT = 0.5  # 120 BPM
BAR = 2.0
LOUD_FROM, LOUD_TO = 20.0, 44.0  # the loud middle of the shaped track


def shaped_loop() -> np.ndarray:
    """64 s at 120 BPM: quiet intro (0-20 s, -20 dB), loud middle (20-44 s), quiet end (44-64 s)."""
    x = drum_chord_loop(LoopSpec(tempo_bpm=120, seconds=64))
    gain = np.full(x.size, 0.1)
    gain[int(LOUD_FROM * RATE) : int(LOUD_TO * RATE)] = 1.0
    return (x * gain).astype(np.float32)


@pytest.fixture(scope="module")
def shaped() -> TrackTiming:
    return TrackTiming.of(analyze_signal(shaped_loop()))


@pytest.fixture(scope="module")
def steady() -> TrackTiming:
    return TrackTiming.of(analyze_signal(drum_chord_loop(LoopSpec(tempo_bpm=120, seconds=48))))


def near(times: np.ndarray, target: float) -> float:
    return float(np.min(np.abs(np.asarray(times) - target)))


# -- the timing data -----------------------------------------------------------------


def test_downbeats_are_the_bar_starts(steady):
    # Chords change (and the kick hits) on every 4th beat from 0 s: bars start at 0, 2, 4 ... s.
    assert steady.downbeats.size >= 22
    assert np.allclose(np.diff(steady.downbeats), BAR, atol=0.05)
    offsets = steady.downbeats - np.round(steady.downbeats / BAR) * BAR
    assert np.all(np.abs(offsets) < 0.035)  # within about one analysis frame (23 ms)
    assert set(np.round(steady.downbeats, 6)) <= set(np.round(steady.beats, 6))


def test_phrases_are_four_bars_and_start_where_the_music_changes(shaped):
    assert np.allclose(np.diff(shaped.phrases), 4 * BAR, atol=0.06)
    # The loudness changes at 20 s and 44 s are phrase boundaries.
    assert near(shaped.phrases, LOUD_FROM) < 0.05
    assert near(shaped.phrases, LOUD_TO) < 0.05


def test_edit_points_join_bars_that_sound_alike(shaped):
    edits = shaped.edit_points
    assert edits.shape[1] == 3 and edits.shape[0] >= 4 * (shaped.downbeats.size - 2)
    for from_s, to_s, similarity in edits:
        assert near(shaped.downbeats, from_s) < 1e-9 and near(shaped.downbeats, to_s) < 1e-9
        assert 0.0 <= similarity <= 1.0
    best = edits[edits[:, 2] >= 0.9]
    assert best.shape[0] > 0
    # The progression repeats every 4 bars: seamless jumps move by whole multiples of 8 s...
    shifts = best[:, 1] - best[:, 0]
    assert np.all(np.abs(shifts / 8.0 - np.round(shifts / 8.0)) < 0.01)
    # ...and never between the loud middle and a quiet part.
    loud = lambda t: LOUD_FROM - 0.1 <= t < LOUD_TO - 0.1  # noqa: E731
    assert all(loud(a) == loud(b) for a, b, _ in best)


def test_a_track_without_beat_gets_quiet_edit_points():
    # Noise swelling and fading every 8 s: no pulse, quiet moments at 0, 8, 16 ... s.
    t = np.arange(40 * RATE) / RATE
    swell = 0.05 + 0.95 * np.sin(np.pi * t / 8.0) ** 2
    analysis = analyze_signal((noise(40, color="pink") * swell).astype(np.float32))
    timing = TrackTiming.of(analysis)
    assert timing.tempo_bpm == 0 and timing.downbeats.size == 0 and timing.phrases.size == 0
    assert timing.edit_points.shape[0] > 0
    quiet_times = np.arange(0, 41, 8.0)
    for from_s, to_s, _ in timing.edit_points:
        assert near(quiet_times, from_s) <= 0.75 and near(quiet_times, to_s) <= 0.75


def test_silence_has_no_timing():
    timing = TrackTiming.of(analyze_signal(np.zeros(10 * RATE, dtype=np.float32)))
    assert timing.downbeats.size == 0 and timing.edit_points.shape == (0, 3)


# -- the best section ---------------------------------------------------------------


def clip(arousal: list[float], cuts: list[float] = (), fps: float = 24.0) -> ClipTiming:
    return ClipTiming(duration_s=float(len(arousal)), arousal=np.array(arousal, float), cuts=np.array(cuts, float),
                      fps=fps)


def test_an_all_action_clip_gets_the_loud_middle(shaped):
    section = best_section(shaped, clip([75.0] * 10))
    assert section.start_s >= LOUD_FROM - 0.05 and section.end_s <= LOUD_TO + 0.05
    assert section.energy_fit > 0.9 and section.covers_clip
    assert "loud part" in section.reasons[0]


def test_an_all_calm_clip_gets_a_quiet_part(shaped):
    section = best_section(shaped, clip([8.0] * 10))
    inside_intro = section.end_s <= LOUD_FROM + 0.05
    inside_end = section.start_s >= LOUD_TO - 0.05
    assert inside_intro or inside_end
    assert "quiet part" in section.reasons[0]


@pytest.mark.parametrize("turn", [3, 4, 6])
def test_a_clip_that_turns_from_calm_to_action_turns_on_the_tracks_rise(shaped, turn):
    section = best_section(shaped, clip([8.0] * turn + [75.0] * (10 - turn)))
    assert abs(section.start_s + turn - LOUD_FROM) <= BEAT  # within a beat
    assert any("lands on the clip's turn" in r for r in section.reasons)


def test_a_clip_that_calms_down_turns_on_the_tracks_drop(shaped):
    section = best_section(shaped, clip([75.0] * 5 + [8.0] * 7))
    assert abs(section.start_s + 5 - LOUD_TO) <= BEAT


def test_the_start_moves_by_at_most_a_bar_to_put_cuts_on_beats(steady):
    # Cuts 1.0 s and 2.5 s apart: a start 0.3 s off the beat grid puts all three on beats.
    cuts = [1.3, 2.3, 4.8]
    section = best_section(steady, clip([40.0] * 8, cuts))
    assert section.cuts == 3 and section.cuts_on_beat == 3
    for cut in cuts:
        assert near(steady.beats, section.start_s + cut) <= 1 / 24
    unaligned = best_section(steady, clip([40.0] * 8))
    assert abs(section.start_s - unaligned.start_s) <= steady.bar_s + 1e-9
    assert section.score >= 0.8 * section.energy_fit + 0.2 - 1e-9


def test_a_clip_without_cuts_starts_on_a_bar_and_says_so(steady):
    section = best_section(steady, clip([40.0] * 8))
    assert section.cuts == 0 and section.cuts_on_beat == 0
    assert near(steady.bars, section.start_s) < 1e-9
    assert any("no cuts" in r for r in section.reasons)


def test_a_track_shorter_than_the_clip_does_not_cover_it(steady):
    section = best_section(steady, clip([40.0] * 60))
    assert not section.covers_clip
    assert any("shorter than the clip" in r for r in section.reasons)


def test_a_track_without_beat_still_gets_a_section_and_says_why():
    t = np.arange(40 * RATE) / RATE
    loud_after_20 = np.where(t >= 20, 1.0, 0.1)
    timing = TrackTiming.of(analyze_signal((noise(40, color="pink") * loud_after_20).astype(np.float32)))
    section = best_section(timing, clip([8.0] * 4 + [75.0] * 6, cuts=[4.0]))
    assert abs(section.start_s + 4 - 20.0) <= 0.5
    assert any("no steady beat" in r for r in section.reasons)


def test_best_sections_equals_one_at_a_time(shaped, steady):
    c = clip([8.0] * 4 + [75.0] * 6, [4.0, 6.5])
    together = best_sections([shaped, steady], c)
    assert [s.start_s for s in together] == [best_section(shaped, c).start_s, best_section(steady, c).start_s]


def test_the_clip_curve_follows_arousal_on_fixed_constants():
    assert np.allclose(clip_curve(clip([15.0] * 3)), 0.0)
    assert np.allclose(clip_curve(clip([60.0] * 3)), 1.0)
    turning = clip_curve(clip([15.0, 15.0, 60.0, 60.0]))
    assert np.allclose(turning, [0, 0, 0, 0, 1, 1, 1, 1])
