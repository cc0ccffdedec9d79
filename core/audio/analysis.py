"""Analyse one music file: decode, measure, score the 10 descriptors, keep the by-products."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.ndimage import maximum_filter1d

from core.audio import descriptors as d
from core.audio.decode import ANALYSIS_RATE, load_audio
from core.audio.signals import FineSignals, fine_signals, tonal_magnitude
from core.audio.tempo import beat_grid, estimate_tempo, onset_envelopes
from core.audio.tonal import chroma, estimate_key, peak_counts, predominant_pitch
from core.features import MusicFeatures
from core.jobs import CancelToken, ProgressFn, report
from core.timing.grid import reliable_tempo, track_timing

__all__ = [
    "ANALYSIS_VERSION",
    "NEAR_SILENCE_DBFS",
    "SILENT_FEATURES",
    "MusicAnalysis",
    "analyze_file",
    "analyze_signal",
]

ANALYSIS_VERSION = 3
"""Version of the analysis (formulas, calibration, tempo method). Stored with every library
track; a scan re-analyses tracks stamped with another version. Bump it whenever a change
here or in the modules it uses changes any stored number."""

_SILENT_RMS = 10 ** (-70 / 20)  # frames quieter than -70 dBFS count as silence
NEAR_SILENCE_DBFS = -60.0
"""A track whose loudest half second stays below this level (dBFS) is silent: room tone,
dither, a muted export. It gets no key and no tempo and the fixed :data:`SILENT_FEATURES`."""
SILENT_FEATURES = MusicFeatures(
    richness=-10.0, variation=-10.0, rhythm=-10.0, warmth=0.0, harmony=-10.0, brightness=0.0,
    melody_trend=50.0, rhythm_speed=0.0, arousal=0.0, valence=0.0,
)
"""The features of a silent track: no texture, no change, no pulse, no tonality, no
brightness, a flat melody, no speed, no arousal and neutral valence (its level and
spectrum are those of noise, which must not pass for music)."""
_MELODY_BLOCK_S = 1.0  # the melody's register is taken once a second
_MELODY_MIN_SECONDS = 8  # fewer voiced seconds than this are no line to follow: flat
_MELODY_MAX_POINTS = 400  # seconds used for the contour's slope (evenly spaced on longer files)
_BLOCK_S = 0.5  # the 2 Hz resolution of the energy curve and the section analysis


@dataclass(frozen=True)
class MusicAnalysis:
    """Everything the analysis of one track yields."""

    features: MusicFeatures
    """The 10 descriptors."""
    duration_s: float
    """Duration of the file, seconds."""
    tempo_bpm: float
    """Tempo, BPM (0 when there is no pulse)."""
    beat_times: np.ndarray
    """Beat grid, seconds, shape ``(n_beats,)``."""
    energy_curve: np.ndarray
    """Loudness every 0.5 s (2 Hz), dBFS, shape ``(n_blocks,)``."""
    sections: np.ndarray
    """Section boundaries, seconds, shape ``(n_boundaries,)``."""
    key: str
    """Best-fitting key, e.g. ``"A minor"`` (meaningful when ``key_clarity`` is high); ``""`` when silent."""
    measurements: d.Measurements
    """The scalar measurements behind the descriptors (for explanations)."""
    analysed_s: float = field(default=0.0)
    """Seconds of audio actually analysed (less than the duration for very long files)."""
    downbeats: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Bar starts, seconds, shape ``(n_bars,)`` (see :mod:`core.timing.grid`)."""
    phrases: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Phrase boundaries (4-bar units), seconds, shape ``(n_phrases,)``."""
    edit_points: np.ndarray = field(default_factory=lambda: np.zeros((0, 3)))
    """Seamless jumps ``[from_s, to_s, similarity]``, shape ``(n_edits, 3)``."""
    tempo_confidence: float = field(default=0.0)
    """How sure the tempo is, 0..1 (0 when ``tempo_bpm`` is 0); see :class:`~core.audio.tempo.TempoEstimate`."""
    silent: bool = field(default=False)
    """True for silence and near-silence (every half second below :data:`NEAR_SILENCE_DBFS`):
    no key, no tempo, no beats, no sections and :data:`SILENT_FEATURES`."""


def analyze_file(
    path: str | os.PathLike[str],
    *,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> MusicAnalysis:
    """Decode and analyse one audio file.

    Raises
    ------
    MediaError
        The file cannot be decoded.
    Cancelled
        ``cancel`` was set.
    """
    report(progress, 0.0, f"Decoding {Path(path).name}")
    audio = load_audio(path)
    if cancel is not None:
        cancel.raise_if_cancelled()
    report(progress, 0.4, f"Analysing {Path(path).name}")
    result = analyze_signal(audio.samples, audio.sample_rate, duration_s=audio.duration_s, cancel=cancel)
    report(progress, 1.0, "Done")
    return result


def analyze_signal(
    samples: np.ndarray,
    sample_rate: int = ANALYSIS_RATE,
    *,
    duration_s: float | None = None,
    cancel: CancelToken | None = None,
) -> MusicAnalysis:
    """Analyse a mono float32 signal at :data:`~core.audio.decode.ANALYSIS_RATE`.

    Any length works: silence and very short signals give finite, neutral values.
    """
    if sample_rate != ANALYSIS_RATE:
        raise ValueError(f"analysis expects {ANALYSIS_RATE} Hz, got {sample_rate}")
    x = np.ascontiguousarray(samples, dtype=np.float32)
    length_s = x.size / sample_rate
    if duration_s is None:
        duration_s = length_s
    energy_curve = _energy_curve(x, sample_rate)
    if _is_silent(x, energy_curve):
        return _silent_analysis(x, sample_rate, float(duration_s), energy_curve)
    fine = fine_signals(x, sample_rate)
    if cancel is not None:
        cancel.raise_if_cancelled()
    active = fine.rms > _SILENT_RMS
    loudness = _loudness_dbfs(fine.rms)

    accent, full = onset_envelopes(fine.band_energy, fine.band_centers)
    tempo = estimate_tempo(accent, fine.frame_rate)
    beats = beat_grid(accent, fine.frame_rate, tempo)
    onset_times, onset_heights = _onsets(full, fine.frame_rate)

    tonal, tonal_rate, tonal_freqs = tonal_magnitude(x, sample_rate)
    if cancel is not None:
        cancel.raise_if_cancelled()
    frame_chroma = chroma(tonal, tonal_freqs)
    tonal_energy = (tonal * tonal).sum(axis=1)
    weights = tonal_energy / tonal_energy.sum() if tonal_energy.sum() > 0 else None
    mean_chroma = (
        np.average(frame_chroma, axis=0, weights=weights) if weights is not None else np.zeros(12)
    )
    key = estimate_key(mean_chroma)
    tonal_active = tonal_energy > max(1e-12, 1e-6 * float(tonal_energy.max(initial=0.0)))
    # Every 4th frame (0.74 s apart) is plenty for a median over the whole track.
    sampled = np.flatnonzero(tonal_active)[::4]
    partials = float(np.median(peak_counts(tonal[sampled], tonal_freqs))) if sampled.size else 0.0
    pitch, strength = predominant_pitch(tonal, tonal_freqs)
    melody_slope = _melody_slope(pitch, strength * tonal_active, tonal_rate)

    blocks = _block_features(fine, frame_chroma, tonal_rate)
    block_loudness = blocks[:, 0] * 10.0 if blocks.size else np.zeros(0)
    block_seconds = max(1, int(round(_BLOCK_S * fine.frame_rate))) / fine.frame_rate
    sections = _section_boundaries(blocks) * block_seconds
    block_active = block_loudness > -70.0
    spread_db = float(np.std(block_loudness[block_active])) if block_active.sum() > 1 else 0.0
    lag = int(round(4.0 / _BLOCK_S))
    if blocks.shape[0] > lag:
        novelty = float(np.mean(np.linalg.norm(blocks[lag:] - blocks[:-lag], axis=1)))
    else:
        novelty = 0.0

    spectrum = fine.spectrum_mean.astype(np.float64)
    total_power = float(spectrum.sum())
    measurements = d.Measurements(
        loudness_dbfs=loudness,
        centroid_hz=float((spectrum * fine.freqs).sum() / total_power) if total_power > 0 else 0.0,
        high_energy_ratio=float(spectrum[fine.freqs >= 3000].sum() / total_power) if total_power > 0 else 0.0,
        tilt_db_per_octave=_tilt(spectrum, fine.freqs),
        flatness_db=_mean_flatness_db(fine, active),
        partials=partials,
        spread_octaves=_octave_spread(spectrum, fine.freqs),
        tempo_bpm=tempo.bpm,
        pulse_clarity=tempo.pulse_clarity,
        onset_rate=onset_times.size / length_s if length_s > 0 else 0.0,
        onset_strength=float(np.median(onset_heights)) if onset_heights.size else 0.0,
        key_clarity=key.clarity,
        mode_balance=key.mode_balance,
        chroma_concentration=_concentration(mean_chroma),
        melody_slope=melody_slope,
        loudness_spread_db=spread_db,
        timbre_novelty=novelty,
        section_rate=sections.size / (length_s / 60.0) if length_s >= 30 else 0.0,
    )
    brightness = d.brightness_score(measurements)
    harmony = d.harmony_score(measurements)
    features = MusicFeatures(
        richness=d.richness_score(measurements),
        variation=d.variation_score(measurements),
        rhythm=d.rhythm_score(measurements),
        warmth=d.warmth_score(measurements),
        harmony=harmony,
        brightness=brightness,
        melody_trend=d.melody_trend_score(measurements),
        rhythm_speed=d.rhythm_speed_score(measurements),
        arousal=d.arousal_score(measurements, brightness),
        valence=d.valence_score(measurements, harmony, brightness),
    )
    energy_curve = _energy_curve(x, sample_rate)
    # Bars, phrases and edit points come from the by-products above (core/timing), a few ms.
    timing = track_timing(
        duration_s=length_s, tempo_bpm=reliable_tempo(tempo.bpm, tempo.confidence), beat_times=beats,
        onset_envelope=accent,
        frame_rate=fine.frame_rate, band_energy=fine.band_energy, chroma=frame_chroma, chroma_rate=tonal_rate,
        energy_db=energy_curve,
    )
    return MusicAnalysis(
        features=features,
        duration_s=float(duration_s),
        tempo_bpm=tempo.bpm,
        beat_times=beats,
        energy_curve=energy_curve,
        sections=sections,
        key=key.name,
        measurements=measurements,
        analysed_s=length_s,
        downbeats=timing.downbeats,
        phrases=timing.phrases,
        edit_points=timing.edit_points,
        tempo_confidence=tempo.confidence,
    )


def _is_silent(x: np.ndarray, energy_curve: np.ndarray) -> bool:
    """Whether every half second (or the whole of a shorter signal) is below :data:`NEAR_SILENCE_DBFS`."""
    if energy_curve.size:
        return bool(energy_curve.max() < NEAR_SILENCE_DBFS)
    if x.size == 0:
        return True
    power = float(np.mean(np.square(x, dtype=np.float64)))
    return 10.0 * math.log10(max(power, 1e-12)) < NEAR_SILENCE_DBFS


def _silent_analysis(x: np.ndarray, sample_rate: int, duration_s: float, energy_curve: np.ndarray) -> MusicAnalysis:
    """The analysis of a silent signal: defined values, no key, no tempo (see :data:`SILENT_FEATURES`)."""
    power = float(np.mean(np.square(x, dtype=np.float64))) if x.size else 0.0
    loudness = 10.0 * math.log10(power) if power > 1e-12 else -120.0
    measurements = d.Measurements(
        loudness_dbfs=loudness, centroid_hz=0.0, high_energy_ratio=0.0, tilt_db_per_octave=0.0,
        flatness_db=0.0, partials=0.0, spread_octaves=0.0, tempo_bpm=0.0, pulse_clarity=0.0,
        onset_rate=0.0, onset_strength=0.0, key_clarity=0.0, mode_balance=0.0, chroma_concentration=0.0,
        melody_slope=0.0, loudness_spread_db=0.0, timbre_novelty=0.0, section_rate=0.0,
    )
    return MusicAnalysis(
        features=SILENT_FEATURES, duration_s=duration_s, tempo_bpm=0.0, beat_times=np.zeros(0),
        energy_curve=energy_curve, sections=np.zeros(0), key="", measurements=measurements,
        analysed_s=x.size / sample_rate, tempo_confidence=0.0, silent=True,
    )


def _loudness_dbfs(rms: np.ndarray) -> float:
    active = rms[rms > _SILENT_RMS]
    if active.size == 0:
        return -120.0
    return float(20.0 * math.log10(math.sqrt(float(np.mean(active**2)))))


def _onsets(envelope: np.ndarray, frame_rate: float) -> tuple[np.ndarray, np.ndarray]:
    """Peaks of the onset envelope: local maxima within ±50 ms above an adaptive threshold."""
    if envelope.size < 3 or envelope.max() <= 0:
        return np.zeros(0), np.zeros(0)
    reach = max(1, int(round(0.05 * frame_rate)))
    padded = np.pad(envelope, reach, mode="constant")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * reach + 1)
    local_max = windows.max(axis=1)
    width = max(1, min(envelope.size, int(round(1.0 * frame_rate))))
    local_mean = np.convolve(envelope, np.ones(width) / width, mode="same")
    threshold = np.maximum(local_mean + 0.5 * envelope.std(), 0.05 * envelope.max())
    is_peak = (envelope >= local_max) & (envelope > threshold)
    frames = np.flatnonzero(is_peak)
    return frames / frame_rate, envelope[frames]


def _tilt(spectrum: np.ndarray, freqs: np.ndarray) -> float:
    low = spectrum[(freqs >= 100) & (freqs < 800)].sum() / 3.0
    high = spectrum[(freqs >= 2000) & (freqs < 8000)].sum() / 2.0
    if low <= 0 and high <= 0:
        return 0.0
    ratio_db = 10.0 * math.log10(max(low, 1e-20) / max(high, 1e-20))
    return float(np.clip(ratio_db / math.log2(4000.0 / math.sqrt(100.0 * 800.0)), -40.0, 40.0))


def _mean_flatness_db(fine: FineSignals, active: np.ndarray) -> float:
    if not active.any():
        return 0.0
    weights = fine.rms[active] ** 2
    flat = float(np.average(fine.flatness[active], weights=weights))
    return 10.0 * math.log10(max(flat, 1e-12))


def _octave_spread(spectrum: np.ndarray, freqs: np.ndarray) -> float:
    band = (freqs >= 50) & (freqs <= 10000)
    power = spectrum[band]
    if power.sum() <= 0:
        return 0.0
    octaves = np.log2(freqs[band])
    mean = np.average(octaves, weights=power)
    return float(math.sqrt(np.average((octaves - mean) ** 2, weights=power)))


def _concentration(mean_chroma: np.ndarray) -> float:
    total = float(mean_chroma.sum())
    if total <= 0:
        return 0.0
    p = mean_chroma / total
    entropy = -float(np.sum(p[p > 0] * np.log(p[p > 0])))
    return 1.0 - entropy / math.log(12.0)


def _melody_slope(pitch: np.ndarray, strength: np.ndarray, frame_rate: float) -> float:
    """Slope of the predominant pitch contour over the whole signal, semitones/s.

    The contour is first reduced to its register: the median pitch of the voiced frames of
    each second (a second counts when at least half its frames are voiced; with fewer than
    8 such seconds there is no line to follow and the slope is 0). The slope is
    the Theil-Sen estimate over those medians: the median of the slopes between every pair
    of seconds (Sen 1968). Both steps are medians, so the frames where the pitch tracker
    jumps to another instrument or harmonic, which come and go with the frame alignment
    and the codec, cannot tilt it unless they are the majority.

    An earlier version averaged the small pitch steps between consecutive frames and left
    out the leaps. Since a melody's pitch stays within a range, the small steps sum to
    minus the leaps, so that mean was set by the tracker's leaps (which frames they fall
    on) more than by the line: a 30 ms offset or an AAC copy moved the melody trend of real
    tracks by up to a fifth of its scale, and halving the tonal hop by up to a quarter.
    """
    voiced = strength > 0.0
    per_block = max(1, int(round(_MELODY_BLOCK_S * frame_rate)))
    n_blocks = pitch.size // per_block
    if n_blocks < _MELODY_MIN_SECONDS:
        return 0.0
    usable = n_blocks * per_block
    blocks = np.where(voiced[:usable], pitch[:usable], np.nan).reshape(n_blocks, per_block)
    counted = voiced[:usable].reshape(n_blocks, per_block).sum(axis=1) * 2 >= per_block
    if counted.sum() < _MELODY_MIN_SECONDS:
        # A few voiced seconds in a long track (a brass call over drums) are no melody line;
        # three points 2 s apart once gave a real track -4 semitones/s.
        return 0.0
    times = (np.flatnonzero(counted) + 0.5) * per_block / frame_rate
    with np.errstate(all="ignore"):
        register = np.nanmedian(blocks[counted], axis=1)
    if times.size > _MELODY_MAX_POINTS:
        # Evenly spaced seconds keep the pair count bounded (80,000 pairs) on a 15-minute file.
        keep = np.linspace(0, times.size - 1, _MELODY_MAX_POINTS).round().astype(np.int64)
        times, register = times[keep], register[keep]
    first, second = np.triu_indices(times.size, 1)
    slopes = (register[second] - register[first]) / (times[second] - times[first])
    return float(np.median(slopes))


def _block_features(fine: FineSignals, frame_chroma: np.ndarray, tonal_rate: float) -> np.ndarray:
    """Standardised features every 0.5 s: loudness/10 dB, log2 centroid, 6 band levels/10 dB, chroma."""
    per_block = max(1, int(round(_BLOCK_S * fine.frame_rate)))
    n_blocks = fine.rms.size // per_block
    if n_blocks == 0:
        return np.zeros((0, 20))
    usable = n_blocks * per_block
    rms = np.sqrt(np.mean(fine.rms[:usable].reshape(n_blocks, per_block) ** 2, axis=1))
    loud = 20.0 * np.log10(np.maximum(rms, 1e-6)) / 10.0
    energy = fine.band_energy[:usable].reshape(n_blocks, per_block, -1).mean(axis=1)
    coarse = energy.reshape(n_blocks, 6, -1).sum(axis=2)
    coarse_db = 10.0 * np.log10(np.maximum(coarse, 1e-10)) / 10.0
    power = energy.sum(axis=1)
    centroid = np.divide(energy @ fine.band_centers, power, out=np.full(n_blocks, 1.0), where=power > 0)
    per_tonal = max(1, int(round(_BLOCK_S * tonal_rate)))
    chroma_blocks = np.zeros((n_blocks, 12))
    n_tonal = min(n_blocks, frame_chroma.shape[0] // per_tonal)
    if n_tonal:
        grouped = frame_chroma[: n_tonal * per_tonal].reshape(n_tonal, per_tonal, 12)
        chroma_blocks[:n_tonal] = grouped.mean(axis=1)
    return np.column_stack([loud, np.log2(np.maximum(centroid, 1.0)) - 10.0, coarse_db, 2.0 * chroma_blocks])


def _energy_curve(x: np.ndarray, sample_rate: int) -> np.ndarray:
    """RMS level of every 0.5 s of samples (exactly 2 Hz), dBFS, floored at -120."""
    size = int(_BLOCK_S * sample_rate)
    n_blocks = x.size // size
    if n_blocks == 0:
        return np.zeros(0)
    power = np.mean(np.square(x[: n_blocks * size].reshape(n_blocks, size), dtype=np.float64), axis=1)
    return 10.0 * np.log10(np.maximum(power, 1e-12))


def _section_boundaries(blocks: np.ndarray) -> np.ndarray:
    """Section boundaries, in blocks: Foote (2000) checkerboard novelty on the block self-similarity."""
    n = blocks.shape[0]
    half = 16  # 8 s either side
    if n < 2 * half + 1:
        return np.zeros(0)
    squares = np.einsum("ij,ij->i", blocks, blocks)
    gram = blocks @ blocks.T
    similarity = -np.sqrt(np.maximum(squares[:, None] + squares[None, :] - 2.0 * gram, 0.0))
    # Checkerboard sums from an integral image: (top-left + bottom-right) - (the other two).
    integral = np.zeros((n + 1, n + 1))
    integral[1:, 1:] = similarity.cumsum(axis=0).cumsum(axis=1)

    def box(r0: np.ndarray, r1: np.ndarray, c0: np.ndarray, c1: np.ndarray) -> np.ndarray:
        return integral[r1, c1] - integral[r0, c1] - integral[r1, c0] + integral[r0, c0]

    centres = np.arange(half, n - half)
    low, mid, high = centres - half, centres, centres + half
    novelty = np.zeros(n)
    same = box(low, mid, low, mid) + box(mid, high, mid, high)
    across = box(low, mid, mid, high) + box(mid, high, low, mid)
    novelty[centres] = same - across
    novelty /= (2 * half) ** 2
    threshold = novelty[half : n - half].mean() + 1.5 * novelty[half : n - half].std()
    local_max = maximum_filter1d(novelty, size=2 * half + 1, mode="constant", cval=-np.inf)
    is_peak = (novelty >= local_max) & (novelty > threshold) & (novelty > 0.5)
    is_peak[:half] = False
    is_peak[n - half :] = False
    return np.flatnonzero(is_peak).astype(np.float64)
