"""Generated music with known properties: the ground truth for tests, benchmarks and the demo.

Every signal here is built from simple parts whose musical facts are known by
construction (tempo, mode, chord tones, brightness, loudness, pitch direction), so an
analysis can be checked against them. Nothing is random except where a seed says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal as sps

__all__ = ["LoopSpec", "drum_chord_loop", "glissando", "melody", "noise", "silence", "tone"]

# Chord qualities as semitone offsets from the root.
_MAJOR = (0, 4, 7)
_MINOR = (0, 3, 7)
# Scale degrees (semitones above the key's tonic) of the progression I-IV-V-I / i-iv-v-i.
_PROGRESSION = (0, 5, 7, 0)


@dataclass(frozen=True)
class LoopSpec:
    """What to render in :func:`drum_chord_loop`."""

    tempo_bpm: float = 120.0
    """Beats per minute; one beat is a quarter note."""
    seconds: float = 20.0
    """Length of the rendered audio."""
    mode: str = "major"
    """``"major"`` (I-IV-V-I with major triads) or ``"minor"`` (i-iv-v-i, minor triads)."""
    key_midi: int = 60
    """MIDI note of the key's tonic (60 = middle C)."""
    drums: bool = True
    """Kick on beats 1 and 3, snare on 2 and 4, hi-hat on every eighth note."""
    hat_division: int = 2
    """Hi-hats per beat (2 = eighths, 4 = sixteenths, 0 = none)."""
    chords: bool = True
    """Sustained chords (one per bar) with a bass note an octave below the root."""
    gain_db: float = -6.0
    """Peak level of the mix, dBFS."""
    lowpass_hz: float | None = None
    """Cut-off of an 8th-order Butterworth low-pass applied to the mix, or none."""
    sample_rate: int = 22_050


def _decay(n: int, sample_rate: int, seconds: float) -> np.ndarray:
    return np.exp(-np.arange(n) / (seconds * sample_rate)).astype(np.float64)


def _kick(sample_rate: int) -> np.ndarray:
    n = int(0.35 * sample_rate)
    t = np.arange(n) / sample_rate
    freq = 45 + 75 * np.exp(-t / 0.04)
    phase = 2 * np.pi * np.cumsum(freq) / sample_rate
    return np.sin(phase) * _decay(n, sample_rate, 0.12)


