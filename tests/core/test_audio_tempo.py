"""Tempo on drum-and-chord loops of known tempo (MIREX Acc1/Acc2, 4 % tolerance)."""

from __future__ import annotations

import numpy as np
import pytest

from core.audio.signals import fine_signals
from core.audio.synth import LoopSpec, drum_chord_loop
from core.audio.tempo import beat_grid, estimate_tempo, onset_envelopes

TEMPI = list(range(60, 181, 6))  # 21 tempi across the 60-180 BPM range
RATE = 22_050


def measure(spec: LoopSpec, seed: int):
    signals = fine_signals(drum_chord_loop(spec, seed=seed), RATE)
    accent, _ = onset_envelopes(signals.band_energy, signals.band_centers)
    tempo = estimate_tempo(accent, signals.frame_rate)
    return tempo, beat_grid(accent, signals.frame_rate, tempo)


def within(estimate: float, truth: float, tolerance: float = 0.04) -> bool:
    return abs(estimate - truth) <= tolerance * truth


@pytest.mark.parametrize("hats", [2, 4])
def test_accuracy_on_loops_of_known_tempo(hats):
    acc1 = acc2 = 0
    misses = []
    for i, bpm in enumerate(TEMPI):
        spec = LoopSpec(tempo_bpm=bpm, seconds=24, hat_division=hats, key_midi=55 + i % 9,
                        mode="minor" if i % 2 else "major")
        tempo, _ = measure(spec, seed=i)
        acc1 += within(tempo.bpm, bpm)
        acc2 += any(within(tempo.bpm, bpm * r) for r in (1 / 3, 0.5, 1, 2, 3))
        if not within(tempo.bpm, bpm):
            misses.append((bpm, round(tempo.bpm, 1)))
    assert acc1 / len(TEMPI) >= 0.90, misses
    assert acc2 == len(TEMPI), misses


def test_tempo_is_precise_on_a_long_track():
    tempo, beats = measure(LoopSpec(tempo_bpm=97, seconds=150), seed=3)
    assert tempo.bpm == pytest.approx(97, rel=0.002)
    assert tempo.pulse_clarity > 0.5
    # The beat grid sits on the kicks and snares: one beat per period, on the true grid.
    period = 60 / 97
    assert len(beats) == pytest.approx(150 / period, abs=3)
    offsets = (beats / period) % 1.0
    distance = np.minimum(offsets, 1 - offsets) * period
    assert np.median(distance) < 0.03


def test_no_pulse_means_no_tempo():
    from core.audio.synth import noise, tone

    for signal in (tone(440, 12), noise(12), np.zeros(RATE * 5, np.float32)):
        signals = fine_signals(signal, RATE)
        accent, _ = onset_envelopes(signals.band_energy, signals.band_centers)
        tempo = estimate_tempo(accent, signals.frame_rate)
        assert tempo.bpm == 0.0
        assert beat_grid(accent, signals.frame_rate, tempo).size == 0


@pytest.mark.parametrize("seconds", [180.0, 185.0, 189.5])
def test_beat_grid_runs_to_the_end_of_a_three_minute_click_track(seconds):
    # A click (5 ms of 1.5 kHz) on every beat at 120 BPM, to the last sample. The lengths
    # leave 0, 5 and 9.5 s after the last whole 20 s piece of the tracker.
    bpm = 120.0
    t = np.arange(int(0.005 * RATE)) / RATE
    click = (np.sin(2 * np.pi * 1500 * t) * np.hanning(t.size)).astype(np.float32)
    signal = np.zeros(int(seconds * RATE), np.float32)
    starts = (np.arange(0.0, seconds - 0.01, 60.0 / bpm) * RATE).astype(np.int64)
    for start in starts:
        piece = click[: signal.size - start]
        signal[start : start + piece.size] += 0.5 * piece
    signals = fine_signals(signal, RATE)
    accent, _ = onset_envelopes(signals.band_energy, signals.band_centers)
    tempo = estimate_tempo(accent, signals.frame_rate)
    beats = beat_grid(accent, signals.frame_rate, tempo)
    assert tempo.bpm == pytest.approx(bpm, rel=0.01)
    assert seconds - beats[-1] <= 60.0 / bpm, (seconds, beats[-1])
    assert beats.size == pytest.approx(starts.size, abs=1)
