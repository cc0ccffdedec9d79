"""Pitch content: chroma, key clarity and mode, spectral peaks, predominant pitch.

All functions take the tonal magnitude spectrogram of :func:`core.audio.signals.tonal_magnitude`
(4096-point frames at 11,025 Hz: 2.7 Hz per bin).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import sparse

__all__ = ["KeyEstimate", "chroma", "estimate_key", "peak_counts", "predominant_pitch"]

# Krumhansl & Kessler (1982) probe-tone ratings, C major and C minor, pitch classes C..B.
_MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
_PITCH_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def _midi(freqs: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return 69.0 + 12.0 * np.log2(np.maximum(freqs, 1e-9) / 440.0)


def chroma(
    magnitude: np.ndarray, freqs: np.ndarray, *, low_hz: float = 55.0, high_hz: float = 2000.0
) -> np.ndarray:
    """Pitch-class energy per frame, shape ``(n_frames, 12)`` (C = 0), each row summing to 1.

    Only spectral peaks count (bins larger than both neighbours), each adding its squared
    magnitude to the pitch class of its frequency, so broadband noise spreads evenly
    while tones concentrate. Silent frames are all zero.
    """
    band = (freqs >= low_hz) & (freqs <= high_hz)
    cols = np.flatnonzero(band)
    mag = magnitude[:, cols]
    left = magnitude[:, cols - 1]
    right = magnitude[:, np.minimum(cols + 1, magnitude.shape[1] - 1)]
    peaks = np.where((mag > left) & (mag >= right), mag * mag, 0.0)
    pitch_class = np.mod(np.round(_midi(freqs[cols])).astype(np.int64), 12)
    assign = sparse.csr_matrix(
        (np.ones(cols.size), (np.arange(cols.size), pitch_class)), shape=(cols.size, 12)
    )
    energy = np.asarray(assign.T.dot(peaks.T).T)
    totals = energy.sum(axis=1, keepdims=True)
    return np.divide(energy, totals, out=np.zeros_like(energy), where=totals > 0)


class KeyEstimate(NamedTuple):
    """Result of :func:`estimate_key`."""

    tonic: int
    """Pitch class of the best key (0 = C)."""
    major: bool
    """Whether the best key is major."""
    clarity: float
    """Correlation of the chroma with the best key profile, -1..1 (tonal music ~0.6-0.9)."""
    mode_balance: float
    """Best major correlation minus best minor correlation, about -0.5..0.5 (> 0: major)."""

    @property
    def name(self) -> str:
        return f"{_PITCH_NAMES[self.tonic]} {'major' if self.major else 'minor'}"


def estimate_key(mean_chroma: np.ndarray) -> KeyEstimate:
    """Key by correlation with the 24 rotated Krumhansl-Kessler profiles (Krumhansl 1990).

    ``mode_balance`` compares the best major and the best minor key; it is the mode
    evidence used for valence (major keys are heard as happier, Hevner 1935).

    ``mean_chroma`` is energy (squared magnitude, as :func:`chroma` gives it); the profiles
    are correlated with its square root, the amplitude. The probe-tone ratings follow how
    often and how long each pitch class sounds, not its energy; on energy, the loudest
    partials (the tonic in the bass, doubled in the chord) overrule the third, the one
    tone that tells minor from major, and i-iv-v-i loops in a minor key were named after
    their parallel major (3 of 24 generated minor loops; none on amplitude).
    """
    c = np.sqrt(np.maximum(np.asarray(mean_chroma, dtype=np.float64), 0.0))
    if not np.isfinite(c).all() or c.std() < 1e-9:
        return KeyEstimate(0, True, 0.0, 0.0)
    scores = np.empty((2, 12))
    for tonic in range(12):
        scores[0, tonic] = np.corrcoef(c, np.roll(_MAJOR_PROFILE, tonic))[0, 1]
        scores[1, tonic] = np.corrcoef(c, np.roll(_MINOR_PROFILE, tonic))[0, 1]
    mode, tonic = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return KeyEstimate(int(tonic), mode == 0, float(scores[mode, tonic]),
                       float(scores[0].max() - scores[1].max()))


def peak_counts(magnitude: np.ndarray, freqs: np.ndarray, *, low_hz: float = 60.0, high_hz: float = 5000.0,
                floor_db: float = -40.0) -> np.ndarray:
    """Spectral peaks per frame within ``floor_db`` of the frame's strongest bin and at least
    12 dB above its median bin, shape ``(n_frames,)``.

    A count of simultaneous partials: one for a sine, a few dozen for a chord of rich
    tones, many for dense textures.
    """
    band = np.flatnonzero((freqs >= low_hz) & (freqs <= high_hz))
    mag = magnitude[:, band]
    left = magnitude[:, band - 1]
    right = magnitude[:, np.minimum(band + 1, magnitude.shape[1] - 1)]
    strongest = mag.max(axis=1, keepdims=True)
    # A peak must also stand 12 dB above the frame's median bin: the ripples of a codec's
    # noise floor (Opus, low-rate MP3) are local maxima too, but never stand out like that.
    typical = np.median(mag, axis=1, keepdims=True)
    threshold = np.maximum(strongest * 10 ** (floor_db / 20), _PROMINENCE * typical)
    is_peak = (mag > left) & (mag >= right) & (mag >= threshold) & (strongest > 1e-6)
    return is_peak.sum(axis=1)


def _salience_matrix(freqs: np.ndarray, candidates_midi: np.ndarray, harmonics: int = 6) -> sparse.csr_matrix:
    """Bins x candidates: harmonic h of candidate f0 adds weight 0.8**(h-1), split linearly."""
    rows, cols, vals = [], [], []
    bin_hz = freqs[1] - freqs[0]
    f0s = 440.0 * 2 ** ((candidates_midi - 69) / 12)
    for h in range(1, harmonics + 1):
        position = h * f0s / bin_hz
        valid = position < freqs.size - 2
        low = np.floor(position[valid]).astype(np.int64)
        frac = position[valid] - low
        index = np.flatnonzero(valid)
        weight = 0.8 ** (h - 1)
        rows += [low, low + 1]
        cols += [index, index]
        vals += [weight * (1 - frac), weight * frac]
    return sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(freqs.size, candidates_midi.size),
    )


_VOICED_RATIO = 8.0
_PROMINENCE = 4.0  # 12 dB


def predominant_pitch(magnitude: np.ndarray, freqs: np.ndarray, *, low_midi: float = 48.0,
                      high_midi: float = 84.0, step: float = 0.25) -> tuple[np.ndarray, np.ndarray]:
    """Predominant pitch per frame by harmonic summation (Klapuri 2006).

    The salience of a candidate f0 is the weighted sum of the spectrum's magnitude at its
    first six harmonics (weights ``0.8**(h-1)``); the strongest candidate between MIDI 48
    (131 Hz, below which kick drums and bass would pass for melody) and 84 (1047 Hz), on
    a quarter-semitone grid, is the frame's pitch. A frame is voiced when that peak is at
    least 8 times the median candidate's salience; unvoiced frames get strength 0.

    Returns
    -------
    pitch : ndarray, shape (n_frames,)
        MIDI pitch (fractional).
    strength : ndarray, shape (n_frames,)
        Salience of that pitch divided by the frame's largest magnitude times the sum
        of the harmonic weights: how clearly one harmonic source dominates (about 0.27
        for a sine, 0.5 for a rich harmonic tone); 0 for unvoiced frames.
    """
    candidates = np.arange(low_midi, high_midi + step / 2, step)
    harmonic_sum = _salience_matrix(freqs, candidates)
    salience = np.asarray(harmonic_sum.T.dot(magnitude.T)).T
    best = np.argmax(salience, axis=1) if salience.size else np.zeros(0, np.int64)
    peak = salience[np.arange(best.size), best] if best.size else np.zeros(0)
    # Normalise by what a single perfect partial would score: the frame's largest
    # magnitude times the sum of the harmonic weights. A sine scores ~0.27, a rich
    # harmonic tone ~0.5, noise and silence near 0; independent of level and pitch.
    ceiling = magnitude.max(axis=1) * sum(0.8 ** (h - 1) for h in range(1, 7)) if best.size else np.zeros(0)
    strength = np.divide(peak, ceiling, out=np.zeros_like(peak), where=ceiling > 1e-9)
    # Voicing: a harmonic source makes one candidate stand far above the typical one
    # (peak/median in the hundreds); noise lifts all candidates alike (ratio below 3).
    typical = np.median(salience, axis=1) if best.size else np.zeros(0)
    unvoiced = peak < _VOICED_RATIO * np.maximum(typical, 1e-12)
    strength[unvoiced] = 0.0
    return candidates[best], strength
