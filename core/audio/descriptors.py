"""The 10 music descriptors of SPEC.md §2, from measured signals to fixed-scale numbers.

Each ``*_score`` function is one documented formula over scalar measurements (collected
in :class:`Measurements`); the calibration constants are written in the formulas and in
``docs/features.md`` and never depend on the library being analysed. The mappings
``unit`` and ``sym`` are those of :mod:`core.calibration`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from core.calibration import sym as _sym
from core.calibration import unit as _unit

__all__ = [
    "Measurements",
    "arousal_score",
    "brightness_score",
    "harmony_score",
    "melody_trend_score",
    "rhythm_score",
    "rhythm_speed_score",
    "richness_score",
    "valence_score",
    "variation_score",
    "warmth_score",
]


@dataclass(frozen=True)
class Measurements:
    """Scalar measurements of one track: the inputs of every descriptor (and its explanation)."""

    loudness_dbfs: float
    """RMS level of the whole track, dB relative to a full-scale square wave (-120 for silence)."""
    centroid_hz: float
    """Centroid of the long-term average power spectrum, Hz."""
    high_energy_ratio: float
    """Share of power above 3 kHz, 0..1."""
    tilt_db_per_octave: float
    """Per-octave level of 100-800 Hz minus that of 2-8 kHz, divided by the 3.8 octaves between them."""
    flatness_db: float
    """Mean spectral flatness over 100-8000 Hz, dB (0 = white noise, about -60 = pure tone)."""
    partials: float
    """Median count of simultaneous spectral peaks within 40 dB of each frame's strongest."""
    spread_octaves: float
    """Power-weighted standard deviation of log2 frequency of the average spectrum, octaves."""
    tempo_bpm: float
    """Estimated tempo (0 when there is no pulse)."""
    pulse_clarity: float
    """Autocorrelation of the onset envelope at the beat period, 0..1."""
    onset_rate: float
    """Detected note/drum onsets per second."""
    onset_strength: float
    """Median height of detected onsets in the log-compressed band flux (about 0..15)."""
    key_clarity: float
    """Correlation of the chroma with its best key profile, -1..1."""
    mode_balance: float
    """Best major minus best minor key correlation (> 0: major)."""
    chroma_concentration: float
    """1 - entropy of the mean chroma / log(12): 0 for all pitch classes equal, 1 for one."""
    melody_slope: float
    """Slope of the predominant pitch contour, semitones/s: Theil-Sen over the median pitch
    of each voiced second."""
    loudness_spread_db: float
    """Standard deviation of the 2 Hz loudness curve over active blocks, dB."""
    timbre_novelty: float
    """Mean change of the standardised 2 Hz feature vector between blocks 4 s apart."""
    section_rate: float
    """Section boundaries per minute."""

    def as_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


def richness_score(m: Measurements) -> float:
    """Richness, -10..10: textural density.

    ``10/3 * (f + p + s)`` with flatness ``f = sym(flatness_db, -40, -10)``, partials
    ``p = sym(log2(1 + partials), 2, 6)`` (3 to 63 peaks) and spread
    ``s = sym(spread_octaves, 0.5, 2.5)``. A pure tone scores -10, broadband dense
    textures near +10.
    """
    f = _sym(m.flatness_db, -40.0, -10.0)
    p = _sym(math.log2(1.0 + m.partials), 2.0, 6.0)
    s = _sym(m.spread_octaves, 0.5, 2.5)
    return 10.0 / 3.0 * (f + p + s)


def variation_score(m: Measurements) -> float:
    """Variation, -10..10: change over time.

    ``10/3 * (l + n + c)`` with loudness spread ``l = sym(loudness_spread_db, 0, 8)``,
    timbre novelty ``n = sym(timbre_novelty, 0, 2)`` and sections ``c = sym(section_rate, 0, 4)``
    per minute. A steady loop scores low, a track that moves through quiet and loud
    sections of different colour scores high.
    """
    loud = _sym(m.loudness_spread_db, 0.0, 8.0)
    novelty = _sym(m.timbre_novelty, 0.0, 2.0)
    sections = _sym(m.section_rate, 0.0, 4.0)
    return 10.0 / 3.0 * (loud + novelty + sections)


def rhythm_score(m: Measurements) -> float:
    """Rhythm, -10..10: rhythmic salience.

    ``10 * (0.6 * sym(pulse_clarity, 0, 0.8) + 0.4 * sym(onset_strength, 0, 8))``: a clear
    periodic pulse of strong onsets (a drum loop) scores high; a held pad or noise, low.
    Pulse clarity after Lartillot et al. 2008.
    """
    return 10.0 * (0.6 * _sym(m.pulse_clarity, 0.0, 0.8) + 0.4 * _sym(m.onset_strength, 0.0, 8.0))