def _snare(sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    n = int(0.2 * sample_rate)
    t = np.arange(n) / sample_rate
    body = 0.5 * np.sin(2 * np.pi * 190 * t) * _decay(n, sample_rate, 0.05)
    sos = sps.butter(2, [1000, 6000], btype="bandpass", fs=sample_rate, output="sos")
    rattle = sps.sosfilt(sos, rng.standard_normal(n)) * _decay(n, sample_rate, 0.06)
    return body + 1.6 * rattle


def _hat(sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    n = int(0.05 * sample_rate)
    sos = sps.butter(4, min(7000, 0.45 * sample_rate), btype="highpass", fs=sample_rate, output="sos")
    return 0.25 * sps.sosfilt(sos, rng.standard_normal(n)) * _decay(n, sample_rate, 0.012)


def _note(midi: float, seconds: float, sample_rate: int, harmonics: int = 6) -> np.ndarray:
    n = int(seconds * sample_rate)
    t = np.arange(n) / sample_rate
    f0 = 440.0 * 2 ** ((midi - 69) / 12)
    wave = np.zeros(n)
    for h in range(1, harmonics + 1):
        if h * f0 < 0.45 * sample_rate:
            wave += np.sin(2 * np.pi * h * f0 * t) / h
    attack = np.minimum(1.0, t / 0.02)
    release = np.minimum(1.0, (seconds - t) / 0.05)
    return wave * attack * np.clip(release, 0, 1) * _decay(n, sample_rate, seconds * 1.5)


def _place(track: np.ndarray, sound: np.ndarray, start: int, gain: float) -> None:
    if start >= track.size:
        return
    end = min(track.size, start + sound.size)
    track[start:end] += gain * sound[: end - start]


def drum_chord_loop(spec: LoopSpec = LoopSpec(), *, seed: int = 0) -> np.ndarray:
    """Render a drum-and-chord loop (float32, mono, peak at ``spec.gain_db``).

    The beat period is exactly ``60 / tempo_bpm`` seconds; chords change every bar of
    four beats following I-IV-V-I (or i-iv-v-i) in the given key.
    """
    rng = np.random.default_rng(seed)
    sr = spec.sample_rate
    n = int(spec.seconds * sr)
    mix = np.zeros(n)
    beat = 60.0 / spec.tempo_bpm
    beats = int(np.ceil(spec.seconds / beat)) + 1
    if spec.drums:
        kick, snare, hat = _kick(sr), _snare(sr, rng), _hat(sr, rng)
        for b in range(beats):
            start = round(b * beat * sr)
            _place(mix, kick if b % 2 == 0 else snare, start, 1.0 if b % 2 == 0 else 0.8)
            for sub in range(spec.hat_division):
                _place(mix, hat, round((b + sub / spec.hat_division) * beat * sr), 1.0)
    if spec.chords:
        quality = _MAJOR if spec.mode == "major" else _MINOR
        bar = 4 * beat
        for index in range(int(np.ceil(spec.seconds / bar))):
            root = spec.key_midi + _PROGRESSION[index % len(_PROGRESSION)]
            start = round(index * bar * sr)
            for offset in quality:
                _place(mix, _note(root + offset, bar, sr), start, 0.18)
            _place(mix, _note(root - 12, bar, sr, harmonics=3), start, 0.25)
    if spec.lowpass_hz is not None:
        sos = sps.butter(8, spec.lowpass_hz, btype="lowpass", fs=sr, output="sos")
        mix = sps.sosfilt(sos, mix)
    return _normalise(mix, spec.gain_db)


def _normalise(x: np.ndarray, gain_db: float) -> np.ndarray:
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    if peak > 0:
        x = x * (10 ** (gain_db / 20) / peak)
    return x.astype(np.float32)


def tone(freq_hz: float, seconds: float, *, sample_rate: int = 22_050, gain_db: float = -6.0,
         harmonics: int = 1) -> np.ndarray:
    """A steady tone with ``harmonics`` partials of amplitude ``1/h``."""
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    wave = sum(np.sin(2 * np.pi * h * freq_hz * t) / h for h in range(1, harmonics + 1))
    return _normalise(np.asarray(wave, dtype=np.float64), gain_db)


def glissando(start_hz: float, stop_hz: float, seconds: float, *, sample_rate: int = 22_050,
              gain_db: float = -6.0, harmonics: int = 4) -> np.ndarray:
    """A tone whose pitch moves exponentially (linearly in semitones) from start to stop."""
    n = int(seconds * sample_rate)
    t = np.arange(n) / sample_rate
    freq = start_hz * (stop_hz / start_hz) ** (t / seconds)
    phase = 2 * np.pi * np.cumsum(freq) / sample_rate
    wave = sum(np.sin(h * phase) / h for h in range(1, harmonics + 1))
    return _normalise(np.asarray(wave, dtype=np.float64), gain_db)


def melody(notes_midi: list[float] | np.ndarray, note_seconds: float, *, sample_rate: int = 22_050,
           gain_db: float = -6.0, harmonics: int = 6) -> np.ndarray:
    """Notes played one after another, each ``note_seconds`` long with 6 partials of amplitude ``1/h``.

    The pitch contour is known by construction: ``notes_midi[i]`` from ``i * note_seconds``.
    """
    notes = [_note(float(m), note_seconds, sample_rate, harmonics) for m in notes_midi]
    wave = np.concatenate(notes) if notes else np.zeros(0)
    return _normalise(wave, gain_db)


def noise(seconds: float, *, color: str = "white", sample_rate: int = 22_050, gain_db: float = -6.0,
          seed: int = 0) -> np.ndarray:
    """White, pink (-3 dB/octave) or brown (-6 dB/octave) noise."""
    rng = np.random.default_rng(seed)
    n = int(seconds * sample_rate)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / sample_rate)
    freqs[0] = freqs[1] if n > 1 else 1.0
    exponent = {"white": 0.0, "pink": 0.5, "brown": 1.0}[color]
    shaped = np.fft.irfft(spectrum / freqs**exponent, n)
    return _normalise(shaped, gain_db)


def silence(seconds: float, *, sample_rate: int = 22_050) -> np.ndarray:
    """Digital silence."""
    return np.zeros(int(seconds * sample_rate), dtype=np.float32)
