"""The 10 descriptors on generated signals whose musical truth is known by construction."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.audio import synth
from core.audio.analysis import analyze_signal
from core.audio.synth import LoopSpec, drum_chord_loop
from core.features import MUSIC


def features(signal):
    return analyze_signal(signal).features


def test_brightness_rises_with_the_lowpass_cutoff():
    values = [features(drum_chord_loop(LoopSpec(seconds=12, lowpass_hz=cutoff))).brightness
              for cutoff in (300, 600, 1200, 2400, 4800, 9600)]
    assert all(b > a for a, b in itertools.pairwise(values)), values
    assert values[0] < 10 and values[-1] > 30


def test_major_progression_is_more_pleasant_than_minor():
    for drums in (False, True):
        major = features(drum_chord_loop(LoopSpec(seconds=16, mode="major", drums=drums)))
        minor = features(drum_chord_loop(LoopSpec(seconds=16, mode="minor", drums=drums)))
        assert major.valence > minor.valence + 15, (major.valence, minor.valence)


@pytest.mark.parametrize("mode", ["major", "minor"])
def test_loops_are_named_in_their_key_and_mode(mode):
    from core.audio.signals import tonal_magnitude
    from core.audio.tonal import chroma, estimate_key

    names = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
    wrong = []
    for tonic in range(12):
        for drums in (True, False):
            signal = drum_chord_loop(LoopSpec(seconds=8, key_midi=55 + tonic, mode=mode, drums=drums), seed=tonic)
            magnitude, _, freqs = tonal_magnitude(signal, 22_050)
            energy = (magnitude * magnitude).sum(axis=1)
            key = estimate_key(np.average(chroma(magnitude, freqs), axis=0, weights=energy))
            if key.name != f"{names[(55 + tonic) % 12]} {mode}" or (key.mode_balance > 0) != (mode == "major"):
                wrong.append((names[(55 + tonic) % 12], drums, key.name, round(key.mode_balance, 3)))
    assert not wrong, wrong


def test_arousal_rises_from_sparse_quiet_slow_to_dense_loud_fast():
    specs = [
        LoopSpec(seconds=16, tempo_bpm=62, hat_division=0, gain_db=-30),
        LoopSpec(seconds=16, tempo_bpm=100, hat_division=2, gain_db=-16),
        LoopSpec(seconds=16, tempo_bpm=168, hat_division=4, gain_db=-1),
    ]
    arousal = [features(drum_chord_loop(spec)).arousal for spec in specs]
    speed = [features(drum_chord_loop(spec)).rhythm_speed for spec in specs]
    assert arousal[0] < arousal[1] < arousal[2], arousal
    assert speed[0] < speed[1] < speed[2], speed
    assert arousal[2] - arousal[0] > 30


def test_melody_trend_of_steady_rising_and_falling_tones():
    steady = features(synth.tone(330, 10, harmonics=4)).melody_trend
    rising = features(synth.glissando(220, 880, 10)).melody_trend
    falling = features(synth.glissando(880, 220, 10)).melody_trend
    assert steady == pytest.approx(50, abs=3)
    assert rising > 80 and falling < 20
    # Noise has no pitch, so no melody direction either.
    assert features(synth.noise(8)).melody_trend == pytest.approx(50, abs=3)


def test_melody_trend_follows_the_register_not_the_steps():
    # Ten rising scales, each followed by a leap back down: every step rises, but the line
    # as a whole stays where it is. Averaging the steps (the leaps left out) called it rising.
    scales = synth.melody([60, 62, 64, 65, 67, 69, 71, 72] * 10, 0.25)
    assert features(scales).melody_trend == pytest.approx(50, abs=5)
    # A motif that moves up and down, sequenced a semitone higher (or lower) every 2 s:
    # the register climbs an octave in 24 s (0.5 semitones/s) while half the steps fall.
    motif = np.array([0, 4, 2, 5, 3, 7, 5, 2])
    up = np.concatenate([motif + 60 + k for k in range(12)])
    down = np.concatenate([motif + 72 - k for k in range(12)])
    rising = features(synth.melody(up, 0.25)).melody_trend
    falling = features(synth.melody(down, 0.25)).melody_trend
    assert rising > 75 and falling < 25, (rising, falling)


def test_rhythm_richness_harmony_and_warmth_tell_textures_apart():
    loop = features(drum_chord_loop(LoopSpec(seconds=12)))
    pad = features(drum_chord_loop(LoopSpec(seconds=12, drums=False)))
    sine = features(synth.tone(440, 10))
    white = features(synth.noise(10))
    pink = features(synth.noise(10, color="pink"))
    assert loop.rhythm > 5 > pad.rhythm and sine.rhythm < -5 and white.rhythm < -5
    assert sine.richness == -10 and loop.richness > pad.richness > sine.richness
    assert loop.harmony > 5 and pad.harmony > 5 and white.harmony < -5
    assert white.warmth == -10 and pink.warmth == pytest.approx(-5, abs=1)
    dark = features(drum_chord_loop(LoopSpec(seconds=12, lowpass_hz=800)))
    assert dark.warmth > loop.warmth + 5


def test_variation_is_higher_for_a_track_with_sections():
    steady = drum_chord_loop(LoopSpec(seconds=48))
    parts = [
        drum_chord_loop(LoopSpec(seconds=16, drums=False, gain_db=-24, key_midi=57)),
        drum_chord_loop(LoopSpec(seconds=16, tempo_bpm=140, hat_division=4, gain_db=-2)),
        drum_chord_loop(LoopSpec(seconds=16, drums=True, chords=False, gain_db=-12, lowpass_hz=1500)),
    ]
    sectioned = np.concatenate(parts)
    assert features(sectioned).variation > features(steady).variation + 3
    assert analyze_signal(sectioned).sections.size >= 1


@pytest.mark.parametrize(
    "signal",
    [np.zeros(0, np.float32), synth.silence(3.0), drum_chord_loop(LoopSpec(seconds=0.5)),
     np.full(22_050, 1.0, np.float32), synth.tone(5000, 0.2)],
    ids=["empty", "silence", "half-second", "dc", "blip"],
)
def test_degenerate_signals_give_finite_values_in_range(signal):
    result = analyze_signal(signal)
    values = result.features.to_array()
    assert np.isfinite(values).all()
    for dim, value in zip(MUSIC, values, strict=True):
        assert dim.low <= value <= dim.high, (dim.id, value)
    assert np.isfinite(result.energy_curve).all()


def test_every_descriptor_stays_in_its_range_on_varied_music(rng):
    for i in range(6):
        spec = LoopSpec(seconds=10, tempo_bpm=float(rng.uniform(50, 200)), mode=["major", "minor"][i % 2],
                        hat_division=int(rng.integers(0, 5)), gain_db=float(rng.uniform(-40, 0)),
                        lowpass_hz=float(rng.uniform(300, 10000)) if i % 3 == 0 else None)
        values = features(drum_chord_loop(spec, seed=i)).to_array()
        for dim, value in zip(MUSIC, values, strict=True):
            assert dim.low <= value <= dim.high, (dim.id, value)


def test_by_products_for_timing():
    result = analyze_signal(drum_chord_loop(LoopSpec(seconds=20, tempo_bpm=120)))
    assert result.tempo_bpm == pytest.approx(120, rel=0.01)
    assert result.energy_curve.shape == (40,)  # 2 Hz
    assert np.diff(result.beat_times).mean() == pytest.approx(0.5, rel=0.02)
    assert result.key == "C major"
    assert result.measurements.key_clarity > 0.8