def warmth_score(m: Measurements) -> float:
    """Warmth, -10..10: low-mid weight against the highs.

    ``clip(2.5 * (tilt_db_per_octave - 2), -10, 10)``. Pink noise (equal energy per
    octave, tilt 0) scores -5, a tilt of 2 dB/octave 0, brown noise (per-octave energy
    falling 3 dB/octave) +2.5, white noise (rising 3 dB/octave) -10, and a mix low-passed
    at 1 kHz (tilt beyond 6 dB/octave) +10.
    """
    return float(np.clip(2.5 * (m.tilt_db_per_octave - 2.0), -10.0, 10.0))


def harmony_score(m: Measurements) -> float:
    """Harmony, -10..10: tonal consonance.

    ``10 * (0.6 * sym(key_clarity, 0.2, 0.9) + 0.4 * sym(chroma_concentration, 0, 0.3))``:
    pitch content that fits one key (Krumhansl-Kessler correlation) and concentrates on
    few pitch classes is consonant; chromatic clusters and noise are not.
    """
    return 10.0 * (0.6 * _sym(m.key_clarity, 0.2, 0.9) + 0.4 * _sym(m.chroma_concentration, 0.0, 0.3))


def brightness_score(m: Measurements) -> float:
    """Brightness, 0..100.

    ``100 * (0.7 * unit(log2(centroid_hz / 200), 0, 5) + 0.3 * unit(high_energy_ratio, 0, 0.4))``:
    a centroid of 200 Hz is dark (0), 6400 Hz bright (1); 40 % of the power above 3 kHz
    is fully bright.
    """
    centroid = _unit(math.log2(max(m.centroid_hz, 1.0) / 200.0), 0.0, 5.0)
    return 100.0 * (0.7 * centroid + 0.3 * _unit(m.high_energy_ratio, 0.0, 0.4))


def melody_trend_score(m: Measurements) -> float:
    """Melody trend, 0..100: ``50 + 50 * tanh(melody_slope / 0.5)``; 50 = flat.

    A line rising one octave over 30 s (0.4 semitones/s) scores about 83, one octave over
    a 3-minute track about 57, one octave over 5 s 100.
    """
    return 50.0 + 50.0 * math.tanh(m.melody_slope / 0.5)


def rhythm_speed_score(m: Measurements) -> float:
    """Rhythm speed, 0..100: ``100 * (0.8 * unit(tempo_bpm, 40, 200) + 0.2 * unit(onset_rate, 0, 8))``.

    40 BPM with no onsets is 0, 200 BPM with 8 onsets a second 100 (SPEC anchors).
    """
    tempo = _unit(m.tempo_bpm, 40.0, 200.0) if m.tempo_bpm > 0 else 0.0
    return 100.0 * (0.8 * tempo + 0.2 * _unit(m.onset_rate, 0.0, 8.0))


def arousal_score(m: Measurements, brightness: float) -> float:
    """Music arousal, 0..100.

    ``100 * (0.2 * unit(loudness_dbfs, -48, -8) + 0.25 * unit(tempo_bpm, 40, 200)
    + 0.2 * brightness / 100 + 0.2 * unit(onset_rate, 0, 8) + 0.15 * unit(onset_strength, 0, 8))``:
    loud, fast, bright, busy music with hard attacks is arousing (the cues of Gabrielsson
    & Lindstrom 2010; Eerola, Friberg & Bresin 2013 found loudness, tempo and timbre
    brightness the strongest). Loudness weighs 0.2 over a 40 dB range, so a file's
    playback gain (6 dB) moves arousal by at most 3 points; attack strength is measured
    on the level-normalised onset envelope and does not depend on the gain at all.
    """
    tempo = _unit(m.tempo_bpm, 40.0, 200.0) if m.tempo_bpm > 0 else 0.0
    return 100.0 * (
        0.2 * _unit(m.loudness_dbfs, -48.0, -8.0)
        + 0.25 * tempo
        + 0.2 * brightness / 100.0
        + 0.2 * _unit(m.onset_rate, 0.0, 8.0)
        + 0.15 * _unit(m.onset_strength, 0.0, 8.0)
    )


def valence_score(m: Measurements, harmony: float, brightness: float) -> float:
    """Music valence, -100..100.

    ``100 * clip(0.45 * sym(mode_balance, -0.25, 0.25) + 0.2 * harmony / 10
    + 0.15 * sym(tempo_bpm, 60, 160) + 0.2 * (brightness - 50) / 50, -1, 1)``: major mode,
    consonance, faster tempo and brighter timbre read as positive (Hevner 1935; Gabrielsson
    & Lindstrom 2010; Eerola, Friberg & Bresin 2013). Without a pulse the tempo term is -1
    (slow).
    """
    tempo = _sym(m.tempo_bpm, 60.0, 160.0) if m.tempo_bpm > 0 else -1.0
    total = (
        0.45 * _sym(m.mode_balance, -0.25, 0.25)
        + 0.2 * harmony / 10.0
        + 0.15 * tempo
        + 0.2 * (brightness - 50.0) / 50.0
    )
    return 100.0 * float(np.clip(total, -1.0, 1.0))
